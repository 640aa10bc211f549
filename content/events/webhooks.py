"""Signed webhooks (Standard Webhooks 1.0): the deliveries of each event, each try a job,
and what follows a try (the retry schedule, disabling an endpoint, telling its owners).
Endpoints' secrets and signatures are in ``signing``, one try's request in ``sending``.

A delivery
is tried until a 2xx answer, on a schedule of about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
10 h (with jitter; a ``Retry-After`` answer is honoured). A 410 answer disables the endpoint
at once; one failing for ``DISABLE_AFTER`` is disabled too, and its owners are told.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from content.errors import InvalidTransition
from content.models import (
    DeliveryStatus,
    Event,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

from .records import new_event
from .sending import send
from .signing import new_secret, rotate_secret, validate_url
from .tasks import sweep as sweep_events

__all__ = ["new_secret", "rotate_secret", "validate_url"]  # the endpoints' rules, from here

#: Seconds between tries after the first: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
RETRY_DELAYS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
#: Each delay is varied by up to this share either way, so receivers are not hit in step.
JITTER = 0.1
#: An endpoint that has answered nothing but failures for this long is disabled.
DISABLE_AFTER = timedelta(days=3)


# --- Deliveries: one per endpoint, each try a job --------------------------------------


def fan_out(event: Event) -> list[WebhookDelivery]:
    """A delivery of ``event`` to each enabled endpoint that wants it, and its job (in the
    caller's transaction)."""
    return [
        _new_delivery(event, endpoint)
        for endpoint in WebhookEndpoint.objects.filter(enabled=True)
        if event.type in endpoint.event_types
    ]


def _new_delivery(event: Event, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """The delivery of ``event`` to ``endpoint``, due now, and the job for its first try."""
    delivery = WebhookDelivery.objects.create(
        event=event, endpoint=endpoint, next_attempt_at=event.occurred_at
    )
    deliver_webhook.enqueue(delivery.pk)
    return delivery


@task()
def deliver_webhook(delivery_id: int) -> int | None:
    """The job: try to send one delivery, if it is due; return the answer's HTTP status."""
    attempt = deliver(delivery_id)
    return attempt.status_code if attempt else None


def next_try_in(attempts: int, retry_after: timedelta | None = None) -> timedelta | None:
    """How long to wait after the ``attempts``-th failed try (None: the schedule is over)."""
    if attempts > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[attempts - 1] * (1 + random.uniform(-JITTER, JITTER))
    wait = timedelta(seconds=delay)
    return max(wait, retry_after) if retry_after else wait


def claim(delivery_id: int, *, now: datetime) -> WebhookDelivery | None:
    """Take the delivery for one try if it is due, pending, and nobody else is trying it."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("event", "endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state != DeliveryStatus.PENDING:
            return None
        if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(seconds=1):
            return None  # an early job for a later try: the job for that time will come
        if delivery.claimed_until and delivery.claimed_until > now:
            return None
        if not delivery.endpoint.enabled:
            _finish(delivery, DeliveryStatus.CANCELLED, now)
            return None
        delivery.attempts += 1
        delivery.claimed_until = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT + 30)
        delivery.save(update_fields=["attempts", "claimed_until"])
        return delivery


def _finish(delivery: WebhookDelivery, state: str, now: datetime) -> None:
    delivery.state = state
    delivery.finished_at = now
    delivery.next_attempt_at = None
    delivery.claimed_until = None
    delivery.save(update_fields=["state", "finished_at", "next_attempt_at", "claimed_until"])


def deliver(delivery_id: int) -> WebhookAttempt | None:
    """Make the next try of a delivery, if it is due, and record it; then finish the
    delivery, disable its endpoint, or enqueue the next try. Returns the attempt made."""
    now = timezone.now()
    delivery = claim(delivery_id, now=now)
    if delivery is None:
        return None
    outcome = send(delivery.endpoint, delivery.event, now=now)
    done = timezone.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        attempt = WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempt_log.count() + 1,
            started_at=now,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status,
            response=outcome.response,
            error=outcome.error,
            succeeded=outcome.succeeded,
        )
        if outcome.succeeded:
            _finish(delivery, DeliveryStatus.SUCCEEDED, done)
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
            return attempt
        if endpoint.failing_since is None:
            endpoint.failing_since = now
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=now)
        if not endpoint.enabled:  # disabled while this try was under way
            _finish(delivery, DeliveryStatus.CANCELLED, done)
            return attempt
        if outcome.status == 410:
            _finish(delivery, DeliveryStatus.FAILED, done)
            disable(endpoint, "it answered 410 Gone", now=done)
            return attempt
        if done - endpoint.failing_since >= DISABLE_AFTER:
            _finish(delivery, DeliveryStatus.FAILED, done)
            disable(endpoint, _failing_since(endpoint), now=done)
            return attempt
        wait = next_try_in(delivery.attempts, outcome.retry_after)
        if wait is None:
            _finish(delivery, DeliveryStatus.FAILED, done)
            return attempt
        delivery.next_attempt_at = done + wait
        delivery.claimed_until = None
        delivery.save(update_fields=["next_attempt_at", "claimed_until"])
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return attempt


def _failing_since(endpoint: WebhookEndpoint) -> str:
    return f"it has failed every delivery since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC"


def disable(endpoint: WebhookEndpoint, reason: str, *, now: datetime) -> None:
    """Stop sending to ``endpoint`` (its pending deliveries are cancelled) and tell its
    owners why, once the transaction commits."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        enabled=False, disabled_reason=f"Disabled on {now:%Y-%m-%d %H:%M} UTC: {reason}."
    )
    WebhookDelivery.objects.filter(endpoint=endpoint, state=DeliveryStatus.PENDING).update(
        state=DeliveryStatus.CANCELLED, finished_at=now, next_attempt_at=None
    )
    endpoint.refresh_from_db()
    recipients = [user.email for user in endpoint.owners.all() if user.email and user.is_active]
    if recipients:
        subject = f"Webhook endpoint disabled: {endpoint}"
        message = (
            f"The webhook endpoint {endpoint.url} no longer receives events.\n"
            f"{endpoint.disabled_reason}\n\n"
            "Fix the receiver, then enable the endpoint again in the admin:\n"
            f"{settings.SITE_URL}"
            f"{reverse('admin:content_webhookendpoint_change', args=[endpoint.pk])}\n"
        )
        transaction.on_commit(
            lambda: send_mail(subject, message, None, recipients, fail_silently=True)
        )


def redeliver(delivery: WebhookDelivery) -> None:
    """Send ``delivery`` again now, with a fresh schedule (the "deliver again" action); one
    still pending is already on its way, and is refused."""
    with transaction.atomic():
        current = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if current.state == DeliveryStatus.PENDING:
            raise InvalidTransition("This delivery is still being tried; wait for its result.")
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_until=None,
            finished_at=None,
        )
        deliver_webhook.enqueue(delivery.pk)


def send_test_event(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a ``webhook.test`` event to ``endpoint`` alone (the admin's "send a test event")."""
    with transaction.atomic():
        event = new_event(EventType.TEST, {"endpoint": endpoint.pk}, at=timezone.now())
        return _new_delivery(event, endpoint)


#: A pending delivery this late, and not being sent, lost its job (a worker stopped).
LOST_AFTER = timedelta(minutes=1)


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Enqueue again the deliveries whose job was lost, and disable the endpoints that have
    failed for ``DISABLE_AFTER`` (whether or not anything was sent to them lately)."""
    now = now or timezone.now()
    lost = WebhookDelivery.objects.filter(
        state=DeliveryStatus.PENDING, next_attempt_at__lt=now - LOST_AFTER
    ).exclude(claimed_until__gt=now)
    requeued = 0
    for delivery_id in lost.values_list("pk", flat=True):
        deliver_webhook.enqueue(delivery_id)
        requeued += 1
    disabled = 0
    for endpoint in WebhookEndpoint.objects.filter(
        enabled=True, failing_since__lte=now - DISABLE_AFTER
    ):
        with transaction.atomic():
            disable(
                endpoint,
                f"it has failed every delivery since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC",
                now=now,
            )
        disabled += 1
    handed_over = sweep_events(now=now, lost_after=LOST_AFTER)
    return {"requeued": requeued, "disabled": disabled, "handed_over": handed_over}
