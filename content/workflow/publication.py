"""Publication: publish what was approved (now or at a set time), and withdraw it again."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from content.delivery.changes import announce_changes
from content.delivery.rendering import refresh_mentions_of, store_document
from content.errors import DomainError, InvalidTransition
from content.models import (
    AuditAction,
    ContentItem,
    PublishedDocument,
    Version,
    VersionState,
)

from . import policy
from .audit import record
from .composition import check_composition
from .review import valid_approvals
from .snapshot import content_hash
from .state import atomic_action, lock_version, require_state

logger = logging.getLogger(__name__)


def _check_publishable(version: Version) -> None:
    """Refuse unless what would go live is exactly what enough reviewers approved."""
    require_state(version, VersionState.APPROVED, "publish")
    if content_hash(version) != version.content_hash:
        raise InvalidTransition(
            f"Version {version.number} of '{version.item.slug}' no longer matches the content "
            "that was approved (its hash differs), so it cannot be published. Revise it and "
            "have the revision reviewed."
        )
    required = policy.review_policy(version.item.kind).approvals_required
    approvers = valid_approvals(version).values("reviewer").distinct().count()
    if approvers < required:
        raise InvalidTransition(
            f"Version {version.number} of '{version.item.slug}' has {approvers} valid "
            f"approval(s) of the content it holds; {required} are needed to publish it."
        )
    check_composition(version)


def _go_live(version: Version, *, actor: AbstractBaseUser | None, published_by, comment: str):
    now = timezone.now()
    previous = (
        Version.objects.select_for_update()
        .filter(item_id=version.item_id, state=VersionState.PUBLISHED)
        .first()
    )
    if previous is not None:
        previous.state = VersionState.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["state", "superseded_at", "updated_at"])
        PublishedDocument.objects.filter(version=previous).update(live=False, superseded_at=now)
        record(
            version=previous,
            action=AuditAction.SUPERSEDE,
            actor=actor,
            from_state=VersionState.PUBLISHED,
            comment=f"Superseded by version {version.number}.",
        )
    cycle = policy.review_policy(version.item.kind).review_cycle_days
    version.state = VersionState.PUBLISHED
    version.published_at = now
    version.published_by = published_by
    version.next_review_due = (now + timedelta(days=cycle)).date()
    version.save(
        update_fields=["state", "published_at", "published_by", "next_review_due", "updated_at"]
    )
    ContentItem.objects.filter(pk=version.item_id).update(flagged_for_review="")
    store_document(version)
    announce_changes({version.item_id, *refresh_mentions_of(version.item_id)})
    record(
        version=version,
        action=AuditAction.PUBLISH,
        actor=actor,
        from_state=VersionState.APPROVED,
        comment=comment,
    )
    return version


@atomic_action
def publish(*, version: Version, user: AbstractBaseUser) -> Version:
    """Publish the approved ``version`` now, superseding the item's published version."""
    policy.require(user, policy.PUBLISH, "publish")
    version = lock_version(version)
    _check_publishable(version)
    return _go_live(version, actor=user, published_by=user, comment="")


@atomic_action
def schedule_publication(*, version: Version, user: AbstractBaseUser, at: datetime) -> Version:
    """Set the approved ``version`` to go live at ``at`` (see the ``publish_due`` command)."""
    policy.require(user, policy.PUBLISH, "schedule publication")
    version = lock_version(version)
    _check_publishable(version)
    if timezone.is_naive(at):
        raise InvalidTransition("Give the publication time with its time zone.")
    if at <= timezone.now():
        raise InvalidTransition(
            f"{at.isoformat()} is not in the future; publish now instead of scheduling."
        )
    version.publish_at = at
    version.scheduled_by = user
    version.save(update_fields=["publish_at", "scheduled_by", "updated_at"])
    record(
        version=version,
        action=AuditAction.SCHEDULE,
        actor=user,
        from_state=VersionState.APPROVED,
        comment=f"To be published at {at.isoformat()}.",
    )
    return version


def publish_due(*, now: datetime | None = None) -> tuple[list[Version], list[tuple[Version, str]]]:
    """Publish every approved version whose scheduled time has come.

    Returns the versions published and those refused, each with the reason. Each version
    is published in its own transaction, so one refusal does not hold back the others.
    """
    now = now or timezone.now()
    published: list[Version] = []
    refused: list[tuple[Version, str]] = []
    due = Version.objects.filter(state=VersionState.APPROVED, publish_at__lte=now)
    for candidate in due.select_related("item").order_by("publish_at", "pk"):
        try:
            version = _publish_scheduled(candidate, now=now)
        except DomainError as refusal:
            logger.warning("Scheduled publication of %s refused: %s", candidate, refusal)
            refused.append((candidate, str(refusal)))
        else:
            if version is not None:
                published.append(version)
    return published, refused


@atomic_action
def _publish_scheduled(candidate: Version, *, now: datetime) -> Version | None:
    """Publish ``candidate`` if it is still due at ``now``; None if it was rescheduled or
    published meanwhile."""
    version = lock_version(candidate)
    if version.publish_at is None or version.publish_at > now:
        return None
    _check_publishable(version)
    scheduler = version.scheduled_by
    return _go_live(
        version,
        actor=None,
        published_by=scheduler,
        comment=f"Scheduled by {scheduler} for {version.publish_at.isoformat()}.",
    )


def _flag_plans_using(component: Version, *, user: AbstractBaseUser, reason: str) -> None:
    """A withdrawn component leaves every published plan that uses it: flag those plans for
    review, and say so in the audit log."""
    plans = Version.objects.filter(
        state=VersionState.PUBLISHED, plan_items__component_id=component.item_id
    ).select_related("item")
    note = f"Component '{component.item.slug}' was withdrawn: {reason}"
    for plan in plans.distinct():
        ContentItem.objects.filter(pk=plan.item_id).update(flagged_for_review=note)
        record(
            version=plan,
            action=AuditAction.FLAG,
            actor=user,
            from_state=plan.state,
            comment=f"{note} The plan is served without it until it is revised.",
        )


@atomic_action
def withdraw(*, version: Version, user: AbstractBaseUser, reason: str) -> Version:
    """Take the published ``version`` down at once; apps stop receiving it."""
    policy.require(user, policy.WITHDRAW, "withdraw content")
    if not reason.strip():
        raise InvalidTransition("Give a reason for withdrawing: it is kept in the audit log.")
    version = lock_version(version)
    require_state(version, VersionState.PUBLISHED, "withdraw")
    version.state = VersionState.WITHDRAWN
    version.withdrawn_at = timezone.now()
    version.withdraw_reason = reason.strip()
    version.save(update_fields=["state", "withdrawn_at", "withdraw_reason", "updated_at"])
    PublishedDocument.objects.filter(version=version).update(
        live=False, withdrawn_at=version.withdrawn_at
    )
    _flag_plans_using(version, user=user, reason=reason.strip())
    announce_changes({version.item_id, *refresh_mentions_of(version.item_id)})
    record(
        version=version,
        action=AuditAction.WITHDRAW,
        actor=user,
        from_state=VersionState.PUBLISHED,
        comment=reason.strip(),
    )
    return version
