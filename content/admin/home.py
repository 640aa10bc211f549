"""What the admin's home page shows the person logged in: the versions waiting for their
review, their own drafts and the versions sent back to them for changes, the items flagged
or overdue for review, their unread notifications, and their recent work as the audit log
records it.

Reads only. Each count costs one query whatever the number of rows, so the page costs the
same for a team of two and for a library of thousands of items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from content import workflow
from content.kinds import PLAN
from content.models import (
    AUTHORING_ACTIONS,
    AuditEntry,
    ContentItem,
    Notification,
    Version,
    VersionState,
)
from content.workflow import policy

#: How many of the person's open versions and audit entries the page lists.
LISTED = 10

#: Who sees the items flagged or overdue for review: whoever sees the content screens.
VIEW_CONTENT = "content.view_contentitem"


@dataclass(frozen=True)
class ItemCounts:
    """A number of items, split by the change list that shows them."""

    components: int
    plans: int

    @property
    def total(self) -> int:
        return self.components + self.plans


@dataclass(frozen=True)
class OpenVersion:
    """One of the person's drafts or versions sent back, as the home page lists it."""

    slug: str
    title: str
    number: int
    state: str
    url: str


@dataclass(frozen=True)
class OwnWork:
    """The versions the person wrote (any of) that wait on them: drafts and those sent back
    for changes, with the newest of them listed."""

    drafts: int
    sent_back: int
    listed: list[OpenVersion]


@dataclass(frozen=True)
class RecentWork:
    """One of the person's audit entries, as the home page lists it."""

    action: str
    slug: str
    title: str
    version_number: int
    at: datetime
    url: str


@dataclass(frozen=True)
class Desk:
    """The home page's panel. A part is None when the person's role does not include it."""

    waiting_for_review: int | None
    own_work: OwnWork | None
    flagged: ItemCounts | None
    overdue: ItemCounts | None
    recent_work: list[RecentWork]
    unread_notifications: int


def change_url(item: ContentItem) -> str:
    """The admin page of ``item``: the plans' screen for a plan, the components' otherwise."""
    screen = "plan" if item.kind == PLAN else "component"
    return reverse(f"admin:content_{screen}_change", args=[item.pk])


def waiting_for_review(user: AbstractBaseUser) -> int | None:
    """How many versions ``user`` may review now (the review queue's rows); None for someone
    who does not review."""
    if not user.has_perm(policy.REVIEW):
        return None
    return workflow.awaiting_review_by(user).count()


def own_work(user: AbstractBaseUser) -> OwnWork | None:
    """The drafts ``user`` wrote any of, and their versions sent back for changes, newest
    first; None for someone who does not edit."""
    if not user.has_perm(policy.EDIT):
        return None
    written = AuditEntry.objects.filter(actor_id=user.pk, action__in=AUTHORING_ACTIONS)
    open_versions = Version.objects.filter(
        pk__in=written.values("version_id"),
        state__in=(VersionState.DRAFT, VersionState.CHANGES_REQUESTED),
    )
    counts = open_versions.aggregate(
        drafts=Count("pk", filter=Q(state=VersionState.DRAFT)),
        sent_back=Count("pk", filter=Q(state=VersionState.CHANGES_REQUESTED)),
    )
    newest = open_versions.select_related("item").order_by("-updated_at", "-pk")[:LISTED]
    listed = [
        OpenVersion(
            slug=version.item.slug,
            title=version.title,
            number=version.number,
            state=version.get_state_display(),
            url=change_url(version.item),
        )
        for version in newest
    ]
    return OwnWork(drafts=counts["drafts"], sent_back=counts["sent_back"], listed=listed)


def _by_screen(queryset, kind_field: str) -> ItemCounts:
    """Count ``queryset`` in one query, split into plans and components by ``kind_field``."""
    is_plan = Q(**{kind_field: PLAN})
    counts = queryset.aggregate(
        plans=Count("pk", filter=is_plan), components=Count("pk", filter=~is_plan)
    )
    return ItemCounts(components=counts["components"], plans=counts["plans"])


def flagged(user: AbstractBaseUser) -> ItemCounts | None:
    """The items flagged for review (something they depend on changed under them)."""
    if not user.has_perm(VIEW_CONTENT):
        return None
    return _by_screen(ContentItem.objects.exclude(flagged_for_review=""), "kind")


def overdue(user: AbstractBaseUser) -> ItemCounts | None:
    """The items whose published version was due for review before today (the change lists'
    "review overdue" filter shows the same items)."""
    if not user.has_perm(VIEW_CONTENT):
        return None
    published = Version.objects.filter(
        state=VersionState.PUBLISHED, next_review_due__lt=timezone.localdate()
    )
    return _by_screen(published, "item__kind")


def unread_notifications(user: AbstractBaseUser) -> int:
    """How many of ``user``'s notifications they have not marked read."""
    return Notification.objects.filter(recipient_id=user.pk, read_at=None).count()


def recent_work(user: AbstractBaseUser) -> list[RecentWork]:
    """``user``'s last audit entries, newest first: what they did, to which version, when."""
    entries = (
        AuditEntry.objects.filter(actor_id=user.pk)
        .select_related("item", "version")
        .order_by("-at", "-pk")[:LISTED]
    )
    return [
        RecentWork(
            action=entry.get_action_display(),
            slug=entry.item.slug,
            title=entry.version.title,
            version_number=entry.version_number,
            at=entry.at,
            url=change_url(entry.item),
        )
        for entry in entries
    ]


def desk_for(user: AbstractBaseUser) -> Desk:
    """Everything the home page shows ``user``."""
    return Desk(
        waiting_for_review=waiting_for_review(user),
        own_work=own_work(user),
        flagged=flagged(user),
        overdue=overdue(user),
        recent_work=recent_work(user),
        unread_notifications=unread_notifications(user),
    )
