"""Pictures on the draft form over HTTP: saved into the content, refused at their row with
what was typed kept, shown in the preview, compared in the diff, and their alt text offered
to translators."""

from __future__ import annotations

import re

import pytest

from content import workflow
from content.models import Version
from content.workflow.snapshot import MediaSpec
from tests import builders
from tests.factories import TranslatorFactory, plan_item

from .pages import draft_form, item_url, logged_in, picture_row, section, text, uploaded

pytestmark = pytest.mark.django_db

ALT = "A woman lying on her back, her legs resting straight up against a wall."


def test_a_draft_saved_with_a_picture_and_its_alt_text_shows_it(editor, pose):
    version = builders.draft(editor, slug="legs-up")
    client = logged_in(editor)

    response = client.post(
        item_url(version),
        draft_form(version, media=[picture_row(pose, role="step", step=2, alt=ALT)]),
    )

    assert response.status_code == 302
    saved = workflow.read_content(Version.objects.get(pk=version.pk))
    assert saved.media == (MediaSpec(asset=pose.sha256, role="step", alt=ALT, step=2),)
    page = text(client.get(item_url(version)))
    # The form opens with the picture chosen, numbered, with its thumbnail.
    thumb = pose.renditions.filter(crop="", format="webp").order_by("width").first().file.url
    assert f'<option value="{pose.sha256}" selected data-thumbnail="{thumb}">' in page
    assert 'name="media-0-order" value="1"' in page
    assert f'<img class="picture-thumb" alt="" data-picture-thumb src="{thumb}">' in page
    # The preview beside the body shows it as apps will.
    preview = section(page, "preview-panel")
    assert "Picture 1 (step 2)" in preview and f"Alt text: {ALT}" in preview
    assert "Credit: Recovery content project · CC0 1.0" in preview


def test_a_picture_without_alt_text_is_refused_at_its_row_and_the_rows_are_kept(editor, pose):
    other = uploaded(editor, title="Wall, empty")
    version = builders.draft(editor, slug="legs-up")
    rows = [
        picture_row(other, role="illustration", decorative=True),
        picture_row(pose, role="step", step=1, alt=""),
    ]

    response = logged_in(editor).post(item_url(version), draft_form(version, media=rows))

    assert response.status_code == 200
    assert workflow.read_content(Version.objects.get(pk=version.pk)).media == ()
    page = text(response)
    problem = (
        "media[2].alt: describe what the picture shows for people who cannot see it, "
        "or mark it decorative."
    )
    pictures = section(page, "media-group")
    assert problem in pictures
    row = pictures[pictures.index('data-index="1"') :]
    assert row.index(problem) < row.index('name="media-1-alt"')  # on the picture's own row
    # What was typed comes back: both pictures, their roles and step, the decorative tick.
    assert re.search(rf'<option value="{other.sha256}" selected', pictures)
    assert re.search(rf'<option value="{pose.sha256}" selected', pictures)
    assert '<option value="step" selected>' in pictures
    assert 'name="media-1-step" value="1"' in pictures
    assert re.search(r'<input type="checkbox" name="media-0-decorative"[^>]* checked>', pictures)
    assert problem in section(page, "problems")


def test_a_plan_draft_saves_its_pictures_too(editor, pose):
    builders.published(editor, slug="magnesium")
    plan = builders.draft_plan(
        editor, slug="evening-reset", items=[plan_item("magnesium", "evening", 1)]
    )

    response = logged_in(editor).post(
        item_url(plan), draft_form(plan, media=[picture_row(pose, alt="A quiet bedroom at dusk.")])
    )

    assert response.status_code == 302
    assert workflow.read_content(Version.objects.get(pk=plan.pk)).media == (
        MediaSpec(asset=pose.sha256, role="hero", alt="A quiet bedroom at dusk."),
    )


@pytest.fixture
def live(editor, reviewer, second_reviewer, pose):
    return builders.published(
        editor,
        reviewer,
        second_reviewer,
        slug="legs-up",
        media=[picture_row(pose, role="step", step=1, alt=ALT)],
    )


def test_the_diff_shows_a_changed_alt_text_with_both_pictures(editor, reviewer, live, pose):
    new = workflow.revise(version=live, user=editor)
    logged_in(editor).post(
        item_url(new),
        draft_form(new, media=[picture_row(pose, role="step", step=1, alt=f"{ALT} Eyes closed.")]),
    )

    page = text(logged_in(reviewer).get(item_url(new, "diff") + "?a=1&b=2"))

    assert (
        "Picture 1 (step 1): Legs up the wall, side view · alt text: A woman lying on her back, "
        "her legs resting straight up against a wall. <ins>Eyes closed.</ins>" in page
    )
    changes = section(page, "picture-changes")
    assert "Changed: alt text" in changes
    thumb = pose.renditions.filter(crop="", format="webp").order_by("width").first().file.url
    assert changes.count(f'src="{thumb}"') == 2  # both sides
    assert f"Alt text: {ALT} Eyes closed." in changes


def test_a_picture_changed_for_another_is_said_in_the_diff(editor, reviewer, live):
    new = workflow.revise(version=live, user=editor)
    other = uploaded(editor, title="Legs up, from above")
    logged_in(editor).post(
        item_url(new), draft_form(new, media=[picture_row(other, role="hero", alt=ALT)])
    )

    changes = section(
        text(logged_in(reviewer).get(item_url(new, "diff") + "?a=1&b=2")), "picture-changes"
    )

    assert "Changed: a different picture, role, step" in changes
    assert "Legs up, from above" in changes and "Legs up the wall, side view" in changes


def test_the_read_only_page_of_a_published_version_shows_its_pictures(reviewer, live):
    page = text(logged_in(reviewer).get(item_url(live)))

    assert "Picture 1 (step 1): Legs up the wall, side view · alt text: " + ALT in page
    assert f"Alt text: {ALT}" in section(page, "preview-panel")


def test_a_translator_translates_each_alt_text_beside_its_picture(reviewer, live, pose):
    workflow.add_locale(user=reviewer, code="es", name="Español")
    translator = TranslatorFactory(is_staff=True)
    draft = workflow.start_translation(item=live.item, locale="es", user=translator)

    page = logged_in(translator).get(item_url(draft))

    form = page.context["forms"]
    assert form["notes__media__1"].label == "Picture 1 (step 1): alt text"
    pair = section(text(page), "pair-notes__media__1")
    thumb = pose.renditions.filter(crop="", format="webp").order_by("width").first().file.url
    assert f'<img class="pair-thumb" src="{thumb}" alt="">{ALT}' in pair
