"""What the webhook endpoint pages' tests share: the pages' addresses, posting the form,
and deliveries made without sending anything."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import (
    Event,
    EventType,
    WebhookDelivery,
)

CHANGELIST = reverse("admin:content_webhookendpoint_changelist")
ADD = reverse("admin:content_webhookendpoint_add")
SECRET = re.compile(r'<code class="webhook-secret">(whsec_[^<]+)</code>')


def change_url(endpoint) -> str:
    return reverse("admin:content_webhookendpoint_change", args=[endpoint.pk])


def action_url(name: str, endpoint, *more) -> str:
    return reverse(f"admin:content_webhookendpoint_{name}", args=[endpoint.pk, *more])


def logged_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def page_text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def form_data(endpoint=None, **changes) -> dict:
    """What the endpoint form posts for ``endpoint`` as it is (or a new one), with ``changes``."""
    data = {
        "url": endpoint.url if endpoint else "https://hooks.example.org/recovery",
        "description": endpoint.description if endpoint else "The sleep app",
        "event_types": (
            [t for t in endpoint.event_types if t != EventType.TEST]
            if endpoint
            else ["content.published", "content.withdrawn"]
        ),
        "owners": [user.pk for user in endpoint.owners.all()] if endpoint else [],
    }
    if endpoint is None or endpoint.enabled:
        data["enabled"] = "on"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def delivery(endpoint, event_type=EventType.PUBLISHED, **fields) -> WebhookDelivery:
    event = Event.objects.create(type=event_type, occurred_at=timezone.now(), body="{}")
    return WebhookDelivery.objects.create(event=event, endpoint=endpoint, **fields)
