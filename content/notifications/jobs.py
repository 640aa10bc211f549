"""The periodic jobs of notifications, run by the worker's clock (listed in
``content.workflow.jobs.PERIODIC``): the daily digest, and the daily review reminders.
Both may run more than once a day: they send nothing twice."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import mail, reminders


@task()
def send_digests() -> dict[str, int]:
    """Send the day's digests; and queue again the emails meant to go at once whose job was
    lost (a worker stopped)."""
    now = timezone.now()
    return {**mail.send_digests(now=now), "requeued": mail.resend_lost(now=now)}


@task()
def remind_reviews() -> int:
    """Tell the reviewers of the items whose review is near or overdue."""
    return reminders.remind(now=timezone.now())
