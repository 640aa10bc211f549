"""Answers with strong ETags, Cache-Control, 304s and HEAD, built from pre-rendered JSON."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .rendering import dump
from .selectors import suitability

JSON = "application/json"


def with_suitability(body: str, links: list, profile) -> str:
    """Add ``suitability`` to a rendered item without parsing it: the body is a JSON object."""
    if profile is None:
        return body
    return f'{body[:-1]},"suitability":{dump(suitability(links, profile))}}}'


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    candidates = (tag.strip().removeprefix("W/") for tag in header.split(","))
    return etag in candidates


def json_answer(request: HttpRequest, body: str) -> HttpResponse:
    """A 200 with ``body`` (or 304 if the client has it), a strong ETag and Cache-Control."""
    encoded = body.encode("utf-8")
    etag = f'"{hashlib.blake2b(encoded, digest_size=16).hexdigest()}"'
    headers = {
        "ETag": etag,
        "Cache-Control": settings.DELIVERY_CACHE_CONTROL,
        "Vary": "Authorization",
    }
    if _etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
        return HttpResponse(status=304, headers=headers)
    response = HttpResponse(encoded, content_type=JSON, headers=headers)
    response["Content-Length"] = str(len(encoded))
    if request.method == "HEAD":
        response.content = b""
        response["Content-Length"] = str(len(encoded))
    return response
