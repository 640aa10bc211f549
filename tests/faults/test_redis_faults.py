"""Redis is needed for rate limits only, never to read: killed or frozen, every read is still
answered at once, publications and a withdrawal are still seen within the bound, the outage
is logged once per worker (not per request), and nothing is counted twice."""

from __future__ import annotations

from collections.abc import Callable

from tests.faults.checks import assert_scenario_invariants, samples_of
from tests.faults.harness import (
    PUBLISHED,
    Poller,
    RedisServer,
    Scenario,
    api_headers,
    create_key,
    detail_path,
)

OUTAGE_LINE = "Rate limits: the shared cache does not answer"


def test_reads_go_on_at_once_while_redis_is_killed_and_the_outage_is_logged_once_per_worker(
    make_scenario: Callable[..., Scenario], redis_server: RedisServer
) -> None:
    scenario = make_scenario(workers=4)
    assert scenario.server is not None
    key_id, secret = create_key(scenario.direct_url, requests_per_minute=100_000)
    own_key = Poller(scenario.server.base_url, [detail_path(PUBLISHED)], api_headers(secret))
    with own_key:
        scenario.run(2)
        with scenario.fault("redis killed"):
            redis_server.kill()
            scenario.run(2.5)
            scenario.withdraw()
            scenario.run(2.5)
            redis_server.start()  # empty, on the same port
        # Workers try the shared counter again 5 s after it failed (RETRY_SHARED_AFTER).
        scenario.run(6)
    report = scenario.finish()
    print(report.summary())

    assert_scenario_invariants(scenario, report, at_least=3)
    # Never stuck waiting on Redis: its calls give up after 100 ms.
    assert report.p99 < 0.5 and report.max_latency < 2, report.summary()
    assert set(own_key.counts()) == {200}, own_key.counts()
    logs = scenario.server.logs()
    assert 1 <= logs.count(OUTAGE_LINE) <= scenario.workers, logs[-3000:]
    # What the workers add to the new Redis once they use it again is at most what they
    # answered with the key: no request is counted twice, none that failed is counted.
    client = redis_server.client()
    counted = sum(int(client.get(name) or 0) for name in client.scan_iter(f"*key:{key_id}:*"))
    client.close()
    assert 0 < counted <= len(own_key.samples), (counted, len(own_key.samples))


def test_reads_stay_fast_while_redis_is_frozen(
    make_scenario: Callable[..., Scenario], redis_server: RedisServer
) -> None:
    scenario = make_scenario(workers=4)
    scenario.run(2)
    with scenario.fault("redis frozen"):
        redis_server.freeze()
        scenario.run(3)
        scenario.withdraw()
        scenario.run(3)
        redis_server.thaw()
    scenario.run(3)
    report = scenario.finish()
    print(report.summary())

    assert_scenario_invariants(scenario, report, at_least=3)
    frozen = scenario.faults[-1]
    during = [s.elapsed for s in samples_of(scenario) if frozen.began <= s.started < frozen.ended]
    assert len(during) > 100
    assert max(during) < 1.0, sorted(during)[-5:]
    assert report.p99 < 0.5, report.summary()
    assert scenario.server is not None
    assert 1 <= scenario.server.logs().count(OUTAGE_LINE) <= scenario.workers
