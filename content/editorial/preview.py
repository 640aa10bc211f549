"""``GET /api/v1/preview/<token>/``: the version a preview link shows, in the delivery shape
with ``"preview": true``.

The token is the only credential: ``Authorization`` is ignored (no API key is needed and
none is used), and the token opens nothing but this endpoint. A token the workflow will not
open (``open_preview``) is a 403 problem saying why, never the published version instead.
The document is rendered per request by the delivery layer's own functions (``rendering``,
``localising``, ``personalisation``, ``plans``), in the transaction that opened the link,
so what is shown is what was checked; it is never kept (``Cache-Control: private,
no-store``, not the answer cache) and never appears in the lists or sync, which read only
published documents.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from drf_spectacular.utils import extend_schema

from content.delivery.freshness import generations
from content.delivery.http import respond, strong_etag, with_disclaimer
from content.delivery.locales import Negotiated, known_locales, negotiate
from content.delivery.localising import (
    LocaleTable,
    Localised,
    localise,
    published_translations,
)
from content.delivery.personalisation import Profile, with_suitability
from content.delivery.plans import compose_plan
from content.delivery.problems import PROBLEM_TYPE_BASE, problem, problem_response
from content.delivery.queries import detail_profile
from content.delivery.rendering import render
from content.delivery.schema.operations import preview as preview_operation
from content.delivery.selectors import LiveComponent, live_components_by_item
from content.delivery.views import DeliveryView
from content.errors import PreviewRefused
from content.kinds import PLAN
from content.models import PreviewLink, Version
from content.workflow.previews import open_preview, shown_drafts

CACHE_CONTROL = "private, no-store"


def _marked(body: str) -> str:
    """A rendered document (a JSON object) saying it is a preview."""
    return f'{body[:-1]},"preview":true}}'


def _localised(version: Version, code: str, table: LocaleTable) -> tuple[Version, Localised]:
    """The source version to render for ``version`` and the prose shown of it in ``code``:
    a translation's own, in its locale; for a source version, what the read model would
    serve (a version not published has no current translation: it falls back, saying why)."""
    if version.translates_id is not None:
        own = version.item.locale.code
        chain = table.chains.get(own, (own, table.default))
        return version.translates, Localised(own, own, translation=version, chain=chain)
    translations = published_translations([version.item_id]).get(version.item_id, {})
    return version, localise(version, code, table, translations)


def _component_of_plan(draft: Version, code: str, table: LocaleTable) -> LiveComponent:
    """A draft the link shows in a plan, as a live component would be shown there."""
    source, localised = _localised(draft, code, table)
    rendered = render(source, localised)
    return LiveComponent(
        draft.item_id, source.item.slug, rendered.title, _marked(rendered.body), rendered.links
    )


def preview_document(
    link: PreviewLink, code: str, table: LocaleTable, profile: Profile | None
) -> str:
    """The JSON of what ``link`` shows in locale ``code``, personalised for ``profile``."""
    source, localised = _localised(link.version, code, table)
    rendered = render(source, localised)
    if source.item.kind != PLAN:
        return with_suitability(_marked(rendered.body), rendered.links, profile)
    components = live_components_by_item({item for item, _ in rendered.plan_items}, code)
    for item_id, draft in shown_drafts(link).items():
        components[item_id] = _component_of_plan(draft, code, table)
    body, _ = compose_plan(_marked(rendered.body), rendered.plan_items, components, profile)
    return body


def _locale(request: HttpRequest, link: PreviewLink) -> Negotiated:
    """The locale the answer is in: the link's, if it was made for one (``?locale=`` naming
    another cannot be honoured), else the one the request asks for, as elsewhere."""
    asked = negotiate(request)
    if not link.locale:
        return asked
    refusal = asked.refusal
    if refusal is None and request.GET.getlist("locale") and asked.code != link.locale:
        refusal = (
            f"this preview link shows locale '{link.locale}' only; ask for it, or leave "
            "'locale' out."
        )
    return Negotiated(link.locale, False, refusal)


def _refused(refusal: PreviewRefused) -> HttpResponse:
    document = problem(
        403, str(refusal), type_=PROBLEM_TYPE_BASE + "preview-refused", reason=refusal.reason
    )
    document["title"] = "Preview link refused"
    return problem_response(document)


class Preview(DeliveryView):
    """The delivery view's JSON and problems, with no API key: the token is the credential."""

    def get_authenticators(self):
        return []

    def get_permissions(self):
        return []

    @extend_schema(**preview_operation)
    def get(self, request, token: str, *args, **kwargs) -> HttpResponse:
        http = request._request
        try:
            with transaction.atomic():
                link = open_preview(token)
                locale = _locale(http, link)
                profile = detail_profile(request.GET, locale.refusal)
                body = preview_document(link, locale.code, known_locales(http), profile)
        except PreviewRefused as refusal:
            return _refused(refusal)
        encoded = with_disclaimer(body).encode("utf-8")
        etag = strong_etag(encoded, generations(http).epoch)
        response = respond(http, encoded, etag, language=locale.code, by_header=locale.by_header)
        if locale.by_header:
            response["Vary"] = "Accept-Language"
        else:
            del response["Vary"]
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = CACHE_CONTROL  # a refusal or a 400 too: nothing is kept
        return response
