"""Knowing, within a bound, whether anything served may have changed; reusing per worker what
was computed for the current generation.

The source of truth is the one-row ``DeliveryState`` table: its ``generation`` grows in the
same transaction as every publication, withdrawal and vocabulary change, its
``keys_generation`` with every change to the API keys, and its epoch (with the table's
identity and the cluster's timeline on PostgreSQL) changes when a backup is restored or a
replica promoted. Every cache key, ETag and sync token carries the epoch.

Each worker re-reads the row at most ``DELIVERY_STALENESS_SECONDS`` (2 s) after it last
confirmed it, whatever happens to its connections; a worker that cannot confirm within
that bound serves nothing from its caches as current: it answers 503 (``FreshnessUnknown``).
On PostgreSQL each worker also LISTENs on a connection of its own (with TCP keepalives), so
it hears of most changes at once; a listener that misses a change the table shows is
dropped and opened again. Elsewhere (SQLite), or while the listener is down, the row is
read on every request.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import select
import time
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock, Thread

import psycopg
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest

from content.models.generations import NOTIFY_CHANNEL, DeliveryState

from .rates import rates

logger = logging.getLogger(__name__)

_STATE = DeliveryState._meta.db_table
#: The guard trigger of the state row is created after the data when a dump is restored
#: (pg_restore's post-data section): while it is missing, the content is half restored.
_STATE_GUARD = f"{_STATE}_monotonic"


class FreshnessUnknown(Exception):
    """This worker cannot confirm, within the bound, what is published now."""


@dataclass(frozen=True)
class Generations:
    """Where the content and the keys stand: ``epoch`` names the run of generations."""

    epoch: str
    content: int
    keys: int

    def advanced(self, content: int, keys: int) -> Generations:
        return Generations(self.epoch, max(self.content, content), max(self.keys, keys))


def _state_sql(vendor: str, *, timeline: bool = True) -> str:
    if vendor != "postgresql":
        return f"SELECT epoch, generation, keys_generation FROM {_STATE} WHERE id = 1"
    # The timeline changes when a replica is promoted or a base backup recovered; where the
    # role may not read it (some hosted services), the table's identity still tells a
    # restored dump apart.
    timeline_sql = "(SELECT timeline_id FROM pg_control_checkpoint())" if timeline else "''"
    return (
        f"SELECT s.epoch || '.' || '{_STATE}'::regclass::oid || '.' || {timeline_sql}, "
        f"s.generation, s.keys_generation FROM {_STATE} s WHERE s.id = 1 AND EXISTS "
        f"(SELECT 1 FROM pg_trigger WHERE tgrelid = '{_STATE}'::regclass "
        f"AND tgname = '{_STATE_GUARD}')"
    )


_TIMELINE_PRIVILEGE_SQL = "SELECT has_function_privilege('pg_control_checkpoint()', 'EXECUTE')"
_timeline_readable: bool | None = None


def _read_state(cursor, vendor: str) -> Generations | None:
    """The generations read with ``cursor``: ``_state_sql``, asking once per process whether
    the role may read the cluster's timeline."""
    global _timeline_readable
    if vendor == "postgresql" and _timeline_readable is None:
        cursor.execute(_TIMELINE_PRIVILEGE_SQL)
        _timeline_readable = bool(cursor.fetchone()[0])
    cursor.execute(_state_sql(vendor, timeline=bool(_timeline_readable)))
    return _generations(cursor.fetchone())


def _generations(row) -> Generations | None:
    """The row read by ``_state_sql``, or None where there is none (a restore under way)."""
    if row is None:
        return None
    epoch = hashlib.blake2b(row[0].encode(), digest_size=6).hexdigest()
    return Generations(epoch, row[1], row[2])


def read_table() -> Generations | None:
    """The generations as committed now, read from the table (one query); None while the
    state row is missing or a restore is under way."""
    with connection.cursor() as cursor:
        return _read_state(cursor, connection.vendor)


class Listener:
    """A worker's own PostgreSQL connection, LISTENing for generation changes.

    PostgreSQL delivers a NOTIFY exactly when the transaction that sent it commits, so
    polling the socket (no round trip) at the start of each request hears every change
    committed before the request arrived, as long as the connection works. A connection can
    also die silently (a NAT or load balancer dropping it): ``Freshness`` notices when the
    table shows a change the listener never heard of, and closes it. While it is down the
    worker reads the table on every request. It connects in a thread of its own, so that no
    request waits on a server that does not answer, and after a failure waits 2, 4, 8 ... up
    to 30 seconds before it tries again.
    """

    APPLICATION_NAME = "recovery-listener"
    MAX_PAUSE = 30.0

    def __init__(self) -> None:
        self._conn = None
        self.heard: Generations | None = None
        self._lock = Lock()  # hands a new connection over from the connecting thread
        self._session = 0  # grows on close: a connection made for an older session is dropped
        self._connecting: Thread | None = None
        self._retry_at = 0.0
        self._failures = 0

    def poll(self) -> Generations | None:
        """What the listener has heard so far, or None if it cannot listen right now."""
        if self._conn is None:
            self._start_connecting()
            return None
        try:
            # A zero-timeout select() is a single syscall; only read when data is waiting.
            if select.select([self._conn.fileno()], [], [], 0)[0]:
                for note in self._conn.notifies(timeout=0):
                    content, keys = (int(part) for part in note.payload.split(":"))
                    self.heard = self.heard.advanced(content, keys)
        except Exception as error:  # the connection broke: fall back until it is back
            logger.warning("Lost the delivery LISTEN connection (%s); reading the table.", error)
            self.close()
            return None
        return self.heard

    def wait(self, timeout: float = 5.0) -> bool:
        """Wait for a connection under way (tests); return whether the listener listens."""
        connecting = self._connecting
        if connecting is not None:
            connecting.join(timeout)
        return self._conn is not None

    def close(self, *, retry_now: bool = False) -> None:
        with self._lock:
            conn, self._conn, self.heard = self._conn, None, None
            self._session += 1
            if retry_now:
                self._retry_at, self._failures = 0.0, 0
        if conn is not None:
            # Closing a broken connection may fail too; it is gone either way.
            with contextlib.suppress(Exception):
                conn.close()

    def _start_connecting(self) -> None:
        running = self._connecting is not None and self._connecting.is_alive()
        if running or time.monotonic() < self._retry_at:
            return
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.update(
            application_name=self.APPLICATION_NAME,
            connect_timeout=max(2, int(settings.DELIVERY_STALENESS_SECONDS)),
            # A dead peer is noticed by the kernel too, not only by Freshness.
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=2,
            keepalives_count=3,
            tcp_user_timeout=10_000,
        )
        self._connecting = Thread(
            target=self._connect, args=(params, self._session), name="delivery-listener"
        )
        self._connecting.daemon = True
        self._connecting.start()

    def _connect(self, params: dict, session: int) -> None:
        conn = None
        try:
            conn = psycopg.connect(**params, autocommit=True)
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            # Read after LISTEN, so that no change can fall between the two.
            heard = _read_state(conn.cursor(), "postgresql")
            if heard is None:
                raise FreshnessUnknown("the delivery state is being restored")
        except Exception as error:
            self._failures += 1
            pause = min(self.MAX_PAUSE, 2.0**self._failures)
            self._retry_at = time.monotonic() + pause
            logger.warning(
                "Cannot LISTEN for delivery changes (%s); reading the table, trying again "
                "in %.0f s.",
                str(error).strip().splitlines()[0] if str(error).strip() else type(error),
                pause,
            )
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
            return
        with self._lock:
            if session == self._session:
                self._conn, self.heard, self._failures = conn, heard, 0
                return
        conn.close()  # closed (or restarted) while this connection was being made


class Freshness:
    """A worker's view of the generations, confirmed against the table within the bound."""

    def __init__(self) -> None:
        self._lock = Lock()
        self.listener = Listener()
        self._known: Generations | None = None
        self._confirmed_at = float("-inf")
        # Generations the table showed that the listener had not heard of, and when.
        self._unheard: tuple[Generations, float] | None = None

    def current(self) -> tuple[Generations, bool]:
        """The generations as committed before now, give or take the bound, and whether they
        were read from the table just now; raises ``FreshnessUnknown`` if they cannot be
        confirmed within the bound."""
        if not _listening():
            return self._read(), True
        bound = settings.DELIVERY_STALENESS_SECONDS
        with self._lock:
            heard = self.listener.poll()
            known = self._known
            if heard is not None and known is not None and heard.epoch == known.epoch:
                known = self._known = known.advanced(heard.content, heard.keys)
            fresh = heard is not None and time.monotonic() - self._confirmed_at <= bound
        if fresh and known is not None:
            return known, False
        return self.confirm(), True

    def confirm(self) -> Generations:
        """Read the generations from the table now, and take them as this worker's view."""
        confirmed_at = time.monotonic()
        table = self._read()
        with self._lock:
            self._check_listener(table, confirmed_at)
            if self._known is None or confirmed_at > self._confirmed_at:
                self._known, self._confirmed_at = table, confirmed_at
            return table

    def forget(self) -> None:
        """Drop what this worker knows (tests, and after a fork)."""
        with self._lock:
            self.listener.close(retry_now=True)
            self._known, self._confirmed_at, self._unheard = None, float("-inf"), None

    @staticmethod
    def _read() -> Generations:
        try:
            found = read_table()
        except DatabaseError as error:
            raise FreshnessUnknown(f"cannot read the delivery state: {error}") from error
        if found is None:
            raise FreshnessUnknown("the delivery state is missing (a restore under way?)")
        return found

    def _check_listener(self, table: Generations, at: float) -> None:
        """Close the listener if it has still not heard of a change the table showed at
        least a bound ago (a notification in flight is not a missed one)."""
        heard = self.listener.heard
        if heard is None:
            return
        if (
            heard.epoch == table.epoch
            and heard.content >= table.content
            and (heard.keys >= table.keys)
        ):
            self._unheard = None
            return
        missed = self._unheard
        if heard.epoch == table.epoch and (
            missed is None or (heard.content >= missed[0].content and heard.keys >= missed[0].keys)
        ):
            self._unheard = (table, at)  # behind now: it has a bound to catch up
            return
        if heard.epoch == table.epoch and at - missed[1] < settings.DELIVERY_STALENESS_SECONDS:
            return
        logger.warning(
            "The delivery LISTEN connection missed a change (heard %s, the table has %s); "
            "opening it again.",
            heard,
            table,
        )
        self.listener.close(retry_now=True)
        self._unheard = None


def _listening() -> bool:
    mode = settings.DELIVERY_FRESHNESS
    return mode == "listen" or (mode == "auto" and connection.vendor == "postgresql")


freshness = Freshness()


def generations(request: HttpRequest) -> Generations:
    """The delivery generations as committed before this request, within the bound
    (memoised on the request); raises ``FreshnessUnknown`` if they cannot be confirmed."""
    found = getattr(request, "_delivery_generations", None)
    if found is None:
        found, request._delivery_read_now = freshness.current()
        request._delivery_generations = found
    return found


def confirm_unchanged(request: HttpRequest) -> None:
    """Make sure what this request computed was read in the epoch its answer is kept under.

    A worker that confirmed the generations a moment ago (within the bound) reads the content
    without reading them again; if a backup was being restored meanwhile, it may have read
    half-restored tables. Call after computing an answer, before keeping it: where the
    generations were not read in this request, read them now, and raise ``FreshnessUnknown``
    if the epoch changed or cannot be read (the answer is neither kept nor served).
    """
    used = generations(request)
    if getattr(request, "_delivery_read_now", True):
        return
    now = freshness.confirm()
    request._delivery_read_now = True
    if now.epoch != used.epoch:
        raise FreshnessUnknown("the content changed epoch while the answer was computed")


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


#: Rendered answers per (epoch, generation, scheme, host, full path): bytes and ETag.
answers = BoundedCache(settings.DELIVERY_ANSWER_CACHE_BYTES)
#: Validated API keys per (epoch, keys generation, key).
keys = BoundedCache(1_000_000)


def restart_worker() -> None:
    """Forget everything this worker keeps between requests, as a restart would."""
    for cache in (answers, keys, rates):
        cache.clear()
    freshness.forget()
