"""The address of the client a request came from: one rule for the login limits (django-axes),
the request log and the anonymous rate limit.

Behind a load balancer, ``REMOTE_ADDR`` is the balancer's address: used as it is, every client
would share one login lockout and one rate budget. Each reverse proxy appends the address that
connected to it to ``X-Forwarded-For``, so with ``TRUSTED_PROXIES = N`` (our own proxies, each
appending exactly one entry) the last N entries were written by them, and the Nth from the
right is the client as the outermost of them saw it. Every entry left of that one came with the
request and may say anything: it is never read, so sending one's own ``X-Forwarded-For``
changes nothing. With 0 (the default: no proxy) the header is not read at all.

A header with fewer than N entries (a request that did not pass every proxy, or a miscounted
setting) or an entry that is not an IP address falls back to ``REMOTE_ADDR``, the address that
actually connected: such requests share that address's limits, never one the client chose.
"""

from __future__ import annotations

import ipaddress
import re

from django.conf import settings
from django.http import HttpRequest

# "[2001:db8::1]:443" or "[2001:db8::1]"; "203.0.113.5:4711" (one colon: never IPv6); else bare.
_PROXY_FORMS = re.compile(
    r"\[(?P<bracketed>[^\]]*)\](?::[0-9]{1,5})?|(?P<with_port>[^:]*):[0-9]{1,5}|(?P<bare>.*)",
    re.DOTALL,
)


def client_address(request: HttpRequest) -> str:
    """The client's IP address, by the rule above (``settings.TRUSTED_PROXIES``, read at each
    call); ``REMOTE_ADDR`` whenever the forwarded address cannot be trusted or read."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    entries = forwarded.split(",")
    if len(entries) < proxies:
        return remote
    return normalised_address(entries[-proxies]) or remote


def normalised_address(entry: str) -> str | None:
    """``entry`` as a normalised IP address, or None if it is not one. Takes the forms proxies
    write: an address, an IPv4 address with a port, a bracketed IPv6 address with or without
    one. IPv6 zone ids are refused (they name a local interface, and PostgreSQL refuses them)."""
    form = _PROXY_FORMS.fullmatch(entry.strip())
    try:
        address = ipaddress.ip_address(form[form.lastgroup])
    except ValueError:
        return None
    if getattr(address, "scope_id", None):
        return None
    return str(address)
