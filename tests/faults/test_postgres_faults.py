"""PostgreSQL restarted or stopped under the workers: never a 500; while it is down a worker
answers from what it confirmed within the bound, then 503 problem+json with Retry-After;
once it is back every worker answers fresh at once, and nothing published is lost."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.faults.checks import (
    assert_503s_are_problems_with_retry_after,
    assert_cache_control_bridges_outages,
    assert_scenario_invariants,
    samples_of,
)
from tests.faults.harness import (
    PUBLISHED,
    Poller,
    PostgresCluster,
    Scenario,
    api_headers,
    create_key,
    detail_path,
)

#: Slack for timing: a request sent at t is answered a little after t.
SLACK = 0.5


def test_a_postgres_restart_costs_no_500_and_every_worker_answers_fresh_after_it(
    make_scenario: Callable[..., Scenario], pg_cluster: PostgresCluster
) -> None:
    scenario = make_scenario(workers=4)
    scenario.run(2.5)
    with scenario.fault("postgres restarted"):
        pg_cluster.restart()
    scenario.run(2)
    scenario.withdraw()
    scenario.run(3)
    report = scenario.finish()
    print(report.summary(), report.workers)

    restart = scenario.faults[-1]
    assert_scenario_invariants(scenario, report, allowed=(200, 404, 503), at_least=2)
    after = [sample for sample in samples_of(scenario) if sample.started >= restart.ended]
    assert {sample.status for sample in after} <= {200, 404}, "a 503 after the restart"
    assert_503s_are_problems_with_retry_after(samples_of(scenario))
    assert report.recovery is not None and report.recovery < 1.0, report.workers


def test_postgres_stopped_for_8_s_gives_503s_with_retry_after_never_a_500(
    make_scenario: Callable[..., Scenario], pg_cluster: PostgresCluster
) -> None:
    scenario = make_scenario(workers=4)
    assert scenario.server is not None
    # A key with a small budget, used only while PostgreSQL is down: a request answered 503
    # must not spend it.
    _, secret = create_key(scenario.direct_url, requests_per_minute=60)
    scenario.run(2.5)
    budget = Poller(scenario.server.base_url, [detail_path(PUBLISHED)], api_headers(secret))
    with scenario.fault("postgres stopped"):
        pg_cluster.stop()
        down = time.monotonic()
        scenario.run(scenario.bound + SLACK)
        with budget:
            scenario.run(8 - scenario.bound - SLACK)
        pg_cluster.start()
    scenario.run(2)
    scenario.withdraw()
    scenario.run(3)
    report = scenario.finish()
    print(report.summary(), report.workers)

    stop = scenario.faults[-1]
    samples = samples_of(scenario)
    assert_scenario_invariants(scenario, report, allowed=(200, 404, 503), at_least=2)
    unavailable = assert_503s_are_problems_with_retry_after(samples)
    assert unavailable > 50, report.summary()
    assert_cache_control_bridges_outages(samples)
    # Answers the worker holds are served while it confirmed them within the bound; past it,
    # nothing is served as current.
    unconfirmed = [
        sample
        for sample in samples
        if down + scenario.bound + SLACK <= sample.started < stop.ended - SLACK
    ]
    assert unconfirmed and {sample.status for sample in unconfirmed} == {503}
    assert scenario.publisher is not None and scenario.publisher.failures, "none failed?"
    assert report.recovery is not None and report.recovery < 1.5, report.workers
    # Not one of the 503s was counted against the small budget.
    assert set(budget.counts()) == {503}, budget.counts()
    assert len(budget.samples) > 60
    scenario.every_worker(
        detail_path(PUBLISHED), lambda reply: reply.status == 200, headers=api_headers(secret)
    )
