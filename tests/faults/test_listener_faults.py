"""The LISTEN connection dropped silently (a NAT or load balancer forgetting it: nothing is
closed, nothing arrives): every worker still sees each publication and the withdrawal within
the bound, by reading the generation row, and opens its listener again."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.faults.checks import assert_scenario_invariants, samples_of
from tests.faults.harness import ConnectionInfo, Scenario, TcpProxy, wait_until

LISTENER = "recovery-listener"
MARKER = TcpProxy.application_marker(LISTENER)


def listeners(proxy: TcpProxy, *, after: float = 0.0) -> list[ConnectionInfo]:
    """The open, working LISTEN connections opened after ``after``."""
    return [
        info
        for info in proxy.connections()
        if info.application_name == LISTENER and not info.blackholed and info.opened_at > after
    ]


def test_publications_and_a_withdrawal_reach_every_worker_within_the_bound_after_listen_sockets_go_silent(  # noqa: E501
    make_scenario: Callable[..., Scenario],
) -> None:
    scenario = make_scenario(workers=4)
    scenario.run(2)
    assert len(listeners(scenario.proxy)) == scenario.workers
    with scenario.fault("LISTEN sockets blackholed"):
        assert scenario.proxy.blackhole(MARKER) == scenario.workers
    scenario.run(4)
    scenario.withdraw()
    scenario.run(5)
    report = scenario.finish()
    print(report.summary(), report.workers)

    assert_scenario_invariants(scenario, report, at_least=4)
    # Each worker noticed that its listener missed changes, and opened a new one.
    reopened = listeners(scenario.proxy, after=scenario.faults[-1].began)
    assert len(reopened) == scenario.workers, scenario.proxy.connections()
    assert report.recovery is not None, report.workers


def test_workers_stay_within_the_bound_while_no_listen_connection_can_be_opened(
    make_scenario: Callable[..., Scenario],
) -> None:
    scenario = make_scenario(workers=4)
    scenario.run(2)
    with scenario.fault("LISTEN connections blackholed, new ones too"):
        assert scenario.proxy.blackhole(MARKER, blackhole_new=True) == scenario.workers
        scenario.run(3)
        scenario.withdraw()
        scenario.run(5)
        scenario.proxy.heal()
    # Workers try again after growing pauses (2, 4, 8 ... 30 s): each opens a listener
    # within one pause and a connect timeout of the heal.
    wait_until(
        lambda: len(listeners(scenario.proxy, after=scenario.faults[-1].ended)) == scenario.workers,
        timeout=32 + 2,
        what="every worker listening again",
    )
    reopened = time.monotonic() - scenario.faults[-1].ended
    report = scenario.finish()
    print(report.summary(), report.workers, f"listening again after {reopened:.1f} s")

    assert_scenario_invariants(scenario, report, at_least=4)
    # Keep answering: the attempts to open a listener do not hold up the requests.
    fault = scenario.faults[-1]
    samples = samples_of(scenario)
    before = [s for s in samples if fault.began - 2 <= s.started < fault.began]
    late = [s for s in samples if fault.ended - 3 <= s.started < fault.ended]
    slow = [s for s in samples if s.elapsed > 1.0]
    # (While the listener is down every request reads the table: a query more each.)
    assert len(late) / 3 > len(before) / 2 / 4, (len(before) / 2, len(late) / 3)
    assert len(slow) <= len(samples) / 1000, [(s.path, s.elapsed) for s in slow[:10]]
