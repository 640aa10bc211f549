"""From events to notifications: the job queue hands every committed event to ``handle``
(registered with ``content.events.tasks`` by ``connect``, from the app's ``ready``).

Who is told, per event (never who did it):

- ``version.submitted``: the reviewers who may approve the version (``recipients.may_approve``);
- ``version.changes_requested``: its authors and those who had approved it;
- ``version.approved``, ``content.published``, ``content.withdrawn``: its authors;
- ``content.withdrawn`` of a component, also: the owners of each plan it flagged.

Recipients are worked out when the job runs, from what is committed then: a reviewer who
approved the version meanwhile is not asked to approve it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser

from content.events import tasks
from content.kinds import PLAN
from content.models import AuditAction, Event, EventType, NotificationKind, Version

from . import recipients
from .notify import News, item_link, notify, version_label

logger = logging.getLogger(__name__)

Recipients = Callable[[Version], list[AbstractBaseUser]]


def _authors_and_approvers(version: Version) -> list[AbstractBaseUser]:
    return [*recipients.authors(version), *recipients.approvers(version)]


#: Per event type: the kind of notification, the action the audit log records for it (whose
#: actor is not told), the title's start, and who is told.
RULES: dict[str, tuple[str, str, str, Recipients]] = {
    EventType.SUBMITTED: (
        NotificationKind.SUBMITTED,
        AuditAction.SUBMIT,
        "Waiting for your review",
        recipients.may_approve,
    ),
    EventType.CHANGES_REQUESTED: (
        NotificationKind.CHANGES_REQUESTED,
        AuditAction.REQUEST_CHANGES,
        "Changes requested",
        _authors_and_approvers,
    ),
    EventType.APPROVED: (
        NotificationKind.APPROVED,
        AuditAction.APPROVE,
        "Approved",
        recipients.authors,
    ),
    EventType.PUBLISHED: (
        NotificationKind.PUBLISHED,
        AuditAction.PUBLISH,
        "Published",
        recipients.authors,
    ),
    EventType.WITHDRAWN: (
        NotificationKind.WITHDRAWN,
        AuditAction.WITHDRAW,
        "Withdrawn",
        recipients.authors,
    ),
}


def version_of(event: Event) -> Version | None:
    """The version a content event is about (None for other events)."""
    data = json.loads(event.body).get("data") or {}
    if data.get("type") not in ("component", "plan") or "slug" not in data:
        return None
    return (
        Version.objects.select_related("item")
        .filter(item__slug=data["slug"], number=data.get("version"))
        .first()
    )


def handle(event: Event) -> int:
    """Make the notifications ``event`` calls for; return how many were made."""
    rule = RULES.get(event.type)
    if rule is None:
        return 0
    version = version_of(event)
    if version is None:
        logger.warning("Event %s names no version that exists; nobody is told", event.pk)
        return 0
    kind, action, headline, who = rule
    actor = recipients.actor_of(version, action)
    news = News(
        kind=kind,
        title=f"{headline}: {version_label(version)}",
        link=item_link(version.item),
        key=f"{event.pk}:{kind}",
        item=version.item,
        version=version,
    )
    made = notify(news, who(version), except_user_id=actor)
    if event.type == EventType.WITHDRAWN and version.item.kind != PLAN:
        made += _tell_plan_owners(event, version, actor)
    return len(made)


def _tell_plan_owners(event: Event, component: Version, actor: int | None) -> list:
    """Tell the owners of each plan the withdrawal of ``component`` flagged."""
    made = []
    for plan in recipients.plans_flagged_by(component):
        news = News(
            kind=NotificationKind.PLAN_FLAGGED,
            title=(
                f"Flagged for review: plan {version_label(plan)}; its component "
                f"{component.title} was withdrawn"
            ),
            link=item_link(plan.item),
            key=f"{event.pk}:{NotificationKind.PLAN_FLAGGED}:{plan.item_id}",
            item=plan.item,
            version=plan,
        )
        made += notify(news, recipients.plan_owners(plan), except_user_id=actor)
    return made


def connect() -> None:
    """Have the job queue hand every event to ``handle``."""
    tasks.register(handle)
