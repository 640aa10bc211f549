"""A backup restored while the workers run (``pg_restore --clean`` into the live database,
or the database dropped, created again and restored): a 503 at most while it is under way,
never a 500; afterwards every worker serves exactly what the restored database has (none of
the versions published after the dump, the withdrawal after the dump undone), hears of new
publications within the bound, accepts the keys of the dump and refuses the one created
after it, and a sync token from before the restore gets an initial sync with "reset": true.
Nothing computed from half-restored tables is served, whether the workers compute answers
while the restore runs (a publication just before it, a withdrawn item's 404s) or hold all
they serve (only the bound makes them read the state again).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.checks import (
    assert_503s_are_problems_with_retry_after,
    assert_scenario_invariants,
    samples_of,
)
from tests.faults.harness import (
    PUBLISHED,
    PostgresCluster,
    Scenario,
    api_headers,
    create_key,
    detail_path,
    sync_path,
)


def clean_restore(cluster: PostgresCluster, dbname: str, dump: Path) -> None:
    """``pg_restore --clean --if-exists`` into the live database."""
    cluster.restore(dbname, dump)


def drop_and_restore(cluster: PostgresCluster, dbname: str, dump: Path) -> None:
    """Drop the database (disconnecting everyone), create it empty, restore into it."""
    cluster.drop_database(dbname)
    cluster.create_database(dbname)
    cluster.restore(dbname, dump, clean=False)


def slugs_of(body: dict) -> set[str]:
    return {change["slug"] for change in body["changes"]}


@pytest.mark.parametrize(
    ("restore", "publish_just_before"),
    [(clean_restore, True), (clean_restore, False), (drop_and_restore, True)],
    ids=["clean-cold-caches", "clean-warm-caches", "drop"],
)
def test_after_a_restore_every_worker_serves_exactly_the_restored_database(
    make_scenario: Callable[..., Scenario],
    pg_cluster: PostgresCluster,
    database: str,
    tmp_path: Path,
    restore: Callable[[PostgresCluster, str, Path], None],
    publish_just_before: bool,
) -> None:
    scenario = make_scenario(workers=4, publish_every=1.5)
    assert scenario.publisher is not None and scenario.timeline is not None
    scenario.run(2.5)
    scenario.publisher.pause()
    dumped_at = time.monotonic()
    dump = pg_cluster.dump(database, tmp_path / "before.dump")
    dumped = scenario.published_in_database(PUBLISHED)
    scenario.publisher.resume()

    # After the dump: more publications, a withdrawal (whose 404s are computed afresh each
    # time: not with warm caches), a new key, a sync token.
    if publish_just_before:
        scenario.withdraw()
    _, late_key = create_key(scenario.direct_url, name="created after the dump")
    assert scenario.fetch(detail_path(PUBLISHED), api_headers(late_key)).status == 200
    scenario.run(3)
    late_token = scenario.sync_token()
    scenario.publisher.pause()
    lost = scenario.published_in_database(PUBLISHED)
    assert lost is not None and dumped is not None and lost[0] > dumped[0]

    if publish_just_before:
        # The workers compute their answers afresh while the restore runs.
        scenario.publish()
    else:
        # Every worker holds its answers: only the bound makes it read the state again.
        scenario.run(0.5)
    with scenario.fault(restore.__name__):
        restore(pg_cluster, database, dump)
    restored = scenario.faults[-1]
    scenario.timeline.restore(at=restored.ended, as_of=dumped_at)
    assert scenario.published_in_database(PUBLISHED) == dumped
    scenario.publisher.resume()
    scenario.run(5)
    # While the restore runs, and a bound after, a worker may show what was published
    # before it or after it; afterwards, only what the restored database has.
    unsettled = [(restored.began, restored.ended + scenario.bound + 0.3)]
    report = scenario.finish(unsettled=unsettled)
    print(report.summary(), report.workers)

    # Nothing stale past the bound: no version published after the dump, and the withdrawal
    # after it.
    odd_404s = assert_scenario_invariants(
        scenario, report, allowed=(200, 404, 503), tolerate=unsettled, at_least=3
    )
    assert_503s_are_problems_with_retry_after(samples_of(scenario))
    after = [change for change in scenario.publisher.changes if change.committed > restored.ended]
    assert after, f"nothing published after the restore: {scenario.publisher.failures}"
    # The key of the dump worked throughout (no 401); the one created after it is gone.
    scenario.every_worker(
        detail_path(PUBLISHED), lambda reply: reply.status == 401, headers=api_headers(late_key)
    )
    # Tokens from before the restore: an initial sync, with "reset".
    initial = scenario.fetch(sync_path()).json()
    assert initial["reset"] is False
    for token in (scenario.token, late_token):
        body = scenario.fetch(sync_path(token)).json()
        assert body["reset"] is True, body
        assert {change["action"] for change in body["changes"]} == {"upsert"}
        assert slugs_of(body) == slugs_of(initial)
    assert scenario.fetch(sync_path(initial["next_token"])).json()["reset"] is False
    # Nothing computed from half-restored tables was served (e.g. a 404 for a published
    # item, a short list, a sync answering "changes": [] with "reset": false).
    assert not report.unsettled_stale, "\n".join(map(str, report.unsettled_stale[:5]))
    assert not odd_404s, sorted({sample.path for sample in odd_404s})
