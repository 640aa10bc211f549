"""Counting requests against rate limits: shared across workers in Redis when it answers,
per worker while it does not.

Redis is needed for rate limits only, never to read: every call to it has a short timeout
(``REDIS_TIMEOUT``, 100 ms by default), and once a call fails the worker counts on its own
for ``RETRY_SHARED_AFTER`` seconds before it tries again. The outage is logged once when it
starts and once when it ends, not per request.
"""

from __future__ import annotations

import logging
import time
from functools import cache as once
from threading import Lock

import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

from recovery.clients import client_address

RATE_WINDOW = 60
logger = logging.getLogger(__name__)


class RateCounter:
    """Requests per identity and one-minute window, counted in the shared cache.

    Each worker adds its count to the shared counter (one INCRBY on Redis) every
    ``FLUSH_EVERY`` requests or ``FLUSH_AFTER`` seconds, and on every request once the
    count is within ``EXACT_MARGIN`` of the limit: far from the limit, counting costs no
    round trip; near it, the count is exact across workers and hosts.

    While the shared cache cannot be reached, each worker goes on counting its own requests
    against the limit (so a client may get up to the limit from each worker), and adds them
    to the shared count once it is back, within the same window.
    """

    # Other workers' unflushed requests stay below FLUSH_EVERY each, so with up to
    # EXACT_MARGIN / FLUSH_EVERY + 1 workers (17) every worker is counting exactly before
    # the limit is reached.
    FLUSH_EVERY = 64
    FLUSH_AFTER = 1.0
    EXACT_MARGIN = 1024
    RETRY_SHARED_AFTER = 5.0

    def __init__(self) -> None:
        self._lock = Lock()
        self._window = -1
        self._entries: dict[str, list] = {}  # identity -> [known total, pending, last flush]
        self._shared_down_until = 0.0
        self._outage = False

    def hit(self, identity: str, limit: int) -> tuple[int, float]:
        """Count one request; return the count so far in this window and when it ends."""
        now = time.time()
        window = int(now // RATE_WINDOW)
        with self._lock:
            if window != self._window:
                self._window, self._entries = window, {}
            entry = self._entries.setdefault(identity, [0, 0, 0.0])
            entry[1] += 1
            if (
                limit - (entry[0] + entry[1]) <= self.EXACT_MARGIN
                or entry[1] >= self.FLUSH_EVERY
                or now - entry[2] >= self.FLUSH_AFTER
            ):
                self._flush(f"throttle:delivery:{identity}:{window}", entry, now)
            return entry[0] + entry[1], (window + 1) * RATE_WINDOW

    def refund(self, identity: str) -> None:
        """Take back one request of ``identity`` in this window: it was not answered (a
        dependency failed), so it does not spend the client's budget."""
        with self._lock:
            entry = self._entries.get(identity)
            if entry is not None and int(time.time() // RATE_WINDOW) == self._window:
                entry[1] -= 1

    def _flush(self, key: str, entry: list, now: float) -> None:
        if now < self._shared_down_until:
            return  # counting on our own until it is time to try the shared cache again
        try:
            entry[0] = _add_to_shared(key, entry[1])
        except (redis.RedisError, OSError) as error:
            self._shared_down_until = now + self.RETRY_SHARED_AFTER
            if not self._outage:
                self._outage = True
                logger.warning(
                    "Rate limits: the shared cache does not answer (%s); each worker counts "
                    "on its own until it is back.",
                    error,
                )
            return
        entry[1], entry[2] = 0, now
        if self._outage:
            self._outage = False
            logger.warning("Rate limits: the shared cache answers again.")

    def clear(self) -> None:
        with self._lock:
            self._entries = {}
            self._shared_down_until = 0.0
            self._outage = False


@once
def _redis_client(backend: RedisCache) -> redis.Redis:
    # Django's RedisCache builds a new client object for every call; one per process will do.
    # Its pool carries the timeouts of CACHES["default"]["OPTIONS"] (settings.REDIS_TIMEOUT).
    return backend._cache._lib.Redis(connection_pool=backend._cache._get_connection_pool(True))


def _add_to_shared(key: str, amount: int) -> int:
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        pipe = _redis_client(backend).pipeline(transaction=False)
        total, _ = pipe.incrby(full_key, amount).expire(full_key, RATE_WINDOW + 5).execute()
        return total
    backend.add(key, 0, timeout=RATE_WINDOW + 5)
    try:
        return backend.incr(key, amount)
    except ValueError:  # expired between add() and incr()
        backend.add(key, amount, timeout=RATE_WINDOW + 5)
        return amount


def rate_identity(request: HttpRequest, api_key) -> str:
    """Whose budget a request spends: its API key's, or its client address's."""
    return f"key:{api_key.pk}" if api_key is not None else f"addr:{client_address(request)}"


rates = RateCounter()
