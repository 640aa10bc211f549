"""The per-worker cache of answers: each request's JSON is computed once per delivery
generation and URL, then served (with its ETag) until anything served changes."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from rest_framework.exceptions import APIException

from . import freshness
from .freshness import generations
from .http import respond, strong_etag, with_disclaimer
from .locales import Negotiated


def answer(request: HttpRequest, compute: Callable[[], str], locale: Negotiated) -> HttpResponse:
    """Answer with the JSON text ``compute()`` returns, reusing it while nothing served changes.

    Answers are kept per worker under the current delivery epoch and generation and the full
    URL (host included: links in the body are absolute). Only 200s are kept; ``compute``
    raising a problem (400, 404) is answered afresh each time. An answer computed without
    reading the generations in this request is kept only once they are confirmed unchanged
    in epoch (``freshness.confirm_unchanged``). Answers are in the request's ``locale``,
    which is part of the key when ``Accept-Language`` chose it.
    """
    found_generations = generations(request)
    key = (
        found_generations.epoch,
        found_generations.content,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        locale.code if locale.by_header else None,
    )
    found = freshness.answers.get(key)
    if found is None:
        try:
            body = compute()
        except APIException:  # a 404 or 400 read from half-restored tables is no answer either
            freshness.confirm_unchanged(request)
            raise
        freshness.confirm_unchanged(request)
        encoded = with_disclaimer(body).encode("utf-8")
        found = (encoded, strong_etag(encoded, found_generations.epoch))
        freshness.answers.put(key, found, size=len(encoded) + len(key[4]) + 200)
    return respond(request, *found, language=locale.code, by_header=locale.by_header)
