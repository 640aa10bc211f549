"""The admin's webhook buttons for real: the job worker runs beside the test and a real HTTP
receiver verifies what arrives with the secret the admin showed (the pages themselves are
``tests/admin/test_webhooks_admin.py``)."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from content.models import DeliveryStatus, Event, WebhookDelivery, WebhookEndpoint
from tests.factories import ReviewerFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = re.compile(r'<code class="webhook-secret">(whsec_[^<]+)</code>')


def wait_until(check, *, timeout: float = 10.0, what: str = "the worker"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def succeeded(delivery_id: int, attempts: int = 1) -> WebhookDelivery | None:
    return WebhookDelivery.objects.filter(
        pk=delivery_id, state=DeliveryStatus.SUCCEEDED, attempt_log__number=attempts
    ).first()


def action_url(name: str, endpoint, *more) -> str:
    return reverse(f"admin:content_webhookendpoint_{name}", args=[endpoint.pk, *more])


def change_url(endpoint) -> str:
    return reverse("admin:content_webhookendpoint_change", args=[endpoint.pk])


@pytest.fixture
def client_of_reviewer():
    client = Client()
    client.force_login(ReviewerFactory(is_staff=True))
    return client


def test_a_test_event_arrives_verified_with_the_secret_shown_and_its_answer_is_logged(
    worker, receiver, client_of_reviewer
):
    client = client_of_reviewer
    created = client.post(
        reverse("admin:content_webhookendpoint_add"),
        {"url": receiver.url, "event_types": ["content.published"], "enabled": "on"},
        follow=True,
    )
    [secret] = SECRET.findall(created.content.decode())
    receiver.secrets[:] = [secret]  # the receiver is set up with what the admin showed
    endpoint = WebhookEndpoint.objects.get()

    sent = client.post(action_url("test", endpoint), follow=True)

    [message] = [str(m) for m in sent.context["messages"]]
    assert "is queued" in message and "in the log below" in message
    [request] = receiver.wait_for(1)
    assert request.verified, request.verification_error
    event = Event.objects.get(type="webhook.test")
    assert request.headers["webhook-id"] == event.id
    assert request.verified_payload["type"] == "webhook.test"
    assert request.verified_payload["data"] == {"endpoint": endpoint.pk}
    delivery = WebhookDelivery.objects.get(event=event)
    assert f"#delivery-{delivery.pk}" in message
    wait_until(lambda: succeeded(delivery.pk), what="the test delivery's success")

    page = client.get(change_url(endpoint)).content.decode()
    entry = page[page.index(f'id="delivery-{delivery.pk}"') :]
    assert event.id in entry and "Succeeded" in entry
    assert re.search(r"<td>1</td>.*?<strong>200</strong>.*?\d+ ms.*?<pre>ok</pre>", entry, re.S)
    assert "Deliver again" in entry
    assert secret not in page


def test_deliver_again_sends_a_succeeded_delivery_again_with_the_same_webhook_id(
    worker, receiver, client_of_reviewer
):
    client = client_of_reviewer
    endpoint = WebhookEndpointFactory(url=receiver.url, secret=receiver.secrets[0])
    client.post(action_url("test", endpoint))
    [first] = receiver.wait_for(1)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    wait_until(lambda: succeeded(delivery.pk), what="the first delivery's success")

    again = client.post(action_url("redeliver", endpoint, delivery.pk), follow=True)

    assert any("delivered again" in str(m) for m in again.context["messages"])
    _, second = receiver.wait_for(2)
    assert second.verified, second.verification_error
    assert second.headers["webhook-id"] == first.headers["webhook-id"] == delivery.event_id
    assert second.body == first.body
    wait_until(lambda: succeeded(delivery.pk, attempts=2), what="the second try's success")
    assert WebhookDelivery.objects.count() == 1

    page = client.get(change_url(endpoint)).content.decode()
    entry = page[page.index(f'id="delivery-{delivery.pk}"') :]
    assert entry.count('<tr class="attempt succeeded">') == 2
