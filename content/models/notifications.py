"""Notifications: what a person is told (in the admin, and by email at once or in a daily
digest), how each person wants to be told of each kind of news, and the digests sent.

A ``Notification`` holds a title and a link only, never clinical text: it is shown in the
admin and may be emailed. Its ``key`` makes it once per cause and person (an event handled
twice, a reminder job run twice in one reminder period), as a unique row. Nothing here
decides who is told; ``content.notifications`` asks the workflow's checks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .content import ContentItem, Version


class NotificationKind(models.TextChoices):
    """The news a person can be told of; each person chooses how, per kind. The values of
    those caused by an event are the event's type."""

    SUBMITTED = "version.submitted", "A version waits for my review"
    CHANGES_REQUESTED = (
        "version.changes_requested",
        "Changes were requested to a version I wrote or approved",
    )
    APPROVED = "version.approved", "A version I wrote was approved"
    PUBLISHED = "content.published", "A version I wrote was published"
    WITHDRAWN = "content.withdrawn", "A version I wrote was withdrawn"
    PLAN_FLAGGED = "plan.flagged", "A withdrawal flagged a plan I own for review"
    REVIEW_DUE = "review.due", "An item is due (or overdue) for its periodic review"


class Delivery(models.TextChoices):
    """How a person is told of one kind of news."""

    IMMEDIATE = "immediate", "At once (one email each)"
    DIGEST = "digest", "Daily digest (one email a day)"
    OFF = "off", "Off"


#: How a person is told of a kind they have not chosen for.
DEFAULT_DELIVERY = Delivery.IMMEDIATE


class DigestRun(models.Model):
    """The digest email of one person for one day: the unique row makes it once per period,
    however many times (or workers) the digest job runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    period = models.DateField(help_text="The day the digest was sent for.")
    sent_at = models.DateTimeField()
    notifications_sent = models.PositiveIntegerField()

    class Meta:
        ordering = ["-period", "recipient_id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "period"], name="one_digest_per_day")
        ]

    def __str__(self) -> str:
        return f"digest of {self.recipient} for {self.period}"


class Notification(models.Model):
    """One piece of news for one person: a title and a link (a path of this site)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    title = models.CharField(max_length=300)
    link = models.CharField(max_length=500, help_text="A path of this site, e.g. /admin/...")
    item = models.ForeignKey(
        ContentItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    #: What caused it, once per person: ``<event id>:<kind>``, or a reminder's item, due
    #: date and reminder period.
    key = models.CharField(max_length=120)
    #: How it is emailed, as the person chose when it was made (never "off": then nothing
    #: is made).
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    #: When it was emailed, at once or in a digest (``digest``); empty until then.
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        DigestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_cause")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["delivery", "emailed_at"], name="notification_unsent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        """The link as an absolute address, for email."""
        return settings.SITE_URL + self.link


class NotificationPreference(models.Model):
    """How one person wants to be told of one kind of news (``DEFAULT_DELIVERY`` if no row)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)

    class Meta:
        ordering = ["user_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}: {self.get_delivery_display()}"
