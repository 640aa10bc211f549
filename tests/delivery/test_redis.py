"""The Redis path of freshness and rate limits: what production runs with REDIS_URL set."""

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from content.delivery import rates
from content.models import DeliveryKey

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_reachable() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_reachable(), reason=f"needs Redis at {REDIS_URL}"),
]


@pytest.fixture(autouse=True)
def redis_cache():
    settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    with override_settings(CACHES=settings):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


def test_the_rate_limit_holds_in_redis(client):
    _, secret = DeliveryKey.objects.create_key(name="app", requests_per_minute=2)
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}
    assert [client.get("/api/v1/goals/", **auth).status_code for _ in range(3)] == [200, 200, 429]


def test_far_from_the_limit_workers_add_their_counts_in_batches(redis_cache):
    worker = rates.RateCounter()
    worker.FLUSH_AFTER = 3600  # only the batch size triggers a flush here
    batch = rates.RateCounter.FLUSH_EVERY
    shared = rates._redis_client(redis_cache)

    def shared_count():
        (key,) = shared.keys("*throttle:delivery:key:1:*")
        return int(shared.get(key))

    # The first request learns the shared count; the next ones are added in one batch.
    counts = [worker.hit("key:1", limit=10_000)[0] for _ in range(batch)]
    assert shared_count() == 1
    counts.append(worker.hit("key:1", limit=10_000)[0])
    assert shared_count() == batch + 1
    assert counts == list(range(1, batch + 2))


def test_near_the_limit_two_workers_never_admit_more_than_the_limit_together(redis_cache):
    first, second = rates.RateCounter(), rates.RateCounter()
    admitted = 0
    for n in range(40):
        worker = first if n % 2 else second
        count, _ = worker.hit("key:7", limit=25)
        admitted += count <= 25
    assert admitted == 25


def test_a_revocation_is_served_at_once(client):
    api_key, secret = DeliveryKey.objects.create_key(name="app")
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}
    assert client.get("/api/v1/goals/", **auth).status_code == 200
    api_key.revoked = True
    api_key.save()
    assert client.get("/api/v1/goals/", **auth).status_code == 401
