"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

import json
import logging
import time
from http import HTTPStatus
from typing import Any

import redis
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from content.models import DeliveryStateMissing

from .freshness import FreshnessUnknown
from .rates import rates

logger = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "/api/problems/"
CONTENT_TYPE = "application/problem+json"
#: How long a client should wait after a 503 (seconds).
RETRY_AFTER = 5
# SQLSTATE classes of faults outside the request: connection (08), resources (53), operator
# intervention such as a shutdown (57), system (58), a lost race (40); and the objects a
# restore drops and recreates (42P01 undefined table, 3D000 no such database).
_DEPENDENCY_SQLSTATE_CLASSES = {"08", "53", "57", "58", "40"}
_DEPENDENCY_SQLSTATES = {"42P01", "3D000"}
_last_fault_log = 0.0


def is_dependency_fault(error: BaseException) -> bool:
    """Whether ``error`` comes from a dependency being down, slow or restored, rather than
    from the request or from our code: those are answered 503, never 500."""
    if isinstance(error, FreshnessUnknown | DeliveryStateMissing | redis.RedisError):
        return True
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if isinstance(error, DatabaseError):
        sqlstate = getattr(error.__cause__, "sqlstate", None) or ""
        return sqlstate in _DEPENDENCY_SQLSTATES or sqlstate[:2] in _DEPENDENCY_SQLSTATE_CLASSES
    return False


def _log_fault(request: HttpRequest, error: BaseException) -> None:
    """One line per fault and second at most: an outage must not flood the logs."""
    global _last_fault_log
    now = time.monotonic()
    if now - _last_fault_log >= 1:
        _last_fault_log = now
        logger.warning(
            "Answered 503 to %s %s: %s: %s",
            request.method,
            request.path,
            type(error).__name__,
            str(error).strip().splitlines()[0] if str(error).strip() else "",
        )


def unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 for a dependency fault: a problem under /api/, plain text elsewhere, with
    Retry-After; the request does not spend the client's rate budget."""
    _log_fault(request, error)
    identity = getattr(request, "rate_identity", None)
    if identity is not None:
        rates.refund(identity)
    headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
    if not request.path.startswith("/api/"):
        return HttpResponse(
            "The service is briefly unavailable (a dependency does not answer). Nothing was "
            "lost; try again in a few seconds.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
            headers=headers,
        )
    detail = (
        "The server cannot confirm what is published right now"
        if isinstance(error, FreshnessUnknown | DeliveryStateMissing)
        else "A service this API depends on is unavailable"
    )
    return problem_response(
        problem(503, f"{detail}; try again after {RETRY_AFTER} seconds."), headers
    )


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
    if is_dependency_fault(exc):
        return unavailable(context["request"]._request, exc)
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
    refuses before a view runs, and unexpected exceptions become problem details too. A
    dependency fault anywhere (the admin included) is a 503 with Retry-After, never a 500."""

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
        if is_dependency_fault(exception):
            return unavailable(request, exception)
        if not request.path.startswith("/api/"):
            return None
        if isinstance(exception, TooManyFieldsSent):
            return problem_response(
                problem(
                    400,
                    "Too many query parameters: at most "
                    f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} are read.",
                )
            )
        logger.exception("Unhandled error answering %s %s", request.method, request.path)
        return problem_response(
            problem(500, "Something went wrong on our side; it has been logged.")
        )
