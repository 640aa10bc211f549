"""The append-only audit log of every workflow action."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .content import ContentItem, Version, VersionState
from .reviews import AppendOnlyModel


class AuditAction(models.TextChoices):
    CREATE = "create", "Create"
    EDIT = "edit", "Edit"
    SUBMIT = "submit", "Submit for review"
    APPROVE = "approve", "Approve"
    REQUEST_CHANGES = "request_changes", "Request changes"
    PUBLISH = "publish", "Publish"
    SCHEDULE = "schedule", "Schedule"
    SUPERSEDE = "supersede", "Supersede"
    WITHDRAW = "withdraw", "Withdraw"
    SCHEDULE_WITHDRAWAL = "schedule_withdrawal", "Schedule withdrawal"
    REVISE = "revise", "Revise"
    ROLLBACK = "rollback", "Roll back"
    FLAG = "flag", "Flag for review"
    DISCARD = "discard", "Discard"
    PREVIEW_LINK = "preview_link", "Make a preview link"
    PREVIEW_OPEN = "preview_open", "Open a preview link"
    PREVIEW_REVOKE = "preview_revoke", "Revoke a preview link"


#: Actions whose actor wrote (part of) the version, and so may never review it.
AUTHORING_ACTIONS = (AuditAction.CREATE, AuditAction.EDIT, AuditAction.REVISE, AuditAction.ROLLBACK)


class AuditEntry(AppendOnlyModel):
    """Who did what to which version, when, with which content hash and comment."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Empty for actions the system took, such as scheduled publication.",
    )
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    item = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="audit_entries")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="audit_entries")
    version_number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64, blank=True)
    comment = models.TextField(blank=True)
    from_state = models.CharField(max_length=20, choices=VersionState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=VersionState.choices)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        who = self.actor or "system"
        return (
            f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.item.slug} v{self.version_number}"
        )
