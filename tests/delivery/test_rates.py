"""Rate limits when the shared cache fails: reads go on, counted per worker, logged once; a
request the server could not answer does not spend the client's budget."""

import logging
import socket
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from content.delivery import rates
from content.models import DeliveryKey

pytestmark = pytest.mark.django_db

URL = "/api/v1/goals/"


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down():
    """The shared cache is a Redis that does not answer (nothing listens on its port)."""
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_timeout": 0.1, "socket_connect_timeout": 0.1},
        }
    }
    with override_settings(CACHES=unreachable):
        yield
    caches["default"].close()


def auth(secret):
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


def test_reads_go_on_while_redis_is_down_counted_per_worker_and_logged_once(
    client, redis_down, caplog
):
    _, secret = DeliveryKey.objects.create_key(name="app", requests_per_minute=5)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="content.delivery.rates"):
        statuses = [client.get(URL, **auth(secret)).status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3  # the limit still holds, within this worker
    assert time.monotonic() - started < 2, "no request waited on the dead cache"
    outage = [r for r in caplog.records if "shared cache does not answer" in r.getMessage()]
    assert len(outage) == 1, "the outage is logged once, not per request"
    assert not [r for r in caplog.records if r.exc_info], "no traceback per request"


def test_counts_kept_during_an_outage_reach_the_shared_cache_when_it_is_back(redis_down):
    worker = rates.RateCounter()
    worker.RETRY_SHARED_AFTER = 0.0  # try the shared cache on every flush
    counts = [worker.hit("key:9", limit=10)[0] for _ in range(3)]
    assert counts == [1, 2, 3]  # counted locally
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        caches["default"].clear()
        assert worker.hit("key:9", limit=10)[0] == 4  # the three it kept, and this one
        key = f"throttle:delivery:key:9:{int(time.time() // rates.RATE_WINDOW)}"
        assert caches["default"].get(key) == 4


def without_the_state_row():
    """Remove the delivery state row, as in the middle of a restore; return how to put it
    back (on PostgreSQL its guard trigger is switched off for this test's transaction)."""
    from content.models import DeliveryState

    state = DeliveryState.objects.get()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE content_deliverystate DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM content_deliverystate")
    return lambda: state.save(force_insert=True)


@override_settings(DELIVERY_ANONYMOUS_RATE="2/min")
def test_a_request_answered_503_does_not_spend_the_budget(client):
    put_back = without_the_state_row()
    unavailable = [client.get(URL) for _ in range(4)]
    assert [r.status_code for r in unavailable] == [503] * 4
    assert unavailable[0]["Retry-After"] == "5"
    put_back()
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
