"""What the editorial API and preview links keep: people's access tokens, the first answer
to each idempotent request, and the preview links handed to apps."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey

from .content import Version


class PersonalToken(AbstractAPIKey):
    """A person's token for the editorial API, sent as ``Authorization: Bearer <token>``.

    Stored only as a hash (shown once, when made), with an expiry; revoking it is final.
    Every call made with it acts as ``user``, with that person's rights, through the
    workflow: a token never approves its owner's work.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_tokens"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    requests_per_minute = models.PositiveIntegerField(
        default=120,
        help_text="Calls this token may make per minute before it gets 429 Too Many Requests.",
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API token"
        verbose_name_plural = "my API tokens"


class IdempotentRequest(models.Model):
    """The first answer to a request sent with an ``Idempotency-Key``: a repeat of the same
    request by the same person gets this answer again instead of acting twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    #: The method, path and a hash of the body: the same key for another request is refused.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class PreviewLink(models.Model):
    """A link that lets an app show one version before it is published (and, for a plan,
    drafts of its components in place of the live ones), for a while.

    The token handed out is signed and names this row; it opens the version only while the
    row is not revoked, has not expired, and every version it names still has the hash it
    had when the link was made.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="preview_links")
    content_hash = models.CharField(max_length=64)
    #: The locale the link shows ("" = the one the request asks for, as elsewhere).
    locale = models.CharField(max_length=35, blank=True)
    #: For a plan: drafts of its components shown in place of their live versions,
    #: ``{"<component item id>": [version id, content hash], ...}``.
    drafts = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview of {self.version.item.slug} v{self.version.number}"
