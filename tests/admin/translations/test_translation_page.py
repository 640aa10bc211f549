"""A translation's page: the source version it translates, rendered, beside a form of only
the translatable fields; saving through the workflow with the edit count (a stale save
refused, what was typed kept); review and publication with the workflow's own buttons."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from content import workflow
from content.models import AuditEntry, ContentItem, Version, VersionState
from content.workflow import TranslationContent
from tests import builders
from tests.factories import UserFactory, plan_item

from .pages import item_url, logged_in, messages_of, posted_form, text

pytestmark = pytest.mark.django_db

SPANISH = {
    "title": "Piernas en la pared",
    "summary": "Descansa con las piernas en alto.",
    "details__steps__0": "Siéntate de lado junto a una pared",
    "details__steps__1": "Sube las piernas",
    "details__steps__2": "Descansa los brazos",
    "details__props__0": "cojín",
    "notes__contraindications__glaucoma": "Mantén la cabeza por encima del corazón.",
    "body": "## Cómo\n\nDescansa con las piernas *arriba*.",
    "change_note": "Primera traducción.",
}


@pytest.fixture
def draft(locales, legs_up, translator):
    return workflow.start_translation(item=legs_up.item, locale="es", user=translator)


def workflow_post(client, version: Version, **data):
    return client.post(item_url(version.item, "workflow"), data, follow=True)


def test_only_the_translatable_fields_are_offered_beside_the_source_rendered(
    draft, legs_up, translator
):
    page = logged_in(translator).get(item_url(draft.item))

    assert page.templates[0].name == "admin/content/translation_change.html"
    assert set(page.context["forms"].fields) == {
        "title",
        "summary",
        "details__steps__0",
        "details__steps__1",
        "details__steps__2",
        "details__props__0",
        "notes__contraindications__glaucoma",
        "body",
        "change_note",
        "edit_count",
    }
    html = text(page)
    assert '<div class="markdown-preview source-body" id="source-body"><h2>How</h2>' in html
    assert "Rest with your legs <em>up</em> the wall." in html
    for source_text in ("Sit side-on to a wall", "bolster", "Keep the head above the heart."):
        assert source_text in html
    assert "Note on Glaucoma (glaucoma)" in html
    for structured in ('name="evidence_level"', 'name="details"', 'name="links-', "Level"):
        assert structured not in html
    assert "Translates version 1 of the source" in html


def test_saving_writes_the_translation_through_the_workflow_and_nothing_else(
    draft, legs_up, translator
):
    client = logged_in(translator)
    page = client.get(item_url(draft.item))
    # A crafted post naming structured fields changes nothing: the form has no such field.
    posted = posted_form(page, **SPANISH, details__level="advanced", evidence_level="A")
    saved = client.post(item_url(draft.item), {**posted, "details__steps__3": "Extra"}, follow=True)

    assert messages_of(saved) == ["Draft version 1 saved."]
    version = Version.objects.get(pk=draft.pk)
    assert version.title == "Piernas en la pared"
    assert version.details == {
        "steps": [
            "Siéntate de lado junto a una pared",
            "Sube las piernas",
            "Descansa los brazos",
        ],
        "props": ["cojín"],
    }
    assert version.notes == {
        "contraindications": {"glaucoma": "Mantén la cabeza por encima del corazón."}
    }
    assert version.edit_count == 1
    assert AuditEntry.objects.filter(version=version, action="edit", actor=translator).exists()
    assert Version.objects.get(pk=legs_up.pk).details["level"] == legs_up.details["level"]


def test_a_stale_save_is_refused_and_what_was_typed_stays_in_the_form(draft, translator):
    client = logged_in(translator)
    opened = client.get(item_url(draft.item))
    # Someone saves the draft after the page was opened.
    workflow.edit_draft(
        version=draft,
        user=translator,
        content=TranslationContent(title="Otra", summary="", change_note="x"),
        expected_edit_count=0,
    )

    refused = client.post(item_url(draft.item), posted_form(opened, **SPANISH))

    assert refused.status_code == 200
    assert "was changed by someone else since you opened it" in messages_of(refused)[0]
    form = refused.context["forms"]
    assert form["title"].value() == "Piernas en la pared"
    assert form["details__steps__1"].value() == "Sube las piernas"
    assert 'data-unsaved="yes"' in text(refused)
    assert Version.objects.get(pk=draft.pk).title == "Otra"


def test_submitted_approved_by_a_reviewer_and_published_it_is_served_in_its_locale(
    client, draft, legs_up, translator, reviewer
):
    as_translator = logged_in(translator)
    opened = as_translator.get(item_url(draft.item))
    submitted = as_translator.post(
        item_url(draft.item), {**posted_form(opened, **SPANISH), "submit": "1"}, follow=True
    )
    assert messages_of(submitted) == [
        "Your changes are saved in draft version 1, and it is submitted for review."
    ]
    assert {action for action, _ in submitted.context["actions"]} == set()

    as_reviewer = logged_in(reviewer)
    page = as_reviewer.get(item_url(draft.item))
    assert {action for action, _ in page.context["actions"]} == {"approve", "request_changes"}
    assert page.context["forms"] is None  # frozen: the texts side by side, to read
    assert "Sube las piernas" in text(page) and "Swing the legs up" in text(page)
    version = Version.objects.get(pk=draft.pk)
    approved = workflow_post(as_reviewer, version, action="approve", seen_hash=version.content_hash)
    assert messages_of(approved) == ["You approved version 1; it is now approved."]
    published = workflow_post(as_reviewer, version, action="publish")
    assert messages_of(published) == ["Version 1 is published."]

    served = client.get("/api/v1/components/legs-up/?locale=es").json()
    assert served["title"] == "Piernas en la pared"
    assert served["details"]["steps"][1] == "Sube las piernas"


def test_a_translation_missing_a_text_is_saved_but_not_submitted(draft, translator):
    client = logged_in(translator)
    opened = client.get(item_url(draft.item))
    typed = {**posted_form(opened, **SPANISH), "details__steps__2": "", "submit": "1"}
    page = client.post(item_url(draft.item), typed)

    assert page.status_code == 200
    assert "details.steps: every text is required." in page.context["problems"]
    version = Version.objects.get(pk=draft.pk)
    assert (version.state, version.title) == (VersionState.DRAFT, "Piernas en la pared")


def test_who_wrote_the_translation_never_approves_it(locales, legs_up):
    both = UserFactory(is_staff=True, groups=["Translators", "Reviewers"])
    version = builders.translation_of(legs_up, "es", both)
    version = workflow.submit_for_review(version=version, user=both)

    client = logged_in(both)
    page = client.get(item_url(version.item))
    assert "approve" not in {action for action, _ in page.context["actions"]}
    refused = workflow_post(client, version, action="approve", seen_hash=version.content_hash)

    assert "wrote" in messages_of(refused)[0]
    assert Version.objects.get(pk=version.pk).state == VersionState.IN_REVIEW


def test_an_outdated_translation_says_so_and_its_next_draft_shows_what_the_source_changed(
    locales, legs_up, editor, reviewer, second_reviewer, translator
):
    first = builders.published_translation(legs_up, "es", translator, reviewer, second_reviewer)
    builders.republished(
        legs_up, editor, reviewer, second_reviewer, summary="Rest with your legs raised."
    )
    client = logged_in(translator)

    outdated = unescape(text(client.get(item_url(first.item))))
    assert 'id="translation-outdated"' in outdated
    assert "translates version 1 of 'legs-up', but version 2 is published now" in outdated

    started = client.post(item_url(legs_up.item, "translate"), {"locale": "es"}, follow=True)
    draft = Version.objects.get(item=first.item, number=2)
    assert (draft.based_on_id, draft.translates.number) == (first.pk, 2)
    html = text(started)
    assert 'id="source-changes"' in html
    assert "Version 2 starts from version 1, which translated source version 1" in html
    assert "Summary: <del>A short summary of what it is and how to use it</del>." in html
    assert "Summary: <ins>Rest with your legs raised</ins>." in html
    form = started.context["forms"]
    assert form["title"].value() == "[es] Legs up the wall"  # the earlier translation's
    assert 'id="translation-outdated"' not in html

    diff = client.get(item_url(first.item, "diff"), {"a": 1, "b": 2})
    assert diff.status_code == 200
    assert 'id="source-changes"' in text(diff)


def test_withdrawing_a_translation_says_apps_get_the_fallback_and_does_it(
    client, locales, legs_up, reviewer, second_reviewer, translator
):
    version = builders.published_translation(legs_up, "es", translator, reviewer, second_reviewer)
    as_reviewer = logged_in(reviewer)

    asked = as_reviewer.post(
        item_url(version.item, "workflow"), {"action": "withdraw", "reason": "Wrong dose words."}
    )
    consequences = unescape(text(asked))
    assert "Withdraw the Español translation" in consequences
    assert "Apps asking for 'es' are served the source's text in the locale it falls back to" in (
        consequences
    )
    assert Version.objects.get(pk=version.pk).state == VersionState.PUBLISHED

    workflow_post(as_reviewer, version, action="withdraw", reason="Wrong words.", confirmed="yes")
    assert Version.objects.get(pk=version.pk).state == VersionState.WITHDRAWN
    served = client.get("/api/v1/components/legs-up/?locale=es").json()
    assert (served["locale"], served["title"]) == ("en", "Legs up the wall")


def test_discarding_a_first_translation_draft_leads_back_to_the_source(draft, legs_up, translator):
    discarded = workflow_post(logged_in(translator), draft, action="discard", confirmed="yes")

    assert discarded.redirect_chain[-1][0] == item_url(legs_up.item)
    assert Version.objects.get(pk=draft.pk).state == VersionState.DISCARDED


def test_a_plans_translation_translates_its_items_notes_on_the_plans_screen(
    locales, legs_up, editor, reviewer, second_reviewer, translator
):
    plan = builders.published_plan(
        editor,
        reviewer,
        second_reviewer,
        slug="evening-reset",
        items=[plan_item("legs-up", "bedtime", 1, note="Before lights out.")],
    )
    client = logged_in(translator)
    started = client.post(
        reverse("admin:content_plan_translate", args=[plan.item_id]), {"locale": "pt"}, follow=True
    )

    translation = ContentItem.objects.get(source=plan.item, locale__code="pt")
    assert started.redirect_chain[-1][0] == reverse(
        "admin:content_plan_change", args=[translation.pk]
    )
    fields = set(started.context["forms"].fields)
    assert fields == {"title", "summary", "notes__items__1", "body", "change_note", "edit_count"}
    assert "Note on plan item 1 (legs-up)" in text(started)
    assert "Before lights out." in text(started)
