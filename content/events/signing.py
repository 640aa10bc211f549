"""Endpoints' secrets and the Standard Webhooks signature: the ``standardwebhooks``
package signs; nothing here does its own cryptography."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from content.models import Event, WebhookEndpoint

#: After a secret is rotated, the old one also signs for this long.
ROTATION_OVERLAP = timedelta(hours=24)
USER_AGENT = "recovery-content-webhooks/1.0"


def new_secret() -> str:
    """A new signing secret, as Standard Webhooks writes them: ``whsec_`` and 32 random
    bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def validate_url(url: str) -> None:
    """Refuse a URL webhooks may not be sent to: not HTTPS (plain HTTP only where
    ``WEBHOOK_ALLOW_HTTP``), or without a host. Addresses are checked when sending."""
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        raise ValidationError(
            "Use an https:// URL: webhooks carry signed content events"
            + ("." if settings.WEBHOOK_ALLOW_HTTP else " (plain HTTP only in development).")
        )
    if not parts.hostname:
        raise ValidationError("The URL needs a host.")
    if parts.username or parts.password:
        raise ValidationError(
            "Leave credentials out of the URL: receivers check the signature instead."
        )


def rotate_secret(endpoint: WebhookEndpoint, *, now: datetime | None = None) -> str:
    """Give ``endpoint`` a new secret and return it (shown once). The old one goes on
    signing, beside it, for ``ROTATION_OVERLAP``, so the receiver can switch without a gap."""
    now = now or timezone.now()
    secret = new_secret()
    with transaction.atomic():  # the secret replaced is the one stored, even at a double click
        current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk).secret
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            previous_secret=current, previous_secret_until=now + ROTATION_OVERLAP, secret=secret
        )
    endpoint.refresh_from_db()
    return secret


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The secrets that sign now: the current one, and the previous one during its overlap."""
    current = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and (now < endpoint.previous_secret_until)
    ):
        current.append(endpoint.previous_secret)
    return current


def signed_headers(endpoint: WebhookEndpoint, event: Event, now: datetime) -> dict[str, str]:
    """The Standard Webhooks headers for sending ``event`` to ``endpoint`` at ``now``."""
    signatures = " ".join(
        Webhook(secret).sign(event.id, now, event.body) for secret in signing_secrets(endpoint, now)
    )
    return {
        "webhook-id": event.id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }
