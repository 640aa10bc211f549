"""The parameters of the delivery API's operations: path, query and cache headers."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter

from content.delivery.params import (
    MAX_PROFILE,
    MAX_QUERY_LENGTH,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    TEXT_PATTERN,
)
from content.kinds import Kind

# Formats of our own for values that only the server's state makes valid: a slug of the
# vocabulary as it is now, or an opaque value this server issued. A client (or a fuzzer) learns
# from them where valid values come from; anything else in their place is a 400.
CONTRAINDICATION_SLUG = {"type": "string", "format": "contraindication-slug"}
GOAL_SLUG = {"type": "string", "format": "goal-slug"}
CURSOR = {"type": "string", "format": "cursor"}
SYNC_TOKEN = {"type": "string", "format": "sync-token"}


def _slug_in_path(item: str) -> OpenApiParameter:
    return OpenApiParameter(
        "slug",
        type={"type": "string", "format": f"{item}-slug"},
        location=OpenApiParameter.PATH,
        description=f"A {item}'s slug, as lists and sync give it.",
    )


COMPONENT_SLUG = _slug_in_path("component")
PLAN_SLUG = _slug_in_path("plan")
VERSION_NUMBER = OpenApiParameter(
    "number",
    type={"type": "integer", "minimum": 1},
    location=OpenApiParameter.PATH,
    description="A version number from the component's history.",
)

PROFILE = OpenApiParameter(
    "profile",
    type={
        "type": "array",
        # An empty value is a person with no contraindications: suitability, nothing removed.
        "items": {"anyOf": [CONTRAINDICATION_SLUG, {"const": ""}]},
        "maxItems": MAX_PROFILE,
    },
    style="form",
    explode=True,
    description=(
        "The end user's contraindication slugs, comma-separated or repeated; case and spaces "
        f"do not matter; at most {MAX_PROFILE}. An unknown slug is a 400 naming it. An empty "
        "`profile=` is a person with no contraindications (suitability is given)."
    ),
)
PAGE_SIZE = OpenApiParameter(
    "page_size",
    type={"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX, "default": PAGE_SIZE_DEFAULT},
)
SYNC_TOKEN_QUERY = OpenApiParameter(
    "token", type=SYNC_TOKEN, description="The opaque `next_token` of your last sync."
)

KIND = OpenApiParameter("kind", type=str, enum=Kind.values, description="One kind of component.")
# The query of the lists of components and of plans (the components' also take ``KIND`` first).
LIST_PARAMETERS = [
    OpenApiParameter("goal", type=GOAL_SLUG, description="A goal slug (see /api/v1/goals/)."),
    OpenApiParameter(
        "q",
        type={"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": TEXT_PATTERN},
        description="Words that must all appear in the title or summary (text without control "
        "characters).",
    ),
    PROFILE,
    PAGE_SIZE,
    OpenApiParameter(
        "cursor", type=CURSOR, description="The opaque value of `next` or `previous`."
    ),
]


def _header(name: str, type: type, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, type=type, location=OpenApiParameter.HEADER, **kwargs)


#: A locale's code: the format says that only the server's locales are valid (see
#: /api/v1/locales/); anything else is a 400.
LOCALE_FORMAT = {"type": "string", "format": "locale"}
# Every operation is answered in a locale: these choose it, and the answer says which.
LOCALE_PARAMETERS = [
    OpenApiParameter(
        "locale",
        type=LOCALE_FORMAT,
        description="A locale's code (see /api/v1/locales/): wins over Accept-Language. An "
        "unknown or malformed code is a 400 naming it.",
    ),
    _header(
        "Accept-Language",
        str,
        description="Used when `locale` is not given: the best known match by q-value "
        "(`es-MX` matches `es`); else the default locale. The answer then varies with it.",
    ),
    _header("Content-Language", str, response=[200, 304], description="The locale answered in."),
    _header(
        "Vary",
        str,
        response=[200, 304],
        description="Includes Accept-Language when that header chose the locale.",
    ),
]


# Every operation answers with these, and honours If-None-Match.
CACHE_HEADERS = [
    _header("ETag", str, response=[200, 304]),
    _header("Cache-Control", str, response=[200]),
    _header("Retry-After", int, response=[429], description="Seconds to wait before trying again."),
    _header(
        "If-None-Match",
        str,
        description="An ETag you hold: a 304 with no body if it is still current.",
    ),
]
