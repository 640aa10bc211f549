"""PostgreSQL stops answering without closing anything: the path to it goes silent (a proxy
or balancer in front of it stops forwarding: every connection, open or new, gets nothing
back) or the server freezes (SIGSTOP; a server stuck on its disk). In both the peer's kernel
still accepts and acknowledges, so neither TCP keepalives nor tcp_user_timeout notice. A
worker that cannot confirm what is published within the bound must answer 503 rather than
wait, and once the server answers again every worker answers fresh; connections that went
silent are never trusted again."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.faults.checks import (
    assert_503s_are_problems_with_retry_after,
    assert_every_publication_served,
    assert_no_server_error,
    assert_nothing_stale_past_the_bound,
    samples_of,
)
from tests.faults.harness import PostgresCluster, Scenario

#: How long a request may wait on PostgreSQL (``REQUEST_DEADLINE_SECONDS``), set short here.
DEADLINE = 3
#: The longest a request may take while the database does not answer: the deadline, or
#: libpq's connect timeout (the settings' 5 s) for a new connection, and a margin.
PATIENCE = DEADLINE + 5 + 1.0
SILENCE = 14.0


def proxy_stalls(scenario: Scenario, cluster: PostgresCluster) -> None:
    assert scenario.proxy.blackhole(None, blackhole_new=True) >= scenario.workers
    scenario.run(SILENCE)
    scenario.proxy.heal()  # new connections get through; the silent ones stay dead


def postgres_freezes(scenario: Scenario, cluster: PostgresCluster) -> None:
    cluster.freeze()
    scenario.run(SILENCE)
    cluster.thaw()


@pytest.mark.parametrize("silence", [proxy_stalls, postgres_freezes], ids=["proxy", "frozen"])
def test_postgres_going_silent_gives_503s_within_the_bound_not_hung_workers(
    make_scenario: Callable[..., Scenario],
    pg_cluster: PostgresCluster,
    silence: Callable[[Scenario, PostgresCluster], None],
) -> None:
    scenario = make_scenario(
        workers=4, env={"REQUEST_DEADLINE_SECONDS": DEADLINE}, poll_timeout=PATIENCE + 5
    )
    assert scenario.publisher is not None
    scenario.run(2)
    scenario.publisher.pause()  # the editor waits too; the harness's own connection is direct
    with scenario.fault(silence.__name__):
        silence(scenario, pg_cluster)
    scenario.publisher.resume()
    scenario.run(scenario.bound + 5)
    report = scenario.finish()
    print(report.summary(), report.workers)

    quiet = scenario.faults[-1]
    samples = samples_of(scenario)
    hung = [s for s in samples if isinstance(s.status, str) or s.elapsed > PATIENCE]
    after = [s for s in samples if s.started > quiet.ended + scenario.bound]
    # No worker hangs on the silent connection: the request deadline shuts it down and the
    # request is answered 503; once the server answers again every worker answers fresh.
    assert not hung, [(s.path, s.status, round(s.elapsed, 1)) for s in hung[:10]]
    assert after and report.recovery is not None, report.summary()
    assert_no_server_error(report, allowed=(200, 404, 503))
    assert_503s_are_problems_with_retry_after(samples)
    assert_nothing_stale_past_the_bound(report)
    assert_every_publication_served(scenario, at_least=2)
