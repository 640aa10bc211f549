"""Knowing, in one small query per request, whether anything served may have changed; and
reusing per worker what was computed for the current generation.

Correctness first: the generation is read from the database inside the request, after the
writer's transaction has committed, so an answer cached for generation N was computed from
exactly the data of generation N. A withdrawal bumps the generation in its own transaction:
the very next request misses the cache and sees the content gone.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from content.models import DeliveryState


@dataclass(frozen=True)
class Generations:
    content: int
    keys: int


def generations(request: HttpRequest) -> Generations:
    """The delivery generations, read once per request (memoised on the request)."""
    cached = getattr(request, "_delivery_generations", None)
    if cached is None:
        table = DeliveryState._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT generation, keys_generation FROM {table} WHERE id = 1")
            row = cursor.fetchone()
        cached = Generations(*row) if row else Generations(0, 0)
        request._delivery_generations = cached
    return cached


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
