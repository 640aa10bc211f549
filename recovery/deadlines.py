"""A deadline for every request's database work: a request never waits on a silent network.

A PostgreSQL connection whose peer vanished without a word (a network partition, a NAT or
firewall dropping its state) leaves a query waiting for an answer that never comes: libpq
has no query timeout of its own, and TCP notices only after the kernel's timeouts (a
userspace proxy or balancer in between may acknowledge everything and forward nothing).
Past ``REQUEST_DEADLINE_SECONDS`` a watchdog thread shuts the socket of the request's
database connection down; the query fails at once, Django drops the connection, and the
request is answered 503 (``content.delivery.problems``) instead of hanging until the worker
is killed.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)


class Watchdog:
    """Shuts down the database sockets of requests that pass their deadline."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._requests: dict[int, tuple[float, object]] = {}  # thread id -> (deadline, wrapper)
        self._thread: threading.Thread | None = None

    def watch(self, deadline: float, wrapper) -> int:
        """Watch ``wrapper`` (a DatabaseWrapper) until ``deadline``; return a ticket."""
        ticket = threading.get_ident()
        with self._lock:
            self._requests[ticket] = (deadline, wrapper)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="request-deadlines")
                self._thread.daemon = True
                self._thread.start()
            if len(self._requests) == 1:  # the watchdog slept with nothing to watch
                self._lock.notify()
        return ticket

    def release(self, ticket: int) -> None:
        with self._lock:
            self._requests.pop(ticket, None)

    def _run(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                for ticket, (deadline, wrapper) in list(self._requests.items()):
                    if deadline <= now:
                        del self._requests[ticket]
                        _shut_down(wrapper)
                waits = [deadline - now for deadline, _ in self._requests.values()]
                self._lock.wait(timeout=min(waits, default=60.0))


def _shut_down(wrapper) -> None:
    """Shut the socket of ``wrapper``'s connection down (both ways): a query waiting on it
    fails at once. The connection is then unusable, and Django replaces it."""
    conn = getattr(wrapper, "connection", None)
    if conn is None:
        return
    try:
        with socket.fromfd(conn.fileno(), socket.AF_INET, socket.SOCK_STREAM) as dup:
            dup.shutdown(socket.SHUT_RDWR)
    except Exception as error:  # closed meanwhile, or not a socket: nothing is waiting on it
        logger.debug("No database socket to shut down: %s", error)
        return
    logger.warning(
        "A request passed its %.0f s deadline waiting on the database; its connection was "
        "shut down.",
        settings.REQUEST_DEADLINE_SECONDS,
    )


watchdog = Watchdog()


class RequestDeadlineMiddleware:
    """Gives each request ``REQUEST_DEADLINE_SECONDS`` to finish its PostgreSQL work."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wrapper = connections["default"]
        if wrapper.vendor != "postgresql" or not settings.REQUEST_DEADLINE_SECONDS:
            return self.get_response(request)
        ticket = watchdog.watch(time.monotonic() + settings.REQUEST_DEADLINE_SECONDS, wrapper)
        try:
            return self.get_response(request)
        finally:
            watchdog.release(ticket)
