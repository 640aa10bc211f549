"""The periodic jobs (``manage.py worker`` runs their clock): the sweep that catches what a
stopped worker missed. (A scheduled publication's own job is ``publication.publish_scheduled``,
enqueued with the schedule.)"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from content.events.webhooks import sweep as sweep_webhooks

from .publication import publish_due, withdraw_due

#: The periodic jobs, by module path, and their periods in seconds.
PERIODIC = {"content.workflow.jobs.sweep": 60}
PERIODIC["content.notifications.jobs.send_digests"] = 24 * 3600  # daily digests
PERIODIC["content.notifications.jobs.remind_reviews"] = 24 * 3600  # review reminders


@task()
def sweep() -> dict[str, int]:
    """Everything that should have happened by now and did not (a worker was down): due
    scheduled publications and withdrawals, and webhook deliveries whose job was lost."""
    now = timezone.now()
    published, refused = publish_due(now=now)
    withdrawn = withdraw_due(now=now)
    return {
        "published": len(published),
        "refused": len(refused),
        "withdrawn": len(withdrawn),
        **sweep_webhooks(),
    }
