"""Reviewers and their approvals."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from content.errors import ImmutableRecordError

from .content import Version


class ReviewerProfile(models.Model):
    """How a reviewer is shown next to what they approved (HONcode: state qualifications)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    display_name = models.CharField(max_length=200)
    credentials = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'RD', 'MD, MRCPsych', 'C-IAYT'."
    )

    def __str__(self) -> str:
        return f"{self.display_name}, {self.credentials}" if self.credentials else self.display_name


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError(f"{self.model._meta.verbose_name_plural} are append-only.")

    def delete(self):
        raise ImmutableRecordError(f"{self.model._meta.verbose_name_plural} are append-only.")


class AppendOnlyModel(models.Model):
    """A record that is written once and never updated or deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(
                f"A {self._meta.verbose_name} is never changed once written."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"A {self._meta.verbose_name} is never deleted.")


class Approval(AppendOnlyModel):
    """One reviewer's approval of one version, bound to the content hash they saw."""

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="approvals")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    content_hash = models.CharField(max_length=64)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "reviewer"], name="one_approval_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} approved {self.version}"
