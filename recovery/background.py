"""Settings of the background work: the job queue, webhooks and email (read by settings.py).

Everything comes from the environment, as in ``recovery.settings``; the defaults are a
development setup. ``settings(production=...)`` returns the names to set.
"""

from __future__ import annotations

import os


def _bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def settings(*, production: bool) -> dict:
    """The background work's Django settings, for ``production`` or development."""
    allow_private = _bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", not production)
    allow_http = _bool("WEBHOOK_ALLOW_HTTP", not production)
    if production and (allow_private or allow_http):
        raise RuntimeError(
            "WEBHOOK_ALLOW_PRIVATE_ADDRESSES and WEBHOOK_ALLOW_HTTP cannot be turned on under "
            "production settings."
        )
    return {
        # The job queue: Django's tasks API (django-tasks, the API Django 6 adopted) with its
        # database backend, so a job is enqueued in the transaction of what causes it.
        "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        #: Development and tests may send webhooks to loopback and private addresses, and
        #: over plain HTTP; production refuses both (checked on the resolved address).
        "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": allow_private,
        "WEBHOOK_ALLOW_HTTP": allow_http,
        #: Seconds to wait for a receiver's answer.
        "WEBHOOK_TIMEOUT": float(os.environ.get("WEBHOOK_TIMEOUT", "10")),
        # Email (notifications): Django's settings, from the environment; the console in
        # development unless EMAIL_HOST is set.
        "EMAIL_BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if production or os.environ.get("EMAIL_HOST")
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "EMAIL_HOST": os.environ.get("EMAIL_HOST", "localhost"),
        "EMAIL_PORT": int(os.environ.get("EMAIL_PORT", "25")),
        "EMAIL_HOST_USER": os.environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": _bool("EMAIL_USE_TLS", False),
        "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": os.environ.get("DEFAULT_FROM_EMAIL", "recovery@localhost"),
        #: Links in notifications and webhook payloads start with this (the public address).
        "SITE_URL": os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/"),
    }
