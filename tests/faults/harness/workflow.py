"""Setting up content and changing it through the workflow, in subprocesses under
development settings (Django never runs in the harness's own process)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from typing import Any

from .postgres import PostgresCluster
from .processes import ROOT, HarnessError, run_command, venv_executable
from .service import development_env


def manage(database_url: str, *args: str, timeout: float = 300) -> str:
    """Run ``manage.py <args>`` under development settings against ``database_url``;
    return its output."""
    return run_command(
        [venv_executable("python"), "manage.py", *args],
        what=f"manage.py {' '.join(args)}", env=development_env(database_url), cwd=ROOT,
        timeout=timeout,
    ).stdout  # fmt: skip


def prepare_database(cluster: PostgresCluster, dbname: str) -> str:
    """Create ``dbname`` afresh in ``cluster`` (dropping an earlier one), migrate it and load
    the demo content through the workflow, with the demo accounts ``editor``, ``reviewer``
    and ``reviewer2``; return its URL. Connects directly, never through a proxy."""
    cluster.drop_database(dbname)
    cluster.create_database(dbname)
    url = cluster.url(dbname)
    manage(url, "migrate", "--no-input", "-v0")
    manage(url, "load_demo")
    cluster.psql(dbname, "ANALYZE")
    return url


def create_api_key(database_url: str) -> str:
    """A new API key, with a rate no test reaches, in the database at ``database_url``
    (``bench/populate.py --key``)."""
    return run_command(
        [venv_executable("python"), str(ROOT / "bench" / "populate.py"), "--key"],
        what="creating an API key", env=development_env(database_url), cwd=ROOT,
    ).stdout.strip()  # fmt: skip


_RESULT_MARKER = "DJANGO-SCRIPT-RESULT "
_SCRIPT_RUNNER = f"""
import json, os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")
import django
django.setup()
namespace = {{"args": json.loads(sys.argv[2]), "result": None}}
exec(compile(sys.argv[1], "<django_script>", "exec"), namespace)
print("\\n{_RESULT_MARKER}" + json.dumps(namespace["result"], default=str))
"""


def django_script(
    database_url: str,
    code: str,
    *,
    args: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> Any:
    """Run ``code`` in a fresh Python with Django set up under development settings against
    ``database_url``, and return the JSON-able value it assigns to ``result``.

    ``code`` (dedented) sees ``args``, a dict of the JSON-able ``args`` given here; ``env``
    adds environment variables. Raises HarnessError with the traceback if it fails."""
    done = run_command(
        [
            venv_executable("python"), "-c", _SCRIPT_RUNNER, textwrap.dedent(code),
            json.dumps(dict(args or {})),
        ],
        what="a Django script", env={**development_env(database_url), **(env or {})}, cwd=ROOT,
        timeout=timeout,
    )  # fmt: skip
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(_RESULT_MARKER):
            return json.loads(line[len(_RESULT_MARKER) :])
    raise HarnessError(f"the Django script printed no result:\n{done.stdout[-3000:]}")


_PUBLISH_NEW_VERSION = """
import dataclasses
from django.contrib.auth.models import User
from content import workflow
from content.models import Version

editor = User.objects.get(username="editor")
reviewers = [User.objects.get(username=name) for name in ("reviewer", "reviewer2")]
live = Version.objects.get(item__slug=args["slug"], state="published")
draft = workflow.revise(version=live, user=editor, change_note=args["note"])
content = workflow.read_content(draft)
stamp = f" {{{args['slug']} v{draft.number}}}"
content = dataclasses.replace(content, title=content.title + stamp)
draft = workflow.edit_draft(
    version=draft, user=editor, content=content, expected_edit_count=draft.edit_count
)
version = workflow.submit_for_review(version=draft, user=editor)
for reviewer in reviewers[: workflow.review_policy(live.item.kind).approvals_required]:
    version = workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)
result = workflow.publish(version=version, user=reviewers[0]).number
"""

_WITHDRAW = """
from django.contrib.auth.models import User
from content import workflow
from content.models import Version

live = Version.objects.get(item__slug=args["slug"], state="published")
reviewer = User.objects.get(username="reviewer")
result = workflow.withdraw(version=live, user=reviewer, reason=args["reason"]).number
"""


def publish_new_version(database_url: str, slug: str, note: str = "Fault test revision.") -> int:
    """Publish a new version of the published component or plan ``slug`` through the whole
    workflow (the demo ``editor`` revises it, appending ``{<slug> v<N>}`` to its title;
    ``reviewer``, and ``reviewer2`` where two approvals are needed, approve; ``reviewer``
    publishes); return its version number."""
    return django_script(database_url, _PUBLISH_NEW_VERSION, args={"slug": slug, "note": note})


def withdraw(database_url: str, slug: str, reason: str = "Withdrawn by a fault test.") -> int:
    """Withdraw the published version of ``slug`` (as the demo ``reviewer``); return its
    version number."""
    return django_script(database_url, _WITHDRAW, args={"slug": slug, "reason": reason})


_CREATE_KEY = """
from content.models import DeliveryKey
key, secret = DeliveryKey.objects.create_key(
    name=args["name"], requests_per_minute=args["requests_per_minute"]
)
result = [key.pk, secret]
"""


def create_key(
    database_url: str, *, name: str = "faults", requests_per_minute: int = 10**9
) -> tuple[int, str]:
    """A new API key in the database at ``database_url``: its id and its secret."""
    key_id, secret = django_script(
        database_url,
        _CREATE_KEY,
        args={"name": name, "requests_per_minute": requests_per_minute},
    )
    return key_id, secret
