"""Benchmark of delta sync: the cost of a delta must not grow with the catalogue.

    .venv/bin/python bench/sync.py [--sizes 100,10000] [--changes 10] [--seconds 10]
                                   [--rounds 3] [--reuse]

For each size, a PostgreSQL database with that many components (and one 10-item plan per
25) published through the workflow; an app's token taken after it has synced everything;
then ``--changes`` components re-published through the workflow (which also changes the
plan that uses them). One gunicorn (2 sync workers, Redis) per database serves the API with
the per-worker answer cache off, so that every request computes its answer; the databases
are ANALYZEd first, as autovacuum would (it is off on this machine). wrk drives,
in interleaved rounds, the delta sync from that token and the first page of an initial
sync against each database. The figure that matters is the delta's requests per second at
the largest size as a share of the smallest (target: at least 50%, i.e. within 2x); the
median of the per-round ratios is reported, because this machine is noisy. ``--reuse``
keeps databases of an earlier run (populating 10,000 items takes several minutes). Needs
wrk (apt-get install -y wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

from delivery import (
    PG,
    REDIS,
    ROOT,
    analyze,
    fetch,
    populate,
    run,
    start_server,
    stop_server,
    wrk,
)

BASE_PORT = 8775
TARGET = 0.50


def database_ready(env: dict, db_name: str, size: int) -> bool:
    query = "SELECT count(*) FROM content_publisheddocument WHERE live AND kind <> 'plan'"
    found = subprocess.run(
        ["psql", f"{PG}/{db_name}", "-tAc", query], env=env, capture_output=True, text=True
    )
    return found.returncode == 0 and found.stdout.strip() == str(size)


def prepare(size: int, changes: int, reuse: bool) -> tuple[dict, str]:
    """The environment of the database for ``size`` and the token of an app synced before
    the ``changes`` were published."""
    db_name = f"recovery_bench_sync_{size}"
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{db_name}",
        "REDIS_URL": REDIS,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DELIVERY_ANONYMOUS_RATE": "100000000/min",
        "DELIVERY_ANSWER_CACHE_BYTES": "0",
        "LOG_LEVEL": "WARNING",
    }
    if reuse and database_ready(env, db_name, size):
        print(f"Reusing {db_name}", flush=True)
        run(sys.executable, "manage.py", "migrate", "-v0", env=env)
    else:
        print(f"Publishing {size} components through the workflow ...", flush=True)
        started = time.monotonic()
        populate(env, size, db_name)
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    populate_script = str(ROOT / "bench" / "populate.py")
    token = subprocess.run(
        [sys.executable, populate_script, "--token"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    run(sys.executable, populate_script, "--revise", str(changes), env=env)
    analyze(env, db_name)
    return env, token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,10000")
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    sizes = [int(size) for size in options.sizes.split(",")]

    servers, cases = [], {}
    try:
        for n, size in enumerate(sizes):
            env, token = prepare(size, options.changes, options.reuse)
            base = f"http://127.0.0.1:{BASE_PORT + n}"
            servers.append(start_server(env, BASE_PORT + n, {}))
            delta = f"/api/v1/sync/?token={token}"
            body = json.loads(fetch(delta, {}, base)[0])
            expected = options.changes + 1  # the components and the plan that uses them
            assert len(body["changes"]) == expected and not body["has_more"], body["changes"]
            initial = json.loads(fetch("/api/v1/sync/?page_size=20", {}, base)[0])
            assert len(initial["changes"]) == 20 and initial["has_more"]
            cases[f"delta@{size}"] = (delta, base)
            cases[f"initial@{size}"] = ("/api/v1/sync/?page_size=20", base)
        print(f"Warming up; then {options.rounds} interleaved rounds of {options.seconds} s")
        for path, base in cases.values():
            wrk(path, 2, {}, base)
        samples: dict[str, list[float]] = {case: [] for case in cases}
        for round_ in range(options.rounds):
            for case, (path, base) in cases.items():
                samples[case].append(wrk(path, options.seconds, {}, base))
            print(f"  round {round_ + 1}: " + ", ".join(
                f"{c} {s[-1]:.0f}" for c, s in samples.items()
            ), flush=True)  # fmt: skip
    finally:
        for server in servers:
            stop_server(server)

    smallest, largest = sizes[0], sizes[-1]
    print()
    print(
        f"Delta sync of {options.changes} changed components (+1 plan) and the first page of "
        "an initial sync; gunicorn 2 workers, PostgreSQL, Redis, wrk -c8, answer cache off;"
    )
    print(f"median of {options.rounds} rounds (req/s), median of per-round ratios to the smallest")
    print(f"{'case':<16}{'req/s':>9}{f'of @{smallest}':>12}")
    failed = False
    for kind in ("delta", "initial"):
        for size in sizes:
            values = samples[f"{kind}@{size}"]
            base_values = samples[f"{kind}@{smallest}"]
            share = statistics.median(v / b for v, b in zip(values, base_values, strict=True))
            verdict = ""
            if kind == "delta" and size == largest and size != smallest:
                failed = share < TARGET
                verdict = f"  target {TARGET:.0%}: {'MISSED' if failed else 'ok'}"
            label = f"{kind}@{size}"
            print(f"{label:<16}{statistics.median(values):>9.0f}{share:>12.0%}{verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
