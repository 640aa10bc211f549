"""Atomic counters in the shared cache, for rate limits that hold across workers and hosts."""

from __future__ import annotations

from functools import cache as once

import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


@once
def _redis_client(backend: RedisCache) -> redis.Redis:
    # Django's RedisCache builds a new client object for every call; one per process will do.
    return backend._cache._lib.Redis(connection_pool=backend._cache._get_connection_pool(True))


def increment(key: str, *, ttl: int) -> int:
    """Add one to the counter ``key`` (created with a lifetime of ``ttl`` seconds); return it.

    On Redis this is a single INCR (plus an EXPIRE when the counter is new), one round trip
    where Django's generic ``add`` + ``incr`` takes three.
    """
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        client = _redis_client(backend)
        count = client.incr(full_key)
        if count == 1:
            client.expire(full_key, ttl)
        return count
    backend.add(key, 0, timeout=ttl)
    try:
        return backend.incr(key)
    except ValueError:  # expired between add() and incr()
        backend.add(key, 1, timeout=ttl)
        return 1
