"""The outbox of events, the webhook endpoints that receive them, and the log of deliveries.

An ``Event`` is written in the transaction of what caused it (a publication, a withdrawal,
a review step, a vocabulary change), with one ``WebhookDelivery`` per endpoint that wants
it: nothing is announced that did not commit, and nothing that committed goes unannounced.
The job queue sends the deliveries (``content.jobs``); each try is a ``WebhookAttempt``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


class EventType(models.TextChoices):
    PUBLISHED = "content.published", "Content published"
    WITHDRAWN = "content.withdrawn", "Content withdrawn"
    SCHEDULED = "content.scheduled", "Content scheduled"
    VOCABULARY_CHANGED = "vocabulary.changed", "Vocabulary changed"
    SUBMITTED = "version.submitted", "Version submitted for review"
    APPROVED = "version.approved", "Version approved"
    CHANGES_REQUESTED = "version.changes_requested", "Changes requested"
    TEST = "webhook.test", "Test event (sent from the admin)"


def new_message_id() -> str:
    """A webhook message id (``webhook-id``): unique, and the receiver's idempotency key."""
    return f"msg_{secrets.token_hex(12)}"


class Event(models.Model):
    """Something that happened, as it is announced: ``body`` is the exact JSON every
    endpoint receives (signed per attempt, never rebuilt), its ``id`` the ``webhook-id``."""

    id = models.CharField(primary_key=True, max_length=40, default=new_message_id)
    type = models.CharField(max_length=40, choices=EventType.choices, db_index=True)
    occurred_at = models.DateTimeField(db_index=True)
    body = models.TextField()
    #: When its handlers (notifications) ran; the sweep hands it over again until then.
    handled_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class WebhookEndpoint(models.Model):
    """A receiver that asked to be told of some events, managed by reviewers in the admin."""

    url = models.URLField(max_length=2000, help_text="HTTPS (plain HTTP only in development).")
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(default=list, help_text="The events it receives.")
    enabled = models.BooleanField(default=True)
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="webhook_endpoints", blank=True,
        help_text="Told when the endpoint is disabled.",
    )  # fmt: skip
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url", "pk"]

    def __str__(self) -> str:
        return self.description or self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed (no more tries)"
    CANCELLED = "cancelled", "Cancelled (endpoint disabled)"


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint: tried until it succeeds or the schedule ends."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    #: While a worker is sending it: no other worker starts the same try before then.
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint")
        ]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event.type} to {self.endpoint}"


class WebhookAttempt(models.Model):
    """One try at a delivery, as the delivery log shows it."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response = models.TextField(blank=True, help_text="The first 2 KB of the answer.")
    error = models.CharField(max_length=500, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.status_code or self.error}"


class PeriodicRun(models.Model):
    """A periodic job was enqueued for this period: the unique row makes it once per period,
    however many workers run the clock."""

    name = models.CharField(max_length=100)
    period_start = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "period_start"], name="one_run_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.period_start:%Y-%m-%d %H:%M}"
