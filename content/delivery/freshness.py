"""Knowing, without a round trip, whether anything served may have changed; reusing per
worker what was computed for the current generation; counting requests against rates.

The source of truth is the one-row ``DeliveryState`` table: its ``generation`` grows in the
same transaction as every publication, withdrawal and vocabulary change, its
``keys_generation`` whenever an API key is saved. On PostgreSQL the same transaction sends a
NOTIFY, which PostgreSQL delivers exactly at commit; each worker LISTENs and polls its
socket at the start of a request. Elsewhere (SQLite), or while the listener is down, the
table is read on each request. Either way an answer cached under generation N was computed
after N was committed, and the first request after a withdrawal no longer sees it.
"""

from __future__ import annotations

import logging
import select
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache as once
from threading import Lock

import psycopg
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.models import F
from django.http import HttpRequest

from content.models import DeliveryState

RATE_WINDOW = 60
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Generations:
    content: int
    keys: int


_GENERATIONS_SQL = (
    f"SELECT generation, keys_generation FROM {DeliveryState._meta.db_table} WHERE id = 1"
)


def _generations(row) -> Generations:
    return Generations(*row) if row else Generations(0, 0)


def read_table() -> Generations:
    """The generations as committed now, read from the table (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_GENERATIONS_SQL)
        return _generations(cursor.fetchone())


class Listener:
    """A worker's own PostgreSQL connection, LISTENing for generation changes.

    PostgreSQL delivers a NOTIFY exactly when the transaction that sent it commits, so
    polling the socket (no round trip) at the start of each request sees every change
    committed before the request arrived. While the connection is down the worker reads the
    table on every request instead, and tries to reconnect at most once a second.
    """

    CHANNEL = "delivery_generations"

    def __init__(self) -> None:
        self._lock = Lock()
        self._conn = None
        self._known: Generations | None = None
        self._retry_at = 0.0

    def current(self) -> Generations | None:
        """The generations, or None if this worker cannot listen right now."""
        with self._lock:
            if self._conn is None and not self._connect():
                return None
            try:
                # A zero-timeout select() is a single syscall; only read when data is waiting.
                if not select.select([self._conn.fileno()], [], [], 0)[0]:
                    return self._known
                for note in self._conn.notifies(timeout=0):
                    content, keys = (int(part) for part in note.payload.split(":"))
                    self._known = Generations(
                        max(self._known.content, content), max(self._known.keys, keys)
                    )
            except Exception:  # the connection broke: fall back until it is back
                logger.warning("Lost the delivery LISTEN connection; reading the table.")
                self._close()
                return None
            return self._known

    def _connect(self) -> bool:
        if time.monotonic() < self._retry_at:
            return False
        self._retry_at = time.monotonic() + 1
        try:
            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            params.pop("context", None)
            self._conn = psycopg.connect(**params, autocommit=True)
            self._conn.execute(f"LISTEN {self.CHANNEL}")
            # Read after LISTEN, so that no change can fall between the two.
            self._known = _generations(self._conn.execute(_GENERATIONS_SQL).fetchone())
            return True
        except Exception:
            logger.warning("Cannot LISTEN for delivery changes; reading the table per request.")
            self._close()
            return False

    def _close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


_listener = Listener()


def _listening() -> bool:
    mode = settings.DELIVERY_FRESHNESS
    return mode == "listen" or (mode == "auto" and connection.vendor == "postgresql")


def generations(request: HttpRequest) -> Generations:
    """The delivery generations as committed before this request (memoised on the request)."""
    found = getattr(request, "_delivery_generations", None)
    if found is None:
        found = (_listener.current() if _listening() else None) or read_table()
        request._delivery_generations = found
    return found


def bump_generation(*, keys: bool = False) -> int:
    """Say that what the API serves (or, with ``keys``, who may read it) has changed; return
    the new generation.

    Call inside the transaction that makes the change: the row update and the notification
    both take effect when it commits, and not at all if it rolls back. The update locks the
    row until then, so generations commit in the order they are given out.
    """
    field = "keys_generation" if keys else "generation"
    DeliveryState.objects.get_or_create(pk=1)
    DeliveryState.objects.filter(pk=1).update(**{field: F(field) + 1})
    generation = DeliveryState.objects.filter(pk=1).values_list(field, flat=True).get()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pg_notify(%s, generation || ':' || keys_generation) "
                f"FROM {DeliveryState._meta.db_table} WHERE id = 1",
                [Listener.CHANNEL],
            )
    return generation


class RateCounter:
    """Requests per identity and one-minute window, counted in the shared cache.

    Each worker adds its count to the shared counter (one INCRBY on Redis) every
    ``FLUSH_EVERY`` requests or ``FLUSH_AFTER`` seconds, and on every request once the
    count is within ``EXACT_MARGIN`` of the limit: far from the limit, counting costs no
    round trip; near it, the count is exact across workers and hosts.
    """

    # Other workers' unflushed requests stay below FLUSH_EVERY each, so with up to
    # EXACT_MARGIN / FLUSH_EVERY + 1 workers (17) every worker is counting exactly before
    # the limit is reached.
    FLUSH_EVERY = 64
    FLUSH_AFTER = 1.0
    EXACT_MARGIN = 1024

    def __init__(self) -> None:
        self._lock = Lock()
        self._window = -1
        self._entries: dict[str, list] = {}  # identity -> [known total, pending, last flush]

    def hit(self, identity: str, limit: int) -> tuple[int, float]:
        """Count one request; return the count so far in this window and when it ends."""
        now = time.time()
        window = int(now // RATE_WINDOW)
        with self._lock:
            if window != self._window:
                self._window, self._entries = window, {}
            entry = self._entries.setdefault(identity, [0, 0, 0.0])
            entry[1] += 1
            estimate = entry[0] + entry[1]
            if (
                limit - estimate <= self.EXACT_MARGIN
                or entry[1] >= self.FLUSH_EVERY
                or now - entry[2] >= self.FLUSH_AFTER
            ):
                entry[0] = _add_to_shared(f"throttle:delivery:{identity}:{window}", entry[1])
                entry[1], entry[2] = 0, now
                estimate = entry[0]
        return estimate, (window + 1) * RATE_WINDOW

    def clear(self) -> None:
        with self._lock:
            self._entries = {}


@once
def _redis_client(backend: RedisCache) -> redis.Redis:
    # Django's RedisCache builds a new client object for every call; one per process will do.
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
    """Whose budget a request spends: its API key's, or its address's."""
    return (
        f"key:{api_key.pk}"
        if api_key is not None
        else f"addr:{request.META.get('REMOTE_ADDR', '')}"
    )


rates = RateCounter()


class BoundedCache:
    """A per-process LRU mapping, bounded by the total size of its values in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[object, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value, size: int) -> None:
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


#: Rendered answers per (generation, scheme, host, full path): bytes and ETag.
answers = BoundedCache(settings.DELIVERY_ANSWER_CACHE_BYTES)
#: Validated API keys per (keys generation, key).
keys = BoundedCache(1_000_000)
