"""Discarding a draft, or a version review sent back: who may, what it leaves (an audit entry,
the version kept as discarded) and what it frees (the slug of an item that was never
published, and nothing of one that was). Refusals: ``test_refusals.py``."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.cache import cache
from django.urls import reverse

from content import workflow
from content.models import (
    AuditAction,
    AuditEntry,
    ContentItem,
    DeliveryChange,
    DeliveryState,
    PublishedDocument,
    Version,
    VersionState,
)
from content.models.vocabulary import slug_validator
from content.workflow import Action, offers
from tests import builders
from tests.factories import EditorFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

#: What the API serves about one published component, and the log apps sync from.
API = [
    "/api/v1/components/",
    "/api/v1/components/{slug}/",
    "/api/v1/components/{slug}/versions/",
    "/api/v1/sync/",
]


def reloaded(version: Version) -> Version:
    return Version.objects.select_related("item").get(pk=version.pk)


def last_entry(version: Version) -> AuditEntry:
    return AuditEntry.objects.filter(version=version).order_by("-id").first()


def offered(user, item: ContentItem) -> list[Action]:
    item = ContentItem.objects.get(pk=item.pk)
    return offers.offered_actions(user, offers.item_versions(item))


def served(client, slug: str) -> dict[str, tuple[int, str, bytes]]:
    """Status, ETag and body of everything the API serves about ``slug``."""
    answers = {}
    for url in (u.format(slug=slug) for u in API):
        response = client.get(url)
        answers[url] = (response.status_code, response.get("ETag"), response.content)
    return answers


def listed_in_the_admin(client, user) -> list[str]:
    client.force_login(user)
    page = client.get(reverse("admin:content_component_changelist"))
    assert page.status_code == 200
    return [item.slug for item in page.context["cl"].result_list]


# --- A draft that was never published: discarded, and its slug free again ----------------


def test_the_author_discards_their_draft_and_its_slug_is_free_again(client, editor):
    draft = builders.draft(editor, slug="junk-breath", title="Junk breath")
    item_id = draft.item_id
    thrown_away = workflow.content_hash(draft)  # over its content and the slug it had

    workflow.discard(version=draft, user=editor)

    discarded = reloaded(draft)
    assert discarded.state == VersionState.DISCARDED
    assert discarded.content_hash == thrown_away
    assert discarded.title == "Junk breath"  # the version is kept, as it was
    assert discarded.item.slug == f"discarded-{item_id}-junk-breath"
    assert discarded.item.discarded_at is not None
    entry = last_entry(draft)
    assert (entry.actor, entry.action, entry.from_state, entry.to_state) == (
        editor,
        AuditAction.DISCARD,
        VersionState.DRAFT,
        VersionState.DISCARDED,
    )
    assert entry.comment == (
        f"Discarded; the slug 'junk-breath' is free again "
        f"(the item is kept as 'discarded-{item_id}-junk-breath')."
    )
    assert (entry.item_id, entry.version_number, entry.content_hash) == (
        item_id,
        1,
        discarded.content_hash,
    )

    again = builders.draft(editor, slug="junk-breath")
    assert again.item_id != item_id
    assert (again.item.slug, again.number, again.state) == ("junk-breath", 1, VersionState.DRAFT)


def test_a_discarded_item_leaves_the_admin_lists_and_is_offered_nothing(client, editor, reviewer):
    kept = builders.draft(editor, slug="kept-draft")
    junk = builders.draft(editor, slug="junk-draft")
    staff = EditorFactory(is_staff=True)
    assert listed_in_the_admin(client, staff) == ["junk-draft", "kept-draft"]

    workflow.discard(version=junk, user=editor)

    assert listed_in_the_admin(client, staff) == ["kept-draft"]
    assert kept.item.slug == "kept-draft"
    for user in (editor, reviewer, staff):
        assert offered(user, junk.item) == []


def test_a_reviewer_discards_a_version_sent_back_for_changes(editor, reviewer):
    version = builders.in_review(editor, slug="tapping-rhythm")
    workflow.request_changes(version=version, user=reviewer, comment="Cite a trial.")
    submitted_hash = version.content_hash

    workflow.discard(version=version, user=reviewer, reason="  Duplicate of bhramari.  ")

    discarded = reloaded(version)
    assert discarded.state == VersionState.DISCARDED
    assert discarded.content_hash == submitted_hash
    entry = last_entry(version)
    assert (entry.actor, entry.action, entry.from_state, entry.to_state) == (
        reviewer,
        AuditAction.DISCARD,
        VersionState.CHANGES_REQUESTED,
        VersionState.DISCARDED,
    )
    assert entry.comment == (
        "Duplicate of bhramari; the slug 'tapping-rhythm' is free again "
        f"(the item is kept as 'discarded-{version.item_id}-tapping-rhythm')."
    )
    assert not ContentItem.objects.filter(slug="tapping-rhythm").exists()


def test_discard_is_offered_on_a_draft_to_its_authors_and_reviewers_only(
    editor, other_editor, reviewer
):
    draft = builders.draft(editor, slug="body-scan")
    assert Action.DISCARD in offered(editor, draft.item)
    assert Action.DISCARD in offered(reviewer, draft.item)
    assert Action.DISCARD not in offered(other_editor, draft.item)

    # Editing the draft makes the other editor one of its authors.
    content = replace(workflow.read_content(draft), title="Body scan, longer")
    workflow.edit_draft(version=draft, user=other_editor, content=content, expected_edit_count=0)
    assert Action.DISCARD in offered(other_editor, draft.item)

    workflow.submit_for_review(version=draft, user=editor)
    assert Action.DISCARD not in offered(editor, draft.item)
    assert Action.DISCARD not in offered(reviewer, draft.item)


def test_a_superuser_holds_the_reviewers_permission_and_may_discard(editor, superuser):
    draft = builders.draft(editor, slug="cold-shower")
    assert Action.DISCARD in offered(superuser, draft.item)
    workflow.discard(version=draft, user=superuser)
    assert reloaded(draft).state == VersionState.DISCARDED


def test_a_revision_sent_back_before_any_publication_frees_the_slug_too(editor, reviewer):
    first = builders.in_review(editor, slug="humming")
    workflow.request_changes(version=first, user=reviewer, comment="Shorter.")
    second = workflow.revise(version=first, user=editor)  # version 1 is closed, unpublished
    assert reloaded(first).state == VersionState.SUPERSEDED

    workflow.discard(version=second, user=editor)

    assert reloaded(second).item.discarded_at is not None
    assert builders.draft(editor, slug="humming").number == 1


def test_a_long_slug_is_renamed_to_a_valid_one_within_the_limit(editor):
    slug = "-".join(["breath"] * 14)  # 97 characters
    draft = builders.draft(editor, slug=slug)
    workflow.discard(version=draft, user=editor)
    renamed = reloaded(draft).item.slug
    assert len(renamed) <= 100 and renamed.startswith(f"discarded-{draft.item_id}-breath-")
    slug_validator(renamed)
    assert f"the slug '{slug}' is free again" in last_entry(draft).comment


def test_a_renamed_slug_never_takes_one_in_use(editor):
    draft = builders.draft(editor, slug="night-walk")
    taken = builders.draft(editor, slug=f"discarded-{draft.item_id}-night-walk")
    workflow.discard(version=draft, user=editor)
    assert reloaded(draft).item.slug == f"discarded-{draft.item_id}-night-walk-2"
    assert reloaded(taken).item.slug == f"discarded-{draft.item_id}-night-walk"


# --- An item that was published: only the discarded version changes ----------------------


def test_discarding_the_draft_of_a_published_item_keeps_what_apps_receive(client, editor, reviewer):
    cache.clear()  # rate-limit counters of earlier tests
    live = builders.published(editor, reviewer, slug="legs-up-the-wall")
    draft = workflow.revise(version=live, user=editor)
    content = replace(workflow.read_content(draft), title="Legs up, never published")
    draft = workflow.edit_draft(version=draft, user=editor, content=content, expected_edit_count=0)
    before = served(client, "legs-up-the-wall")
    documents = list(PublishedDocument.objects.order_by("pk").values())
    changes = DeliveryChange.objects.count()
    generation = DeliveryState.objects.get().generation

    workflow.discard(version=draft, user=editor, reason="Not needed after all.")

    assert reloaded(draft).state == VersionState.DISCARDED
    item = ContentItem.objects.get(pk=live.item_id)
    assert (item.slug, item.discarded_at) == ("legs-up-the-wall", None)
    assert reloaded(live).state == VersionState.PUBLISHED
    entry = last_entry(draft)
    assert (entry.actor, entry.action, entry.comment) == (
        editor,
        AuditAction.DISCARD,
        "Not needed after all.",
    )
    # The read model was not touched, and apps are served exactly what they were.
    assert list(PublishedDocument.objects.order_by("pk").values()) == documents
    assert DeliveryChange.objects.count() == changes
    assert DeliveryState.objects.get().generation == generation
    assert served(client, "legs-up-the-wall") == before
    assert before["/api/v1/components/legs-up-the-wall/"][0] == 200

    # A new draft starts again from what is published, not from what was thrown away.
    assert offers.item_versions(item).target(Action.REVISE) == live
    again = workflow.revise(version=live, user=editor)
    assert (again.number, again.based_on_id, again.title) == (3, live.pk, live.title)


def test_discarding_the_draft_of_a_withdrawn_item_keeps_its_slug(editor, reviewer):
    live = builders.published(editor, reviewer, slug="kava-tea")
    workflow.withdraw(version=live, user=reviewer, reason="Liver safety.")
    draft = workflow.revise(version=live, user=editor)

    workflow.discard(version=draft, user=reviewer)

    item = ContentItem.objects.get(pk=live.item_id)
    assert (item.slug, item.discarded_at) == ("kava-tea", None)
    assert last_entry(draft).comment == "Discarded."
    assert reloaded(live).state == VersionState.WITHDRAWN


# --- The admin's button ------------------------------------------------------------------


def discard_in_the_admin(client, user, version: Version, reason: str = "") -> list[str]:
    """Press "Discard this draft" (confirmed, should it ask first); the messages shown next."""
    client.force_login(user)
    url = reverse("admin:content_component_workflow", args=[version.item_id])
    data = {"action": Action.DISCARD.value, "reason": reason, "confirmed": "yes"}
    assert client.post(url, data).status_code == 302
    # Read on the list: the page of an item discarded with its slug is gone.
    page = client.get(reverse("admin:content_component_changelist"))
    return [str(m) for m in page.context["messages"]]


def test_the_admin_says_what_discarding_did(client, reviewer):
    editor = EditorFactory(is_staff=True)
    draft = builders.draft(editor, slug="pillow-spray")
    assert discard_in_the_admin(client, editor, draft) == [
        "Draft 'pillow-spray' was discarded; its slug is free again."
    ]

    live = builders.published(editor, reviewer, slug="eye-mask")
    revision = workflow.revise(version=live, user=editor)
    assert discard_in_the_admin(client, ReviewerFactory(is_staff=True), revision, "No.") == [
        "Version 2 was discarded; the published version 1 stays live."
    ]
    assert last_entry(revision).comment == "No."


def test_the_admin_refuses_someone_who_may_not_discard(client, editor):
    draft = builders.draft(editor, slug="ear-plugs")
    stranger = EditorFactory(is_staff=True)
    assert discard_in_the_admin(client, stranger, draft) == [
        f"{stranger} may not discard version 1 of 'ear-plugs': only the editors who wrote it "
        "or a reviewer (content.review_version) may."
    ]
    assert reloaded(draft).state == VersionState.DRAFT
