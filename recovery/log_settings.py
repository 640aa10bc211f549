"""The ``LOGGING`` setting (``settings.py`` calls it with what the environment says): JSON or
text lines on the console, the request log on its own handler, every line with its
request's id, preview tokens never written."""

from __future__ import annotations


def logging_config(*, log_format: str, request_log: bool, level: str) -> dict:
    """``log_format``: ``json`` or ``text``; ``request_log``: one JSON line per request."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "recovery.logs.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "filters": {
            "redact_previews": {"()": "recovery.logs.RedactPreviewTokens"},
            "request_id": {"()": "recovery.logs.RequestIdFilter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            },
            "requests": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "recovery.requests": {
                "handlers": ["requests"],
                "level": "INFO" if request_log else "WARNING",
                "propagate": False,
            },
            # Client errors are in the request log already; keep django.request for 5xx.
            "django.request": {
                "level": "ERROR" if request_log else "WARNING",
                "filters": ["redact_previews"],
            },
        },
    }
