"""Every transition of the review workflow, as the people using it would see it."""

from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from content import workflow
from content.kinds import Kind
from content.models import AuditAction, AuditEntry, Version, VersionState
from content.workflow import LinkSpec, VersionContent
from tests import builders
from tests.factories import ContraindicationFactory, GoalFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


def actions_of(version):
    return list(
        AuditEntry.objects.filter(version=version).values_list("action", "from_state", "to_state")
    )


def test_create_makes_version_1_a_draft_and_logs_it(editor):
    version = builders.draft(editor, slug="legs-up-the-wall")
    assert (version.item.slug, version.number, version.state) == ("legs-up-the-wall", 1, "draft")
    assert version.content_hash == ""
    assert actions_of(version) == [("create", "", "draft")]
    entry = AuditEntry.objects.get(version=version)
    assert entry.actor == editor and entry.item == version.item and entry.version_number == 1


def test_create_stores_every_part_of_the_content(editor):
    GoalFactory(slug="sleep")
    ContraindicationFactory(slug="glaucoma")
    builders.draft(editor, slug="downward-dog")
    content = VersionContent.build(
        title="Legs up the wall",
        summary="Rest with the legs raised.",
        change_note="First version.",
        evidence_level="C",
        details={
            "steps": ["Lie down", "Legs up"],
            "duration_minutes": 5,
            "level": "beginner",
            "props": [],
        },
        goals=["sleep"],
        contraindications=[
            {"contraindication": "glaucoma", "severity": "avoid", "note": "Raises eye pressure."}
        ],
        interactions=[{"component": "downward-dog", "severity": "separate", "note": "Why."}],
        citations=[{"title": "Jasien 2015", "doi": "10.1371/journal.pone.0144505"}],
    )
    version = workflow.create_component(
        user=editor, kind=Kind.YOGA, slug="legs-up", content=content
    )
    assert workflow.read_content(version) == content


def test_edit_replaces_the_draft_content_and_counts_the_edit(editor):
    version = builders.draft(editor, title="Old title")
    new = replace(workflow.read_content(version), title="New title")
    edited = workflow.edit_draft(version=version, user=editor, content=new, expected_edit_count=0)
    assert edited.edit_count == 1
    assert Version.objects.get(pk=version.pk).title == "New title"
    assert actions_of(version)[-1] == ("edit", "draft", "draft")


def test_submit_freezes_the_version_with_a_sha256_of_its_content(editor):
    version = builders.draft(editor)
    submitted = workflow.submit_for_review(version=version, user=editor)
    assert submitted.state == VersionState.IN_REVIEW
    assert len(submitted.content_hash) == 64
    assert submitted.content_hash == workflow.content_hash(submitted)
    assert submitted.submitted_at is not None
    assert actions_of(version)[-1] == ("submit", "draft", "in_review")
    assert AuditEntry.objects.filter(version=version).last().content_hash == submitted.content_hash


def test_the_hash_covers_links_and_citations(editor):
    ContraindicationFactory(slug="epilepsy")
    version = builders.draft(editor)
    before = workflow.content_hash(version)
    content = workflow.read_content(version)
    linked = replace(content, contraindications=(LinkSpec("epilepsy", "avoid", "Not with it."),))
    workflow.edit_draft(version=version, user=editor, content=linked, expected_edit_count=0)
    with_link = workflow.content_hash(version)
    uncited = replace(linked, citations=())
    workflow.edit_draft(version=version, user=editor, content=uncited, expected_edit_count=1)
    assert len({before, with_link, workflow.content_hash(version)}) == 3
    # Hashing is stable: the same stored content gives the same hash.
    assert workflow.content_hash(version) == workflow.content_hash(version)


def test_one_approval_approves_a_kind_that_needs_one(editor, reviewer):
    version = builders.in_review(editor, kind=Kind.YOGA)
    approved = workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)
    assert approved.state == VersionState.APPROVED
    assert approved.approvals.get().content_hash == version.content_hash
    assert actions_of(version)[-1] == ("approve", "in_review", "approved")


def test_supplements_need_two_distinct_reviewers(editor, reviewer, second_reviewer):
    version = builders.in_review(editor, kind=Kind.SUPPLEMENT)
    once = workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)
    assert once.state == VersionState.IN_REVIEW
    twice = workflow.approve(version=once, user=second_reviewer, seen_hash=version.content_hash)
    assert twice.state == VersionState.APPROVED
    comments = AuditEntry.objects.filter(version=version, action="approve")
    assert [c.comment for c in comments] == ["Approval 1 of 2.", "Approval 2 of 2."]


def test_the_policy_is_a_setting(editor, reviewer, settings):
    settings.REVIEW_POLICY = {"yoga": {"approvals_required": 2}}
    version = builders.in_review(editor, kind=Kind.YOGA)
    once = workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)
    assert once.state == VersionState.IN_REVIEW


def test_request_changes_sends_the_version_back_with_the_comment(editor, reviewer):
    version = builders.in_review(editor)
    sent_back = workflow.request_changes(
        version=version, user=reviewer, comment="Cite the trial for the dose."
    )
    assert sent_back.state == VersionState.CHANGES_REQUESTED
    entry = AuditEntry.objects.filter(version=version).last()
    assert (entry.action, entry.comment, entry.actor) == (
        "request_changes",
        "Cite the trial for the dose.",
        reviewer,
    )


def test_publish_makes_the_version_live_and_sets_the_next_review(editor, reviewer):
    version = builders.approved(editor, reviewer)
    with time_machine.travel("2026-11-20 10:05:00Z", tick=False):
        live = workflow.publish(version=version, user=reviewer)
    assert live.state == VersionState.PUBLISHED
    assert live.published_at.isoformat() == "2026-11-20T10:05:00+00:00"
    assert live.published_by == reviewer
    assert str(live.next_review_due) == "2027-11-20"
    assert actions_of(version)[-1] == ("publish", "approved", "published")


def test_review_cycle_comes_from_the_kind_policy(editor, reviewer, settings):
    settings.REVIEW_POLICY = {"yoga": {"review_cycle_days": 30}}
    with time_machine.travel("2026-11-20 10:00:00Z", tick=False):
        live = builders.published(editor, reviewer, kind=Kind.YOGA)
    assert str(live.next_review_due) == "2026-12-20"


def test_publishing_a_new_version_supersedes_the_old_one(editor, reviewer):
    first = builders.published(editor, reviewer)
    second = builders.republished(first, editor, reviewer, title="Clearer title")
    first.refresh_from_db()
    assert (first.state, second.state) == ("superseded", "published")
    assert first.superseded_at == second.published_at
    assert actions_of(first)[-1] == ("supersede", "published", "superseded")


def test_schedule_then_publish_due_publishes_at_the_set_time(editor, reviewer):
    version = builders.approved(editor, reviewer)
    at = timezone.now() + timedelta(hours=2)
    scheduled = workflow.schedule_publication(version=version, user=reviewer, at=at)
    assert (scheduled.state, scheduled.publish_at) == ("approved", at)
    assert actions_of(version)[-1] == ("schedule", "approved", "approved")

    published, refused = workflow.publish_due()
    assert (published, refused) == ([], [])

    with time_machine.travel(at + timedelta(seconds=1), tick=False):
        published, refused = workflow.publish_due()
    assert [v.pk for v in published] == [version.pk] and refused == []
    version.refresh_from_db()
    assert version.state == "published" and version.published_by == reviewer
    entry = AuditEntry.objects.filter(version=version).last()
    assert (entry.action, entry.actor) == ("publish", None)
    assert entry.comment.startswith(f"Scheduled by {reviewer}")


def test_publish_due_command_reports_what_it_published(editor, reviewer):
    from io import StringIO

    from django.core.management import call_command

    version = builders.approved(editor, reviewer, slug="fixed-wake-time")
    at = timezone.now() + timedelta(minutes=5)
    workflow.schedule_publication(version=version, user=reviewer, at=at)
    out = StringIO()
    with time_machine.travel(at, tick=False):
        call_command("publish_due", stdout=out)
    assert "published fixed-wake-time v1" in out.getvalue()
    assert "1 published, 0 refused." in out.getvalue()


def test_withdraw_takes_the_version_down_with_its_reason(editor, reviewer):
    version = builders.published(editor, reviewer)
    gone = workflow.withdraw(version=version, user=reviewer, reason="New safety signal.")
    assert (gone.state, gone.withdraw_reason) == ("withdrawn", "New safety signal.")
    assert gone.withdrawn_at is not None
    assert actions_of(version)[-1] == ("withdraw", "published", "withdrawn")


def test_revise_starts_a_draft_copied_from_the_version(editor, reviewer):
    first = builders.published(editor, reviewer, title="Glycine before bed")
    draft = workflow.revise(version=first, user=editor)
    assert (draft.number, draft.state, draft.based_on) == (2, "draft", first)
    assert draft.title == "Glycine before bed"
    assert draft.change_note == "Revision of version 1."
    assert replace(workflow.read_content(draft), change_note="") == replace(
        workflow.read_content(first), change_note=""
    )
    assert actions_of(draft) == [("revise", "", "draft")]


def test_revising_a_version_sent_back_closes_it(editor, reviewer):
    version = builders.in_review(editor)
    workflow.request_changes(version=version, user=reviewer, comment="Add a citation.")
    draft = workflow.revise(version=version, user=editor, change_note="Added the citation.")
    version.refresh_from_db()
    assert version.state == VersionState.SUPERSEDED and version.published_at is None
    assert draft.change_note == "Added the citation."
    assert actions_of(version)[-1] == ("supersede", "changes_requested", "superseded")


def test_revising_an_approved_unpublished_version_closes_it(editor, reviewer):
    version = builders.approved(editor, reviewer)
    draft = workflow.revise(version=version, user=editor)
    version.refresh_from_db()
    assert (version.state, draft.state) == ("superseded", "draft")


def test_roll_back_restores_an_earlier_version_as_a_draft_to_review(editor, reviewer):
    first = builders.published(editor, reviewer, title="Original")
    builders.republished(first, editor, reviewer, title="Changed")
    rollback = workflow.roll_back(version=first, user=editor)
    assert (rollback.number, rollback.state, rollback.title) == (3, "draft", "Original")
    assert rollback.change_note == "Rolled back to version 1."
    assert actions_of(rollback) == [("rollback", "", "draft")]
    # It goes through review like any change.
    live = builders.approve_fully(workflow.submit_for_review(version=rollback, user=editor))
    live = workflow.publish(version=live, user=reviewer)
    assert live.title == "Original" and live.state == "published"


def test_a_withdrawn_component_can_come_back_only_through_review(editor, reviewer):
    version = builders.published(editor, reviewer)
    workflow.withdraw(version=version, user=reviewer, reason="Checking a dose.")
    draft = workflow.revise(version=version, user=editor)
    assert draft.state == VersionState.DRAFT
    assert not Version.objects.filter(item=version.item, state="published").exists()


def test_an_approval_after_a_request_for_changes_does_not_carry_over(
    editor, reviewer, second_reviewer
):
    version = builders.in_review(editor, kind=Kind.SUPPLEMENT)
    workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)
    workflow.request_changes(version=version, user=second_reviewer, comment="Wrong unit.")
    draft = workflow.revise(version=version, user=editor)
    resubmitted = workflow.submit_for_review(version=draft, user=editor)
    again = workflow.approve(
        version=resubmitted, user=second_reviewer, seen_hash=resubmitted.content_hash
    )
    assert again.state == VersionState.IN_REVIEW  # the earlier approval was of version 1


def test_every_action_is_in_the_audit_log_in_order(editor, reviewer):
    first = builders.published(editor, reviewer)
    builders.republished(first, editor, reviewer, title="Second")
    actions = list(AuditEntry.objects.values_list("action", "version_number"))
    assert actions == [
        (AuditAction.CREATE, 1),
        (AuditAction.SUBMIT, 1),
        (AuditAction.APPROVE, 1),
        (AuditAction.PUBLISH, 1),
        (AuditAction.REVISE, 2),
        (AuditAction.EDIT, 2),
        (AuditAction.SUBMIT, 2),
        (AuditAction.APPROVE, 2),
        (AuditAction.SUPERSEDE, 1),
        (AuditAction.PUBLISH, 2),
    ]


def test_reviewer_profile_is_kept_for_display(reviewer):
    assert reviewer.reviewer_profile.credentials == "RD"
    assert str(ReviewerFactory().reviewer_profile).endswith(", RD")
