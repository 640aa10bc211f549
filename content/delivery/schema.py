"""The OpenAPI description of the delivery API: what API.md promises, with each kind's
details shape taken from ``content.kinds``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.hooks import postprocess_schema_enums
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from content.kinds import DETAILS_SCHEMAS, SLOTS, Frequency, Kind
from content.models import ContraindicationCategory

from .params import MAX_PROFILE, MAX_QUERY_LENGTH, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, TEXT_PATTERN


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
TIMESTAMP = {"type": "string", "format": "date-time"}
DISCLAIMER = {
    "type": "string",
    "description": "The medical disclaimer, on the top-level object of every answer: show it "
    "with the content.",
}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


SUITABILITY_REASON = _object(
    {
        "contraindication": STRING,
        "severity": {"type": "string", "enum": ["avoid", "caution"]},
        "note": STRING,
    }
)


def _component_variant(kind: str) -> dict[str, Any]:
    properties = {
        "type": {"type": "string", "const": "component"},
        "slug": STRING,
        "kind": {"type": "string", "const": kind},
        "version": {"type": "integer", "minimum": 1},
        "title": STRING,
        "summary": STRING,
        "body_markdown": STRING,
        "body_html": {"type": "string", "description": "Sanitised HTML rendered from the body."},
        "details": DETAILS_SCHEMAS[kind],
        "goals": _array(STRING),
        "contraindications": _array(
            _object(
                {
                    "slug": STRING,
                    "name": STRING,
                    "severity": {"type": "string", "enum": ["avoid", "caution"]},
                    "note": STRING,
                }
            )
        ),
        "interactions": _array(
            _object(
                {
                    "component": STRING,
                    "severity": {"type": "string", "enum": ["avoid", "separate"]},
                    "note": STRING,
                }
            )
        ),
        "citations": _array(
            _object(
                {
                    "title": STRING,
                    "doi": NULLABLE_STRING,
                    "pmid": NULLABLE_STRING,
                    "url": NULLABLE_STRING,
                }
            )
        ),
        "evidence_level": {"type": "string", "enum": ["A", "B", "C", "D"]},
        "review": ref("Review"),
        "published_at": TIMESTAMP,
    }
    schema = _object(properties)
    schema["properties"]["suitability"] = ref("Suitability")
    schema["properties"]["disclaimer"] = DISCLAIMER  # when the component is the whole answer
    return schema


def _kind_name(kind: str) -> str:
    return "Component" + "".join(part.capitalize() for part in kind.split("_"))


COMPONENTS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "properties": {
            "type": STRING,
            "title": STRING,
            "status": {"type": "integer"},
            "detail": STRING,
            "errors": _array(_object({"parameter": STRING, "detail": STRING})),
            "unknown_contraindications": _array(STRING),
        },
        "required": ["type", "title", "status", "detail"],
    },
    "Suitability": _object(
        {
            "status": {"type": "string", "enum": ["ok", "caution", "avoid"]},
            "reasons": _array(SUITABILITY_REASON),
        }
    ),
    "Review": _object(
        {
            "reviewed_at": {"type": ["string", "null"], "format": "date-time"},
            "reviewers": _array(_object({"name": STRING, "credentials": STRING})),
            "next_review_due": {"type": ["string", "null"], "format": "date"},
        }
    ),
    **{_kind_name(kind): _component_variant(kind) for kind in Kind.values},
    "Component": {
        "oneOf": [ref(_kind_name(kind)) for kind in Kind.values],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {kind: f"#/components/schemas/{_kind_name(kind)}" for kind in Kind.values},
        },
        "description": (
            "A published component. `details` has the shape of its `kind`. "
            "`suitability` is present only when a `profile` was given."
        ),
    },
    "ComponentPage": _object(
        {
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": _array(ref("Component")),
            "disclaimer": DISCLAIMER,
        }
    ),
    "Plan": {
        **_object(
            {
                "type": {"type": "string", "const": "plan"},
                "slug": STRING,
                "version": {"type": "integer", "minimum": 1},
                "title": STRING,
                "summary": STRING,
                "body_markdown": STRING,
                "body_html": STRING,
                "goals": _array(STRING),
                "duration_weeks": {"type": "integer", "minimum": 1},
                "items": _array(
                    {
                        **_object(
                            {
                                "component": ref("Component"),
                                "slot": {"type": "string", "enum": SLOTS},
                                "weeks": _object(
                                    {
                                        "from": {"type": "integer", "minimum": 1},
                                        "to": {"type": "integer", "minimum": 1},
                                    }
                                ),
                                "frequency": {"type": "string", "enum": Frequency.values},
                                "order": {"type": "integer"},
                                "note": STRING,
                            }
                        ),
                    }
                ),
                "review": ref("Review"),
                "published_at": TIMESTAMP,
            }
        ),
        "description": (
            "A published plan, its items resolved to the components' current published "
            "versions. With a `profile`, each item carries `suitability` and the items to "
            "avoid are listed under `removed` instead."
        ),
    },
    "PlanPage": _object(
        {
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": _array(ref("Plan")),
            "disclaimer": DISCLAIMER,
        }
    ),
    "ComponentHistory": _object(
        {
            "slug": STRING,
            "results": _array(
                _object(
                    {
                        "version": {"type": "integer", "minimum": 1},
                        "published_at": TIMESTAMP,
                        "superseded_at": {"type": ["string", "null"], "format": "date-time"},
                        "change_note": STRING,
                    }
                )
            ),
            "disclaimer": DISCLAIMER,
        }
    ),
    "ContraindicationList": _object(
        {
            "results": _array(
                _object(
                    {
                        "slug": STRING,
                        "name": STRING,
                        "category": {"type": "string", "enum": ContraindicationCategory.values},
                        "description": STRING,
                        "codes": _array(_object({"system": STRING, "code": STRING})),
                        "aliases": _array(STRING),
                    }
                )
            ),
            "disclaimer": DISCLAIMER,
        }
    ),
    "GoalList": _object(
        {
            "results": _array(_object({"slug": STRING, "name": STRING, "description": STRING})),
            "disclaimer": DISCLAIMER,
        }
    ),
    "SyncUpsert": _object(
        {
            "type": {"type": "string", "enum": ["component", "plan"]},
            "slug": STRING,
            "action": {"type": "string", "const": "upsert"},
            "data": {
                "oneOf": [ref("Component"), ref("Plan")],
                "description": "The full item, exactly as its detail endpoint serves it "
                "without a profile.",
            },
        }
    ),
    "SyncDelete": _object(
        {
            "type": {"type": "string", "enum": ["component", "plan"]},
            "slug": STRING,
            "action": {"type": "string", "const": "delete"},
        }
    ),
    "SyncPage": _object(
        {
            "changes": {
                **_array(
                    {
                        "oneOf": [ref("SyncUpsert"), ref("SyncDelete")],
                        "discriminator": {
                            "propertyName": "action",
                            "mapping": {
                                "upsert": "#/components/schemas/SyncUpsert",
                                "delete": "#/components/schemas/SyncDelete",
                            },
                        },
                    }
                ),
                "description": "Each item at most once, in its state now: an upsert with the "
                "full item, or a delete when it is no longer served (withdrawn, or a plan "
                "none of whose components is published).",
            },
            "next_token": {
                "type": "string",
                "description": "Send it as `token` next time; keep the last one you received.",
            },
            "has_more": {
                "type": "boolean",
                "description": "True: call again at once with `next_token` for the rest.",
            },
            "reset": {
                "type": "boolean",
                "description": "True: your token was issued before the database was restored "
                "from a backup and cannot be continued. This page starts an initial sync: "
                "replace your offline copy with it and the pages that follow.",
            },
            "disclaimer": DISCLAIMER,
        }
    ),
}


_item = COMPONENTS["Plan"]["properties"]["items"]["items"]
_item["properties"]["suitability"] = ref("Suitability")
COMPONENTS["Plan"]["properties"]["disclaimer"] = DISCLAIMER
COMPONENTS["Plan"]["properties"]["removed"] = _array(
    _object({"component": STRING, "title": STRING, "reasons": _array(SUITABILITY_REASON)})
)


def add_components(result, generator, request, public):
    """Postprocessing hook: add the hand-written components, then let spectacular tidy enums."""
    result = postprocess_schema_enums(result, generator, request=request, public=public)
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    return result


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "content.delivery.access.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Send `Api-Key <key>`. Anonymous reads are allowed only where the "
            "deployment enables them.",
        }


# --- Parameters and responses ---------------------------------------------------------

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
LIST_PARAMETERS = [
    OpenApiParameter("kind", type=str, enum=Kind.values, description="One kind of component."),
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
CACHE_HEADERS = [
    OpenApiParameter("ETag", type=str, location=OpenApiParameter.HEADER, response=[200, 304]),
    OpenApiParameter("Cache-Control", type=str, location=OpenApiParameter.HEADER, response=[200]),
    OpenApiParameter(
        "Retry-After",
        type=int,
        location=OpenApiParameter.HEADER,
        response=[429],
        description="Seconds to wait before trying again.",
    ),
    OpenApiParameter(
        "If-None-Match",
        type=str,
        location=OpenApiParameter.HEADER,
        description="An ETag you hold: a 304 with no body if it is still current.",
    ),
]


def _problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ref("Problem"), description=description)


def _responses(ok: dict[str, Any], *, bad_request: bool, not_found: bool) -> dict:
    responses: dict[Any, Any] = {
        200: OpenApiResponse(response=ok, description="OK"),
        304: OpenApiResponse(description="Not modified: the ETag you sent is current."),
        (401, "application/problem+json"): _problem("Missing, wrong or revoked API key."),
        (429, "application/problem+json"): _problem("Rate limit reached; see Retry-After."),
        (503, "application/problem+json"): _problem(
            "A dependency (the database) is unavailable, or the server cannot confirm what "
            "is published now; try again after Retry-After."
        ),
    }
    if bad_request:
        responses[(400, "application/problem+json")] = _problem(
            "A parameter cannot be honoured exactly; `errors` names each."
        )
    if not_found:
        responses[(404, "application/problem+json")] = _problem("Nothing published here.")
    return responses


component_list = {
    "operation_id": "list_components",
    "summary": "Published components",
    "parameters": [*LIST_PARAMETERS, *CACHE_HEADERS],
    "responses": _responses(ref("ComponentPage"), bad_request=True, not_found=False),
}
component_detail = {
    "operation_id": "get_component",
    "summary": "A component's published version",
    "parameters": [COMPONENT_SLUG, PROFILE, *CACHE_HEADERS],
    "responses": _responses(ref("Component"), bad_request=True, not_found=True),
}
component_history = {
    "operation_id": "list_component_versions",
    "summary": "A component's publication history, newest first",
    "parameters": [COMPONENT_SLUG, *CACHE_HEADERS],
    "responses": _responses(ref("ComponentHistory"), bad_request=False, not_found=True),
}
component_version = {
    "operation_id": "get_component_version",
    "summary": "One version of a component as it was published",
    "parameters": [COMPONENT_SLUG, VERSION_NUMBER, PROFILE, *CACHE_HEADERS],
    "responses": _responses(ref("Component"), bad_request=True, not_found=True),
}
contraindication_list = {
    "operation_id": "list_contraindications",
    "summary": "The contraindication vocabulary",
    "parameters": CACHE_HEADERS,
    "responses": _responses(ref("ContraindicationList"), bad_request=False, not_found=False),
}
goal_list = {
    "operation_id": "list_goals",
    "summary": "The goals vocabulary",
    "parameters": CACHE_HEADERS,
    "responses": _responses(ref("GoalList"), bad_request=False, not_found=False),
}

plan_list = {
    "operation_id": "list_plans",
    "summary": "Published plans",
    "parameters": [*[p for p in LIST_PARAMETERS if p.name != "kind"], *CACHE_HEADERS],
    "responses": _responses(ref("PlanPage"), bad_request=True, not_found=False),
}
plan_detail = {
    "operation_id": "get_plan",
    "summary": "A plan's published version, its items resolved",
    "parameters": [PLAN_SLUG, PROFILE, *CACHE_HEADERS],
    "responses": _responses(ref("Plan"), bad_request=True, not_found=True),
}
sync = {
    "operation_id": "sync",
    "summary": "Delta sync for offline copies",
    "description": (
        "Without `token`: an initial sync of every published component and plan. Call again "
        "with `token=<next_token>` while `has_more` is true, and keep the last `next_token`: "
        "later calls with it return only what changed since, each item at most once, in its "
        "latest state. Tokens are signed; one not issued by this server is a 400. A token "
        "issued before the database was restored from a backup gets an initial sync with "
        "`reset` true: replace your copy with what follows."
    ),
    "parameters": [
        OpenApiParameter(
            "token", type=SYNC_TOKEN, description="The opaque `next_token` of your last sync."
        ),
        PAGE_SIZE,
        *CACHE_HEADERS,
    ],
    "responses": _responses(ref("SyncPage"), bad_request=True, not_found=False),
}
