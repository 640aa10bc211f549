"""Publication: publish what was approved (now or at a set time), and withdraw it again.

What apps are served follows in the same transaction, through the read model's one entry
(``content.delivery.projection``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from content.delivery.projection import project_publication, project_withdrawal
from content.errors import DomainError, InvalidTransition
from content.events import content_event
from content.models import AuditAction, ContentItem, EventType, Version, VersionState

from . import policy
from .checks import check_publish, check_publishable, check_schedule, check_withdraw
from .state import atomic_action, lock_version, transition
from .validation import plain_text

logger = logging.getLogger(__name__)


def _go_live(version: Version, *, actor: AbstractBaseUser | None, published_by, comment: str):
    now = timezone.now()
    previous = (
        Version.objects.select_for_update()
        .filter(item_id=version.item_id, state=VersionState.PUBLISHED)
        .first()
    )
    if previous is not None:
        transition(
            previous,
            to=VersionState.SUPERSEDED,
            action=AuditAction.SUPERSEDE,
            actor=actor,
            comment=f"Superseded by version {version.number}.",
            superseded_at=now,
        )
    cycle = policy.item_policy(version.item).review_cycle_days
    transition(
        version,
        to=VersionState.PUBLISHED,
        action=AuditAction.PUBLISH,
        actor=actor,
        comment=comment,
        published_at=now,
        published_by=published_by,
        next_review_due=(now + timedelta(days=cycle)).date(),
    )
    if version.item.flagged_for_review:  # read under the item's lock
        ContentItem.objects.filter(pk=version.item_id).update(flagged_for_review="")
    project_publication(version, superseded=previous)
    return version


@atomic_action
def publish(*, version: Version, user: AbstractBaseUser) -> Version:
    """Publish the approved ``version`` now, superseding the item's published version."""
    version = lock_version(version)
    check_publish(user=user, version=version)
    return _go_live(version, actor=user, published_by=user, comment="")


@atomic_action
def schedule_publication(*, version: Version, user: AbstractBaseUser, at: datetime) -> Version:
    """Set the approved ``version`` to go live at ``at`` (see the ``publish_due`` command)."""
    version = lock_version(version)
    check_schedule(user=user, version=version)
    _in_future(at, "publish")
    transition(
        version,
        to=VersionState.APPROVED,
        action=AuditAction.SCHEDULE,
        actor=user,
        comment=f"To be published at {at.isoformat()}.",
        publish_at=at,
        scheduled_by=user,
    )
    # The job that publishes it at that time, enqueued with the schedule (the sweep in
    # ``jobs`` catches it if no worker ran then).
    publish_scheduled.using(run_after=at).enqueue(version.pk)
    content_event(EventType.SCHEDULED, version, publish_at=at)
    return version


def publish_due(
    *, now: datetime | None = None, version_ids: Iterable[int] | None = None
) -> tuple[list[Version], list[tuple[Version, str]]]:
    """Publish every approved version whose scheduled time has come (of ``version_ids``, if
    given).

    Returns the versions published and those refused, each with the reason. Each version
    is published in its own transaction, so one refusal does not hold back the others.
    """
    now = now or timezone.now()
    published: list[Version] = []
    refused: list[tuple[Version, str]] = []
    due = Version.objects.filter(state=VersionState.APPROVED, publish_at__lte=now)
    if version_ids is not None:
        due = due.filter(pk__in=list(version_ids))
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


@task()
def publish_scheduled(version_id: int) -> str:
    """The job enqueued with a schedule, run at its time: publish version ``version_id`` if
    it is still due (it may have been rescheduled, revised or published meanwhile)."""
    published, refused = publish_due(now=timezone.now(), version_ids=[version_id])
    if refused:
        return f"refused: {refused[0][1]}"
    return "published" if published else "not due"


@atomic_action
def _publish_scheduled(candidate: Version, *, now: datetime) -> Version | None:
    """Publish ``candidate`` if it is still due at ``now``; None if it was rescheduled or
    published meanwhile."""
    version = lock_version(candidate)
    if version.publish_at is None or version.publish_at > now:
        return None
    check_publishable(version)
    scheduler = version.scheduled_by
    return _go_live(
        version,
        actor=None,
        published_by=scheduler,
        comment=f"Scheduled by {scheduler} for {version.publish_at.isoformat()}.",
    )


def published_plans_using(component: ContentItem) -> QuerySet[Version]:
    """The published plan versions that include ``component``: withdrawing it flags them."""
    return (
        Version.objects.filter(state=VersionState.PUBLISHED, plan_items__component=component)
        .select_related("item")
        .distinct()
        .order_by("item__slug")
    )


def _flag_plans_using(component: Version, *, user: AbstractBaseUser, reason: str) -> None:
    """A withdrawn component leaves every published plan that uses it: flag those plans for
    review, and say so in the audit log."""
    note = f"Component '{component.item.slug}' was withdrawn: {reason}"
    for plan in published_plans_using(component.item):
        ContentItem.objects.filter(pk=plan.item_id).update(flagged_for_review=note)
        transition(
            plan,
            to=plan.state,
            action=AuditAction.FLAG,
            actor=user,
            comment=f"{note} The plan is served without it until it is revised.",
        )


@atomic_action
def withdraw(*, version: Version, user: AbstractBaseUser, reason: str) -> Version:
    """Take the published ``version`` down at once; apps stop receiving it."""
    version = lock_version(version)
    check_withdraw(user=user, version=version)
    return _take_down(version, actor=user, reason=_withdraw_reason(reason))


def _withdraw_reason(reason: str) -> str:
    reason = plain_text(reason, "reason")
    if not reason:
        raise InvalidTransition("Give a reason for withdrawing: it is kept in the audit log.")
    return reason


def _take_down(version: Version, *, actor: AbstractBaseUser | None, reason: str) -> Version:
    """Withdraw the locked, published ``version`` (``actor`` None: the scheduled job)."""
    transition(
        version,
        to=VersionState.WITHDRAWN,
        action=AuditAction.WITHDRAW,
        actor=actor,
        comment=reason,
        withdrawn_at=timezone.now(),
        withdraw_reason=reason,
        withdraw_at=None,
    )
    _flag_plans_using(version, user=actor, reason=reason)
    project_withdrawal(version)
    return version


def _in_future(at: datetime, what: str) -> datetime:
    """``at``, a time with its zone still to come, or refuse (``what``: "publish")."""
    if timezone.is_naive(at):
        raise InvalidTransition(f"Give the time to {what} with its time zone.")
    if at <= timezone.now():
        raise InvalidTransition(
            f"{at.isoformat()} is not in the future; {what} now instead of scheduling."
        )
    return at


@atomic_action
def schedule_withdrawal(
    *, version: Version, user: AbstractBaseUser, at: datetime, reason: str
) -> Version:
    """Set the published ``version`` to be withdrawn at ``at``, with ``reason``; a job does
    it then (the sweep catches it if no worker ran). Until then it is served as before."""
    version = lock_version(version)
    check_withdraw(user=user, version=version)
    reason = _withdraw_reason(reason)
    _in_future(at, "withdraw")
    transition(
        version,
        to=VersionState.PUBLISHED,
        action=AuditAction.SCHEDULE_WITHDRAWAL,
        actor=user,
        comment=f"To be withdrawn at {at.isoformat()}: {reason}",
        withdraw_at=at,
        withdraw_scheduled_by=user,
        scheduled_withdraw_reason=reason,
    )
    withdraw_scheduled.using(run_after=at).enqueue(version.pk)
    return version


def withdraw_due(
    *, now: datetime | None = None, version_ids: Iterable[int] | None = None
) -> list[Version]:
    """Withdraw every published version whose scheduled withdrawal has come (of
    ``version_ids``, if given), each in its own transaction."""
    now = now or timezone.now()
    due = Version.objects.filter(state=VersionState.PUBLISHED, withdraw_at__lte=now)
    if version_ids is not None:
        due = due.filter(pk__in=list(version_ids))
    withdrawn = []
    for candidate in due.order_by("withdraw_at", "pk"):
        if (version := _withdraw_scheduled(candidate, now=now)) is not None:
            withdrawn.append(version)
    return withdrawn


@atomic_action
def _withdraw_scheduled(candidate: Version, *, now: datetime) -> Version | None:
    version = lock_version(candidate)
    if version.state != VersionState.PUBLISHED or not version.withdraw_at:
        return None
    if version.withdraw_at > now:
        return None
    scheduler = version.withdraw_scheduled_by
    reason = f"{version.scheduled_withdraw_reason} (scheduled by {scheduler})"
    return _take_down(version, actor=None, reason=reason)


@task()
def withdraw_scheduled(version_id: int) -> str:
    """The job enqueued with a scheduled withdrawal, run at its time."""
    return "withdrawn" if withdraw_due(version_ids=[version_id]) else "not due"
