"""Sending one webhook attempt: the receiver's address checked as resolved at send time,
the request signed, no redirect followed, the answer's start kept."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from content.models import Event, WebhookEndpoint

from .signing import signed_headers, validate_url

#: How much of a receiver's answer the delivery log keeps.
RESPONSE_KEPT = 2048
#: The longest ``Retry-After`` honoured; a longer one waits this long.
MAX_RETRY_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: an answer (``status``, the start of its body) or an ``error``."""

    status: int | None = None
    response: str = ""
    error: str = ""
    retry_after: timedelta | None = None
    duration_ms: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class RefusedAddress(Exception):
    """The endpoint's host resolves to an address webhooks may not reach."""


def _addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to now, every one of them allowed, or refuse."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise RefusedAddress(f"cannot resolve {host}: {exc.strerror}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise RefusedAddress(
                    f"{host} resolves to {address}, a loopback, private, link-local or "
                    "reserved address: webhooks are not sent there"
                )
    return addresses


def _retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A ``Retry-After`` header (seconds, or an HTTP date) as a wait, if it is one."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        wait = timedelta(seconds=int(value))
    else:
        try:
            wait = parsedate_to_datetime(value) - now
        except (TypeError, ValueError):
            return None
    return max(timedelta(0), min(wait, MAX_RETRY_AFTER))


def send(endpoint: WebhookEndpoint, event: Event, *, now: datetime | None = None) -> Outcome:
    """Try once to send ``event`` to ``endpoint``: signed, within ``WEBHOOK_TIMEOUT``, no
    redirect followed. The host's addresses are checked as resolved now, and the connection
    goes to the address that was checked (no second lookup to be fooled by)."""
    now = now or timezone.now()
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    parts = urlsplit(endpoint.url)
    try:
        validate_url(endpoint.url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = _addresses(parts.hostname, port)[0]
    except (ValidationError, RefusedAddress, ValueError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return Outcome(error=f"refused: {message}", duration_ms=took())
    headers = signed_headers(endpoint, event, now)
    headers["host"] = parts.netloc.rpartition("@")[2]
    timeout = urllib3.Timeout(total=settings.WEBHOOK_TIMEOUT)
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=parts.hostname, assert_hostname=parts.hostname,
        )  # fmt: skip
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        with pool:
            answer = pool.urlopen(
                "POST", path, body=event.body.encode(), headers=headers,
                redirect=False, preload_content=False, assert_same_host=False,
            )  # fmt: skip
            text = answer.read(RESPONSE_KEPT, decode_content=True).decode("utf-8", "replace")
            answer.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        return Outcome(error=f"{type(exc).__name__}: {exc}"[:500], duration_ms=took())
    return Outcome(
        status=answer.status,
        response=text,
        retry_after=_retry_after(answer.headers.get("retry-after"), now),
        duration_ms=took(),
    )
