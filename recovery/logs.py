"""Structured logs: one JSON object per line, and one line per request.

Request lines carry what an operator needs to follow traffic and errors (method, path, the
names of the query parameters, status, duration, size, the API key's public prefix, the admin
user's id) and nothing secret or personal beyond the client address: no header values, no
cookies, no query values (a ``profile`` is the end user's health information).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.exceptions import SuspiciousOperation
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

from .clients import client_address

request_log = logging.getLogger("recovery.requests")

#: A client's X-Request-ID is kept if it looks like an id; otherwise one is made.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
#: The id of the request this thread is answering, for every log line written meanwhile.
current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_of(request: HttpRequest) -> str:
    """The client's ``X-Request-ID`` when it is well formed, else a new one."""
    sent = request.META.get("HTTP_X_REQUEST_ID", "")
    return sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Gives every record written while a request is answered that request's id (the
    handlers' filter: Django's own lines about the request included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id.get()
        return True


def _forget_request_id(**_kwargs) -> None:
    current_request_id.set(None)


# Once the response is closed: after Django's own line about it (log_response) is written.
request_finished.connect(_forget_request_id, dispatch_uid="recovery.logs.request_id")


class JsonFormatter(logging.Formatter):
    """Each record as one JSON line: time, level, logger, message, the record's ``fields``,
    and the traceback (as text) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if getattr(record, "request_id", None) and "request_id" not in line:
            line["request_id"] = record.request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    """Logs one line per request at INFO on ``recovery.requests`` (first in MIDDLEWARE, so the
    duration covers every other middleware, and redirects and refusals are logged too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request.request_id = request_id_of(request)
        current_request_id.set(request.request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if request_log.isEnabledFor(logging.INFO):
            request_log.info(
                "request",
                extra={"fields": self.fields(request, response, time.perf_counter() - started)},
            )
        return response

    @staticmethod
    def fields(request: HttpRequest, response: HttpResponse, seconds: float) -> dict:
        # The user only where the request looked it up already (the admin does, the API does
        # not): the log never costs a session query.
        user = getattr(request, "_cached_user", None)
        return {
            "method": request.method,
            "path": _PREVIEW_TOKEN.sub(r"\1<token>/", request.path),
            "params": _parameter_names(request),
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2),
            "bytes": None if response.streaming else len(response.content),
            # The public prefix of the key that authenticated (content.delivery.access).
            "api_key": getattr(request, "api_key_prefix", None),
            "user": user.pk if user is not None and user.is_authenticated else None,
            "client": client_address(request) or None,
            "request_id": getattr(request, "request_id", None),
        }


#: A preview link's token is its credential: never written to a log.
_PREVIEW_TOKEN = re.compile(r"^(/api/v1/preview/)[^/]+/?$")


class RedactPreviewTokens(logging.Filter):
    """Django's own lines about a request (``django.request``: "Forbidden: <path>") with a
    preview link's token replaced, as the request log writes its path."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _PREVIEW_TOKEN.sub(r"\1<token>/", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


def _parameter_names(request: HttpRequest) -> list[str] | None:
    """The names of the query parameters (never their values), or None where Django refuses
    to read them (more than DATA_UPLOAD_MAX_NUMBER_FIELDS)."""
    try:
        return sorted(request.GET)
    except SuspiciousOperation:
        return None
