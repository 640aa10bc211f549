"""What apps see during a fault: threads polling the service and recording every answer."""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import urlsplit

HEADERS_OF_INTEREST = ("Retry-After", "Cache-Control", "ETag", "Content-Type")
_poller_numbers = itertools.count(1)


@dataclass(frozen=True)
class Sample:
    """One request of the poller and what came of it."""

    started: float  # time.monotonic() when it was sent
    path: str
    status: int | str  # the HTTP status, or "timeout" or "error"
    elapsed: float  # seconds until the whole answer was read, or until it failed
    headers: dict[str, str] = field(default_factory=dict)  # HEADERS_OF_INTEREST present
    body: Any = None  # a 200's JSON (or what ``extract`` made of it)
    error: str = ""  # the exception's name for "timeout"/"error"; a non-200's body start
    thread: int = 0
    request_id: str = ""  # the X-Request-ID it carried (see Gunicorn.request_workers)
    wall: float = 0.0  # time.time() when it was sent


class Poller:
    """``threads`` threads, each sending GET requests for ``paths`` in turn (each thread
    starting at a different one) to ``base_url`` with ``headers``, over a keep-alive
    connection of its own that is opened again after any error, until stopped.

    Each request has its own ``timeout``; ``interval`` is the pause after each request.
    Every request is recorded as a ``Sample``; the JSON body of a 200 is kept whole, or as
    ``extract(path, body)`` returns it (e.g. just its ``version``). Each request carries an
    ``X-Request-ID`` of its own (``<name>-<thread>-<n>``), which tells which worker answered.
    """

    def __init__(
        self,
        base_url: str,
        paths: Sequence[str],
        headers: Mapping[str, str] | None = None,
        *,
        threads: int = 2,
        timeout: float = 5.0,
        interval: float = 0.0,
        extract: Callable[[str, Any], Any] | None = None,
        name: str | None = None,
    ) -> None:
        """Prepare (nothing is sent until ``start()`` or ``run()``)."""
        self.name = name or f"poller{next(_poller_numbers)}"
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.paths = list(paths)
        self.headers = dict(headers or {})
        self.threads = threads
        self.timeout = timeout
        self.interval = interval
        self.extract = extract
        self.started_at: float | None = None
        self._samples: list[Sample] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start the threads; return at once."""
        if self._workers:
            return
        self._stop.clear()
        self.started_at = time.monotonic()
        self._workers = [
            threading.Thread(target=self._poll, args=(n,), name=f"poller-{n}", daemon=True)
            for n in range(self.threads)
        ]
        for worker in self._workers:
            worker.start()

    def stop(self) -> None:
        """Stop the threads, letting each finish (or time out) its current request."""
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=self.timeout + 5)
        self._workers = []

    def run(self, seconds: float) -> list[Sample]:
        """Poll for ``seconds`` and stop; return every sample so far."""
        self.start()
        self._stop.wait(seconds)
        self.stop()
        return self.samples

    @property
    def samples(self) -> list[Sample]:
        """Every request so far, in the order they ended."""
        with self._lock:
            return list(self._samples)

    def counts(self, since: float | None = None, until: float | None = None) -> Counter[Any]:
        """How many requests ended with each status, of those sent in [since, until)."""
        return Counter(sample.status for sample in self.between(since, until))

    def between(self, since: float | None = None, until: float | None = None) -> list[Sample]:
        """The samples of the requests sent at or after ``since`` and before ``until``
        (``time.monotonic()`` values; None: no bound)."""
        return [
            sample
            for sample in self.samples
            if (since is None or sample.started >= since)
            and (until is None or sample.started < until)
        ]

    def statuses(self, since: float | None = None, until: float | None = None) -> list[Any]:
        """The statuses of the requests sent in [since, until), in the order they ended."""
        return [sample.status for sample in self.between(since, until)]

    def max_latency(self, since: float | None = None, until: float | None = None) -> float:
        """The longest time a request sent in [since, until) took (0 if there was none)."""
        return max((sample.elapsed for sample in self.between(since, until)), default=0.0)

    def _poll(self, number: int) -> None:
        conn: http.client.HTTPConnection | None = None
        turn = number
        while not self._stop.is_set():
            path = self.paths[turn % len(self.paths)]
            turn += 1
            if conn is None:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            sample = self._request(conn, path, number, f"{self.name}-{number}-{turn}")
            with self._lock:
                self._samples.append(sample)
            if isinstance(sample.status, str):  # the connection is in an unknown state
                conn.close()
                conn = None
                self._stop.wait(0.05)  # a refused connection must not spin
            if self.interval:
                self._stop.wait(self.interval)
        if conn is not None:
            conn.close()

    def _request(
        self, conn: http.client.HTTPConnection, path: str, number: int, request_id: str
    ) -> Sample:
        """Send one request on ``conn`` (http.client opens it again after a server closed
        it) and record the outcome."""
        started, wall = time.monotonic(), time.time()
        try:
            conn.request("GET", path, headers={**self.headers, "X-Request-ID": request_id})
            response = conn.getresponse()
            raw = response.read()
        except TimeoutError as exc:
            return Sample(
                started, path, "timeout", time.monotonic() - started,
                error=type(exc).__name__, thread=number, request_id=request_id, wall=wall,
            )  # fmt: skip
        except (OSError, http.client.HTTPException) as exc:
            return Sample(
                started, path, "error", time.monotonic() - started,
                error=type(exc).__name__, thread=number, request_id=request_id, wall=wall,
            )  # fmt: skip
        elapsed = time.monotonic() - started
        headers = {
            name: value
            for name in HEADERS_OF_INTEREST
            if (value := response.getheader(name)) is not None
        }
        body: Any = None
        error = ""
        if response.status == 200 and "json" in (response.getheader("Content-Type") or ""):
            try:
                body = json.loads(raw)
                if self.extract is not None:
                    body = self.extract(path, body)
            except ValueError as exc:
                error = f"bad JSON: {exc}"
        elif response.status != 200:
            error = raw[:300].decode(errors="replace")
        return Sample(
            started, path, response.status, elapsed, headers, body, error, number, request_id,
            wall,
        )  # fmt: skip


def version_of(path: str, body: Any) -> Any:
    """A ``Poller`` extract: the ``version`` of a detail answer (None for other answers)."""
    return body.get("version") if isinstance(body, dict) else None
