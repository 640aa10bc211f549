"""Content identities and their numbered versions, with the immutability guard.

A ``ContentItem`` is the stable identity (kind and slug) that apps refer to. Each change
to it is a ``Version``: editable while a draft, frozen from the moment it is submitted.
The state machine itself lives in ``content.workflow``; this module only refuses, as a
last line below the workflow, any write that would change a frozen version.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from content.errors import FrozenVersionError
from content.kinds import ITEM_KINDS

from .vocabulary import slug_validator


class VersionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"
    WITHDRAWN = "withdrawn", "Withdrawn"
    #: Thrown away before publication by its authors or a reviewer; never goes anywhere again.
    DISCARDED = "discarded", "Discarded"


#: A working version is one still on its way to publication; an item has at most one.
WORKING_STATES = (
    VersionState.DRAFT,
    VersionState.IN_REVIEW,
    VersionState.CHANGES_REQUESTED,
    VersionState.APPROVED,
)


class EvidenceLevel(models.TextChoices):
    A = "A", "A: high-quality RCT or meta-analysis"
    B = "B", "B: lesser trials, cohort studies"
    C = "C", "C: expert opinion"
    D = "D", "D: anecdote, in vitro, theory"


#: The longest slug of a component or plan; a translation's item adds "@" and its locale.
SLUG_MAX_LENGTH = 100


class ContentItem(models.Model):
    """A component's or plan's stable identity: its kind and the slug apps store.

    A translation is an item of its own (``source`` and ``locale`` set, its slug the
    source's with "@" and the locale: "glycine-bedtime@es"), so that its versions follow the
    same workflow, one at a time, under the same locks. Apps never see its slug: they ask for
    the source's slug in a locale.
    """

    kind = models.CharField(max_length=20, choices=ITEM_KINDS)
    slug = models.SlugField(max_length=130, unique=True, validators=[slug_validator])
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="translation_items"
    )
    locale = models.ForeignKey(
        "content.Locale", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    #: Set when something this item depends on changed under it (a plan whose component was
    #: withdrawn): reviewers should look at it. Cleared when a new version is published.
    flagged_for_review = models.TextField(blank=True)
    #: Set when the item's only versions were discarded before any was published: its slug
    #: was renamed to free it, and the item is kept (with its audit log) but shown nowhere.
    discarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "locale"],
                condition=models.Q(source__isnull=False),
                name="one_translation_item_per_locale",
            ),
            models.CheckConstraint(
                condition=models.Q(source=None, locale=None)
                | models.Q(source__isnull=False, locale__isnull=False),
                name="translation_item_has_source_and_locale",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def is_translation(self) -> bool:
        return self.source_id is not None


class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Refuse a bulk update that would change the content of a frozen version."""
        content_fields = set(kwargs) - Version.WORKFLOW_FIELDS
        if content_fields and self.exclude(state=VersionState.DRAFT).exists():
            raise FrozenVersionError(
                f"Cannot change {', '.join(sorted(content_fields))} of submitted versions: "
                "they are frozen. Revise them into a new draft instead."
            )
        if "content_hash" in kwargs and self.exclude(state=VersionState.DRAFT).exists():
            raise FrozenVersionError("The content hash of a submitted version never changes.")
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(state=VersionState.DRAFT).exists():
            raise FrozenVersionError(
                "Submitted versions are kept for ever; they cannot be deleted."
            )
        return super().delete()


class Version(models.Model):
    """One numbered version of a content item: what it says, and where it is in review."""

    item = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    state = models.CharField(
        max_length=20, choices=VersionState.choices, default=VersionState.DRAFT
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )

    # What the version says. Frozen once submitted.
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=1000)
    body = models.TextField(blank=True, help_text="Markdown.")
    details = models.JSONField(default=dict, blank=True)
    evidence_level = models.CharField(
        max_length=1, choices=EvidenceLevel.choices, blank=True, help_text="Components only."
    )
    duration_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Plans only."
    )
    change_note = models.TextField(help_text="What changed in this version, and why.")
    #: A translation version: the source version it translates, that version's content hash,
    #: and the notes of the source's parts in this language ({"contraindications": {slug:
    #: note}, "interactions": {slug: note}, "items": {order: note}}). ``details`` then holds
    #: only the details' text fields. Empty for the source's own versions.
    translates = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="translations"
    )
    source_hash = models.CharField(max_length=64, blank=True)
    notes = models.JSONField(default=dict, blank=True)
    goals = models.ManyToManyField("content.Goal", through="content.VersionGoal", blank=True)

    # Who and when. ``edit_count`` grows with every saved edit of the draft, so that a
    # save based on an older copy can be recognised and refused.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edit_count = models.PositiveIntegerField(default=0)

    # Review and publication, written only by the workflow.
    content_hash = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    publish_at = models.DateTimeField(null=True, blank=True, help_text="Scheduled publication.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)
    #: A scheduled withdrawal: when, by whom, and the reason it will be given.
    withdraw_at = models.DateTimeField(null=True, blank=True, help_text="Scheduled withdrawal.")
    withdraw_scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scheduled_withdraw_reason = models.TextField(blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    #: Fields the workflow may still write once a version is frozen.
    WORKFLOW_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {
            "state",
            "content_hash",
            "submitted_at",
            "approved_at",
            "publish_at",
            "scheduled_by",
            "published_at",
            "published_by",
            "superseded_at",
            "withdrawn_at",
            "withdraw_reason",
            "withdraw_at",
            "withdraw_scheduled_by",
            "scheduled_withdraw_reason",
            "next_review_due",
            "updated_at",
        }
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(state__in=WORKING_STATES),
                name="one_working_version_per_item",
                violation_error_message="This item already has a version in progress.",
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(state=VersionState.PUBLISHED),
                name="one_published_version_per_item",
            ),
            models.CheckConstraint(
                condition=models.Q(state=VersionState.DRAFT) | ~models.Q(content_hash=""),
                name="frozen_version_has_hash",
            ),
        ]
        permissions = [
            ("submit_version", "Can submit a draft for review"),
            ("review_version", "Can approve or request changes"),
            ("publish_version", "Can publish or schedule an approved version"),
            ("withdraw_version", "Can withdraw a published version"),
            ("rollback_version", "Can roll back to an earlier version"),
            ("translate_version", "Can write and submit translations"),
        ]

    def __str__(self) -> str:
        return f"{self.item.slug} v{self.number} ({self.get_state_display()})"

    def save(self, *args, **kwargs):
        """Save, refusing any change to what a frozen version says."""
        loaded_state = getattr(self, "_loaded_state", None)
        if self.pk is not None and loaded_state not in (None, VersionState.DRAFT):
            update_fields = kwargs.get("update_fields")
            allowed = self.WORKFLOW_FIELDS - {"content_hash"}
            if update_fields is None or not set(update_fields) <= allowed:
                raise FrozenVersionError(
                    f"Version {self.number} of '{self.item.slug}' was submitted and is frozen; "
                    "make a new version to change it."
                )
        super().save(*args, **kwargs)
        self._loaded_state = self.state

    def delete(self, *args, **kwargs):
        if self.state != VersionState.DRAFT:
            raise FrozenVersionError(
                "Submitted versions are kept for ever; they cannot be deleted."
            )
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_state = instance.__dict__.get("state")
        return instance

    @property
    def is_frozen(self) -> bool:
        return self.state != VersionState.DRAFT

    @property
    def kind(self) -> str:
        return self.item.kind
