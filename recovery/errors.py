"""The 400 page: a form too large to read says so in words, and that nothing was saved."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.html import format_html
from django.views import defaults

from content.workflow.validation import MAX_BODY_CHARS


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
        return HttpResponseBadRequest(
            format_html(
                "<!doctype html><title>Too large: nothing was saved</title>"
                "<h1>Too large: nothing was saved</h1>"
                "<p>What the page sent is larger than the {} MB the server reads. Go back with "
                "your browser's Back button: what you typed is still in the form. Shorten the "
                "body (it holds at most {} characters) and save again.</p>",
                f"{limit:.1f}",
                f"{MAX_BODY_CHARS:,}",
            )
        )
    return defaults.bad_request(request, exception)
