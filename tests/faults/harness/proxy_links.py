"""What the TCP proxy keeps of each connection it forwards."""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass, field


def startup_parameter(first_bytes: bytes, name: str) -> str | None:
    """The value of the PostgreSQL startup parameter ``name`` (e.g. ``application_name``)
    in the first bytes a client sent, or None if they do not carry it."""
    found = re.search(re.escape(name.encode()) + rb"\x00([^\x00]*)\x00", first_bytes)
    return found.group(1).decode(errors="replace") if found else None


@dataclass(frozen=True)
class ConnectionInfo:
    """What the proxy knows of one client connection, at the moment it was asked."""

    id: int
    client_port: int
    opened_at: float  # time.monotonic()
    first_bytes: bytes  # the first FIRST_BYTES bytes the client sent
    blackholed: bool
    open: bool
    bytes_up: int  # from the client, read by the proxy (forwarded or not)
    bytes_down: int  # from the target, read by the proxy

    @property
    def application_name(self) -> str | None:
        """The PostgreSQL ``application_name`` in the client's startup packet, if any."""
        return startup_parameter(self.first_bytes, "application_name")


@dataclass(eq=False)
class Link:
    """One client connection and its connection to the target (the proxy's own state)."""

    id: int
    client: socket.socket
    upstream: socket.socket | None
    client_port: int
    opened_at: float = field(default_factory=time.monotonic)
    first_bytes: bytearray = field(default_factory=bytearray)
    watch: bytes | None = None  # blackhole once the first bytes contain this
    blackholed: bool = False
    open: bool = True
    to_upstream: bytearray = field(default_factory=bytearray)
    to_client: bytearray = field(default_factory=bytearray)
    client_eof: bool = False
    upstream_eof: bool = False
    bytes_up: int = 0
    bytes_down: int = 0

    def info(self) -> ConnectionInfo:
        return ConnectionInfo(
            id=self.id,
            client_port=self.client_port,
            opened_at=self.opened_at,
            first_bytes=bytes(self.first_bytes),
            blackholed=self.blackholed,
            open=self.open,
            bytes_up=self.bytes_up,
            bytes_down=self.bytes_down,
        )
