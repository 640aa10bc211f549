"""Signed webhooks, end to end: the workflow publishes, the job worker (running beside the
test) sends, and a real HTTP receiver verifies each request with the ``standardwebhooks``
package and answers as scripted."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from content import workflow
from content.events import webhooks
from content.models import DeliveryStatus, Event, WebhookDelivery, WebhookEndpoint
from tests import builders
from tests.factories import ContraindicationFactory, ReviewerFactory, WebhookEndpointFactory
from tests.servers import Answer

pytestmark = pytest.mark.django_db(transaction=True)

PUBLISHED = ["content.published"]


def endpoint_for(receiver, **fields) -> WebhookEndpoint:
    fields.setdefault("event_types", PUBLISHED)
    fields.setdefault("url", receiver.url)
    return WebhookEndpointFactory(secret=receiver.secrets[0], **fields)


def wait_until(check, *, timeout: float = 10.0, what: str = "the worker"):
    """Poll ``check`` until it returns something true; fail saying ``what`` did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def delivery_of(endpoint) -> WebhookDelivery:
    return WebhookDelivery.objects.get(endpoint=endpoint)


def disabled_mails(smtp) -> list:
    """The emails saying an endpoint was disabled (reviewers also get review notifications)."""
    return [m for m in smtp.messages if m.subject.startswith("Webhook endpoint disabled")]


@pytest.fixture
def quick_retries(monkeypatch):
    """The first retries come after a second, not 5 s and 5 min (the schedule itself is
    pinned in ``test_the_retry_schedule``)."""
    monkeypatch.setattr(webhooks, "RETRY_DELAYS", (1, 1, *webhooks.RETRY_DELAYS[2:]))


def test_a_publication_reaches_the_receiver_signed_with_a_thin_payload(
    worker, receiver, editor, reviewer
):
    endpoint = endpoint_for(receiver)
    version = builders.published(editor, reviewer, slug="glycine-bedtime")

    [request] = receiver.wait_for(1)
    assert request.verified, request.verification_error
    event = Event.objects.get(type="content.published")
    assert request.headers["webhook-id"] == event.id
    assert request.headers["content-type"] == "application/json"
    assert request.verified_payload == {
        "type": "content.published",
        "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "data": {
            "type": "component",
            "slug": "glycine-bedtime",
            "version": 1,
            "kind": "yoga",
            "content_hash": version.content_hash,
            "url": "http://127.0.0.1:8000/api/v1/components/glycine-bedtime/",
        },
    }
    delivery = wait_until(
        lambda: WebhookDelivery.objects.filter(endpoint=endpoint, state="succeeded").first(),
        what="the delivery's success being recorded",
    )
    [attempt] = delivery.attempt_log.all()
    assert (attempt.status_code, attempt.response, attempt.succeeded) == (200, "ok", True)


def test_review_steps_reach_an_endpoint_that_asked_for_them_and_nothing_else(
    worker, receiver, editor, reviewer
):
    endpoint_for(receiver, event_types=["version.submitted", "version.changes_requested"])
    version = builders.in_review(editor)
    workflow.request_changes(version=version, user=reviewer, comment="Cite the trial.")

    requests = receiver.wait_for(2)
    time.sleep(0.5)  # anything else would have arrived by now
    assert [r.verified_payload["type"] for r in receiver.received] == [
        "version.submitted",
        "version.changes_requested",
    ]
    assert all(r.verified for r in requests)


def test_a_failed_delivery_is_retried_signed_again_with_the_same_webhook_id(
    worker, receiver, editor, reviewer, quick_retries
):
    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(500, body=b"database down"), Answer(200))
    builders.published(editor, reviewer)

    first, retry = receiver.wait_for(2)
    assert first.verified and retry.verified
    assert first.headers["webhook-id"] == retry.headers["webhook-id"]
    assert first.body == retry.body
    delivery = wait_until(
        lambda: WebhookDelivery.objects.filter(endpoint=endpoint, state="succeeded").first()
    )
    log = list(delivery.attempt_log.order_by("number").values_list("number", "status_code"))
    assert log == [(1, 500), (2, 200)]
    assert delivery.attempt_log.get(number=1).response == "database down"
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


def test_a_410_disables_the_endpoint_and_tells_its_owners(worker, receiver, smtp, editor, reviewer):
    owner = ReviewerFactory(email="owner@example.org")
    endpoint = endpoint_for(receiver, owners=[owner])
    receiver.answer(Answer(410, body=b"gone"))
    builders.published(editor, reviewer)

    receiver.wait_for(1)
    [mail] = wait_until(lambda: disabled_mails(smtp), what="the owners' email")
    assert mail.rcpt_tos == ("owner@example.org",)
    assert "410" in mail.text
    endpoint.refresh_from_db()
    assert endpoint.enabled is False
    assert "410 Gone" in endpoint.disabled_reason
    delivery = delivery_of(endpoint)
    assert delivery.state == DeliveryStatus.FAILED
    assert delivery.attempt_log.get().status_code == 410
    # Later events are not sent to a disabled endpoint.
    builders.published(editor, reviewer, slug="second-item")
    time.sleep(1)
    assert len(receiver.received) == 1


def test_a_redirect_is_not_followed_and_counts_as_a_failure(worker, receiver, editor, reviewer):
    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(302, headers={"Location": receiver.url_for("/elsewhere")}))
    builders.published(editor, reviewer)

    receiver.wait_for(1)
    attempt = wait_until(
        lambda: delivery_of(endpoint).attempt_log.first(), what="the attempt being recorded"
    )
    time.sleep(0.5)
    assert [r.path for r in receiver.received] == ["/hooks"]
    assert (attempt.status_code, attempt.succeeded) == (302, False)
    delivery = delivery_of(endpoint)
    assert delivery.state == DeliveryStatus.PENDING
    assert delivery.next_attempt_at > attempt.started_at


def test_retry_after_is_honoured(worker, receiver, editor, reviewer):
    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(503, headers={"Retry-After": "600"}))
    builders.published(editor, reviewer)

    receiver.wait_for(1)
    attempt = wait_until(lambda: delivery_of(endpoint).attempt_log.first())
    wait = delivery_of(endpoint).next_attempt_at - attempt.started_at
    assert wait >= timedelta(seconds=600)


def test_a_rolled_back_publication_sends_nothing(worker, receiver, editor, reviewer):
    endpoint_for(receiver)
    version = builders.approved(editor, reviewer)
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.publish(version=version, user=reviewer)
        raise RuntimeError("the request failed after publishing")

    time.sleep(1.5)  # the worker polls every 50 ms: a job would have run by now
    assert receiver.received == []
    assert not Event.objects.filter(type="content.published").exists()
    assert not WebhookDelivery.objects.exists()


def test_a_receiver_down_for_the_whole_schedule_ends_disabled_and_its_owners_told(
    worker, receiver, smtp, editor, reviewer
):
    owner = ReviewerFactory(email="owner@example.org")
    endpoint = endpoint_for(receiver, owners=[owner])
    receiver.stop()
    tries = len(webhooks.RETRY_DELAYS) + 1
    with time_machine.travel(timezone.now(), tick=True) as clock:
        builders.published(editor, reviewer)
        for number in range(1, tries + 1):
            delivery = wait_until(
                lambda n=number: WebhookDelivery.objects.filter(
                    endpoint=endpoint, attempt_log__number=n, claimed_until__isnull=True
                ).first(),
                what=f"attempt {number}",
            )
            if number < tries:
                clock.move_to(delivery.next_attempt_at + timedelta(seconds=1))
        delivery.refresh_from_db()
        assert delivery.state == DeliveryStatus.FAILED
        errors = set(delivery.attempt_log.values_list("error", flat=True))
        assert all("ConnectionRefused" in e or "NewConnectionError" in e for e in errors)
        # The schedule is over after about 28 hours; the endpoint is disabled once it has
        # failed for three days (the periodic sweep looks every minute).
        endpoint.refresh_from_db()
        assert endpoint.enabled
        clock.move_to(endpoint.failing_since + webhooks.DISABLE_AFTER + timedelta(minutes=1))
        wait_until(
            lambda: not WebhookEndpoint.objects.get(pk=endpoint.pk).enabled,
            what="the sweep disabling the endpoint",
        )
    [mail] = wait_until(lambda: disabled_mails(smtp), what="the owners' email")
    assert mail.rcpt_tos == ("owner@example.org",)
    assert endpoint.url in mail.text


def test_the_retry_schedule():
    waits = [webhooks.next_try_in(n) for n in range(1, 9)]
    assert waits[-1] is None
    expected = [5, 300, 1800, 7200, 18000, 36000, 36000]
    for wait, seconds in zip(waits, expected, strict=False):
        assert seconds * 0.9 <= wait.total_seconds() <= seconds * 1.1
    assert webhooks.next_try_in(1, timedelta(minutes=10)) == timedelta(minutes=10)


def test_a_secret_rotation_signs_with_both_during_the_overlap(worker, receiver, editor, reviewer):
    endpoint = endpoint_for(receiver)
    old = endpoint.secret
    new = webhooks.rotate_secret(endpoint)
    receiver.secrets = [new, old]
    builders.published(editor, reviewer)

    [request] = receiver.wait_for(1)
    assert set(request.verified_by) == {old, new}
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    payload = json.loads(request.body)
    assert payload["type"] == "content.published"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_production_refuses_loopback_and_private_addresses_at_send_time(
    worker, receiver, editor, reviewer, settings, host
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    endpoint = endpoint_for(receiver, url=receiver.url.replace("127.0.0.1", host))
    builders.published(editor, reviewer)

    attempt = wait_until(lambda: delivery_of(endpoint).attempt_log.first())
    assert attempt.status_code is None
    assert attempt.error.startswith("refused: ")
    assert "a loopback, private, link-local or reserved address" in attempt.error
    time.sleep(0.3)
    assert receiver.received == []


def test_an_endpoint_that_became_plain_http_is_refused_at_send_time(
    worker, receiver, editor, reviewer, settings
):
    endpoint = endpoint_for(receiver)
    settings.WEBHOOK_ALLOW_HTTP = False
    builders.published(editor, reviewer)

    attempt = wait_until(lambda: delivery_of(endpoint).attempt_log.first())
    assert attempt.error == (
        "refused: Use an https:// URL: webhooks carry signed content events "
        "(plain HTTP only in development)."
    )
    assert receiver.received == []


def test_a_vocabulary_change_is_announced(worker, receiver):
    endpoint_for(receiver, event_types=["vocabulary.changed"])
    condition = ContraindicationFactory(slug="pregnancy")
    condition.name = "Pregnancy (any trimester)"
    condition.save()

    created, changed = receiver.wait_for(2)
    assert [r.verified_payload["data"] for r in (created, changed)] == [
        {"type": "contraindication", "slug": "pregnancy", "change": "created"},
        {"type": "contraindication", "slug": "pregnancy", "change": "changed"},
    ]


def test_a_receiver_slower_than_the_timeout_is_a_failed_try(
    worker, receiver, editor, reviewer, settings
):
    settings.WEBHOOK_TIMEOUT = 0.5
    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(200, delay=2.0))
    builders.published(editor, reviewer)

    attempt = wait_until(lambda: delivery_of(endpoint).attempt_log.first())
    assert (attempt.status_code, attempt.succeeded) == (None, False)
    assert "timed out" in attempt.error.lower()
    assert attempt.duration_ms < 1500
    assert delivery_of(endpoint).state == DeliveryStatus.PENDING
