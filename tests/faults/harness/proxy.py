"""A TCP proxy between the application and a server, which can drop connections silently
(as a NAT forgetting a mapping does), let new ones through again, or cut them all."""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import threading
from collections.abc import Callable
from typing import Any, Self
from urllib.parse import urlsplit, urlunsplit

from .processes import HarnessError
from .proxy_links import ConnectionInfo, Link

_EVERYTHING = object()  # the blackhole_new rule that takes every new connection


class TcpProxy:
    """A TCP proxy in this process (one thread, selectors): it listens on a free port of
    127.0.0.1 and forwards each connection to ``target_host:target_port``.

    It models a NAT or load balancer between the application and a server. ``blackhole()``
    silently stops forwarding on open connections, in both directions, without closing or
    sending anything (as when a NAT forgets a mapping: neither side learns of it); ``heal()``
    lets new connections through again while the blackholed ones stay dead; ``cut()`` closes
    every connection abruptly (RST to both sides). Connections are recognised by a marker in
    the first ``FIRST_BYTES`` bytes the client sent, e.g. a PostgreSQL client's
    ``application_name`` (in clear when the URL has ``sslmode=disable``, or after the server
    declined SSL; see ``application_marker``).

    The proxy's own sockets stay open, so its kernel still acknowledges what reaches it:
    TCP keepalives on either end, and ``tcp_user_timeout``, do not notice a blackhole (a
    psycopg connection with 1 s keepalives and a 2 s user timeout still waits after 8 s).
    Only timeouts above TCP do, e.g. a query with a deadline.
    """

    FIRST_BYTES = 1024
    CHUNK = 65536

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        """Make the proxy (call ``start()`` to listen)."""
        self.target = (target_host, target_port)
        self.port = 0
        self._links: dict[int, Link] = {}
        self._next_id = 1
        self._new_rule: object = None  # None, _EVERYTHING or a marker (bytes)
        self._commands: list[tuple[Callable[[], Any], list[Any], threading.Event]] = []
        self._commands_lock = threading.Lock()
        self._selector = selectors.DefaultSelector()
        self._events: dict[socket.socket, int] = {}
        self._listener: socket.socket | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._crash: BaseException | None = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<TcpProxy 127.0.0.1:{self.port} -> {self.target[0]}:{self.target[1]}>"

    @staticmethod
    def application_marker(application_name: str) -> bytes:
        """The marker of PostgreSQL connections whose application_name is this one."""
        return b"application_name\x00" + application_name.encode() + b"\x00"

    def url_for(self, url: str) -> str:
        """``url`` (e.g. a PostgreSQL or Redis URL of the target) with its host and port
        replaced by the proxy's, so that its clients connect through the proxy."""
        parts = urlsplit(url)
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@127.0.0.1:{self.port}" if userinfo else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    def start(self) -> None:
        """Listen on a free port of 127.0.0.1 (``port``) and start forwarding."""
        if self._thread is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        listener.setblocking(False)
        self._listener, self.port = listener, listener.getsockname()[1]
        self._selector.register(listener, selectors.EVENT_READ, None)
        self._wake_r.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._thread = threading.Thread(target=self._loop, name=repr(self), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close the listener and every connection, and end the proxy's thread."""
        if self._thread is None:
            return
        self._stopping = True
        self._wake()
        self._thread.join(timeout=10)
        self._thread = None

    def blackhole(self, marker: bytes | None = None, *, blackhole_new: bool = False) -> int:
        """Stop forwarding, silently and for good, on the open connections whose first bytes
        from the client contain ``marker`` (None: on every open connection); return how many
        were taken. With ``blackhole_new``, connections opened later are taken too: at once
        (no ``marker``) or as soon as their first bytes contain ``marker`` (those bytes are
        not forwarded), until ``heal()``."""

        def apply() -> int:
            taken = 0
            for link in list(self._links.values()):
                chosen = marker is None or marker in link.first_bytes
                if link.open and not link.blackholed and chosen:
                    self._blackhole(link)
                    taken += 1
            if blackhole_new:
                self._new_rule = _EVERYTHING if marker is None else marker
            return taken

        return self._call(apply)

    def heal(self) -> None:
        """Forward new connections normally again. Blackholed connections stay dead, as
        after a NAT dropped their mapping."""

        def apply() -> None:
            self._new_rule = None
            for link in self._links.values():
                link.watch = None

        self._call(apply)

    def cut(self) -> int:
        """Close every open connection abruptly (a reset to both sides), blackholed ones
        included; return how many were open."""

        def apply() -> int:
            links = [link for link in self._links.values() if link.open]
            for link in links:
                self._close(link, abort=True)
            return len(links)

        return self._call(apply)

    def connections(self, *, include_closed: bool = False) -> list[ConnectionInfo]:
        """The open connections (with ``include_closed``, every one since the start), oldest
        first."""

        def apply() -> list[ConnectionInfo]:
            return [link.info() for link in self._links.values() if include_closed or link.open]

        return self._call(apply)

    # The proxy's thread

    def _call(self, action: Callable[[], Any]) -> Any:
        """Run ``action`` in the proxy's thread (where all its state lives) and return its
        result; directly if the proxy is not running."""
        if self._crash is not None:
            raise HarnessError(f"{self!r} stopped on an error: {self._crash!r}")
        if self._thread is None or not self._thread.is_alive():
            return action()
        done, box = threading.Event(), []
        with self._commands_lock:
            self._commands.append((action, box, done))
        self._wake()
        if not done.wait(timeout=10):
            raise HarnessError(f"{self!r} did not answer within 10 s")
        if isinstance(box[0], BaseException):
            raise box[0]
        return box[0]

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send(b"\0")

    def _loop(self) -> None:
        try:
            while not self._stopping:
                for key, mask in self._selector.select(timeout=1.0):
                    if key.fileobj is self._listener:
                        self._accept()
                    elif key.fileobj is self._wake_r:
                        with contextlib.suppress(OSError):
                            self._wake_r.recv(4096)
                    else:
                        self._service(key.data, key.fileobj, mask)  # type: ignore[arg-type]
                self._run_commands()
        except BaseException as exc:  # a bug here: make the next call say so
            self._crash = exc
            raise
        finally:
            for link in list(self._links.values()):
                if link.open:
                    self._close(link, abort=False)
            self._run_commands()
            self._selector.close()
            if self._listener is not None:
                self._listener.close()
            self._wake_r.close()
            self._wake_w.close()

    def _run_commands(self) -> None:
        with self._commands_lock:
            commands, self._commands = self._commands, []
        for action, box, done in commands:
            try:
                box.append(action())
            except Exception as exc:
                box.append(exc)
            done.set()

    def _accept(self) -> None:
        assert self._listener is not None
        try:
            client, address = self._listener.accept()
        except BlockingIOError:
            return
        client.setblocking(False)
        link = Link(id=self._next_id, client=client, upstream=None, client_port=address[1])
        self._next_id += 1
        self._links[link.id] = link
        if self._new_rule is _EVERYTHING:  # taken before it reaches the target
            link.blackholed = True
            return
        if isinstance(self._new_rule, bytes):
            link.watch = self._new_rule
        try:
            upstream = socket.create_connection(self.target, timeout=2)
        except OSError:  # the target is down: refuse as it would
            self._close(link, abort=True)
            return
        upstream.setblocking(False)
        link.upstream = upstream
        self._update(link)

    def _service(self, link: Link, sock: socket.socket, mask: int) -> None:
        if not link.open or link.blackholed:
            return
        from_client = sock is link.client
        try:
            if mask & selectors.EVENT_WRITE:
                self._flush(link, to_client=from_client)
            if mask & selectors.EVENT_READ:
                self._read(link, from_client=from_client)
        except OSError:
            self._close(link, abort=True)
            return
        if link.open and not link.blackholed:
            if link.client_eof and link.upstream_eof and not (link.to_client or link.to_upstream):
                self._close(link, abort=False)
            else:
                self._update(link)

    def _read(self, link: Link, *, from_client: bool) -> None:
        source = link.client if from_client else link.upstream
        assert source is not None
        data = source.recv(self.CHUNK)
        if from_client:
            if not data:
                link.client_eof = True
                self._flush(link, to_client=False)
                return
            link.bytes_up += len(data)
            if len(link.first_bytes) < self.FIRST_BYTES:
                link.first_bytes += data[: self.FIRST_BYTES - len(link.first_bytes)]
                if link.watch is not None and link.watch in link.first_bytes:
                    self._blackhole(link)
                    return
            link.to_upstream += data
            self._flush(link, to_client=False)
        else:
            if not data:
                link.upstream_eof = True
                self._flush(link, to_client=True)
                return
            link.bytes_down += len(data)
            link.to_client += data
            self._flush(link, to_client=True)

    def _flush(self, link: Link, *, to_client: bool) -> None:
        """Send what is pending towards one side; once the other side ended and all of it
        is sent, pass the end on (half-close)."""
        target = link.client if to_client else link.upstream
        pending = link.to_client if to_client else link.to_upstream
        ended = link.upstream_eof if to_client else link.client_eof
        assert target is not None
        if pending:
            try:
                sent = target.send(pending)
            except BlockingIOError:
                sent = 0
            del pending[:sent]
        if ended and not pending:
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_WR)

    def _update(self, link: Link) -> None:
        """Register each socket of ``link`` for what it needs now: reading while its side has
        not ended and little is pending the other way, writing while something is pending."""
        if link.upstream is None:
            return
        wanted = {
            link.client: (
                (0 if link.client_eof or len(link.to_upstream) > self.CHUNK else 1)
                | (2 if link.to_client else 0)
            ),
            link.upstream: (
                (0 if link.upstream_eof or len(link.to_client) > self.CHUNK else 1)
                | (2 if link.to_upstream else 0)
            ),
        }
        for sock, bits in wanted.items():
            events = (selectors.EVENT_READ if bits & 1 else 0) | (
                selectors.EVENT_WRITE if bits & 2 else 0
            )
            self._register(sock, events, link)

    def _register(self, sock: socket.socket, events: int, link: Link | None) -> None:
        current = self._events.get(sock, 0)
        if events == current:
            return
        if not events:
            self._selector.unregister(sock)
            del self._events[sock]
        elif not current:
            self._selector.register(sock, events, link)
            self._events[sock] = events
        else:
            self._selector.modify(sock, events, link)
            self._events[sock] = events

    def _blackhole(self, link: Link) -> None:
        """Stop reading and writing on both sockets of ``link``; keep them open."""
        link.blackholed = True
        for sock in (link.client, link.upstream):
            if sock is not None:
                self._register(sock, 0, None)

    def _close(self, link: Link, *, abort: bool) -> None:
        """Close both sockets of ``link``; with ``abort``, with a reset instead of a FIN."""
        link.open = False
        for sock in (link.client, link.upstream):
            if sock is None:
                continue
            self._register(sock, 0, None)
            if abort:
                with contextlib.suppress(OSError):
                    # Linger on, for 0 s: close() sends a reset and drops what is unsent.
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
