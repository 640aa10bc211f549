"""Review reminders: the reviewers are told when a published item's next review comes near
(``BEFORE`` its due date) and, while it is overdue, once a week.

The job runs daily (``jobs.remind_reviews``) and may run any number of times: each reminder
belongs to a reminder period (``"upcoming"``, then ``"overdue-week-1"``, ``"overdue-week-2"``...),
and a person gets one notification per item, due date and period (the notification's unique
``key``). A day the job did not run is caught up the next: the period's reminder is sent then.
An item is overdue the day after its due date, as the admin's "review overdue" filter says.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from content.models import NotificationKind, Version, VersionState

from . import recipients
from .notify import News, item_link, notify

#: How long before an item's review is due the reviewers are first told.
BEFORE = timedelta(days=30)


def reminder_period(due: date, today: date) -> str | None:
    """The reminder period ``today`` falls in for a review due on ``due`` (None: too early)."""
    if today > due:  # overdue: week 1 is the 7 days after the due date, and so on
        return f"overdue-week-{((today - due).days - 1) // 7 + 1}"
    if today >= due - BEFORE:
        return "upcoming"
    return None


def _title(version: Version, due: date, today: date) -> str:
    if today > due:
        return f"Overdue for review since {due.isoformat()}: {version.title}"
    return f"Due for review on {due.isoformat()}: {version.title}"


def remind(*, now: datetime | None = None) -> int:
    """Tell the reviewers of each published item whose review is near or overdue, once per
    reminder period; return how many notifications were made."""
    today = timezone.localdate(now or timezone.now())
    due = (
        Version.objects.filter(state=VersionState.PUBLISHED, next_review_due__lte=today + BEFORE)
        .select_related("item")
        .order_by("next_review_due", "pk")
    )
    versions = list(due)
    if not versions:
        return 0
    reviewers = recipients.reviewers()
    made = 0
    for version in versions:
        period = reminder_period(version.next_review_due, today)
        if period is None:
            continue
        news = News(
            kind=NotificationKind.REVIEW_DUE,
            title=_title(version, version.next_review_due, today),
            link=item_link(version.item),
            key=f"review-due:{version.item_id}:{version.next_review_due.isoformat()}:{period}",
            item=version.item,
            version=version,
        )
        made += len(notify(news, reviewers))
    return made
