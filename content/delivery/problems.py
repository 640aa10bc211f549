"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "/api/problems/"
CONTENT_TYPE = "application/problem+json"


class ParameterProblem(exceptions.APIException):
    """One or more query parameters cannot be honoured exactly: a 400 that names each."""

    status_code = 400
    default_code = "invalid-parameters"

    def __init__(self, errors: list[dict[str, Any]], **extra: Any) -> None:
        self.errors = errors
        self.extra = extra
        names = ", ".join(sorted({e["parameter"] for e in errors}))
        details = " ".join(e["detail"] for e in errors)
        super().__init__(f"Invalid value for {names}. {details}")


def problem(status: int, detail: str, *, type_: str = "about:blank", **extra: Any) -> dict:
    """The problem document for ``status``; ``about:blank`` problems are titled by the status."""
    return {
        "type": type_,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }


def problem_response(document: dict, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False),
        status=document["status"],
        content_type=CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def exception_handler(exc: Exception, context: dict) -> HttpResponse | None:
    """DRF's exception handler, answering in problem details."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API exception: the middleware turns it into a 500 problem
    headers = {
        k: v for k, v in response.items() if k in ("Retry-After", "WWW-Authenticate", "Allow")
    }
    if isinstance(exc, ParameterProblem):
        document = problem(
            400,
            str(exc.detail),
            type_=PROBLEM_TYPE_BASE + "invalid-parameters",
            errors=exc.errors,
            **exc.extra,
        )
        document["title"] = "Invalid query parameters"
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        if isinstance(detail, (list, dict)):
            detail = json.dumps(detail)
        document = problem(response.status_code, str(detail))
    return problem_response(document, headers)


class ProblemDetailsMiddleware:
    """Make sure nothing under /api/ answers an error as HTML: unknown URLs, methods Django
    refuses before a view runs, and unexpected exceptions become problem details too."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith(CONTENT_TYPE)
        ):
            detail = {
                404: f"Nothing is published at {request.path}.",
                405: f"{request.method} is not allowed here.",
            }.get(response.status_code, "The request could not be answered.")
            if response.status_code >= 500:
                detail = "Something went wrong on our side; it has been logged."
            headers = {"Allow": response["Allow"]} if response.has_header("Allow") else None
            return problem_response(problem(response.status_code, detail), headers)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/"):
            return None
        logger.exception("Unhandled error answering %s %s", request.method, request.path)
        return problem_response(
            problem(500, "Something went wrong on our side; it has been logged.")
        )
