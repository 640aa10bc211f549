"""What every editorial endpoint shares: who may call, JSON in and out, and every refusal
as an RFC 9457 problem, the domain's own message with the status it means over HTTP."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from content.delivery.problems import CONTENT_TYPE, PROBLEM_TYPE_BASE, problem
from content.delivery.problems import exception_handler as delivery_exception_handler
from content.errors import (
    ContentInvalid,
    DomainError,
    PermissionRefused,
    StaleEdit,
)
from content.models import ContentItem, Version

from .access import AdminSession, PersonalTokenAuthentication, PerTokenThrottle, StaffPerson


class MergePatchParser(JSONParser):
    """``application/merge-patch+json`` (RFC 7396): JSON, applied as a merge patch."""

    media_type = "application/merge-patch+json"


#: The HTTP status of each kind of refusal (``DomainError.code``); any other is a 409.
STATUS_OF = {
    PermissionRefused.code: status.HTTP_403_FORBIDDEN,
    StaleEdit.code: status.HTTP_412_PRECONDITION_FAILED,
    ContentInvalid.code: status.HTTP_422_UNPROCESSABLE_ENTITY,
    "preview": status.HTTP_403_FORBIDDEN,
}


class Refused(exceptions.APIException):
    """A problem answer with its status, detail and extra members."""

    def __init__(self, status_code: int, detail: str, type_: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.type_ = type_
        self.extra = extra


def refusal(error: DomainError, version: Version | None = None) -> Refused:
    """The problem for the domain's ``error``: its message, its code, the fields it names
    (content refusals) and, where a version is concerned, the state it is in now."""
    extra: dict[str, Any] = {"code": error.code}
    if isinstance(error, ContentInvalid) and error.errors:
        extra["errors"] = error.errors
    if version is not None:
        current = Version.objects.filter(pk=version.pk).values("state", "edit_count").first()
        if current is not None:
            extra["version"] = {"number": version.number, **current}
    return Refused(
        STATUS_OF.get(error.code, status.HTTP_409_CONFLICT),
        error.message,
        f"{PROBLEM_TYPE_BASE}{error.code}",
        **extra,
    )


def problem_answer(exc: Refused, headers: dict[str, str] | None = None) -> Response:
    document = problem(exc.status_code, str(exc.detail), type_=exc.type_, **exc.extra)
    return Response(document, status=exc.status_code, headers=headers, content_type=CONTENT_TYPE)


def exception_handler(exc: Exception, context: dict) -> Response | Any:
    """Problems for refusals of the domain and this API; the delivery API's for the rest
    (authentication, throttling, a failing dependency)."""
    view = context.get("view")
    if isinstance(exc, DomainError):
        exc = refusal(exc, getattr(view, "version", None))
    if isinstance(exc, Refused):
        return problem_answer(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    return delivery_exception_handler(exc, context)


class EditorialView(APIView):
    """Base of the editorial endpoints: a person, by token or admin session; JSON."""

    authentication_classes = [PersonalTokenAuthentication, AdminSession]
    permission_classes = [StaffPerson]
    throttle_classes = [PerTokenThrottle]
    parser_classes = [JSONParser, MergePatchParser, MultiPartParser]
    renderer_classes = [JSONRenderer]
    #: The version the request concerns, once found: refusals say its state.
    version: Version | None = None

    def get_exception_handler(self):
        return exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        # Drafts and people's own data: never kept by a proxy or a browser cache.
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    def perform_content_negotiation(self, request, force=False):
        return (JSONRenderer(), JSONRenderer.media_type)

    def body(self, request) -> dict[str, Any]:
        """The request's JSON object (an empty body is an empty object)."""
        data = request.data
        if not isinstance(data, dict):
            raise Refused(400, "Send a JSON object.", "about:blank")
        return data

    def item(self, slug: str) -> ContentItem:
        """The item ``slug`` (a translation's is '<source>@<locale>'); discarded ones too."""
        found = ContentItem.objects.select_related("source", "locale").filter(slug=slug).first()
        if found is None:
            raise exceptions.NotFound(f"No item has the slug '{slug}'.")
        return found

    def find_version(self, slug: str, number: int) -> Version:
        item = self.item(slug)
        found = Version.objects.filter(item=item, number=number).first()
        if found is None:
            raise exceptions.NotFound(f"'{slug}' has no version {number}.")
        found.item = item
        self.version = found
        return found


def text_field(data: dict[str, Any], name: str, *, required: bool = False) -> str:
    """The string ``name`` of the request ``data`` ("" if absent and not required)."""
    value = data.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise Refused(
            422,
            f"'{name}' must be {'a non-empty' if required else 'a'} string.",
            f"{PROBLEM_TYPE_BASE}invalid",
            code="invalid",
            errors={name: [f"{name}: must be a string."]},
        )
    return value
