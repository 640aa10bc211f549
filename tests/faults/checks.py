"""What every fault scenario must show, stated once: no 500 and no failed connection, 503s
that say when to come back, nothing staler than the bound, and every publication served
afterwards."""

from __future__ import annotations

from collections.abc import Iterable

from tests.faults.harness import WITHDRAWN, Report, Sample, Scenario, detail_path

PROBLEM_JSON = "application/problem+json"


def samples_of(scenario: Scenario) -> list[Sample]:
    assert scenario.poller is not None
    return scenario.poller.samples


def assert_no_server_error(report: Report, *, allowed: Iterable[int] = (200, 404)) -> None:
    """No 500 (nor any status but ``allowed``), no connection error or timeout."""
    unexpected = {status: n for status, n in report.statuses.items() if status not in allowed}
    assert not unexpected, f"unexpected answers {unexpected} of {report.summary()}"


def assert_404_only_for_the_withdrawn_item(
    scenario: Scenario, *, tolerate: Iterable[tuple[float, float]] = ()
) -> list[Sample]:
    """A 404 only ever answers the detail of the withdrawn item, except in the ``tolerate``
    periods; return the other 404s sent in those."""
    periods = list(tolerate)
    wrong = [
        sample
        for sample in samples_of(scenario)
        if sample.status == 404 and sample.path != detail_path(WITHDRAWN)
    ]
    tolerated = [s for s in wrong if any(b <= s.started < e for b, e in periods)]
    assert len(wrong) == len(tolerated), {sample.path for sample in wrong}
    return tolerated


def assert_503s_are_problems_with_retry_after(samples: Iterable[Sample]) -> int:
    """Every 503 is problem+json with Retry-After and Cache-Control: no-store; return how
    many there were."""
    unavailable = [sample for sample in samples if sample.status == 503]
    for sample in unavailable:
        assert sample.headers.get("Content-Type", "").startswith(PROBLEM_JSON), sample
        assert int(sample.headers["Retry-After"]) > 0, sample
        assert "no-store" in sample.headers.get("Cache-Control", ""), sample
    return len(unavailable)


def assert_nothing_stale_past_the_bound(report: Report) -> None:
    """Every answer showed each item as the database had it at most the bound (and a little
    slack for measuring) before the answer was asked for."""
    assert report.stale == [], f"{len(report.stale)} stale answers, e.g.:\n" + "\n".join(
        map(str, report.stale[:8])
    )


def assert_every_publication_served(scenario: Scenario, *, at_least: int = 1) -> None:
    """The publisher published at least ``at_least`` versions, and every worker now serves
    what the database has (the latest of them), and the withdrawal."""
    assert scenario.publisher is not None
    assert len(scenario.publisher.changes) >= at_least, scenario.publisher.failures
    scenario.every_worker_serves_the_database()


def assert_cache_control_bridges_outages(samples: Iterable[Sample]) -> None:
    """Every 200 lets a CDN bridge an outage and a slow revalidation."""
    for sample in samples:
        if sample.status == 200:
            control = sample.headers.get("Cache-Control", "")
            assert "stale-if-error" in control and "stale-while-revalidate" in control, control
            return
    raise AssertionError("no 200 at all")


def assert_scenario_invariants(
    scenario: Scenario,
    report: Report,
    *,
    at_least: int,
    allowed: Iterable[int] = (200, 404),
    tolerate: Iterable[tuple[float, float]] = (),
) -> list[Sample]:
    """What a scenario with a withdrawal must show however the fault went: no answer but
    ``allowed`` (no 500), a 404 only for the withdrawn item (outside the ``tolerate``
    periods), nothing staler than the bound, and at least ``at_least`` publications, every
    one now served by every worker. Return the other 404s sent in the ``tolerate`` periods."""
    assert_no_server_error(report, allowed=allowed)
    tolerated = assert_404_only_for_the_withdrawn_item(scenario, tolerate=tolerate)
    assert_nothing_stale_past_the_bound(report)
    assert_every_publication_served(scenario, at_least=at_least)
    return tolerated
