"""What apps see when a dependency fails: each row of docs/faults.md, measured in one run.

    .venv/bin/python bench/faults.py [--json FILE] [--only NAME ...] [--workers 4]

Starts its own PostgreSQL cluster (initdb into a temporary folder), its own redis-server
and a TCP proxy in front of PostgreSQL (tests/faults/harness; the machine's shared servers
are never touched), loads the demo content once, and runs each fault on a fresh copy of it:
gunicorn with ``--workers`` sync workers under production settings, apps polling a
component, the full list, a plan, a delta sync and a second component, and an editor
publishing a new version every 2 s through the workflow. For each fault it reports the
requests, their statuses, latencies, the stalest answer against the bound (2 s), and the
recovery time: from the end of the fault until every worker answered 200 and fresh.
``FAULTS_APP_ENV`` (e.g. ``DELIVERY_STALENESS_SECONDS=3600``) changes the service's
environment, to compare against a service that does not bound staleness.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.faults import harness as h

TEMPLATE = "bench_faults"
LISTENER = h.TcpProxy.application_marker("recovery-listener")
OUTAGE_LINE = "Rate limits: the shared cache does not answer"


class Bench:
    """The servers of the run, and a fresh copy of the demo database per fault."""

    def __init__(self, cluster: h.PostgresCluster, redis: h.RedisServer, workers: int) -> None:
        self.cluster, self.redis, self.workers = cluster, redis, workers
        h.prepare_database(cluster, TEMPLATE)
        self.api_key = h.create_api_key(cluster.url(TEMPLATE))
        self.copies = 0
        self.folder = Path(tempfile.mkdtemp(prefix="bench-faults-"))

    def scenario(self, **options: Any) -> h.Scenario:
        """A scenario on a new copy of the demo database (``with`` runs it)."""
        self.copies += 1
        name = f"bench_faults_{self.copies}"
        self.cluster.drop_database(name)
        self.cluster.psql("postgres", f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        self.redis.ensure_running()
        client = self.redis.client()
        client.flushall()
        client.close()
        options.setdefault("workers", self.workers)
        options.setdefault("show_log", False)
        return h.Scenario(self.cluster, name, self.redis.url(0), self.api_key, **options)


def figures(scenario: h.Scenario, report: h.Report, **notes: Any) -> dict[str, Any]:
    """A row: the report's figures, the fault's duration, and what else it showed."""
    fault = scenario.faults[-1] if scenario.faults else None
    return {
        **report.summary(),
        "bound_s": scenario.bound,
        "fault_s": round(fault.ended - fault.began, 1) if fault else None,
        "publications": len(scenario.publisher.changes) if scenario.publisher else None,
        **notes,
    }


def served_everything(scenario: h.Scenario) -> str:
    """Whether every worker serves every publication now ('yes', or what went wrong)."""
    try:
        scenario.every_worker_serves_the_database(timeout=10)
    except (AssertionError, h.HarnessError) as exc:
        return f"no: {str(exc)[:200]}"
    return "yes"


def finished(scenario: h.Scenario, **notes: Any) -> dict[str, Any]:
    report = scenario.finish(notes.pop("unsettled", ()))
    return figures(scenario, report, all_served_after=served_everything(scenario), **notes)


# --- The faults ---------------------------------------------------------------------------


def redis_killed(bench: Bench) -> dict[str, Any]:
    with bench.scenario() as scenario:
        scenario.run(3)
        with scenario.fault("redis killed"):
            bench.redis.kill()
            scenario.run(10)
            bench.redis.start()
        scenario.run(7)
        assert scenario.server is not None
        outage_lines = scenario.server.logs().count(OUTAGE_LINE)
        return finished(scenario, outage_logged=f"{outage_lines}x for {bench.workers} workers")


def redis_frozen(bench: Bench) -> dict[str, Any]:
    with bench.scenario() as scenario:
        scenario.run(3)
        with scenario.fault("redis frozen"):
            bench.redis.freeze()
            scenario.run(10)
            bench.redis.thaw()
        scenario.run(5)
        return finished(scenario)


def listen_dropped(bench: Bench) -> dict[str, Any]:
    with bench.scenario() as scenario:
        scenario.run(2)
        with scenario.fault("LISTEN sockets blackholed"):
            taken = scenario.proxy.blackhole(LISTENER)
        scenario.run(21)  # 10 publications
        reopened = [
            info
            for info in scenario.proxy.connections()
            if info.application_name == "recovery-listener" and not info.blackholed
        ]
        return finished(
            scenario, listeners_dropped=taken, listeners_reopened=len(reopened)
        )  # recovery: from the drop until every worker is fresh again


def listen_unreachable(bench: Bench) -> dict[str, Any]:
    with bench.scenario() as scenario:
        scenario.run(2)
        with scenario.fault("LISTEN sockets and new ones blackholed"):
            scenario.proxy.blackhole(LISTENER, blackhole_new=True)
            scenario.run(10)
            scenario.proxy.heal()
        scenario.run(5)
        return finished(scenario)


def postgres_restarted(bench: Bench) -> dict[str, Any]:
    with bench.scenario() as scenario:
        scenario.run(3)
        with scenario.fault("postgres restarted"):
            bench.cluster.restart()
        scenario.run(5)
        return finished(scenario)


def postgres_stopped(bench: Bench) -> dict[str, Any]:
    with bench.scenario() as scenario:
        scenario.run(3)
        with scenario.fault("postgres stopped 8 s"):
            bench.cluster.stop()
            scenario.run(8)
            bench.cluster.start()
        scenario.run(5)
        assert scenario.poller is not None
        unavailable = [s for s in scenario.poller.samples if s.status == 503]
        retry_after = sum("Retry-After" in s.headers for s in unavailable)
        return finished(scenario, with_retry_after=f"{retry_after}/{len(unavailable)} 503s")


def network_partition(bench: Bench) -> dict[str, Any]:
    with bench.scenario(poll_timeout=40) as scenario:  # apps wait as long as it takes
        scenario.run(3)
        with scenario.fault("network to PostgreSQL silent 8 s"):
            scenario.proxy.blackhole(None, blackhole_new=True)
            scenario.run(8)
            scenario.proxy.heal()
        scenario.run(40)
        assert scenario.server is not None
        killed = scenario.server.logs().count("WORKER TIMEOUT")
        return finished(scenario, workers_killed_by_gunicorn=killed)


def restore(bench: Bench, *, drop: bool) -> dict[str, Any]:
    with bench.scenario(publish_every=1.5) as scenario:
        assert scenario.publisher is not None and scenario.timeline is not None
        scenario.run(3)
        scenario.publisher.pause()
        dumped_at = time.monotonic()
        dump = bench.cluster.dump(scenario.dbname, bench.folder / f"{scenario.dbname}.dump")
        scenario.publisher.resume()
        scenario.withdraw()
        _, late_key = h.create_key(scenario.direct_url, name="after the dump")
        scenario.run(4)
        scenario.publisher.pause()
        scenario.publish()  # the workers compute their answers afresh during the restore
        with scenario.fault("restore"):
            if drop:
                bench.cluster.drop_database(scenario.dbname)
                bench.cluster.create_database(scenario.dbname)
            bench.cluster.restore(scenario.dbname, dump, clean=not drop)
        restored = scenario.faults[-1]
        scenario.timeline.restore(at=restored.ended, as_of=dumped_at)
        scenario.publisher.resume()
        scenario.run(6)
        old_token = scenario.fetch(h.sync_path(scenario.token)).json()
        late = scenario.fetch(h.detail_path(h.PUBLISHED), h.api_headers(late_key)).status
        return finished(
            scenario, unsettled=[(restored.began, restored.ended + scenario.bound + 0.3)],
            old_token_reset=old_token["reset"], key_after_dump=late,
        )  # fmt: skip


def concurrent_cycles(bench: Bench) -> dict[str, Any]:
    with bench.scenario(publish_every=None, workers=3) as scenario:
        scenario.run(1)
        cycles = h.concurrent_cycles(scenario.direct_url, h.PUBLISHED, 20, rounds=1)
        scenario.record_publications_from_database()
        scenario.run(3)
        steps = Counter(
            "error: " + step[1] if step[0] == "error" else f"{step[0]} {step[1]}"
            for cycle in cycles
            for step in cycle
        )
        errors = sum(n for step, n in steps.items() if step.startswith("error"))
        return finished(scenario, workflow_errors=errors, workflow_steps=dict(steps))


def concurrent_admin_posts(bench: Bench) -> dict[str, Any]:
    with bench.scenario(publish_every=None, poll_threads=2) as scenario:
        assert scenario.server is not None
        users = ["editor", "reviewer", "reviewer2"]
        h.django_script(
            scenario.direct_url,
            "from django.contrib.auth.models import User\n"
            "for u in User.objects.filter(username__in=args['users']):\n"
            "    u.set_password('bench-only-password-8d'); u.save()",
            args={"users": users},
        )
        sessions = {name: h.AdminSession(scenario.server.base_url) for name in users}
        for name, session in sessions.items():
            session.login(name, "bench-only-password-8d")
        item = int(scenario.cluster.psql(
            scenario.dbname, f"SELECT id FROM content_contentitem WHERE slug = '{h.PUBLISHED}'"
        ))  # fmt: skip
        path = f"/admin/content/component/{item}/change/"
        h.concurrent_admin_posts(sessions, path, [("editor", "start_draft")], threads=1)
        h.concurrent_admin_posts(sessions, path, [("editor", "submit")], threads=1)
        plan = (
            [("reviewer", "approve"), ("reviewer2", "approve")] * 60
            + [("editor", "start_draft")] * 40
            + [("editor", "submit"), ("reviewer", "publish")] * 20
        )
        outcomes = h.concurrent_admin_posts(sessions, path, plan, threads=32)
        scenario.record_publications_from_database()
        scenario.run(3)
        return finished(
            scenario,
            admin_posts=len(outcomes),
            admin_answers=dict(Counter(str(o.status) for o in outcomes)),
            admin_with_a_message=sum(len(o.messages) == 1 for o in outcomes),
        )


def keys_deleted(bench: Bench) -> dict[str, Any]:
    with bench.scenario(publish_every=None) as scenario:
        assert scenario.server is not None
        key_id, secret = h.create_key(scenario.direct_url, name="to delete")
        poller = h.Poller(scenario.server.base_url, [h.detail_path(h.PUBLISHED)],
                          h.api_headers(secret), threads=4)  # fmt: skip
        with poller:
            scenario.run(2)
            with scenario.fault("keys deleted by a queryset"):
                deleted = h.django_script(
                    scenario.direct_url,
                    "import time\nfrom content.models import DeliveryKey\n"
                    "DeliveryKey.objects.filter(pk=args['id']).delete()\n"
                    "result = time.monotonic()",
                    args={"id": key_id},
                )
            scenario.run(scenario.bound + 2)
        last_200 = max((s.started for s in poller.samples if s.status == 200), default=deleted)
        return finished(
            scenario,
            deleted_key_answers=dict(Counter(str(s.status) for s in poller.samples
                                             if s.started > deleted)),
            last_200_after_delete_s=round(max(0.0, last_200 - deleted), 2),
        )  # fmt: skip


FAULTS: dict[str, tuple[str, Callable[[Bench], dict[str, Any]]]] = {
    "redis-killed": ("Redis killed for 10 s", redis_killed),
    "redis-frozen": ("Redis frozen (SIGSTOP) for 10 s", redis_frozen),
    "listen-dropped": ("the LISTEN sockets silently dropped", listen_dropped),
    "listen-unreachable": ("LISTEN sockets dropped, new ones too, 10 s", listen_unreachable),
    "postgres-restarted": ("PostgreSQL restarted", postgres_restarted),
    "postgres-stopped": ("PostgreSQL stopped 8 s", postgres_stopped),
    "network-partition": ("network to PostgreSQL silent 8 s", network_partition),
    "restore-clean": ("pg_restore --clean while workers run", lambda b: restore(b, drop=False)),
    "restore-drop": ("drop + create + restore while workers run", lambda b: restore(b, drop=True)),
    "concurrent-cycles": ("20 concurrent full workflow cycles on one item", concurrent_cycles),
    "admin-posts": ("200 concurrent admin approve / start-draft posts", concurrent_admin_posts),
    "keys-deleted": ("an API key deleted with a queryset delete", keys_deleted),
}


def print_table(rows: list[dict[str, Any]]) -> None:
    """The rows as a table, then each row's other figures."""
    print(f"\n{'fault':46} {'requests':>8} {'statuses':30} {'p50/p99/max ms':>16} "
          f"{'stalest s':>9} {'silence s':>9} {'recovery s':>10}")  # fmt: skip
    for row in rows:
        statuses = " ".join(f"{k}:{v}" for k, v in row["statuses"].items())
        latency = "/".join(f"{row[f'latency_{q}_ms']:.0f}" for q in ("p50", "p99", "max"))
        print(f"{row['fault']:46} {row['requests']:>8} {statuses:30} {latency:>16} "
              f"{row['max_staleness_s']!s:>9} {row['longest_silence_s']!s:>9} "
              f"{row['recovery_s']!s:>10}")  # fmt: skip
    print()
    for row in rows:
        extra = {k: v for k, v in row.items() if k not in _SHOWN}
        print(f"{row['name']}: {json.dumps(extra, default=str)}")


_SHOWN = {"fault", "name", "requests", "statuses", "latency_p50_ms", "latency_p99_ms",
          "latency_max_ms", "max_staleness_s", "longest_silence_s", "recovery_s"}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument("--only", nargs="+", choices=sorted(FAULTS), help="these faults only")
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()
    missing = h.missing_prerequisites()
    if missing:
        print("cannot run: missing " + "; ".join(missing), file=sys.stderr)
        return 2
    rows = []
    with h.PostgresCluster() as cluster, h.RedisServer() as redis:
        bench = Bench(cluster, redis, options.workers)
        try:
            for name in options.only or list(FAULTS):
                title, run = FAULTS[name]
                print(f"--- {title} ...", flush=True)
                started = time.monotonic()
                row = {"fault": title, "name": name, **run(bench)}
                row["took_s"] = round(time.monotonic() - started, 1)
                rows.append(row)
                print(json.dumps(row, default=str), flush=True)
        finally:
            shutil.rmtree(bench.folder, ignore_errors=True)
    print_table(rows)
    if options.json:
        options.json.write_text(json.dumps({"workers": options.workers, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
