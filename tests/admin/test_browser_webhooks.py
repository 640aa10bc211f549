"""Webhook endpoints in a real browser: a reviewer creates one through the form and is shown
its secret once, under the admin's Content Security Policy; the delivery log's long answers
wrap inside a 1,280 px window."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from content.models import DeliveryStatus, Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.factories import ReviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_creates_an_endpoint_and_sees_its_secret_once(page, live_server, log_in):
    reviewer = ReviewerFactory(is_staff=True)
    log_in(reviewer)

    page.goto(f"{live_server.url}/admin/content/webhookendpoint/add/")
    page.fill("#id_url", "https://hooks.example.org/recovery")
    page.fill("#id_description", "The sleep app")
    page.get_by_label("Content published").check()
    page.get_by_label("Content withdrawn").check()
    expect(page.get_by_label("Test event (sent from the admin)")).to_have_count(0)
    page.click("input[name=_save]")

    endpoint = WebhookEndpoint.objects.get()
    expect(page).to_have_url(
        f"{live_server.url}/admin/content/webhookendpoint/{endpoint.pk}/change/"
    )
    secret = page.locator(".messagelist code.webhook-secret")
    expect(secret).to_have_text(endpoint.secret)
    expect(page.locator(".messagelist")).to_contain_text("it will not be shown again")
    expect(page.locator(".messagelist")).to_contain_text("webhook-signature")
    assert endpoint.event_types == ["content.published", "content.withdrawn"]
    assert list(endpoint.owners.all()) == [reviewer]

    page.reload()
    expect(page.locator("#signing-panel")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(endpoint.secret)
    expect(page.locator("body")).not_to_contain_text("whsec_")


def test_the_delivery_log_wraps_long_answers_in_the_window(page, live_server, log_in, screenshot):
    reviewer = ReviewerFactory(is_staff=True)
    endpoint = WebhookEndpoint.objects.create(
        url="https://hooks.example.org/" + "long-path/" * 30,
        event_types=["content.published"],
        secret="whsec_" + "A" * 44,
    )
    event = Event.objects.create(type="content.published", occurred_at=timezone.now(), body="{}")
    delivery = WebhookDelivery.objects.create(
        event=event, endpoint=endpoint, state=DeliveryStatus.FAILED, attempts=1
    )
    WebhookAttempt.objects.create(
        delivery=delivery, number=1, started_at=timezone.now(), duration_ms=12,
        status_code=502, response="<html>" + "x" * 2000 + "</html>",
    )  # fmt: skip
    log_in(reviewer)

    page.goto(f"{live_server.url}/admin/content/webhookendpoint/{endpoint.pk}/change/")

    expect(page.locator(f"#delivery-{delivery.pk} pre")).to_contain_text("<html>xxx")
    expect(page.locator(f"#delivery-{delivery.pk}")).to_contain_text("502")
    expect(page.get_by_role("button", name="Deliver again")).to_be_visible()
    expect(page.locator(f"#delivery-{delivery.pk}")).to_contain_text("Failed (no more tries)")
    # Long answers and URLs wrap: nothing to scroll sideways in a 1,280 px window.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("webhook-log")
