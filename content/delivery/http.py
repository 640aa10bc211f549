"""Answers with strong ETags, Cache-Control, 304s and HEAD, built from pre-rendered JSON."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework.exceptions import APIException

from . import freshness, selectors
from .freshness import generations
from .rendering import dump

JSON = "application/json"


def with_suitability(body: str, links: list, profile) -> str:
    """Add ``suitability`` to a rendered item without parsing it: the body is a JSON object."""
    if profile is None:
        return body
    return f'{body[:-1]},"suitability":{dump(selectors.suitability(links, profile))}}}'


def compose_plans(rows: list[tuple[str, list, list]], profile) -> list[str]:
    """Each plan's body with its items resolved to the components' live documents.

    Items whose component is no longer published are left out (the plan is flagged for
    review). With a profile, items to avoid are moved to ``removed`` with the reasons, and
    every item kept carries its ``suitability``. One query for all the plans' components.
    """
    components = plan_components(rows)
    return [compose_plan(body, items, components, profile)[0] for body, _, items in rows]


def plan_components(rows: list[tuple[str, list, list]]) -> dict:
    """The live documents of the components the plans in ``rows`` use (one query)."""
    return selectors.live_components_by_item(
        {component_id for _, _, items in rows for component_id, _ in items}
    )


def compose_plan(body: str, items: list, components: dict, profile) -> tuple[str, int]:
    """One plan's answer (see ``compose_plans``) and how many items it kept."""
    kept, removed = [], []
    for component_id, rest in items:
        found = components.get(component_id)
        if found is None:
            continue
        slug, title, component_body, links = found
        if profile is None:
            kept.append(f'{{"component":{component_body},{rest}')
            continue
        fit = selectors.suitability(links, profile)
        if fit["status"] == "avoid":
            removed.append({"component": slug, "title": title, "reasons": fit["reasons"]})
        else:
            kept.append(f'{{"component":{component_body},{rest[:-1]},"suitability":{dump(fit)}}}')
    tail = f',"removed":{dump(removed)}' if profile is not None else ""
    return f'{body[:-1]},"items":[{",".join(kept)}]{tail}}}', len(kept)


def with_disclaimer(body: str) -> str:
    """Add the medical disclaimer to an answer (a JSON object): every answer carries it."""
    return f'{body[:-1]},"disclaimer":{dump(settings.CONTENT_DISCLAIMER)}}}'


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    candidates = (tag.strip().removeprefix("W/") for tag in header.split(","))
    return etag in candidates


def answer(request: HttpRequest, compute: Callable[[], str]) -> HttpResponse:
    """Answer with the JSON text ``compute()`` returns, reusing it while nothing served changes.

    Answers are kept per worker under the current delivery epoch and generation and the full
    URL (host included: links in the body are absolute). Only 200s are kept; ``compute``
    raising a problem (400, 404) is answered afresh each time. The ETag is keyed with the
    epoch: after a restore, no client can revalidate an answer of before it. An answer
    computed without reading the generations in this request is kept only once they are
    confirmed unchanged in epoch (``freshness.confirm_unchanged``).
    """
    found_generations = generations(request)
    key = (
        found_generations.epoch,
        found_generations.content,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
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
        digest = hashlib.blake2b(encoded, digest_size=16, key=found_generations.epoch.encode())
        found = (encoded, f'"{digest.hexdigest()}"')
        freshness.answers.put(key, found, size=len(encoded) + len(key[4]) + 200)
    return _respond(request, *found)


def _respond(request: HttpRequest, encoded: bytes, etag: str) -> HttpResponse:
    """A 200 with ``encoded`` (or 304 if the client has it), a strong ETag and Cache-Control."""
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
