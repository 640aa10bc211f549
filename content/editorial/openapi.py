"""The editorial API's own OpenAPI document (``/api/manage/v1/schema/``), separate from the
delivery API's: its settings and view, the bearer token scheme, and what drf-spectacular
has no place for: the links from one operation's answer to the next (create, edit, submit,
approve, publish) that clients and schemathesis follow, response headers, required bodies."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.hooks import postprocess_schema_enums
from drf_spectacular.views import SpectacularAPIView

from .schema_documents import COMPONENTS

PREFIX = "/api/manage/"

SETTINGS = {
    "TITLE": "Recovery content editorial API",
    "DESCRIPTION": (
        "The review workflow over REST, acting as the person whose token is sent "
        "(`Authorization: Bearer <token>`, made in the admin under My API tokens), with that "
        "person's rights: four eyes hold exactly as in the admin. Drafts are edited with "
        "`If-Match` (their ETag); transitions take an `Idempotency-Key`. Nothing is published "
        "on create. Errors are RFC 9457 problem details."
    ),
    "VERSION": "1.0.0",
    "PREPROCESSING_HOOKS": ["content.editorial.openapi.editorial_only"],
    "POSTPROCESSING_HOOKS": ["content.editorial.openapi.add_components"],
    "COMPONENT_SPLIT_REQUEST": False,
}


def editorial_only(endpoints):
    """Preprocessing hook: the editorial routes, without the schema's own."""
    return [e for e in endpoints if e[0].startswith(PREFIX) and not e[0].endswith("/schema/")]


#: Links from an answer to the next call (OpenAPI 3.1 ``links``), by operation id.
_VERSION_PARAMETERS = {"slug": "$response.body#/item", "number": "$response.body#/number"}
LINKS: dict[tuple[str, str], dict[str, Any]] = {
    ("create_item", "201"): {
        "GetVersion": {"operationId": "get_version", "parameters": _VERSION_PARAMETERS},
        "EditVersion": {
            "operationId": "patch_version",
            "parameters": {**_VERSION_PARAMETERS, "header.If-Match": "$response.header.ETag"},
        },
        "SubmitVersion": {"operationId": "submit_version", "parameters": _VERSION_PARAMETERS},
    },
    ("patch_version", "200"): {
        "SubmitVersion": {"operationId": "submit_version", "parameters": _VERSION_PARAMETERS},
    },
    ("submit_version", "200"): {
        "ApproveVersion": {
            "operationId": "approve_version",
            "parameters": _VERSION_PARAMETERS,
            "requestBody": {"content_hash": "$response.body#/content_hash"},
        },
    },
    ("approve_version", "200"): {
        "PublishVersion": {"operationId": "publish_version", "parameters": _VERSION_PARAMETERS},
    },
}


def add_components(result, generator, request, public):
    result = postprocess_schema_enums(result, generator, request=request, public=public)
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    schemes = result["components"].get("securitySchemes", {})
    for name in list(schemes):
        if name not in ("PersonalToken", "AdminSession"):  # the delivery API's key
            del schemes[name]
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            name = operation.get("operationId")
            if "requestBody" in operation:
                operation["requestBody"]["required"] = name in BODY_REQUIRED
            for code, answer in operation.get("responses", {}).items():
                if links := LINKS.get((name, code)):
                    answer["links"] = links
                if headers := HEADERS.get((name, code)):
                    answer["headers"] = headers
    return result


class EditorialSchemaView(SpectacularAPIView):
    custom_settings = SETTINGS

    def get(self, request, *args, **kwargs):
        self.urlconf = "content.editorial.urls"
        return super().get(request, *args, **kwargs)


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "content.editorial.access.PersonalTokenAuthentication"
    name = "PersonalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token, made in the admin (My API tokens).",
        }


class AdminSessionScheme(OpenApiAuthenticationExtension):
    target_class = "content.editorial.access.AdminSession"
    name = "AdminSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The admin's session, for its own scripts; unsafe methods need "
            "the CSRF token in X-CSRFToken.",
        }


ETAG = {"schema": {"type": "string"}, "description": "The draft's ETag: send it as If-Match."}
LOCATION = {"schema": {"type": "string", "format": "uri"}, "description": "The new draft."}
#: Response headers, by operation id and status (drf-spectacular has no place for them).
HEADERS = {
    ("create_item", "201"): {"ETag": ETAG, "Location": LOCATION},
    ("start_translation", "201"): {"ETag": ETAG, "Location": LOCATION},
    ("start_draft_version", "201"): {"ETag": ETAG, "Location": LOCATION},
    ("roll_back_version", "201"): {"ETag": ETAG, "Location": LOCATION},
    ("get_version", "200"): {"ETag": ETAG},
    ("put_version", "200"): {"ETag": ETAG},
    ("patch_version", "200"): {"ETag": ETAG},
}
#: Operations whose body must be sent (the others' fields are all optional).
BODY_REQUIRED = {
    "create_item",
    "put_version",
    "patch_version",
    "approve_version",
    "request_changes_version",
    "schedule_version",
    "withdraw_version",
    "schedule_withdrawal_version",
    "upload_media",
    "change_media",
    "translate_contraindication",
    "translate_goal",
}
