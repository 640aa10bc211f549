"""The HTTP side of an answer built from pre-rendered JSON: the disclaimer every answer
carries, a strong ETag, 304 for a client that has it, HEAD, Cache-Control."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .rendering import dump

JSON = "application/json"


def with_disclaimer(body: str) -> str:
    """Add the medical disclaimer to an answer (a JSON object): every answer carries it."""
    return f'{body[:-1]},"disclaimer":{dump(settings.CONTENT_DISCLAIMER)}}}'


def strong_etag(encoded: bytes, epoch: str) -> str:
    """The ETag of ``encoded``, keyed with the epoch: after a restore, no client can
    revalidate an answer of before it."""
    return f'"{hashlib.blake2b(encoded, digest_size=16, key=epoch.encode()).hexdigest()}"'


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    candidates = (tag.strip().removeprefix("W/") for tag in header.split(","))
    return etag in candidates


def respond(
    request: HttpRequest, encoded: bytes, etag: str, *, language: str, by_header: bool
) -> HttpResponse:
    """A 200 with ``encoded`` (or 304 if the client has it), a strong ETag and Cache-Control,
    in ``language`` (``Content-Language``), varying with ``Accept-Language`` if it chose."""
    headers = {
        "ETag": etag,
        "Cache-Control": settings.DELIVERY_CACHE_CONTROL,
        "Vary": "Authorization, Accept-Language" if by_header else "Authorization",
        "Content-Language": language,
    }
    if _etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
        return HttpResponse(status=304, headers=headers)
    response = HttpResponse(encoded, content_type=JSON, headers=headers)
    response["Content-Length"] = str(len(encoded))
    if request.method == "HEAD":
        response.content = b""
        response["Content-Length"] = str(len(encoded))
    return response
