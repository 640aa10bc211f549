"""A source item's page: its translations locale by locale (current, outdated, not
published), and "Translate into <locale>" for translators once the source is published."""

from __future__ import annotations

import re

import pytest

from content.models import ContentItem, Version, VersionState
from tests import builders

from .pages import item_url, logged_in, messages_of, text, translation_item

pytestmark = pytest.mark.django_db


def _row(page: str, code: str) -> str:
    found = re.search(
        rf'<li class="translation-row [^"]*" id="translation-{code}".*?</li>', page, re.S
    )
    assert found, f"no row for {code}"
    return found[0]


def _translate_buttons(page: str) -> list[str]:
    return re.findall(r'<input type="submit" value="(Translate into [^"]+)">', page)


def test_each_locale_says_whether_its_translation_is_current_outdated_or_missing(
    locales, legs_up, editor, reviewer, second_reviewer, translator
):
    builders.published_translation(legs_up, "pt", translator, reviewer, second_reviewer)
    newer = builders.republished(
        legs_up, editor, reviewer, second_reviewer, summary="Now also after long flights."
    )
    builders.published_translation(newer, "es", translator, reviewer, second_reviewer)

    page = text(logged_in(reviewer).get(item_url(legs_up.item)))

    spanish, portuguese, brazilian = (_row(page, code) for code in ("es", "pt", "pt-BR"))
    assert "status-current" in spanish and "Current" in spanish
    assert "translating source version 2" in spanish
    assert "status-outdated" in portuguese and "Outdated" in portuguese
    assert "translating source version 1" in portuguese
    assert "apps are served the fallback" in portuguese
    assert "status-missing" in brazilian and "Not translated yet." in brazilian
    assert "Translations translate what apps are served" not in page


def test_translate_into_is_offered_to_translators_once_the_source_is_published(
    locales, legs_up, editor, reviewer, translator
):
    draft_only = builders.draft(editor, slug="draft-only")

    as_translator = logged_in(translator)
    buttons = _translate_buttons(text(as_translator.get(item_url(legs_up.item))))
    assert buttons == [
        "Translate into Español",
        "Translate into Português",
        "Translate into Português (Brasil)",
    ]
    unpublished = text(as_translator.get(item_url(draft_only.item)))
    assert _translate_buttons(unpublished) == []
    assert "Translations translate what apps are served: publish a version first." in unpublished
    for other in (editor, reviewer):
        assert _translate_buttons(text(logged_in(other).get(item_url(legs_up.item)))) == []


def test_a_translation_under_way_is_linked_instead_of_started_again(locales, legs_up, translator):
    builders.translation_of(legs_up, "es", translator)
    page = text(logged_in(translator).get(item_url(legs_up.item)))

    spanish = _row(page, "es")
    assert "Translate into" not in spanish
    assert "Version 1</a>: draft." in spanish
    assert "Translate into Português" in _row(page, "pt")


def test_translating_starts_a_draft_of_the_published_version_and_opens_it(
    locales, legs_up, translator
):
    client = logged_in(translator)
    page = client.post(item_url(legs_up.item, "translate"), {"locale": "es"}, follow=True)

    item = translation_item(legs_up, "es")
    assert page.redirect_chain[-1][0] == item_url(item)
    draft = Version.objects.get(item=item)
    assert (draft.state, draft.translates_id, draft.created_by) == (
        VersionState.DRAFT,
        legs_up.pk,
        translator,
    )
    assert messages_of(page) == [
        "Version 1 of the Español translation is a new draft translating version 1: "
        "write it beside the source."
    ]


def test_someone_who_does_not_translate_is_refused_and_nothing_is_started(
    locales, legs_up, editor, translator
):
    refused = logged_in(editor).post(
        item_url(legs_up.item, "translate"), {"locale": "es"}, follow=True
    )
    assert "may not translate content" in messages_of(refused)[0]
    unknown = logged_in(translator).post(
        item_url(legs_up.item, "translate"), {"locale": "xx"}, follow=True
    )
    assert messages_of(unknown) == ["There is no locale 'xx'; a reviewer adds locales first."]
    assert not ContentItem.objects.filter(source=legs_up.item).exists()
