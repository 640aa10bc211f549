"""Scheduled publication without cron: the job enqueued with the schedule publishes the
version at its time, with only the job worker running; the periodic sweep publishes one
whose job was lost."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from content import workflow
from content.management.commands.worker import Clock
from content.models import Version
from content.workflow.jobs import sweep
from tests import builders
from tests.events.test_webhooks import endpoint_for, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_scheduled_publication_goes_live_within_seconds_of_its_time(
    worker, receiver, editor, reviewer, client
):
    endpoint_for(receiver, event_types=["content.scheduled", "content.published"])
    version = builders.approved(editor, reviewer, slug="legs-up-the-wall")
    at = timezone.now() + timedelta(seconds=2)
    workflow.schedule_publication(version=version, user=reviewer, at=at)
    assert client.get("/api/v1/components/legs-up-the-wall/").status_code == 404

    published = wait_until(
        lambda: Version.objects.filter(pk=version.pk, state="published").first(),
        timeout=10,
        what="the scheduled publication",
    )
    assert at <= published.published_at <= at + timedelta(seconds=3)
    assert client.get("/api/v1/components/legs-up-the-wall/").status_code == 200
    scheduled, live = receiver.wait_for(2)
    assert scheduled.verified_payload["type"] == "content.scheduled"
    assert scheduled.verified_payload["data"]["publish_at"] == (
        at.isoformat().replace("+00:00", "Z")
    )
    assert live.verified_payload["type"] == "content.published"


def test_a_publication_whose_job_was_lost_is_caught_by_the_sweep(editor, reviewer, worker):
    worker.stop()  # no worker at the scheduled time
    version = builders.approved(editor, reviewer)
    workflow.schedule_publication(
        version=version, user=reviewer, at=timezone.now() + timedelta(seconds=1)
    )
    DBTaskResult.objects.all().delete()  # and its job is gone (a queue restored from backup)
    time.sleep(1.5)
    assert Version.objects.get(pk=version.pk).state == "approved"

    # A worker starts again; its clock's next minute enqueues the sweep.
    next_minute = timezone.now() + timedelta(minutes=1)
    assert "content.workflow.jobs.sweep" in Clock().tick(next_minute)
    worker.restart()
    wait_until(
        lambda: Version.objects.filter(pk=version.pk, state="published").exists(),
        what="the sweep publishing the missed version",
    )


def test_a_scheduled_withdrawal_takes_content_down_at_its_time(
    worker, receiver, editor, reviewer, client
):
    endpoint_for(receiver, event_types=["content.withdrawn"])
    version = builders.published(editor, reviewer, slug="winter-warmer")
    at = timezone.now() + timedelta(seconds=2)
    workflow.schedule_withdrawal(version=version, user=reviewer, at=at, reason="Seasonal.")
    assert client.get("/api/v1/components/winter-warmer/").status_code == 200

    withdrawn = wait_until(
        lambda: Version.objects.filter(pk=version.pk, state="withdrawn").first(),
        what="the scheduled withdrawal",
    )
    assert at <= withdrawn.withdrawn_at <= at + timedelta(seconds=3)
    assert withdrawn.withdraw_reason == f"Seasonal. (scheduled by {reviewer})"
    assert client.get("/api/v1/components/winter-warmer/").status_code == 404
    [event] = receiver.wait_for(1)
    assert event.verified_payload["type"] == "content.withdrawn"


def test_a_withdrawal_whose_job_was_lost_is_caught_by_the_sweep(editor, reviewer):
    version = builders.published(editor, reviewer)
    workflow.schedule_withdrawal(
        version=version, user=reviewer, at=timezone.now() + timedelta(seconds=1), reason="Old."
    )
    DBTaskResult.objects.all().delete()
    time.sleep(1.1)
    assert Version.objects.get(pk=version.pk).state == "published"
    assert sweep.call() == {
        "published": 0, "refused": 0, "withdrawn": 1, "requeued": 0, "disabled": 0,
        "handed_over": 0, "renditions": 0,
    }  # fmt: skip
    assert Version.objects.get(pk=version.pk).state == "withdrawn"


def test_the_clock_enqueues_a_periodic_job_once_per_period_however_many_clocks_run(db):
    every_minute = {"content.workflow.jobs.sweep": 60}
    now = timezone.now()
    assert Clock(every_minute).tick(now) == ["content.workflow.jobs.sweep"]
    assert Clock(every_minute).tick(now) == []  # a second worker's clock, same minute
    later = now + timedelta(minutes=1)
    assert Clock(every_minute).tick(later) == ["content.workflow.jobs.sweep"]
    assert DBTaskResult.objects.count() == 2


def test_an_event_whose_handlers_never_ran_is_handed_over_by_the_sweep(
    editor, reviewer, smtp, worker
):
    worker.stop()
    reviewer.email = "reviewer@example.org"
    reviewer.save()
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        builders.in_review(editor)  # version.submitted: its job is lost below
    DBTaskResult.objects.all().delete()
    assert sweep.call()["handed_over"] == 1

    worker.restart()  # runs the handlers, which email the reviewer who may approve
    [mail] = smtp.wait_for(1)
    assert mail.rcpt_tos == ("reviewer@example.org",)
    wait_until(lambda: sweep.call()["handed_over"] == 0, what="the event marked handled")


def test_finished_jobs_are_pruned_after_two_weeks_failed_ones_after_a_month(db):
    from django_tasks_db.models import DBTaskResult

    from content.workflow.jobs import prune_jobs

    def finished(days_ago: int, status: str) -> DBTaskResult:
        result = sweep.enqueue().db_result
        at = timezone.now() - timedelta(days=days_ago)
        DBTaskResult.objects.filter(pk=result.pk).update(status=status, finished_at=at)
        return result

    kept = [finished(13, "SUCCESSFUL"), finished(20, "FAILED")]
    finished(15, "SUCCESSFUL")
    finished(31, "FAILED")
    waiting = sweep.enqueue().db_result  # not finished: never pruned

    assert prune_jobs.call() == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        *(result.pk for result in kept),
        waiting.pk,
    }
