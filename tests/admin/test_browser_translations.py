"""Translating in a real browser, under the admin's Content Security Policy: a translator
starts a translation from the source's page, writes it beside the source, rendered, field by
field (the body's preview as apps will show it), and submits it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from content import workflow
from content.models import ContentItem, Version, VersionState
from content.workflow import LinkSpec
from tests import builders
from tests.factories import (
    ContraindicationFactory,
    EditorFactory,
    ReviewerFactory,
    TranslatorFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_translator_translates_a_component_beside_its_source(
    page, live_server, log_in, screenshot
):
    editor, reviewer, second = EditorFactory(), ReviewerFactory(), ReviewerFactory()
    translator = TranslatorFactory(is_staff=True)
    workflow.add_locale(user=reviewer, code="es", name="Español")
    ContraindicationFactory(slug="glaucoma", name="Glaucoma")
    source = builders.published(
        editor,
        reviewer,
        second,
        slug="legs-up",
        kind="yoga",
        title="Legs up the wall",
        body="## How\n\nRest with your legs *up* the wall for five minutes.",
        contraindications=(LinkSpec("glaucoma", "caution", "Keep the head above the heart."),),
    )
    log_in(translator)

    page.goto(f"{live_server.url}/admin/content/component/{source.item_id}/change/")
    expect(page.locator("#translation-es")).to_contain_text("Not translated yet.")
    page.get_by_role("button", name="Translate into Español").click()

    item = ContentItem.objects.get(source=source.item, locale__code="es")
    expect(page).to_have_url(f"{live_server.url}/admin/content/component/{item.pk}/change/")
    expect(page.locator("#source-body h2")).to_have_text("How")
    expect(page.locator("#id_details__level")).to_have_count(0)  # the source's, not translated
    page.fill("#id_title", "Piernas en la pared")
    page.fill("#id_summary", "Descansa con las piernas en alto.")
    for index, step in enumerate(
        ["Siéntate de lado junto a una pared", "Sube las piernas", "Descansa los brazos"]
    ):
        page.fill(f"#id_details__steps__{index}", step)
    page.fill("#id_details__props__0", "cojín")
    page.fill("#id_notes__contraindications__glaucoma", "Mantén la cabeza sobre el corazón.")
    page.fill("#id_body", "## Cómo\n\nDescansa con las piernas *arriba* cinco minutos.")
    page.fill("#id_change_note", "Primera traducción.")
    expect(page.locator("#body-preview h2")).to_have_text("Cómo")  # rendered as apps will
    expect(page.locator("#save-status")).to_contain_text("not saved yet")

    # Side by side: each text of the source on the left of its field, on the same row.
    source_step = page.locator("#pair-details__steps__1 .pair-source").bounding_box()
    field_step = page.locator("#id_details__steps__1").bounding_box()
    assert source_step["x"] + source_step["width"] <= field_step["x"]
    assert abs(source_step["y"] - field_step["y"]) < 20
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#pair-details__steps__0").scroll_into_view_if_needed()
    screenshot("translation")

    page.click("#save-and-submit")
    expect(page.locator("#version-state")).to_have_text("In review")
    version = Version.objects.get(item=item)
    assert version.state == VersionState.IN_REVIEW
    assert version.details["steps"][1] == "Sube las piernas"
    assert version.translates_id == source.pk
