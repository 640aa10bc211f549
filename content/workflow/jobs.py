"""The periodic jobs (``manage.py worker`` runs their clock): the sweep that catches what a
stopped worker missed, and the pruning of the queue's finished jobs. (A scheduled
publication's own job is ``publication.publish_scheduled``, enqueued with the schedule.)"""

from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from content.events.webhooks import sweep as sweep_webhooks
from content.media.renditions import sweep as sweep_renditions

from .publication import publish_due, withdraw_due

#: The periodic jobs, by module path, and their periods in seconds.
PERIODIC = {"content.workflow.jobs.sweep": 60}
PERIODIC["content.notifications.jobs.send_digests"] = 24 * 3600  # daily digests
PERIODIC["content.notifications.jobs.remind_reviews"] = 24 * 3600  # review reminders
PERIODIC["content.workflow.jobs.prune_jobs"] = 24 * 3600
# the editorial API's first answers to idempotent requests, past the day they are kept
PERIODIC["content.editorial.idempotency.prune"] = 3600

#: How long the queue keeps a finished job's row, and a failed one's (to look into it).
KEEP_FINISHED_DAYS = 14
KEEP_FAILED_DAYS = 30


@task()
def sweep() -> dict[str, int]:
    """Everything that should have happened by now and did not (a worker was down): due
    scheduled publications and withdrawals, webhook deliveries whose job was lost, and
    renditions still missing."""
    now = timezone.now()
    published, refused = publish_due(now=now)
    withdrawn = withdraw_due(now=now)
    return {
        "published": len(published),
        "refused": len(refused),
        "withdrawn": len(withdrawn),
        **sweep_webhooks(),
        "renditions": sweep_renditions(),
    }


@task()
def prune_jobs() -> int:
    """Delete the queue's rows of jobs that finished over ``KEEP_FINISHED_DAYS`` ago (failed
    ones after ``KEEP_FAILED_DAYS``), with django-tasks-db's own command, so that the queue's
    table stays the size of a few weeks' work; return how many went."""
    before = DBTaskResult.objects.count()
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=KEEP_FINISHED_DAYS,
        failed_min_age_days=KEEP_FAILED_DAYS,
        verbosity=0,
    )
    return before - DBTaskResult.objects.count()
