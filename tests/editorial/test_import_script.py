"""docs/examples/import_component.py, run as people run it: a subprocess talking HTTP to a
live server with personal access tokens. An editor's token imports the YAML file, a
reviewer's approves and publishes it, and the delivery API then serves it; importing a
changed file makes version 2; a refusal stops the script with the API's own detail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
import yaml

from content.models import AuditEntry, PersonalToken
from tests.factories import EditorFactory, GoalFactory, ReviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "examples" / "import_component.py"
EXAMPLE = ROOT / "docs" / "examples" / "four-seven-eight-breathing.yaml"
SLUG = "four-seven-eight-breathing"


def _token(user) -> str:
    _, key = PersonalToken.objects.create_key(name="Import script", user=user)
    return key


@pytest.fixture
def people(settings):
    settings.DELIVERY_ALLOW_ANONYMOUS = True
    for goal in ("sleep", "stress"):
        GoalFactory(slug=goal)
    editor = EditorFactory(is_staff=True)
    reviewer, second_reviewer = ReviewerFactory(is_staff=True), ReviewerFactory(is_staff=True)
    return SimpleNamespace(
        editor=editor,
        reviewer=reviewer,
        second_reviewer=second_reviewer,
        editor_token=_token(editor),
        reviewer_token=_token(reviewer),
        second_reviewer_token=_token(second_reviewer),
    )


def run_import(live_server, path: Path, editor: str, reviewer: str, second: str | None = None):
    command = [
        sys.executable,
        str(SCRIPT),
        "--base-url",
        live_server.url,
        "--editor-token",
        editor,
        "--reviewer-token",
        reviewer,
        *(["--second-reviewer-token", second] if second else []),
        str(path),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def served(live_server, slug: str = SLUG) -> tuple[int, dict]:
    """The delivery API's status and answer for the component. The connection is closed: a
    response kept alive (by a failing test's traceback) would keep the live server's thread,
    and its database connection, open."""
    url = f"{live_server.url}/api/v1/components/{slug}/"
    with requests.get(url, timeout=10) as answer:
        return answer.status_code, answer.json()


def test_import_publishes_the_component_and_a_changed_file_makes_version_2(
    live_server, people, tmp_path
):
    first = run_import(live_server, EXAMPLE, people.editor_token, people.reviewer_token)

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == f"created {SLUG} v1 (draft)"
    assert f"published {SLUG} v1 (published)" in first.stdout
    written = yaml.safe_load(EXAMPLE.read_text())
    status, component = served(live_server)
    assert status == 200, component
    assert (component["version"], component["title"]) == (1, written["title"])
    assert component["details"] == written["details"]
    # Through the tokens, each step was taken by its person: four eyes held.
    actors = dict(
        AuditEntry.objects.filter(item__slug=SLUG, version_number=1).values_list(
            "action", "actor__username"
        )
    )
    assert actors["submit"] == people.editor.username
    assert actors["approve"] == actors["publish"] == people.reviewer.username

    changed = tmp_path / "changed.yaml"
    summary = "Four slow rounds of 4-7-8 breathing, lying down, before sleep."
    changed.write_text(
        yaml.safe_dump({**written, "summary": summary, "change_note": "A shorter summary."})
    )
    second = run_import(live_server, changed, people.editor_token, people.reviewer_token)

    assert second.returncode == 0, second.stderr
    assert f"started {SLUG} v2 from v1" in second.stdout
    assert f"published {SLUG} v2 (published)" in second.stdout
    status, component = served(live_server)
    assert (status, component["version"], component["summary"]) == (200, 2, summary)


def test_kind_needing_two_approvals_is_approved_by_both_reviewers(live_server, people, settings):
    settings.REVIEW_POLICY = {"pranayama": {"approvals_required": 2}}

    done = run_import(
        live_server,
        EXAMPLE,
        people.editor_token,
        people.reviewer_token,
        people.second_reviewer_token,
    )

    assert done.returncode == 0, done.stderr
    assert "approved by the reviewer: 1 of 2" in done.stdout
    assert "approved by the second reviewer: 2 of 2" in done.stdout
    status, component = served(live_server)
    assert (status, component["version"]) == (200, 1)


def test_kind_needing_two_approvals_without_a_second_reviewer_stays_in_review(
    live_server, people, settings
):
    settings.REVIEW_POLICY = {"pranayama": {"approvals_required": 2}}

    done = run_import(live_server, EXAMPLE, people.editor_token, people.reviewer_token)

    assert done.returncode == 1
    assert "needs 2 approvals and has 1: pass --second-reviewer-token" in done.stderr
    assert served(live_server)[0] == 404


def test_refusal_stops_the_import_with_the_apis_detail(live_server, people):
    # The editor's own token as the reviewer's: the API refuses the approval.
    done = run_import(live_server, EXAMPLE, people.editor_token, people.editor_token)

    assert done.returncode == 1
    assert "submitted v1" in done.stdout
    refusal = done.stderr.strip()
    assert refusal.startswith("approve (reviewer): refused with 403: ")
    assert people.editor.username in refusal  # the domain's message, naming who was refused
    assert served(live_server)[0] == 404
