"""Every refusal of the workflow, with the message the person sees."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from content import workflow
from content.errors import ContentInvalid, InvalidTransition, PermissionRefused, StaleEdit
from content.kinds import Kind
from content.models import Approval, AuditEntry, Version, VersionState
from content.workflow import CitationSpec, InteractionSpec, LinkSpec
from tests import builders
from tests.factories import (
    ContraindicationFactory,
    EditorFactory,
    UserFactory,
    VersionContentFactory,
)

pytestmark = pytest.mark.django_db


def refusal(error_class, action, **kwargs):
    with pytest.raises(error_class) as caught:
        action(**kwargs)
    return str(caught.value)


# --- Who may do what ------------------------------------------------------------------


def test_someone_without_a_role_cannot_create_content():
    nobody = UserFactory(username="visitor")
    message = refusal(
        PermissionRefused,
        workflow.create_component,
        user=nobody,
        kind=Kind.YOGA,
        slug="x",
        content=VersionContentFactory(kind=Kind.YOGA),
    )
    assert message == (
        "visitor may not create content: that needs an editor's permission (content.add_version)."
    )


def test_an_inactive_editor_is_refused(editor):
    editor.is_active = False
    editor.save()
    with pytest.raises(PermissionRefused):
        builders.draft(editor)


def test_editor_cannot_approve(editor, other_editor):
    version = builders.in_review(editor)
    message = refusal(
        PermissionRefused,
        workflow.approve,
        version=version,
        user=other_editor,
        seen_hash=version.content_hash,
    )
    assert message == (
        f"{other_editor} may not approve versions: that needs a reviewer's permission "
        "(content.review_version)."
    )


def test_editor_cannot_publish(editor, reviewer):
    version = builders.approved(editor, reviewer)
    message = refusal(PermissionRefused, workflow.publish, version=version, user=editor)
    assert "may not publish: that needs a reviewer's permission" in message


def test_editor_cannot_withdraw(editor, reviewer):
    version = builders.published(editor, reviewer)
    message = refusal(
        PermissionRefused, workflow.withdraw, version=version, user=editor, reason="Because."
    )
    assert "may not withdraw content: that needs a reviewer's permission" in message


def test_editor_cannot_request_changes(editor, other_editor):
    version = builders.in_review(editor)
    message = refusal(
        PermissionRefused,
        workflow.request_changes,
        version=version,
        user=other_editor,
        comment="Fix it.",
    )
    assert "may not request changes" in message


def test_reviewer_cannot_edit_drafts(editor, reviewer):
    version = builders.draft(editor)
    message = refusal(
        PermissionRefused,
        workflow.edit_draft,
        version=version,
        user=reviewer,
        content=workflow.read_content(version),
        expected_edit_count=0,
    )
    assert "may not edit drafts: that needs an editor's permission" in message


# --- Four eyes ------------------------------------------------------------------------


def test_author_cannot_approve_own_version_even_as_superuser(superuser):
    version = builders.in_review(superuser, slug="glycine-bedtime")
    message = refusal(
        PermissionRefused,
        workflow.approve,
        version=version,
        user=superuser,
        seen_hash=version.content_hash,
    )
    assert message == "You wrote version 1 of 'glycine-bedtime', so someone else must review it."
    assert not Approval.objects.exists()


def test_anyone_who_edited_the_draft_cannot_approve_it(editor):
    # A reviewer who is also an editor and touched the draft counts as one of its authors.
    both = UserFactory(groups=["Editors", "Reviewers"])
    version = builders.draft(editor, slug="bhramari")
    workflow.edit_draft(
        version=version,
        user=both,
        content=replace(workflow.read_content(version), title="Humming bee breath"),
        expected_edit_count=0,
    )
    version = workflow.submit_for_review(version=version, user=editor)
    message = refusal(
        PermissionRefused,
        workflow.approve,
        version=version,
        user=both,
        seen_hash=version.content_hash,
    )
    assert message == "You wrote version 1 of 'bhramari', so someone else must review it."


def test_whoever_revised_a_version_cannot_approve_the_revision(editor, reviewer):
    both = UserFactory(groups=["Editors", "Reviewers"])
    first = builders.published(editor, reviewer, slug="nadi-shodhana")
    draft = workflow.revise(version=first, user=both)
    version = workflow.submit_for_review(version=draft, user=both)
    message = refusal(
        PermissionRefused,
        workflow.approve,
        version=version,
        user=both,
        seen_hash=version.content_hash,
    )
    assert message == "You wrote version 2 of 'nadi-shodhana', so someone else must review it."


def test_author_cannot_request_changes_to_own_version(superuser):
    version = builders.in_review(superuser, slug="child-pose")
    message = refusal(
        PermissionRefused,
        workflow.request_changes,
        version=version,
        user=superuser,
        comment="Hmm.",
    )
    assert message == "You wrote version 1 of 'child-pose', so someone else must review it."


def test_the_same_reviewer_cannot_approve_twice(editor, reviewer):
    version = builders.in_review(editor, kind=Kind.SUPPLEMENT, slug="magnesium-glycinate")
    workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)
    message = refusal(
        PermissionRefused,
        workflow.approve,
        version=version,
        user=reviewer,
        seen_hash=version.content_hash,
    )
    assert message == (
        "You have already approved version 1 of 'magnesium-glycinate'; "
        "another reviewer must give the next approval."
    )
    assert Version.objects.get(pk=version.pk).state == VersionState.IN_REVIEW


def test_an_approval_of_other_content_than_in_review_is_refused(editor, reviewer):
    version = builders.in_review(editor)
    message = refusal(
        InvalidTransition, workflow.approve, version=version, user=reviewer, seen_hash="0" * 64
    )
    assert message == (
        f"The version you reviewed (hash 000000000000) is not the one in review "
        f"(hash {version.content_hash[:12]}); reload it and review what is there now."
    )


# --- States ---------------------------------------------------------------------------


def test_a_draft_cannot_be_approved(editor, reviewer):
    version = builders.draft(editor, slug="kapalabhati")
    message = refusal(
        InvalidTransition, workflow.approve, version=version, user=reviewer, seen_hash=""
    )
    assert message == (
        "Cannot approve version 1 of 'kapalabhati': it is draft, "
        "and only in review versions can be."
    )


def test_only_drafts_can_be_submitted(editor):
    version = builders.in_review(editor, slug="yoga-nidra")
    message = refusal(InvalidTransition, workflow.submit_for_review, version=version, user=editor)
    assert message == (
        "Cannot submit version 1 of 'yoga-nidra': it is in review, and only draft versions can be."
    )


def test_request_changes_needs_a_comment(editor, reviewer):
    version = builders.in_review(editor)
    message = refusal(
        InvalidTransition, workflow.request_changes, version=version, user=reviewer, comment="  "
    )
    assert message == "Say what should change: requesting changes needs a comment for the editor."
    assert Version.objects.get(pk=version.pk).state == VersionState.IN_REVIEW


def test_only_approved_versions_can_be_published(editor, reviewer, second_reviewer):
    version = builders.in_review(editor, kind=Kind.SUPPLEMENT, slug="l-tryptophan")
    workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)
    message = refusal(InvalidTransition, workflow.publish, version=version, user=second_reviewer)
    assert message == (
        "Cannot publish version 1 of 'l-tryptophan': it is in review, "
        "and only approved versions can be."
    )


def test_a_published_version_cannot_be_published_again(editor, reviewer):
    version = builders.published(editor, reviewer, slug="screen-curfew")
    message = refusal(InvalidTransition, workflow.publish, version=version, user=reviewer)
    assert "it is published, and only approved versions can be." in message


def tamper(sql, params):
    """Write below the application, as someone with raw SQL access would. On PostgreSQL the
    guard triggers are switched off for this one statement (as a database owner could):
    the workflow must still refuse what follows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_publish_refuses_content_that_differs_from_what_was_approved(editor, reviewer):
    version = builders.approved(editor, reviewer, slug="bone-broth")
    tamper("UPDATE content_version SET title = 'Tampered' WHERE id = %s", [version.pk])
    message = refusal(InvalidTransition, workflow.publish, version=version, user=reviewer)
    assert message == (
        "Version 1 of 'bone-broth' no longer matches the content that was approved (its hash "
        "differs), so it cannot be published. Revise it and have the revision reviewed."
    )
    assert not Version.objects.filter(state="published").exists()


def test_publish_refuses_approvals_bound_to_another_hash(editor, reviewer):
    version = builders.approved(editor, reviewer, slug="caffeine-cut-off")
    tamper("UPDATE content_approval SET content_hash = %s", ["f" * 64])
    message = refusal(InvalidTransition, workflow.publish, version=version, user=reviewer)
    assert message == (
        "Version 1 of 'caffeine-cut-off' has 0 valid approval(s) of the content it holds; "
        "1 are needed to publish it."
    )


def test_withdraw_needs_a_reason(editor, reviewer):
    version = builders.published(editor, reviewer)
    message = refusal(
        InvalidTransition, workflow.withdraw, version=version, user=reviewer, reason=""
    )
    assert message == "Give a reason for withdrawing: it is kept in the audit log."
    assert Version.objects.get(pk=version.pk).state == VersionState.PUBLISHED


def test_only_published_versions_can_be_withdrawn(editor, reviewer):
    version = builders.approved(editor, reviewer, slug="glycine-rich-dinner")
    message = refusal(
        InvalidTransition, workflow.withdraw, version=version, user=reviewer, reason="Stop."
    )
    assert "Cannot withdraw version 1 of 'glycine-rich-dinner': it is approved" in message


def test_scheduling_in_the_past_is_refused(editor, reviewer):
    version = builders.approved(editor, reviewer)
    at = timezone.now() - timedelta(minutes=1)
    message = refusal(
        InvalidTransition, workflow.schedule_publication, version=version, user=reviewer, at=at
    )
    assert message == f"{at.isoformat()} is not in the future; publish now instead of scheduling."


def test_scheduling_needs_an_approved_version(editor, reviewer):
    version = builders.in_review(editor, slug="wind-down")
    at = timezone.now() + timedelta(days=1)
    message = refusal(
        InvalidTransition, workflow.schedule_publication, version=version, user=reviewer, at=at
    )
    assert "Cannot publish version 1 of 'wind-down': it is in review" in message


def test_a_scheduled_version_revised_meanwhile_is_not_published(editor, reviewer):
    version = builders.approved(editor, reviewer)
    at = timezone.now() + timedelta(minutes=5)
    workflow.schedule_publication(version=version, user=reviewer, at=at)
    workflow.revise(version=version, user=editor)
    published, refused = workflow.publish_due(now=at + timedelta(minutes=1))
    assert (published, refused) == ([], [])
    assert not Version.objects.filter(state="published").exists()


# --- Drafts ---------------------------------------------------------------------------


def test_a_submitted_version_cannot_be_edited(editor):
    version = builders.in_review(editor, slug="protein-breakfast")
    message = refusal(
        InvalidTransition,
        workflow.edit_draft,
        version=version,
        user=editor,
        content=replace(workflow.read_content(version), title="Changed"),
        expected_edit_count=0,
    )
    assert message == (
        "Version 1 of 'protein-breakfast' is in review and frozen; only drafts can be edited. "
        "Revise it to make a new draft."
    )
    assert Version.objects.get(pk=version.pk).title != "Changed"


def test_a_stale_edit_is_refused_and_the_other_edit_kept(editor, other_editor):
    version = builders.draft(editor, slug="fixed-wake-time")
    loaded = workflow.read_content(version)
    workflow.edit_draft(
        version=version,
        user=other_editor,
        content=replace(loaded, title="Theirs"),
        expected_edit_count=0,
    )
    message = refusal(
        StaleEdit,
        workflow.edit_draft,
        version=version,
        user=editor,
        content=replace(loaded, title="Mine"),
        expected_edit_count=0,
    )
    assert message == (
        "Version 1 of 'fixed-wake-time' was changed by someone else since you opened it "
        "(edit 1, you had edit 0). Reload it and apply your changes again; nothing was saved."
    )
    assert Version.objects.get(pk=version.pk).title == "Theirs"


def test_a_second_draft_cannot_be_started_while_one_is_open(editor, reviewer):
    first = builders.published(editor, reviewer, slug="legs-up-the-wall")
    workflow.revise(version=first, user=editor)
    message = refusal(InvalidTransition, workflow.revise, version=first, user=editor)
    assert message == (
        "Version 2 of 'legs-up-the-wall' is already draft; finish or review that one first."
    )
    assert Version.objects.filter(item=first.item).count() == 2


def test_no_revision_while_a_version_is_in_review(editor, reviewer):
    first = builders.published(editor, reviewer, slug="bedtime-snack")
    draft = workflow.revise(version=first, user=editor)
    workflow.submit_for_review(version=draft, user=editor)
    message = refusal(InvalidTransition, workflow.roll_back, version=first, user=editor)
    assert message == (
        "Version 2 of 'bedtime-snack' is already in review; finish or review that one first."
    )


def test_a_draft_is_edited_not_revised(editor):
    version = builders.draft(editor, slug="morning-light")
    message = refusal(InvalidTransition, workflow.revise, version=version, user=editor)
    assert message == "Version 1 of 'morning-light' is still a draft; edit it instead."


def test_roll_back_needs_a_version_that_was_published(editor, reviewer):
    version = builders.in_review(editor, slug="dark-room")
    workflow.request_changes(version=version, user=reviewer, comment="No.")
    message = refusal(InvalidTransition, workflow.roll_back, version=version, user=editor)
    assert message == (
        "Version 1 of 'dark-room' was never published, so there is nothing to roll back to; "
        "revise it instead."
    )


def test_roll_back_needs_the_rollback_permission(editor, reviewer):
    version = builders.published(editor, reviewer)
    message = refusal(PermissionRefused, workflow.roll_back, version=version, user=reviewer)
    assert "may not roll back content" in message


# --- Content rules --------------------------------------------------------------------


def content_refusal(editor, **content):
    with pytest.raises(ContentInvalid) as caught:
        builders.draft(editor, **content)
    return caught.value


def test_a_supplement_without_a_dose_is_refused(editor):
    details = {
        "timing": "bedtime",
        "form": "powder",
        "max_daily": {"amount": 3, "unit": "g"},
        "with_food": "either",
    }
    error = content_refusal(editor, kind=Kind.SUPPLEMENT, details=details)
    assert str(error) == "The content is not valid: details.dose: this field is required."
    assert error.errors == {"details": ["details.dose: this field is required."]}
    assert not Version.objects.exists()


def test_unknown_contraindication_is_refused(editor):
    error = content_refusal(
        editor, contraindications=(LinkSpec("pregancy", "avoid", "Not in pregnancy."),)
    )
    assert error.errors["contraindications"] == [
        "contraindications[pregancy]: unknown contraindication; add it to the vocabulary first."
    ]


def test_a_link_needs_a_known_severity_and_a_note(editor):
    ContraindicationFactory(slug="pregnancy")
    error = content_refusal(editor, contraindications=(LinkSpec("pregnancy", "never", ""),))
    assert error.errors["contraindications"] == [
        "contraindications[pregnancy].severity: 'never' is not allowed; choose avoid or caution.",
        "contraindications[pregnancy].note: tell the person what to do.",
    ]


def test_unknown_goal_is_refused(editor):
    error = content_refusal(editor, goals=("slep",))
    assert error.errors["goals"] == ["goals: unknown goal 'slep'."]


def test_interaction_with_an_unknown_component_is_refused(editor):
    error = content_refusal(
        editor, interactions=(InteractionSpec("l-tyrosin", "separate", "Same transporter."),)
    )
    assert error.errors["interactions"] == ["interactions[l-tyrosin]: no component has this slug."]


def test_a_component_cannot_interact_with_itself(editor):
    version = builders.draft(editor, slug="l-tyrosine")
    content = replace(
        workflow.read_content(version),
        interactions=(InteractionSpec("l-tyrosine", "separate", "Itself."),),
    )
    with pytest.raises(ContentInvalid) as caught:
        workflow.edit_draft(version=version, user=editor, content=content, expected_edit_count=0)
    assert caught.value.errors["interactions"] == ["interactions[l-tyrosine]: not with itself."]


def test_a_citation_needs_a_way_to_find_it(editor):
    error = content_refusal(editor, citations=(CitationSpec(title="Some paper"),))
    assert error.errors["citations"] == [
        "citations[0]: give a DOI, a PMID or a URL so readers can find the source."
    ]


def test_malformed_citation_identifiers_are_refused(editor):
    error = content_refusal(
        editor,
        citations=(CitationSpec(title="A", doi="doi:10.1/x", pmid="PMID385809", url="ftp://x"),),
    )
    assert error.errors["citations"] == [
        "citations[0].doi: 'doi:10.1/x' is not a DOI (10.xxxx/...).",
        "citations[0].pmid: 'PMID385809' is not a PMID (digits only).",
        "citations[0].url: 'ftp://x' is not an http(s) URL.",
    ]


def test_evidence_level_must_be_a_to_d(editor):
    error = content_refusal(editor, evidence_level="E")
    assert error.errors["evidence_level"] == [
        "evidence_level: 'E' is not allowed; choose one of A, B, C, D."
    ]


def test_a_change_note_is_required(editor):
    error = content_refusal(editor, change_note=" ")
    assert error.errors["change_note"] == ["change_note: this field is required."]


def test_a_taken_slug_is_refused(editor):
    builders.draft(editor, slug="glycine-bedtime")
    error = content_refusal(editor, slug="glycine-bedtime")
    assert str(error) == "The slug 'glycine-bedtime' is already taken; choose another."


def test_a_malformed_slug_is_refused(editor):
    error = content_refusal(editor, slug="Glycine Bedtime")
    assert str(error) == (
        "'Glycine Bedtime' is not a valid slug: use lower-case letters, digits and single hyphens."
    )


def test_an_unknown_kind_is_refused(editor):
    with pytest.raises(ContentInvalid) as caught:
        workflow.create_component(
            user=editor, kind="tai_chi", slug="tai-chi", content=VersionContentFactory()
        )
    assert str(caught.value) == (
        "Unknown kind 'tai_chi'; choose one of diet, supplement, yoga, pranayama, sleep_hygiene."
    )


def test_a_refused_action_leaves_no_audit_entry(editor, other_editor):
    version = builders.in_review(editor)
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionRefused):
        workflow.approve(version=version, user=other_editor, seen_hash=version.content_hash)
    with pytest.raises(InvalidTransition):
        workflow.submit_for_review(version=version, user=EditorFactory())
    with pytest.raises(PermissionRefused):
        workflow.approve(version=version, user=editor, seen_hash=version.content_hash)
    assert AuditEntry.objects.count() == before
