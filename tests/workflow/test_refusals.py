"""Every refusal of a workflow action (who may, four eyes, states, drafts), with the message
the person sees; a refused call writes nothing (``refusals.assert_refused``). What content
must say: ``test_content_rules.py``."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from content import workflow
from content.errors import ContentInvalid, InvalidTransition, PermissionRefused, StaleEdit
from content.kinds import Kind
from content.models import Version
from content.workflow import InteractionSpec
from tests import builders
from tests.factories import EditorFactory, VersionContentFactory
from tests.workflow.refusals import Refusal, assert_refused, nothing

pytestmark = pytest.mark.django_db


# --- Situations beyond the builders: each returns what the refused call acts on -----------


def approved_once(version, reviewer):
    return workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)


def retitled(version, title):
    return replace(workflow.read_content(version), title=title)


def edited(version, editor, title):
    workflow.edit_draft(
        version=version, user=editor, content=retitled(version, title), expected_edit_count=0
    )
    return version


def submitted(version, editor):
    return workflow.submit_for_review(version=version, user=editor)


def revised(version, editor):
    return workflow.revise(version=version, user=editor)


def with_a_revision(published, editor, *, submit=False):
    """``published``, with a newer draft (or version in review) of the same item open."""
    draft = revised(published, editor)
    if submit:
        submitted(draft, editor)
    return published


def changes_requested(version, reviewer):
    workflow.request_changes(version=version, user=reviewer, comment="No.")
    return version


def discarded(version, user):
    return workflow.discard(version=version, user=user)


def deactivated(version):
    """``version``, whose author has since left (their account is inactive)."""
    version.created_by.is_active = False
    version.created_by.save(update_fields=["is_active"])
    return version


def tampered(version, sql, *params):
    """Run ``sql`` (``version``'s id its last parameter) below the application, as someone
    with raw SQL access would. On PostgreSQL the guard triggers are switched off for this one
    statement (as a database owner could): the workflow must still refuse what follows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, [*params, version.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    return version


ITSELF = (InteractionSpec("l-tyrosine", "separate", "Itself."),)

REFUSALS = {
    # --- Who may do what ------------------------------------------------------------------
    "someone_without_a_role_cannot_create_content": Refusal(
        nothing,
        lambda _, p: workflow.create_component(
            user=p.nobody, kind=Kind.YOGA, slug="x", content=VersionContentFactory(kind=Kind.YOGA)),
        PermissionRefused,
        "visitor may not create content: that needs an editor's permission (content.add_version)."),
    "editor_cannot_approve": Refusal(
        lambda p: builders.in_review(p.editor),
        lambda v, p: workflow.approve(version=v, user=p.other_editor, seen_hash=v.content_hash),
        PermissionRefused, "{p.other_editor} may not approve versions: "
        "that needs a reviewer's permission (content.review_version)."),
    "an_editor_cannot_approve_even_their_own_version": Refusal(
        lambda p: builders.in_review(p.editor),
        lambda v, p: workflow.approve(version=v, user=p.editor, seen_hash=v.content_hash),
        PermissionRefused),
    "an_inactive_editor_cannot_create_content": Refusal(
        lambda p: EditorFactory(is_active=False),
        lambda inactive, p: builders.draft(inactive),
        PermissionRefused),
    "editor_cannot_publish": Refusal(
        lambda p: builders.approved(p.editor, p.reviewer),
        lambda v, p: workflow.publish(version=v, user=p.editor),
        PermissionRefused, "…may not publish: that needs a reviewer's permission…"),
    "editor_cannot_withdraw": Refusal(
        lambda p: builders.published(p.editor, p.reviewer),
        lambda v, p: workflow.withdraw(version=v, user=p.editor, reason="Because."),
        PermissionRefused, "…may not withdraw content: that needs a reviewer's permission…"),
    "editor_cannot_request_changes": Refusal(
        lambda p: builders.in_review(p.editor),
        lambda v, p: workflow.request_changes(version=v, user=p.other_editor, comment="Fix it."),
        PermissionRefused, "…may not request changes…"),
    "reviewer_cannot_edit_drafts": Refusal(
        lambda p: builders.draft(p.editor),
        lambda v, p: workflow.edit_draft(
            version=v, user=p.reviewer, content=workflow.read_content(v), expected_edit_count=0),
        PermissionRefused, "…may not edit drafts: that needs an editor's permission…"),
    "roll_back_needs_the_rollback_permission": Refusal(
        lambda p: builders.published(p.editor, p.reviewer),
        lambda v, p: workflow.roll_back(version=v, user=p.reviewer),
        PermissionRefused, "…may not roll back content…"),
    # --- Four eyes ------------------------------------------------------------------------
    "author_cannot_approve_own_version_even_as_superuser": Refusal(
        lambda p: builders.in_review(p.superuser, slug="glycine-bedtime"),
        lambda v, p: workflow.approve(version=v, user=p.superuser, seen_hash=v.content_hash),
        PermissionRefused,
        "You wrote version 1 of 'glycine-bedtime', so someone else must review it."),
    "anyone_who_edited_the_draft_cannot_approve_it": Refusal(
        lambda p: submitted(
            edited(builders.draft(p.editor, slug="bhramari"), p.both, "Humming bee breath"),
            p.editor),
        lambda v, p: workflow.approve(version=v, user=p.both, seen_hash=v.content_hash),
        PermissionRefused, "You wrote version 1 of 'bhramari', so someone else must review it."),
    "whoever_revised_a_version_cannot_approve_the_revision": Refusal(
        lambda p: submitted(
            revised(builders.published(p.editor, p.reviewer, slug="nadi-shodhana"), p.both),
            p.both),
        lambda v, p: workflow.approve(version=v, user=p.both, seen_hash=v.content_hash),
        PermissionRefused,
        "You wrote version 2 of 'nadi-shodhana', so someone else must review it."),
    "author_cannot_request_changes_to_own_version": Refusal(
        lambda p: builders.in_review(p.superuser, slug="child-pose"),
        lambda v, p: workflow.request_changes(version=v, user=p.superuser, comment="Hmm."),
        PermissionRefused, "You wrote version 1 of 'child-pose', so someone else must review it."),
    "the_same_reviewer_cannot_approve_twice": Refusal(
        lambda p: approved_once(
            builders.in_review(p.editor, kind=Kind.SUPPLEMENT, slug="magnesium-glycinate"),
            p.reviewer),
        lambda v, p: workflow.approve(version=v, user=p.reviewer, seen_hash=v.content_hash),
        PermissionRefused, "You have already approved version 1 of 'magnesium-glycinate'; "
        "another reviewer must give the next approval."),
    "an_approval_of_other_content_than_in_review_is_refused": Refusal(
        lambda p: builders.in_review(p.editor),
        lambda v, p: workflow.approve(version=v, user=p.reviewer, seen_hash="0" * 64),
        InvalidTransition, "The version you reviewed (hash 000000000000) is not the one in "
        "review (hash {v.content_hash:.12}); reload it and review what is there now."),
    # --- What people write beside an action: PostgreSQL stores no NUL -------------------
    "a_comment_with_a_nul_is_refused": Refusal(
        lambda p: builders.in_review(p.editor),
        lambda v, p: workflow.request_changes(version=v, user=p.reviewer, comment="Fix\x00 it."),
        ContentInvalid, "The text is not valid: comment: contains a NUL character (\\x00), "
        "which cannot be stored; remove it."),
    "an_approval_comment_with_a_nul_is_refused": Refusal(
        lambda p: builders.in_review(p.editor),
        lambda v, p: workflow.approve(
            version=v, user=p.reviewer, seen_hash=v.content_hash, comment="\x00"),
        ContentInvalid, "…comment: contains a NUL character…"),
    "a_withdraw_reason_with_a_nul_is_refused": Refusal(
        lambda p: builders.published(p.editor, p.reviewer),
        lambda v, p: workflow.withdraw(version=v, user=p.reviewer, reason="Recall\x00"),
        ContentInvalid, "…reason: contains a NUL character…"),
    "a_discard_reason_with_a_nul_is_refused": Refusal(
        lambda p: builders.draft(p.editor),
        lambda v, p: workflow.discard(version=v, user=p.editor, reason="\x00junk"),
        ContentInvalid, "…reason: contains a NUL character…"),
    "a_change_note_with_a_nul_is_refused": Refusal(
        lambda p: builders.published(p.editor, p.reviewer),
        lambda v, p: workflow.revise(version=v, user=p.editor, change_note="Update\x00"),
        ContentInvalid, "…change_note: contains a NUL character…"),
    # --- States ---------------------------------------------------------------------------
    "a_draft_cannot_be_approved": Refusal(
        lambda p: builders.draft(p.editor, slug="kapalabhati"),
        lambda v, p: workflow.approve(version=v, user=p.reviewer, seen_hash=""),
        InvalidTransition, "Cannot approve version 1 of 'kapalabhati': it is draft, "
        "and only in review versions can be."),
    "only_drafts_can_be_submitted": Refusal(
        lambda p: builders.in_review(p.editor, slug="yoga-nidra"),
        lambda v, p: workflow.submit_for_review(version=v, user=p.editor),
        InvalidTransition, "Cannot submit version 1 of 'yoga-nidra': it is in review, "
        "and only draft versions can be."),
    "another_editor_cannot_submit_a_version_in_review_again": Refusal(
        lambda p: builders.in_review(p.editor),
        lambda v, p: workflow.submit_for_review(version=v, user=p.other_editor),
        InvalidTransition),
    "request_changes_needs_a_comment": Refusal(
        lambda p: builders.in_review(p.editor),
        lambda v, p: workflow.request_changes(version=v, user=p.reviewer, comment="  "),
        InvalidTransition,
        "Say what should change: requesting changes needs a comment for the editor."),
    "only_approved_versions_can_be_published": Refusal(
        lambda p: approved_once(
            builders.in_review(p.editor, kind=Kind.SUPPLEMENT, slug="l-tryptophan"), p.reviewer),
        lambda v, p: workflow.publish(version=v, user=p.second_reviewer),
        InvalidTransition, "Cannot publish version 1 of 'l-tryptophan': it is in review, "
        "and only approved versions can be."),
    "a_published_version_cannot_be_published_again": Refusal(
        lambda p: builders.published(p.editor, p.reviewer, slug="screen-curfew"),
        lambda v, p: workflow.publish(version=v, user=p.reviewer),
        InvalidTransition, "…it is published, and only approved versions can be."),
    "publish_refuses_content_that_differs_from_what_was_approved": Refusal(
        lambda p: tampered(
            builders.approved(p.editor, p.reviewer, slug="bone-broth"),
            "UPDATE content_version SET title = 'Tampered' WHERE id = %s"),
        lambda v, p: workflow.publish(version=v, user=p.reviewer),
        InvalidTransition, "Version 1 of 'bone-broth' no longer matches the content that was "
        "approved (its hash differs), so it cannot be published. Revise it and have the "
        "revision reviewed."),
    "publish_refuses_approvals_bound_to_another_hash": Refusal(
        lambda p: tampered(
            builders.approved(p.editor, p.reviewer, slug="caffeine-cut-off"),
            "UPDATE content_approval SET content_hash = %s WHERE version_id = %s", "f" * 64),
        lambda v, p: workflow.publish(version=v, user=p.reviewer),
        InvalidTransition, "Version 1 of 'caffeine-cut-off' has 0 valid approval(s) of the "
        "content it holds; 1 are needed to publish it."),
    "withdraw_needs_a_reason": Refusal(
        lambda p: builders.published(p.editor, p.reviewer),
        lambda v, p: workflow.withdraw(version=v, user=p.reviewer, reason=""),
        InvalidTransition, "Give a reason for withdrawing: it is kept in the audit log."),
    "a_withdrawal_is_scheduled_only_for_a_published_version": Refusal(
        lambda p: builders.approved(p.editor, p.reviewer, slug="evening-walk"),
        lambda v, p: workflow.schedule_withdrawal(
            version=v, user=p.reviewer, at=timezone.now() + timedelta(days=1), reason="Old."),
        InvalidTransition, "…Cannot withdraw version 1 of 'evening-walk': it is approved…"),
    "a_scheduled_withdrawal_needs_a_reason_and_a_future_time": Refusal(
        lambda p: builders.published(p.editor, p.reviewer),
        lambda v, p: workflow.schedule_withdrawal(
            version=v, user=p.reviewer, at=timezone.now() + timedelta(days=1), reason=" "),
        InvalidTransition, "Give a reason for withdrawing: it is kept in the audit log."),
    "an_editor_cannot_schedule_a_withdrawal": Refusal(
        lambda p: builders.published(p.editor, p.reviewer),
        lambda v, p: workflow.schedule_withdrawal(
            version=v, user=p.editor, at=timezone.now() + timedelta(days=1), reason="Old."),
        PermissionRefused, "…may not withdraw content…"),
    "only_published_versions_can_be_withdrawn": Refusal(
        lambda p: builders.approved(p.editor, p.reviewer, slug="glycine-rich-dinner"),
        lambda v, p: workflow.withdraw(version=v, user=p.reviewer, reason="Stop."),
        InvalidTransition, "…Cannot withdraw version 1 of 'glycine-rich-dinner': it is approved…"),
    "scheduling_needs_an_approved_version": Refusal(
        lambda p: builders.in_review(p.editor, slug="wind-down"),
        lambda v, p: workflow.schedule_publication(
            version=v, user=p.reviewer, at=timezone.now() + timedelta(days=1)),
        InvalidTransition, "…Cannot publish version 1 of 'wind-down': it is in review…"),
    # --- Drafts ---------------------------------------------------------------------------
    "a_submitted_version_cannot_be_edited": Refusal(
        lambda p: builders.in_review(p.editor, slug="protein-breakfast"),
        lambda v, p: workflow.edit_draft(
            version=v, user=p.editor, content=retitled(v, "Changed"), expected_edit_count=0),
        InvalidTransition, "Version 1 of 'protein-breakfast' is in review and frozen; only "
        "drafts can be edited. Revise it to make a new draft."),
    "a_stale_edit_is_refused_and_the_other_edit_kept": Refusal(
        lambda p: edited(
            builders.draft(p.editor, slug="fixed-wake-time"), p.other_editor, "Theirs"),
        # The editor saves over edit 0, which the other editor has replaced with edit 1.
        lambda v, p: workflow.edit_draft(
            version=v, user=p.editor, content=retitled(v, "Mine"), expected_edit_count=0),
        StaleEdit, "Version 1 of 'fixed-wake-time' was changed by someone else since you "
        "opened it (edit 1, you had edit 0). Reload it and apply your changes again; nothing "
        "was saved."),
    "a_second_draft_cannot_be_started_while_one_is_open": Refusal(
        lambda p: with_a_revision(
            builders.published(p.editor, p.reviewer, slug="legs-up-the-wall"), p.editor),
        lambda v, p: workflow.revise(version=v, user=p.editor),
        InvalidTransition,
        "Version 2 of 'legs-up-the-wall' is already draft; finish or review that one first."),
    "no_revision_while_a_version_is_in_review": Refusal(
        lambda p: with_a_revision(
            builders.published(p.editor, p.reviewer, slug="bedtime-snack"), p.editor,
            submit=True),
        lambda v, p: workflow.roll_back(version=v, user=p.editor),
        InvalidTransition,
        "Version 2 of 'bedtime-snack' is already in review; finish or review that one first."),
    "a_draft_is_edited_not_revised": Refusal(
        lambda p: builders.draft(p.editor, slug="morning-light"),
        lambda v, p: workflow.revise(version=v, user=p.editor),
        InvalidTransition, "Version 1 of 'morning-light' is still a draft; edit it instead."),
    "roll_back_needs_a_version_that_was_published": Refusal(
        lambda p: changes_requested(builders.in_review(p.editor, slug="dark-room"), p.reviewer),
        lambda v, p: workflow.roll_back(version=v, user=p.editor),
        InvalidTransition, "Version 1 of 'dark-room' was never published, so there is nothing "
        "to roll back to; revise it instead."),
    # --- Discarding -----------------------------------------------------------------------
    "an_editor_cannot_discard_a_draft_they_did_not_write": Refusal(
        lambda p: builders.draft(p.editor, slug="sleep-mask"),
        lambda v, p: workflow.discard(version=v, user=p.other_editor),
        PermissionRefused, "{p.other_editor} may not discard version 1 of 'sleep-mask': only "
        "the editors who wrote it or a reviewer (content.review_version) may."),
    "someone_without_a_role_cannot_discard": Refusal(
        lambda p: builders.draft(p.editor, slug="white-noise"),
        lambda v, p: workflow.discard(version=v, user=p.nobody),
        PermissionRefused, "visitor may not discard version 1 of 'white-noise': only the "
        "editors who wrote it or a reviewer (content.review_version) may."),
    "an_author_who_left_cannot_discard": Refusal(
        lambda p: deactivated(builders.draft(EditorFactory(), slug="warm-bath")),
        lambda v, p: workflow.discard(version=v, user=v.created_by),
        PermissionRefused, "…may not discard version 1 of 'warm-bath'…"),
    "a_version_in_review_cannot_be_discarded": Refusal(
        lambda p: builders.in_review(p.editor, slug="box-breathing"),
        lambda v, p: workflow.discard(version=v, user=p.editor),
        InvalidTransition, "Cannot discard version 1 of 'box-breathing': it is in review, and "
        "only draft or changes requested versions can be."),
    "an_approved_version_cannot_be_discarded": Refusal(
        lambda p: builders.approved(p.editor, p.reviewer, slug="tart-cherry"),
        lambda v, p: workflow.discard(version=v, user=p.reviewer),
        InvalidTransition, "Cannot discard version 1 of 'tart-cherry': it is approved, and "
        "only draft or changes requested versions can be."),
    "a_published_version_is_withdrawn_not_discarded": Refusal(
        lambda p: builders.published(p.editor, p.reviewer, slug="cool-bedroom"),
        lambda v, p: workflow.discard(version=v, user=p.reviewer),
        InvalidTransition, "Cannot discard version 1 of 'cool-bedroom': it is published, and "
        "only draft or changes requested versions can be. Withdraw it to take it down."),
    "a_published_version_cannot_be_discarded_even_by_its_author_as_superuser": Refusal(
        lambda p: builders.published(p.superuser, p.reviewer, slug="sun-salutation"),
        lambda v, p: workflow.discard(version=v, user=p.superuser),
        InvalidTransition, "…it is published, and only draft or changes requested versions…"),
    "a_discarded_version_cannot_be_discarded_again": Refusal(
        lambda p: discarded(
            revised(builders.published(p.editor, p.reviewer, slug="lavender"), p.editor),
            p.editor),
        lambda v, p: workflow.discard(version=v, user=p.editor),
        InvalidTransition, "Cannot discard version 2 of 'lavender': it is discarded, and only "
        "draft or changes requested versions can be."),
    "a_discarded_version_is_not_revised": Refusal(
        lambda p: discarded(
            revised(builders.published(p.editor, p.reviewer, slug="magnesium-bath"), p.editor),
            p.editor),
        lambda v, p: workflow.revise(version=v, user=p.editor),
        InvalidTransition, "Version 2 of 'magnesium-bath' was discarded; revise a version that "
        "was kept instead."),
    "a_discarded_item_is_not_revised": Refusal(
        lambda p: discarded(builders.draft(p.editor, slug="junk"), p.editor),
        lambda v, p: workflow.revise(version=v, user=p.editor),
        InvalidTransition, "'discarded-{v.item_id}-junk' was discarded before it was ever "
        "published; create a new item instead."),
}  # fmt: skip


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_the_workflow_refuses_and_writes_nothing(case, people):
    assert_refused(case, people)


def test_scheduling_in_the_past_is_refused(editor, reviewer):
    version = builders.approved(editor, reviewer)
    at = timezone.now() - timedelta(minutes=1)
    with pytest.raises(InvalidTransition) as caught:
        workflow.schedule_publication(version=version, user=reviewer, at=at)
    assert str(caught.value) == (
        f"{at.isoformat()} is not in the future; publish now instead of scheduling."
    )


def test_a_scheduled_version_revised_meanwhile_is_not_published(editor, reviewer):
    version = builders.approved(editor, reviewer)
    at = timezone.now() + timedelta(minutes=5)
    workflow.schedule_publication(version=version, user=reviewer, at=at)
    workflow.revise(version=version, user=editor)
    published, refused = workflow.publish_due(now=at + timedelta(minutes=1))
    assert (published, refused) == ([], [])
    assert not Version.objects.filter(state="published").exists()
