"""Revocation is total: an API key deleted with a queryset delete (as the admin's "Delete
selected" does) or revoked with a queryset update (neither calls ``save()`` or
``delete()`` on the model) gets 401 from every worker within the bound, also when the
workers' LISTEN connections have gone silent and only the bound's re-read can tell them."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.faults.checks import assert_no_server_error
from tests.faults.harness import (
    PUBLISHED,
    Poller,
    Scenario,
    TcpProxy,
    api_headers,
    create_key,
    detail_path,
    django_script,
)

#: Slack for timing: a request sent at t is answered a little after t.
SLACK = 0.3

_DELETE = """
import time
from content.models import DeliveryKey
DeliveryKey.objects.filter(pk=args["id"]).delete()
result = time.monotonic()
"""
_REVOKE = """
import time
from content.models import DeliveryKey
DeliveryKey.objects.filter(pk=args["id"]).update(revoked=True)
result = time.monotonic()
"""


@pytest.mark.parametrize("listen", ["working", "blackholed"])
def test_a_key_deleted_or_revoked_by_a_queryset_gets_401_from_every_worker_within_the_bound(
    make_scenario: Callable[..., Scenario], listen: str
) -> None:
    scenario = make_scenario(workers=4, poll_threads=2, publish_every=None)
    assert scenario.server is not None
    keys = {how: create_key(scenario.direct_url, name=f"to {how}") for how in ("delete", "revoke")}
    pollers = {
        how: Poller(
            scenario.server.base_url, [detail_path(PUBLISHED)], api_headers(secret), threads=3
        )
        for how, (_, secret) in keys.items()
    }
    for poller in pollers.values():
        poller.start()
    scenario.run(1.5)
    if listen == "blackholed":
        marker = TcpProxy.application_marker("recovery-listener")
        assert scenario.proxy.blackhole(marker, blackhole_new=True) == scenario.workers
    done = {
        how: django_script(scenario.direct_url, code, args={"id": keys[how][0]})
        for how, code in (("delete", _DELETE), ("revoke", _REVOKE))
    }
    time.sleep(max(done.values()) + scenario.bound + 1.5 - time.monotonic())
    for poller in pollers.values():
        poller.stop()
    report = scenario.finish()
    workers = scenario.server.request_workers()

    assert_no_server_error(report)
    for how, poller in pollers.items():
        before = [s.status for s in poller.samples if s.started + s.elapsed < done[how] - SLACK]
        late = [s for s in poller.samples if s.started > done[how] + scenario.bound + SLACK]
        assert set(before) == {200}, (how, set(before))
        assert set(poller.counts()) <= {200, 401}, (how, poller.counts())
        assert late and {s.status for s in late} == {401}, (how, poller.counts(since=done[how]))
        answered_by = {workers[s.request_id][0] for s in late if s.request_id in workers}
        assert len(answered_by) >= 2, (how, answered_by)
        last_200 = max(s.started for s in poller.samples if s.status == 200)
        print(how, listen, f"last 200 sent {last_200 - done[how]:.2f} s after the change")
        _, secret = keys[how]
        scenario.every_worker(
            detail_path(PUBLISHED), lambda reply: reply.status == 401, headers=api_headers(secret)
        )
