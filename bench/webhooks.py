"""Publish-to-webhook latency, and what a worker outage does, measured in one run.

    .venv/bin/python bench/webhooks.py [--publications 100] [--interval 0.25,1] [--json FILE]

Creates the PostgreSQL database ``recovery_bench_webhooks`` on ``BENCH_DATABASE_URL``'s
server (default: the local one), migrates it, and starts a real receiver (``tests.servers``,
verifying every signature with the ``standardwebhooks`` package) and the job worker as its
own process (``manage.py worker --interval N``), as production runs it. For each polling
interval it publishes components through the workflow, one at a time, and measures from the
commit of each publication to its arrival at the receiver (median, p99, max). Then it stops
the worker, publishes 20 more while it is down, starts it again, and reports how long the
backlog took to arrive after the restart, and whether every event arrived exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
NAME = "recovery_bench_webhooks"
os.environ["DATABASE_URL"] = f"{BASE}/{NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{BASE}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {NAME}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, check=True
    )


def start_worker(interval: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "-v0", "--interval", str(interval)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    worker.wait(timeout=30)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publications", type=int, default=100)
    parser.add_argument("--interval", default="0.25,1", help="worker polling intervals, in s")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    recreate_database()
    import django

    django.setup()
    from content import workflow
    from content.events.webhooks import new_secret
    from tests import builders
    from tests.factories import EditorFactory, ReviewerFactory, WebhookEndpointFactory
    from tests.servers import WebhookReceiver

    editor, reviewer = EditorFactory(), ReviewerFactory()
    secret = new_secret()
    results: dict = {"publications": args.publications, "intervals": {}}
    serial = 0
    with WebhookReceiver(secret) as receiver:
        WebhookEndpointFactory(url=receiver.url, secret=secret, event_types=["content.published"])

        def publish_one() -> float:
            nonlocal serial
            serial += 1
            version = builders.approved(editor, reviewer, slug=f"bench-{serial}")
            workflow.publish(version=version, user=reviewer)
            return time.monotonic()  # the publication has committed

        for interval in [float(i) for i in args.interval.split(",")]:
            worker = start_worker(interval)
            publish_one()  # the worker is up and has its connection
            receiver.wait_for(len(receiver.received) + 1, timeout=30)
            latencies = []
            for _ in range(args.publications):
                before = len(receiver.received)
                committed = publish_one()
                arrived = receiver.wait_for(before + 1, timeout=30)[before]
                assert arrived.verified, arrived.verification_error
                latencies.append((arrived.received_at - committed) * 1000)
            stop(worker)
            figures = {
                "median_ms": round(statistics.median(latencies), 1),
                "p99_ms": round(percentile(latencies, 0.99), 1),
                "max_ms": round(max(latencies), 1),
            }
            results["intervals"][str(interval)] = figures
            print(f"worker --interval {interval}: publish to receiver {figures}")

        # A worker outage: events wait in the outbox and the queue, then all arrive once.
        before = len(receiver.received)
        for _ in range(20):
            publish_one()
        time.sleep(5)
        assert len(receiver.received) == before, "something was sent with no worker running"
        restarted = time.monotonic()
        worker = start_worker(0.2)
        receiver.wait_for(before + 20, timeout=60)
        backlog_s = receiver.received[before + 19].received_at - restarted
        stop(worker)
        ids = [r.headers["webhook-id"] for r in receiver.received]
        results["outage"] = {
            "published_while_down": 20,
            "arrived_after_restart_s": round(backlog_s, 2),
            "duplicates": len(ids) - len(set(ids)),
            "unverified": sum(not r.verified for r in receiver.received),
        }
        print(f"worker outage: {results['outage']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
