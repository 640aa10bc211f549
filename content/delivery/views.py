"""The delivery endpoints of docs/api.md. Each answer is assembled from JSON rendered at
publication; nothing about the content is serialised per request."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from . import schema, selectors, vocabulary
from .access import ApiKeyAuthentication, DeliveryAccess
from .answers import answer
from .freshness import generations
from .locales import known_locales, negotiate
from .params import read_sync_query
from .personalisation import with_suitability
from .plans import compose_plans
from .queries import detail_profile, list_query, refuse_locale
from .rendering import dump, timestamp
from .selectors import Page
from .sync import sync_answer
from .tokens import encode_cursor


def _not_published(slug: str) -> exceptions.NotFound:
    # The same answer whether the slug never existed or is only a draft: nothing leaks.
    return exceptions.NotFound(f"No published component has the slug '{slug}'.")


def _page_link(request: HttpRequest, position: dict | None) -> str:
    if position is None:
        return "null"
    params = request.GET.copy()
    params["cursor"] = encode_cursor(position)
    return dump(request.build_absolute_uri(f"{request.path}?{params.urlencode()}"))


def _list_page(request: HttpRequest, page: Page, items: Iterable[str]) -> str:
    """A list answer: the links around ``page`` and its rendered ``items``."""
    next_link = _page_link(request, page.next)
    previous_link = _page_link(request, page.previous)
    return f'{{"next":{next_link},"previous":{previous_link},"results":[{",".join(items)}]}}'


_JSON = (JSONRenderer(), JSONRenderer.media_type)
_AUTHENTICATORS = [ApiKeyAuthentication()]
_PERMISSIONS = [DeliveryAccess()]


class DeliveryView(APIView):
    """Base of the delivery endpoints. The access classes hold no per-request state, so one
    instance of each serves every request (DRF would build them anew each time)."""

    http_method_names = ["get", "head", "options"]

    def perform_content_negotiation(self, request, force=False):
        # Every answer is JSON (errors: problem+json), whatever the Accept header says.
        return _JSON

    def get_authenticators(self):
        return _AUTHENTICATORS

    def get_permissions(self):
        return _PERMISSIONS


class ComponentList(DeliveryView):
    @extend_schema(**schema.component_list)
    def get(self, request, *args, **kwargs) -> HttpResponse:
        locale = negotiate(request._request)

        def compute() -> str:
            query = list_query(request.GET, locale_refusal=locale.refusal)
            page = selectors.page_of(selectors.live_components(locale.code), query, locale.code)
            items = [with_suitability(row.body, row.links, query.profile) for row in page.rows]
            return _list_page(request, page, items)

        return answer(request._request, compute, locale)


class ComponentDetail(DeliveryView):
    @extend_schema(**schema.component_detail)
    def get(self, request, slug: str, *args, **kwargs) -> HttpResponse:
        locale = negotiate(request._request)

        def compute() -> str:
            profile = detail_profile(request.GET, locale.refusal)
            found = selectors.live_component(slug, locale.code)
            if found is None:
                raise _not_published(slug)
            return with_suitability(found.body, found.links, profile)

        return answer(request._request, compute, locale)


class ComponentHistory(DeliveryView):
    @extend_schema(**schema.component_history)
    def get(self, request, slug: str, *args, **kwargs) -> HttpResponse:
        locale = negotiate(request._request)

        def compute() -> str:
            refuse_locale(locale.refusal)
            history = selectors.component_history(slug, locale.code)
            if history is None:
                raise _not_published(slug)
            for entry in history:
                entry["published_at"] = timestamp(entry["published_at"])
                entry["superseded_at"] = timestamp(entry["superseded_at"])
            return dump({"slug": slug, "locale": locale.code, "results": history})

        return answer(request._request, compute, locale)


class ComponentVersion(DeliveryView):
    @extend_schema(**schema.component_version)
    def get(self, request, slug: str, number: int, *args, **kwargs) -> HttpResponse:
        locale = negotiate(request._request)

        def compute() -> str:
            profile = detail_profile(request.GET, locale.refusal)
            found = (
                selectors.component_version(slug, number, locale.code) if number < 2**31 else None
            )
            if found is None:
                raise exceptions.NotFound(f"Component '{slug}' has no published version {number}.")
            return with_suitability(found.body, found.links, profile)

        return answer(request._request, compute, locale)


class ContraindicationList(DeliveryView):
    @extend_schema(**schema.contraindication_list)
    def get(self, request, *args, **kwargs) -> HttpResponse:
        return _vocabulary_answer(request._request, vocabulary.contraindications)


class GoalList(DeliveryView):
    @extend_schema(**schema.goal_list)
    def get(self, request, *args, **kwargs) -> HttpResponse:
        return _vocabulary_answer(request._request, vocabulary.goals)


class PlanList(DeliveryView):
    @extend_schema(**schema.plan_list)
    def get(self, request, *args, **kwargs) -> HttpResponse:
        locale = negotiate(request._request)

        def compute() -> str:
            query = list_query(request.GET, plans=True, locale_refusal=locale.refusal)
            page = selectors.page_of(selectors.live_plans(locale.code), query, locale.code)
            return _list_page(request, page, compose_plans(page.rows, query.profile, locale.code))

        return answer(request._request, compute, locale)


class PlanDetail(DeliveryView):
    @extend_schema(**schema.plan_detail)
    def get(self, request, slug: str, *args, **kwargs) -> HttpResponse:
        locale = negotiate(request._request)

        def compute() -> str:
            profile = detail_profile(request.GET, locale.refusal)
            found = selectors.live_plan(slug, locale.code)
            if found is None:
                raise exceptions.NotFound(f"No published plan has the slug '{slug}'.")
            (plan,) = compose_plans([found], profile, locale.code)
            return plan

        return answer(request._request, compute, locale)


class Sync(DeliveryView):
    @extend_schema(**schema.sync)
    def get(self, request, *args, **kwargs) -> HttpResponse:
        locale = negotiate(request._request)

        def compute() -> str:
            query = read_sync_query(request.GET, locale.refusal)
            default = known_locales(request._request).default
            return sync_answer(query, generations(request._request), locale.code, default)

        return answer(request._request, compute, locale)


class LocaleList(DeliveryView):
    @extend_schema(**schema.locale_list)
    def get(self, request, *args, **kwargs) -> HttpResponse:
        locale = negotiate(request._request)

        def compute() -> str:
            refuse_locale(locale.refusal)
            table = known_locales(request._request)
            results = [
                {
                    "code": code,
                    "name": table.names[code],
                    "fallbacks": table.fallbacks(code),
                    "default": code == table.default,
                }
                for code in sorted(table.chains)
            ]
            return dump({"results": results})

        return answer(request._request, compute, locale)


def _vocabulary_answer(request: HttpRequest, entries) -> HttpResponse:
    """A vocabulary list in the request's locale: ``entries(chain)``'s results."""
    locale = negotiate(request)

    def compute() -> str:
        refuse_locale(locale.refusal)
        chain = known_locales(request).chains[locale.code]
        return dump({"results": entries(chain)})

    return answer(request, compute, locale)
