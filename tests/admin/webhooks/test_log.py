"""The webhook endpoints' list and each endpoint's delivery log, over HTTP: what was sent,
what receivers answered (escaped), and "deliver again" refused while a try is under way."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.admin.webhooks.pages import (
    CHANGELIST,
    action_url,
    change_url,
    delivery,
    logged_in,
    messages_of,
    page_text,
)
from tests.factories import WebhookEndpointFactory

pytestmark = pytest.mark.django_db


# --- The list and the delivery log ---------------------------------------------------------


def test_the_list_shows_events_status_and_the_last_delivery(reviewer):
    healthy = WebhookEndpointFactory(url="https://a.example.org/hooks", description="App A")
    failing = WebhookEndpointFactory(
        url="https://b.example.org/hooks",
        event_types=["content.published"],
        failing_since=timezone.now() - timedelta(hours=2),
    )
    WebhookEndpointFactory(
        url="https://c.example.org/hooks",
        enabled=False,
        disabled_reason="Disabled on 2025-01-01 10:00 UTC: it answered 410 Gone.",
    )
    delivery(healthy, state=DeliveryStatus.SUCCEEDED)
    delivery(failing, state=DeliveryStatus.PENDING)

    text = page_text(logged_in(reviewer).get(CHANGELIST))

    rows = re.findall(r"<tr>.*?</tr>", text[text.index("<tbody>") :], re.S)
    assert len(rows) == 3
    assert "App A" in rows[0] and "all events" in rows[0] and "Succeeded" in rows[0]
    assert "content.published" in rows[1] and "Failing since" in rows[1] and "Pending" in rows[1]
    assert "it answered 410 Gone" in rows[2]
    for endpoint in WebhookEndpoint.objects.all():
        assert endpoint.secret not in text


def test_the_delivery_log_shows_each_attempt_and_escapes_what_receivers_said(reviewer):
    endpoint = WebhookEndpointFactory()
    failed = delivery(endpoint, state=DeliveryStatus.FAILED, attempts=2)
    started = timezone.now() - timedelta(minutes=5)
    WebhookAttempt.objects.create(
        delivery=failed, number=1, started_at=started, duration_ms=10_001,
        error="ReadTimeoutError: read timed out",
    )  # fmt: skip
    WebhookAttempt.objects.create(
        delivery=failed, number=2, started_at=started + timedelta(minutes=1), duration_ms=37,
        status_code=500, response="<script>alert('x')</script>" + "y" * 3000,
    )  # fmt: skip
    pending = delivery(
        endpoint, EventType.WITHDRAWN, next_attempt_at=timezone.now() + timedelta(minutes=30)
    )

    text = page_text(logged_in(reviewer).get(change_url(endpoint)))
    log = text[text.index('id="deliveries"') :]

    # Newest first: the pending withdrawal, then the failed publication.
    assert log.index(f'id="delivery-{pending.pk}"') < log.index(f'id="delivery-{failed.pk}"')
    failed_part = log[log.index(f'id="delivery-{failed.pk}"') :]
    pending_part = log[: log.index(f'id="delivery-{failed.pk}"')]
    assert failed.event_id in failed_part and "Failed (no more tries)" in failed_part
    assert "ReadTimeoutError: read timed out" in failed_part and "10001 ms" in failed_part
    assert "<strong>500</strong>" in failed_part and "37 ms" in failed_part
    assert "<script>alert" not in text
    assert "<pre>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;yyy" in failed_part
    assert f"deliveries/{failed.pk}/deliver-again/" in failed_part
    # The pending one is still being tried: no button, and when it is next tried.
    assert pending.event_id in pending_part and "Not tried yet" in pending_part
    assert "deliver-again" not in pending_part
    assert f"{timezone.localtime(pending.next_attempt_at):%Y-%m-%d %H:%M}" in pending_part


def test_the_log_shows_the_latest_fifty_deliveries(reviewer):
    endpoint = WebhookEndpointFactory()
    made = [delivery(endpoint, state=DeliveryStatus.SUCCEEDED) for _ in range(52)]
    text = page_text(logged_in(reviewer).get(change_url(endpoint)))
    assert text.count('class="webhook-delivery') == 50
    assert "The latest 50 of 52 deliveries" in text
    assert f'id="delivery-{made[-1].pk}"' in text
    assert f'id="delivery-{made[0].pk}"' not in text


def test_a_pending_delivery_is_not_sent_again_on_a_crafted_request(reviewer):
    endpoint = WebhookEndpointFactory()
    pending = delivery(endpoint, attempts=1, next_attempt_at=timezone.now() + timedelta(hours=1))
    answer = logged_in(reviewer).post(action_url("redeliver", endpoint, pending.pk), follow=True)
    assert any("still being tried" in m for m in messages_of(answer))
    pending.refresh_from_db()
    assert pending.attempts == 1


def test_a_reviewer_can_delete_an_endpoint_with_its_log(reviewer):
    endpoint = WebhookEndpointFactory()
    delivery(endpoint, state=DeliveryStatus.SUCCEEDED)
    delete = reverse("admin:content_webhookendpoint_delete", args=[endpoint.pk])
    answer = logged_in(reviewer).post(delete, {"post": "yes"})
    assert answer.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()
