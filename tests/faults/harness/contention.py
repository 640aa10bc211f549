"""Many people acting on one item at the same moment: full workflow cycles in threads of one
Django process (each thread its own database connection), and the admin's workflow buttons
posted concurrently over HTTP by logged-in editors and reviewers."""

from __future__ import annotations

import html
import http.client
import random
import re
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from .workflow import django_script

_CYCLES = """
import dataclasses, threading, time, traceback
from django.contrib.auth.models import User
from django.db import connection
from content import workflow
from content.errors import DomainError
from content.models import Version

WORKING = ("draft", "in_review", "changes_requested", "approved")
slug = args["slug"]
editor = User.objects.get(username="editor")
reviewers = [User.objects.get(username=name) for name in ("reviewer", "reviewer2")]
start = threading.Barrier(args["cycles"])


def working():
    return Version.objects.filter(item__slug=slug, state__in=WORKING).first()


def cycle(n, steps):
    def attempt(name, action):
        try:
            done = action()
        except DomainError as error:
            steps.append([name, "refused", type(error).__name__, str(error)])
            return None
        steps.append([name, "ok", done.number])
        return done

    live = Version.objects.get(item__slug=slug, state="published")
    draft = attempt("revise", lambda: workflow.revise(version=live, user=editor))
    if draft is not None:
        content = workflow.read_content(draft)
        content = dataclasses.replace(content, title=f"{content.title.split(' {')[0]} {{c{n}}}")
        draft = attempt("edit", lambda: workflow.edit_draft(
            version=draft, user=editor, content=content, expected_edit_count=draft.edit_count))
    if draft is not None:
        attempt("submit", lambda: workflow.submit_for_review(version=draft, user=editor))
    for reviewer in reviewers:  # whatever is in review now, ours or another cycle's
        version = working()
        if version is not None and version.state == "in_review":
            attempt(f"approve as {reviewer.username}", lambda: workflow.approve(
                version=version, user=reviewer, seen_hash=version.content_hash))
    version = working()
    if version is not None and version.state == "approved":
        attempt("publish", lambda: workflow.publish(version=version, user=reviewers[0]))


def run(n):
    steps = outcomes[n]
    try:
        start.wait()
        for _ in range(args["rounds"]):
            cycle(n, steps)
    except Exception as error:
        steps.append(["error", type(error).__name__, str(error), traceback.format_exc()])
    finally:
        connection.close()


outcomes = [[] for _ in range(args["cycles"])]
threads = [threading.Thread(target=run, args=(n,)) for n in range(args["cycles"])]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
result = outcomes
"""


def concurrent_cycles(
    database_url: str, slug: str, cycles: int = 20, rounds: int = 3
) -> list[list[list[Any]]]:
    """Run ``cycles`` threads at once, each going ``rounds`` times through a full workflow
    cycle on ``slug`` (revise, edit, submit, the approvals, publish; going on with whatever
    version is in review or approved when its own was refused), as the demo accounts, each
    thread with its own connection. Return each thread's steps: ``[step, "ok", version]``,
    ``[step, "refused", error class, message]``, or ``["error", class, message,
    traceback]`` for anything else."""
    return django_script(
        database_url, _CYCLES, args={"slug": slug, "cycles": cycles, "rounds": rounds}
    )


@dataclass(frozen=True)
class AdminReply:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]  # the cookies it set
    body: str


class AdminSession:
    """A person logged in to the admin over HTTP, under production settings (HTTPS as the
    load balancer reports it, secure cookies echoed back, CSRF token and Origin sent)."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.origin = f"https://{self.host}:{self.port}"
        self.cookies: dict[str, str] = {}
        self._lock = threading.Lock()

    def login(self, username: str, password: str) -> None:
        page = self.get("/admin/login/")
        reply = self.post(
            "/admin/login/",
            {"username": username, "password": password, "next": "/admin/"},
            token=csrf_token(page.body),
        )
        if reply.status != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"login as {username} failed: {reply.status} {reply.body[:500]}")

    def get(self, path: str, cookies: Mapping[str, str] | None = None) -> AdminReply:
        return self._send("GET", path, None, cookies)

    def post(
        self, path: str, data: Mapping[str, str], *, token: str, keep_cookies: bool = True
    ) -> AdminReply:
        body = urlencode({**data, "csrfmiddlewaretoken": token})
        return self._send("POST", path, body, None, keep_cookies=keep_cookies)

    def _send(
        self,
        method: str,
        path: str,
        body: str | None,
        cookies: Mapping[str, str] | None,
        *,
        keep_cookies: bool = True,
    ) -> AdminReply:
        with self._lock:
            jar = {**self.cookies, **(cookies or {})}
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": self.origin,
            "Referer": self.origin + path,
            "Cookie": "; ".join(f"{name}={value}" for name, value in jar.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            set_cookies = {}
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    set_cookies[cookie_name.strip()] = rest.split(";", 1)[0]
            if keep_cookies:
                with self._lock:
                    self.cookies.update({k: v for k, v in set_cookies.items() if k != "messages"})
            return AdminReply(response.status, dict(response.getheaders()), set_cookies, text)
        finally:
            conn.close()


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        raise AssertionError(f"no CSRF token on the page: {page[:500]}")
    return found.group(1)


def seen_hash(page: str) -> str:
    """The content hash the approve button is bound to on a change page ('' if none)."""
    found = re.search(r'name="seen_hash" value="([^"]*)"', page)
    return found.group(1) if found else ""


def page_messages(page: str) -> list[str]:
    """The admin messages shown on a page (success and error alike)."""
    found = re.search(r'<ul class="messagelist">(.*?)</ul>', page, re.S)
    if not found:
        return []
    return [html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
            for m in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S)]  # fmt: skip


@dataclass(frozen=True)
class PostOutcome:
    """One workflow button pressed: who, which, the answer, and the message it showed."""

    who: str
    action: str
    status: int
    location: str
    page_status: int  # of the page it redirected to (0 if it did not)
    messages: tuple[str, ...]


def concurrent_admin_posts(
    sessions: Mapping[str, AdminSession],
    item_path: str,
    plan: Sequence[tuple[str, str]],
    *,
    threads: int = 24,
    seed: int = 1,
) -> list[PostOutcome]:
    """Press the workflow buttons in ``plan`` (``(username, action)`` pairs, shuffled with
    ``seed``) on the item whose admin change page is ``item_path`` (``.../change/``), from
    ``threads`` threads at once; each opens the change page first (for the hash an approval
    is bound to), posts, and follows the redirect with the message cookie it got."""
    workflow_path = item_path.replace("/change/", "/workflow/")
    order = list(plan)
    random.Random(seed).shuffle(order)

    def press(who: str, action: str) -> PostOutcome:
        session = sessions[who]
        page = session.get(item_path)
        data = {"action": action}
        if action == "approve":
            data["seen_hash"] = seen_hash(page.body)
        token = csrf_token(page.body) if page.status == 200 else ""
        reply = session.post(workflow_path, data, token=token, keep_cookies=False)
        location = reply.headers.get("Location", "")
        if reply.status != 302:
            return PostOutcome(who, action, reply.status, location, 0, ())
        followed = session.get(location, {"messages": reply.cookies.get("messages", "")})
        return PostOutcome(
            who, action, reply.status, location, followed.status,
            tuple(page_messages(followed.body)),
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda pair: press(*pair), order))
