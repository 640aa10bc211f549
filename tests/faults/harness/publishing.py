"""Changing content while a fault happens: a long-lived Django process that publishes and
withdraws through the workflow on request, and a publisher thread that publishes a new
version every few seconds, recording when each change committed."""

from __future__ import annotations

import itertools
import json
import selectors
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from .processes import ROOT, HarnessError, venv_executable
from .service import development_env

#: What a version looks like to an app: its number and its title (titles of the versions
#: published here carry a unique stamp, so two versions numbered alike after a restore
#: are told apart). None: nothing is served for the item.
State = tuple[int, str] | None


@dataclass(frozen=True)
class Change:
    """One publication or withdrawal, and when it committed (``time.monotonic()``, taken in
    the Django process just after the commit; the clock is the system's, shared by every
    process)."""

    slug: str
    state: State
    committed: float


_REPLY = "WORKFLOW-REPLY "
_SERVER = f"""
import json, os, re, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")
import django
django.setup()
import dataclasses
from django.contrib.auth.models import User
from django.db import connection
from content import workflow
from content.errors import DomainError
from content.models import Version

WORKING = ("draft", "in_review", "changes_requested", "approved")
STAMP = re.compile(r" [{{][^{{}}]*#[^{{}}]*[}}]$")


def users():
    return (
        User.objects.get(username="editor"),
        [User.objects.get(username=name) for name in ("reviewer", "reviewer2")],
    )


def publish(slug, marker):
    # Carries on from a working version an earlier, interrupted call left behind.
    editor, reviewers = users()
    working = Version.objects.filter(item__slug=slug, state__in=WORKING).first()
    if working is None or working.state == "changes_requested":
        base = working or Version.objects.get(item__slug=slug, state="published")
        working = workflow.revise(version=base, user=editor, change_note="Fault test.")
    if working.state == "draft":
        content = workflow.read_content(working)
        title = STAMP.sub("", content.title) + f" {{{{{{slug}} v{{working.number}} #{{marker}}}}}}"
        working = workflow.edit_draft(
            version=working, user=editor, content=dataclasses.replace(content, title=title),
            expected_edit_count=working.edit_count,
        )
        working = workflow.submit_for_review(version=working, user=editor)
    for reviewer in reviewers:
        if working.state != "in_review":
            break
        try:
            working = workflow.approve(
                version=working, user=reviewer, seen_hash=working.content_hash
            )
        except DomainError:  # approved it already, in an interrupted call
            pass
    published = workflow.publish(version=working, user=reviewers[0])
    return {{"version": published.number, "title": published.title}}


def ready():
    users()  # Django set up and connected
    return True


def withdraw(slug, reason):
    live = Version.objects.get(item__slug=slug, state="published")
    done = workflow.withdraw(version=live, user=users()[1][0], reason=reason)
    return {{"version": done.number}}


for line in sys.stdin:
    command = json.loads(line)
    try:
        result = globals()[command["op"]](**command["args"])
        reply = {{"ok": True, "result": result, "at": time.monotonic()}}
    except Exception as error:
        try:
            connection.close()  # reconnect next time: the server may have gone away
        except Exception:
            pass
        reply = {{"ok": False, "error": f"{{type(error).__name__}}: {{error}}"[:500]}}
    print("{_REPLY}" + json.dumps(reply), flush=True)
"""


class WorkflowProcess:
    """A Django process (development settings, connected directly to ``database_url``, never
    through a proxy) that publishes and withdraws through the workflow on request, as the
    demo ``editor``, ``reviewer`` and ``reviewer2``. One call at a time (a lock); a call
    that fails returns its error, and the process reconnects for the next one; a call that
    does not answer within ``timeout`` kills the process, which starts again next time."""

    def __init__(self, database_url: str, *, timeout: float = 30) -> None:
        self.database_url = database_url
        self.timeout = timeout
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._markers = itertools.count(1)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def publish(self, slug: str) -> Change:
        """Publish a new version of ``slug`` (its title stamped ``{slug vN #pM}``); raise
        HarnessError if it fails."""
        result, at = self._call("publish", slug=slug, marker=f"p{next(self._markers)}")
        return Change(slug, (result["version"], result["title"]), at)

    def withdraw(self, slug: str, reason: str = "Withdrawn by a fault test.") -> Change:
        """Withdraw the published version of ``slug``; raise HarnessError if it fails."""
        _, at = self._call("withdraw", slug=slug, reason=reason)
        return Change(slug, None, at)

    def warm_up(self) -> None:
        """Start the process, set up Django and connect, so that the first change made
        through it takes as long as any other (a scenario's publisher counts them)."""
        self._call("ready")

    def close(self) -> None:
        """End the process."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait(timeout=10)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()

    def _call(self, op: str, **args: Any) -> tuple[Any, float]:
        with self._lock:
            process = self._running()
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(json.dumps({"op": op, "args": args}) + "\n")
            process.stdin.flush()
            deadline = time.monotonic() + self.timeout
            with selectors.DefaultSelector() as selector:
                selector.register(process.stdout, selectors.EVENT_READ)
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0 or not selector.select(timeout=left):
                        self.close()
                        raise HarnessError(f"{op} {args} did not answer in {self.timeout:.0f} s")
                    line = process.stdout.readline()
                    if not line:
                        self.close()
                        raise HarnessError(f"the workflow process exited during {op} {args}")
                    if line.startswith(_REPLY):
                        break
        reply = json.loads(line[len(_REPLY) :])
        if not reply["ok"]:
            raise HarnessError(f"{op} {args} failed: {reply['error']}")
        return reply["result"], reply["at"]

    def _running(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [venv_executable("python"), "-u", "-c", _SERVER],
                env=development_env(self.database_url), cwd=ROOT, text=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        return self._process


class Publisher:
    """A thread publishing a new version of ``slug`` every ``interval`` seconds through
    ``process``, until stopped; ``changes`` are the publications that committed (each also
    passed to ``record``), ``failures`` the attempts that did not (with when they ended).
    ``pause()`` holds it back until ``resume()``."""

    def __init__(
        self,
        process: WorkflowProcess,
        slug: str,
        *,
        interval: float = 2.0,
        record: Callable[[Change], object] | None = None,
    ) -> None:
        self.process = process
        self.slug = slug
        self.interval = interval
        self.record = record
        self.changes: list[Change] = []
        self.failures: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._go = threading.Event()
        self._go.set()
        self._idle = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"publisher-{self.slug}")
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        """Stop after the publication under way, if any."""
        self._stop.set()
        self._go.set()
        if self._thread is not None:
            self._thread.join(timeout=self.process.timeout + 5)
            self._thread = None

    def pause(self) -> None:
        """Return once no publication is under way and none will start until ``resume()``."""
        self._go.clear()
        self._idle.wait(timeout=self.process.timeout + 5)

    def resume(self) -> None:
        self._go.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._idle.set()
            self._go.wait()
            if self._stop.is_set():
                return
            self._idle.clear()
            if not self._go.is_set():
                continue
            try:
                change = self.process.publish(self.slug)
            except HarnessError as exc:
                self.failures.append((time.monotonic(), str(exc)))
            else:
                self.changes.append(change)
                if self.record is not None:
                    self.record(change)
            self._idle.set()
            self._stop.wait(self.interval)
