"""Load test: mixed traffic from 64 connections for 60 s against gunicorn + PostgreSQL + Redis
under production settings, while a reviewer publishes a new version every second.

    .venv/bin/python bench/load.py [--seconds 60] [--connections 64] [--workers 4]

Fills a fresh PostgreSQL database with the demo content (through the workflow), serves it
with gunicorn under ``RECOVERY_ENV=production`` (API keys required, HTTPS as a load balancer
reports it with X-Forwarded-Proto, JSON request logs to a file), and drives it with wrk
(``bench/load.lua``) over a mix of lists, details, personalised lists and details, plans and
sync (initial and delta). Meanwhile a publisher process revises glycine-bedtime and the plan
that uses it in turn, one publication per second through the whole review workflow (edit,
submit, two approvals, publish), stamping "{<slug> v<N>}" into each version's title, summary
and body. wrk checks every answer: a 200, and no item whose stamps disagree with each other
or with the version it is served as. Prints the figures, also as JSON with ``--json FILE``.
Needs wrk (apt-get install -y wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from delivery import (
    PG,
    REDIS,
    ROOT,
    analyze,
    api_key,
    fetch,
    fresh_database,
    run,
    start_server,
    stop_server,
)

DB_NAME = "recovery_load"
PORT = int(os.environ.get("BENCH_PORT", "8766"))
BASE = f"http://127.0.0.1:{PORT}"
COMPONENT, PLAN = "glycine-bedtime", "glycine-sleep-reset"

PATHS = [  # one request each in turn: lists, details, personalised, plans, sync
    "/api/v1/components/?page_size=100",
    f"/api/v1/components/{COMPONENT}/",
    "/api/v1/components/?page_size=100&profile=pregnancy,ssri",
    f"/api/v1/components/{COMPONENT}/?profile=clozapine",
    f"/api/v1/plans/{PLAN}/",
    f"/api/v1/plans/{PLAN}/?profile=pregnancy,maoi",
    "/api/v1/plans/?profile=ssri",
    "/api/v1/components/?kind=supplement&goal=sleep",
    "/api/v1/sync/?page_size=100",
    "/api/v1/sync/?token={token}",
    f"/api/v1/components/{COMPONENT}/versions/",
    "/api/v1/contraindications/",
]


def stamp(text: str, slug: str, number: int) -> str:
    """``text`` with the stamp of version ``number`` (replacing an earlier stamp)."""
    return re.sub(r" ?\{[\w-]+ v\d+\}", "", text) + f" {{{slug} v{number}}}"


def publish_every_second(seconds: float) -> None:
    """The reviewer's side (run as a separate process): a new version each second, in turn
    of the component and of the plan, through the whole workflow."""
    import dataclasses

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")
    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from content import workflow
    from content.models import Version

    editor = User.objects.get(username="editor")
    reviewers = [User.objects.get(username=name) for name in ("reviewer", "reviewer2")]
    published, took = [], []
    started = time.monotonic()
    tick = 0
    while time.monotonic() - started < seconds:
        slug = (COMPONENT, PLAN)[tick % 2]
        begun = time.monotonic()
        live = Version.objects.get(item__slug=slug, state="published")
        draft = workflow.revise(version=live, user=editor, change_note="Load test revision.")
        content = workflow.read_content(draft)
        content = dataclasses.replace(
            content,
            title=stamp(content.title, slug, draft.number),
            summary=stamp(content.summary, slug, draft.number),
            body=stamp(content.body, slug, draft.number),
        )
        draft = workflow.edit_draft(
            version=draft, user=editor, content=content, expected_edit_count=draft.edit_count
        )
        version = workflow.submit_for_review(version=draft, user=editor)
        needed = workflow.review_policy(live.item.kind).approvals_required
        for reviewer in reviewers[:needed]:
            version = workflow.approve(
                version=version, user=reviewer, seen_hash=version.content_hash
            )
        workflow.publish(version=version, user=reviewers[0])
        connection.close()  # as a person's next request would: no transaction left open
        took.append(time.monotonic() - begun)
        published.append(f"{slug} v{version.number}")
        tick += 1
        time.sleep(max(0.0, started + tick - time.monotonic()))
    print(json.dumps({"published": published, "slowest_s": round(max(took), 3)}), flush=True)


def check_the_checker() -> None:
    """Show that load.lua catches what it must: a 404, and an answer whose stamps disagree
    with the version it serves (a tiny local server answers both, wrk runs for a second)."""
    import http.server
    import threading

    mixed = (
        b'{"type":"component","slug":"glycine-bedtime","kind":"supplement","version":7,'
        b'"title":"Glycine {glycine-bedtime v7}","summary":"{glycine-bedtime v6}"}'
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status = 200 if self.path == "/mixed" else 404
            self.send_response(status)
            self.send_header("Content-Length", str(len(mixed)))
            self.end_headers()
            self.wfile.write(mixed)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = subprocess.run(
            ["wrk", "-t1", "-c2", "-d1s", "-s", str(ROOT / "bench" / "load.lua"),
             f"http://127.0.0.1:{server.server_port}/", "--", "/mixed", "/missing"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        server.shutdown()
    result = json.loads(re.search(r"^LOADRESULT (.*)$", out, re.M).group(1))
    if not (result["mixed"] > 0 and result["statuses"].get("404", 0) > 0):
        raise SystemExit(f"load.lua missed a mixed answer or a 404: {result}")


def prepare(env: dict) -> None:
    fresh_database(env, DB_NAME)
    run(sys.executable, "manage.py", "load_demo", env=env, stdout=subprocess.DEVNULL)
    analyze(env, DB_NAME)


def sync_token(headers: dict) -> str:
    """The token of an app that has synced everything there is now."""
    token = None
    while True:
        path = "/api/v1/sync/?page_size=100" + (f"&token={token}" if token else "")
        body, _ = fetch(path, headers, BASE)
        page = json.loads(body)
        token = page["next_token"]
        if not page["has_more"]:
            return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--publish", type=float, help=argparse.SUPPRESS)  # the publisher
    options = parser.parse_args()
    if options.publish:
        publish_every_second(options.publish)
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")

    check_the_checker()
    env = {
        **os.environ,
        "RECOVERY_ENV": "development",  # load_demo's accounts exist only outside production
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": REDIS,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="load-media-"),  # the demo's pictures
    }
    print("Loading the demo content into a fresh PostgreSQL database ...", flush=True)
    prepare(env)
    secret = api_key(env)
    production = {
        **env,
        "RECOVERY_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto,https",
        "LOG_LEVEL": "INFO",
    }
    headers = {"Authorization": f"Api-Key {secret}", "X-Forwarded-Proto": "https"}
    log_path = ROOT / "bench" / "load-requests.log"
    with log_path.open("w") as log:
        server = start_server(production, PORT, headers, workers=options.workers, stderr=log)
        try:
            token = sync_token(headers)
            paths = [p.format(token=token) for p in PATHS]
            for path in paths:  # every path answers before the clock starts
                fetch(path, headers, BASE)
            print(
                f"wrk: {options.connections} connections, {options.seconds} s, "
                f"{len(paths)} paths in turn; a publication every second ...",
                flush=True,
            )
            publisher = subprocess.Popen(
                [sys.executable, __file__, "--publish", str(options.seconds)],
                env=production, cwd=ROOT, stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            args = [
                "wrk", f"-t{options.threads}", f"-c{options.connections}",
                f"-d{options.seconds}s", "--timeout", "10s", "--latency",
                "-s", str(ROOT / "bench" / "load.lua"),
            ]  # fmt: skip
            for name, value in headers.items():
                args += ["-H", f"{name}: {value}"]
            out = subprocess.run(
                [*args, BASE + "/", "--", *paths], capture_output=True, text=True, check=True
            ).stdout
            publications = json.loads(publisher.communicate(timeout=120)[0])
            final, _ = fetch(f"/api/v1/components/{COMPONENT}/", headers, BASE)
        finally:
            stop_server(server)

    result = json.loads(re.search(r"^LOADRESULT (.*)$", out, re.M).group(1))
    logged = [json.loads(line) for line in log_path.read_text().splitlines() if line[:1] == "{"]
    statuses = Counter(line["status"] for line in logged if line["logger"] == "recovery.requests")
    final_version = json.loads(final)["version"]
    report = {
        **result,
        "requests_per_second": round(result["requests"] / result["seconds"], 1),
        "publications": len(publications["published"]),
        "slowest_publication_s": publications["slowest_s"],
        "last_published": publications["published"][-2:],
        "served_after": f"{COMPONENT} v{final_version}",
        "logged_statuses": dict(statuses),
        "gunicorn_workers": options.workers,
        "connections": options.connections,
    }
    print(out.split("LOADRESULT")[0])
    print(json.dumps(report, indent=2))
    if options.json:
        options.json.write_text(json.dumps(report, indent=2) + "\n")
    failed = result["non_200"] or result["socket_errors"] or result["mixed"]
    failed = failed or set(statuses) - {200}
    if failed:
        raise SystemExit("FAILED: errors or mixed versions (see above)")
    print("OK: no errors, no answer mixing two versions of one item.")


if __name__ == "__main__":
    main()
