"""Real servers that tests start in-process, for testing what the project sends out.

- ``WebhookReceiver``: an HTTP server on 127.0.0.1 that stands in for a subscriber's webhook
  endpoint. It records every request (and whether its Standard Webhooks signature verifies
  with any of the receiver's secrets), answers from a script of ``Answer`` objects (status,
  body, headers, delay), and can be stopped and started again on the same port to play a
  subscriber that is down.
- ``free_port()``: a TCP port of 127.0.0.1 that nothing listens on right now.

The receiver is a context manager (the SMTP server is ``tests.smtp_server``)::

    with WebhookReceiver(secret) as receiver:
        receiver.answer(Answer(500), Answer(200))
        ...  # make the project deliver to receiver.url
        first, second = receiver.wait_for(2)
        assert second.verified"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook

__all__ = [
    "Answer",
    "Received",
    "WebhookReceiver",
    "free_port",
]

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --- Webhooks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """How the receiver answers one request: wait ``delay`` seconds, then send ``status`` with
    ``headers`` and ``body`` (Content-Length is always added)."""

    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Received:
    """One request the receiver got, and what it made of the signature.

    ``received_at`` is ``time.monotonic()`` (for measuring intervals between attempts);
    ``received_at_utc`` is the wall-clock time. ``verified_by`` lists the receiver's secrets
    that each verify the request on their own; ``verified_payload`` is the parsed JSON body
    when at least one did, otherwise ``verification_error`` says why none did.
    """

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float
    received_at_utc: datetime
    verified_by: tuple[str | bytes, ...]
    verified_payload: Any
    verification_error: str | None
    answer: Answer

    @property
    def verified(self) -> bool:
        """Whether any of the receiver's secrets verified the request."""
        return bool(self.verified_by)


def _verify(
    secrets: list[str | bytes], body: bytes, headers: dict[str, str]
) -> tuple[tuple[str | bytes, ...], Any, str | None]:
    """Verify a request with each secret: (secrets that verify it, payload, error text)."""
    if not secrets:
        return (), None, "the receiver has no secrets"
    verified_by: list[str | bytes] = []
    payload: Any = None
    errors: list[str] = []
    for secret in secrets:
        try:
            payload = Webhook(secret).verify(body, headers)
        except Exception as error:  # any failure (bad header, bad JSON, bad secret) counts
            text = f"{type(error).__name__}: {error}"
            if text not in errors:
                errors.append(text)
        else:
            verified_by.append(secret)
    if verified_by:
        return tuple(verified_by), payload, None
    return (), None, "; ".join(errors)


class _Handler(BaseHTTPRequestHandler):
    """Records each request with the receiver, then answers as its script says."""

    server: _Server
    timeout = 30  # a client that connects and sends nothing does not hold a thread forever

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: tests read ``receiver.received`` instead."""

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _handle(self) -> None:
        receiver = self.server.receiver
        try:
            body = self._read_body()
            headers: dict[str, str] = {}
            for name, value in self.headers.items():
                name = name.lower()
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
            answer = receiver._record(self.command, self.path, headers, body)
            if answer.delay and receiver._stopping.wait(answer.delay):
                self.close_connection = True  # stopped while waiting: hang up, no answer
                return
            self.send_response(answer.status)
            names = {name.lower() for name in answer.headers}
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if "content-type" not in names:
                self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client gave up (e.g. its timeout): fine

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # start() again on the same port despite TIME_WAIT

    def __init__(self, port: int, receiver: WebhookReceiver) -> None:
        self.receiver = receiver
        super().__init__((HOST, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that hang up; show real errors in the handler."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class WebhookReceiver:
    """A subscriber's webhook endpoint: a real HTTP server on 127.0.0.1.

    ``secrets`` (``whsec_...`` strings or raw bytes) verify the Standard Webhooks signature of
    each request; the list may be replaced or changed while the receiver runs. Requests are
    answered with the answers queued by ``answer()``, one per request, then with ``default``.
    The first ``start()`` picks a free port; later ones reuse it.
    """

    def __init__(
        self, *secrets: str | bytes, path: str = "/hooks", default: Answer | None = None
    ) -> None:
        self.secrets: list[str | bytes] = list(secrets)
        self.path = path
        self.default = default or Answer()
        self.port: int | None = None
        self._lock = threading.Condition()
        self._received: list[Received] = []
        self._answers: deque[Answer] = deque()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # Lifecycle

    def start(self) -> WebhookReceiver:
        """Listen (again): on a free port the first time, on the same port after ``stop()``."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self.port or 0, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"WebhookReceiver:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the port (connections are refused) but keep the records and the script.
        Requests waiting out an ``Answer.delay`` are hung up on without an answer."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        assert self._thread is not None
        self._thread.join(timeout=5)
        self._server = self._thread = None

    @property
    def running(self) -> bool:
        """Whether the port is open."""
        return self._server is not None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # Addresses

    @property
    def url(self) -> str:
        """The webhook URL, e.g. ``http://127.0.0.1:PORT/hooks``."""
        return self.url_for(self.path)

    def url_for(self, path: str) -> str:
        """A URL of this server with another path (for redirects, several endpoints)."""
        if self.port is None:
            raise RuntimeError("the receiver has not been started: no port yet")
        return f"http://{HOST}:{self.port}/{path.lstrip('/')}"

    # Script and records

    def answer(self, *answers: Answer) -> None:
        """Queue answers for the next requests, one each, in order (after those queued
        before); once they are used up, requests get ``default``."""
        with self._lock:
            self._answers.extend(answers)

    @property
    def pending_answers(self) -> int:
        """How many queued answers no request has used yet."""
        with self._lock:
            return len(self._answers)

    @property
    def received(self) -> list[Received]:
        """The requests so far, oldest first (a copy: safe while requests arrive)."""
        with self._lock:
            return list(self._received)

    def clear(self) -> None:
        """Forget the requests so far and any queued answers."""
        with self._lock:
            self._received.clear()
            self._answers.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until at least ``count`` requests have arrived and return them all; raise
        AssertionError saying how many arrived if they do not within ``timeout`` seconds."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._received) >= count, timeout):
                raise AssertionError(
                    f"expected at least {count} webhook request(s) within {timeout}s, "
                    f"{len(self._received)} arrived"
                )
            return list(self._received)

    def _record(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        """Record one request (called by the handler) and return the answer it gets."""
        verified_by, payload, error = _verify(list(self.secrets), body, headers)
        with self._lock:
            answer = self._answers.popleft() if self._answers else self.default
            self._received.append(
                Received(
                    method=method,
                    path=path,
                    headers=headers,
                    body=body,
                    received_at=time.monotonic(),
                    received_at_utc=datetime.now(UTC),
                    verified_by=verified_by,
                    verified_payload=payload,
                    verification_error=error,
                    answer=answer,
                )
            )
            self._lock.notify_all()
        return answer


# --- Email ------------------------------------------------------------------------------------
