"""Notifications, end to end: the workflow acts, the job worker (running beside the test)
hands each event to the notification handler, and the emails reach a real SMTP server
(aiosmtpd) the test starts. Who is told follows the workflow's checks; each person's choice
(at once, daily digest, off) is honoured; digests and review reminders go once per period."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from content import workflow
from content.kinds import Kind
from content.models import DigestRun, Event, EventType, Notification, NotificationKind
from content.notifications import handlers, jobs, preferences
from tests import builders
from tests.events.test_webhooks import wait_until
from tests.factories import EditorFactory, ReviewerFactory, UserFactory, plan_item

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "http://127.0.0.1:8000"
#: What a version says besides its title: never in an email.
CLINICAL = {
    "summary": "Secret summary: 3 g of glycine an hour before bed.",
    "body": "## Secret body\n\nLie down and breathe slowly.",
    "change_note": "Secret change note.",
}


def settled() -> bool:
    """Whether the queue has nothing running and nothing due (one query: one snapshot)."""
    busy = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.RUNNING)
        | Q(status=TaskResultStatus.READY)
        & (Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now()))
    )
    return not busy.exists()


def settle() -> None:
    wait_until(settled, what="the queue emptying")


def mails_to(smtp, user, starting: str = "") -> list:
    """The emails ``user`` got so far whose subject starts (after the prefix) with ``starting``."""
    return [
        mail
        for mail in smtp.messages
        if mail.rcpt_tos == (user.email,)
        and mail.subject.removeprefix("[Recovery content] ").startswith(starting)
    ]


def assert_no_clinical_text(mail) -> None:
    for text in CLINICAL.values():
        assert text not in mail.text
        assert text.splitlines()[0] not in mail.text


def link_of(version) -> str:
    screen = "plan" if version.item.kind == "plan" else "component"
    return f"{SITE}/admin/content/{screen}/{version.item_id}/change/"


def run(job) -> object:
    """Enqueue ``job`` for the worker and wait for it to finish; its return value."""
    result = job.enqueue()

    def finished():
        result.refresh()
        return result.is_finished

    wait_until(finished, what=f"{job.name} finishing")
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    return result.return_value


# --- Who is told ---------------------------------------------------------------------------


def test_a_submission_emails_the_reviewers_who_may_approve_it_never_its_author_or_an_editor(
    worker, smtp, editor
):
    first, second = ReviewerFactory(), ReviewerFactory()
    author = UserFactory(groups=["Editors", "Reviewers"])  # a reviewer, but its author
    version = builders.draft(author, slug="legs-up", title="Legs up the wall", **CLINICAL)
    version = workflow.submit_for_review(version=version, user=editor)  # not by its author

    smtp.wait_for(2)
    settle()
    assert sorted(mail.rcpt_tos[0] for mail in smtp.messages) == sorted([first.email, second.email])
    [mail] = mails_to(smtp, first)
    assert (
        mail.subject == "[Recovery content] Waiting for your review: Legs up the wall (version 1)"
    )
    assert mail.mail_from == "recovery@localhost"
    assert link_of(version) in mail.text
    assert f"{SITE}/admin/content/notification/preferences/" in mail.text
    assert_no_clinical_text(mail)
    assert not Notification.objects.filter(recipient__in=[author, editor]).exists()
    notification = Notification.objects.get(recipient=first)
    assert notification.kind == NotificationKind.SUBMITTED
    assert notification.emailed_at is not None and notification.read_at is None


def test_a_reviewer_who_approved_before_the_news_went_out_is_not_asked_again(worker, smtp, editor):
    first, second, third = ReviewerFactory(), ReviewerFactory(), ReviewerFactory()
    worker.stop()  # the event waits in the queue while the first approval is given
    version = builders.in_review(editor, slug="glycine", kind=Kind.SUPPLEMENT)  # needs two
    workflow.approve(version=version, user=first, seen_hash=version.content_hash)
    worker.restart()

    smtp.wait_for(2)
    settle()
    assert sorted(mail.rcpt_tos[0] for mail in smtp.messages) == sorted([second.email, third.email])
    assert not Notification.objects.filter(recipient=first).exists()


def test_changes_requested_reach_the_authors_and_who_had_approved_not_who_asked(
    worker, smtp, editor
):
    co_author, first, second = EditorFactory(), ReviewerFactory(), ReviewerFactory()
    draft = builders.draft(editor, slug="glycine", kind=Kind.SUPPLEMENT, title="Glycine")
    content = workflow.read_content(draft)
    draft = workflow.edit_draft(
        version=draft, user=co_author, content=content, expected_edit_count=draft.edit_count
    )
    version = workflow.submit_for_review(version=draft, user=editor)
    workflow.approve(version=version, user=first, seen_hash=version.content_hash)
    workflow.request_changes(version=version, user=second, comment="Secret: cite the trial.")

    asked = [editor, co_author, first]
    wait_until(
        lambda: all(mails_to(smtp, person, "Changes requested") for person in asked),
        what="the emails of the changes requested",
    )
    settle()
    for person in asked:
        [mail] = mails_to(smtp, person, "Changes requested")
        assert mail.subject.endswith("Changes requested: Glycine (version 1)")
        assert "Secret: cite the trial." not in mail.text
    assert mails_to(smtp, second, "Changes requested") == []


def test_approval_publication_and_withdrawal_reach_the_author_not_the_reviewer(
    worker, smtp, editor, reviewer
):
    version = builders.in_review(editor, slug="legs-up", title="Legs up the wall")
    smtp.wait_for(1)  # the reviewer is asked to review it
    version = builders.approve_fully(version, reviewer)
    version = workflow.publish(version=version, user=reviewer)
    workflow.withdraw(version=version, user=reviewer, reason="Secret: a safer pose.")

    smtp.wait_for(4)  # and the author is told of each step
    settle()
    subjects = sorted(mail.subject for mail in mails_to(smtp, editor))
    assert subjects == [
        f"[Recovery content] {what}: Legs up the wall (version 1)"
        for what in ("Approved", "Published", "Withdrawn")
    ]
    assert [mail.subject for mail in mails_to(smtp, reviewer)] == [
        "[Recovery content] Waiting for your review: Legs up the wall (version 1)"
    ]
    assert all("Secret" not in mail.text for mail in smtp.messages)


def test_the_owners_of_a_plan_a_withdrawal_flagged_are_told(worker, smtp, editor, reviewer):
    plan_owner, bystander = EditorFactory(), EditorFactory()
    component = builders.published(editor, reviewer, slug="child-pose", title="Child's pose")
    builders.published(editor, reviewer, slug="sun-salutation")
    plan = builders.published_plan(
        plan_owner, reviewer, slug="wind-down", title="Wind down",
        items=[plan_item("child-pose", "bedtime", 1)],
    )  # fmt: skip
    builders.published_plan(
        bystander, reviewer, slug="calm-mornings", items=[plan_item("sun-salutation", "morning", 1)]
    )
    settle()
    smtp.clear()
    workflow.withdraw(version=component, user=reviewer, reason="A safer pose replaces it.")

    smtp.wait_for(2)
    settle()
    [told] = mails_to(smtp, plan_owner)
    assert told.subject == (
        "[Recovery content] Flagged for review: plan Wind down (version 1); its component "
        "Child's pose was withdrawn"
    )
    assert link_of(plan) in told.text
    assert [m.subject for m in mails_to(smtp, editor)] == [
        "[Recovery content] Withdrawn: Child's pose (version 1)"
    ]
    assert mails_to(smtp, bystander) == [] and mails_to(smtp, reviewer) == []


# --- Each person's choice ----------------------------------------------------------------


def test_off_sends_nothing_and_makes_nothing_and_no_address_means_the_admin_only(
    worker, smtp, editor
):
    quiet, keen, no_address = ReviewerFactory(), ReviewerFactory(), ReviewerFactory(email="")
    preferences.set_preferences(quiet, {NotificationKind.SUBMITTED: "off"})
    builders.in_review(editor, slug="legs-up")

    smtp.wait_for(1)
    settle()
    assert [mail.rcpt_tos for mail in smtp.messages] == [(keen.email,)]
    assert not Notification.objects.filter(recipient=quiet).exists()
    assert Notification.objects.get(recipient=no_address).emailed_at is None


def test_the_daily_digest_goes_once_per_person_and_day_with_titles_and_links_only(
    worker, smtp, editor
):
    first, second = ReviewerFactory(), ReviewerFactory()
    for person in (first, second):
        preferences.set_preferences(person, {NotificationKind.SUBMITTED: "digest"})
    one = builders.in_review(editor, slug="legs-up", title="Legs up the wall", **CLINICAL)
    two = builders.in_review(editor, slug="box-breath", title="Box breathing", **CLINICAL)
    wait_until(lambda: Notification.objects.count() == 4, what="the four notifications")
    settle()
    assert smtp.messages == []  # nothing goes at once
    assert run(jobs.send_digests)["digests"] == 0  # today's news waits for tomorrow's digest

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(tomorrow, dt.time(0, 5), tzinfo=dt.UTC)):
        run(jobs.send_digests)
        smtp.wait_for(2)
        assert run(jobs.send_digests)["digests"] == 0  # the same day again: nothing more
        settle()

    assert len(smtp.messages) == 2
    for person in (first, second):
        [digest] = mails_to(smtp, person)
        assert digest.subject == "[Recovery content] Your daily digest: 2 notifications"
        for version, title in ((one, "Legs up the wall"), (two, "Box breathing")):
            assert f"Waiting for your review: {title} (version 1)" in digest.text
            assert link_of(version) in digest.text
        assert_no_clinical_text(digest)
    assert DigestRun.objects.filter(period=tomorrow).count() == 2
    assert not Notification.objects.filter(emailed_at=None).exists()


def test_an_event_handled_twice_tells_nobody_twice(worker, smtp, editor, reviewer):
    builders.in_review(editor, slug="legs-up")
    smtp.wait_for(1)
    settle()
    event = Event.objects.get(type=EventType.SUBMITTED)
    assert handlers.handle(event) == 0
    settle()
    assert len(smtp.messages) == 1 and Notification.objects.count() == 1


# --- Review reminders ----------------------------------------------------------------------


def test_reviewers_are_reminded_30_days_before_a_review_is_due_and_weekly_while_overdue(
    worker, smtp, editor, reviewer
):
    second = ReviewerFactory()
    version = builders.published(editor, reviewer, slug="legs-up", title="Legs up the wall")
    due = version.next_review_due
    settle()
    smtp.clear()

    def reminders_on(day: dt.date, subject: str | None = None) -> list:
        """Run the reminder job on ``day``: the reminders it emailed (to both reviewers)."""
        before = len(smtp.messages)
        with time_machine.travel(dt.datetime.combine(day, dt.time(6), tzinfo=dt.UTC)):
            run(jobs.remind_reviews)
            if subject:
                smtp.wait_for(before + 2)
            settle()
        sent = smtp.messages[before:]
        assert sorted(mail.rcpt_tos[0] for mail in sent) == (
            sorted([reviewer.email, second.email]) if subject else []
        )
        assert all(mail.subject == f"[Recovery content] {subject}" for mail in sent)
        return sent

    reminders_on(due - dt.timedelta(days=31))
    upcoming = f"Due for review on {due.isoformat()}: Legs up the wall"
    [mail, _] = reminders_on(due - dt.timedelta(days=30), upcoming)
    assert link_of(version) in mail.text
    reminders_on(due - dt.timedelta(days=29))
    reminders_on(due)  # due today, not overdue yet
    overdue = f"Overdue for review since {due.isoformat()}: Legs up the wall"
    reminders_on(due + dt.timedelta(days=1), overdue)
    reminders_on(due + dt.timedelta(days=7))  # the same overdue week
    reminders_on(due + dt.timedelta(days=8), overdue)  # the next week
    reminders_on(due + dt.timedelta(days=8))  # run again that day: nothing more
    assert Notification.objects.filter(kind=NotificationKind.REVIEW_DUE).count() == 6
    assert mails_to(smtp, editor) == []
