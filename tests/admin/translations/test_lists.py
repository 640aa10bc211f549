"""The change lists and the review queue with translations: the lists show the source items
unless asked for a locale's translations or the outdated ones; the queue says which locale
and source version a translation is of, and filters by language."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content import workflow
from tests import builders

from .pages import item_url, logged_in, text

pytestmark = pytest.mark.django_db

COMPONENTS = reverse("admin:content_component_changelist")
QUEUE = reverse("admin:content_reviewqueueentry_changelist")


@pytest.fixture
def translated(locales, legs_up, editor, reviewer, second_reviewer, translator):
    """legs-up translated into Portuguese, then republished; translated into Spanish since:
    the Spanish translation is current, the Portuguese one outdated."""
    builders.published_translation(legs_up, "pt", translator, reviewer, second_reviewer)
    newer = builders.republished(
        legs_up, editor, reviewer, second_reviewer, summary="Now also after long flights."
    )
    builders.published_translation(newer, "es", translator, reviewer, second_reviewer)
    builders.published(editor, reviewer, second_reviewer, slug="child-pose")
    return newer


def _slugs(client, query: str = "") -> list[str]:
    page = client.get(f"{COMPONENTS}?{query}")
    assert page.status_code == 200
    return sorted(item.slug for item in page.context["cl"].result_list)


def test_the_lists_show_source_items_unless_asked_for_translations(translated, reviewer):
    client = logged_in(reviewer)

    assert _slugs(client) == ["child-pose", "legs-up"]
    assert _slugs(client, "locale=es") == ["legs-up@es"]
    assert _slugs(client, "locale=translations") == ["legs-up@es", "legs-up@pt"]
    assert _slugs(client, "locale=pt-BR") == []
    assert _slugs(client, "outdated=yes") == ["legs-up@pt"]
    assert _slugs(client, "outdated=yes&locale=es") == []
    assert _slugs(client, "q=legs") == ["legs-up"]


def test_the_lists_of_translations_say_what_each_translates_and_if_it_is_outdated(
    translated, reviewer
):
    client = logged_in(reviewer)
    translations = text(client.get(f"{COMPONENTS}?locale=translations"))
    cells = re.findall(r'<td class="field-translation">(.*?)</td>', translations)
    assert cells == [
        "Current: translates v2",
        '<strong class="outdated">Outdated: translates v1</strong>',
    ]
    sources = text(client.get(COMPONENTS))
    assert "field-translation" not in sources
    assert "Source: English (en)" in sources  # what the language filter shows by default


def test_the_queue_says_which_locale_and_source_version_and_filters_by_language(
    locales, legs_up, editor, reviewer, translator
):
    builders.in_review(editor, slug="child-pose")
    spanish = builders.translation_of(legs_up, "es", translator)
    workflow.submit_for_review(version=spanish, user=translator)
    client = logged_in(reviewer)

    def listed(query: str = "") -> list[str]:
        page = client.get(f"{QUEUE}?{query}")
        return [version.item.slug for version in page.context["cl"].result_list]

    assert listed() == ["child-pose", "legs-up@es"]
    assert listed("locale=source") == ["child-pose"]
    assert listed("locale=es") == ["legs-up@es"]
    assert listed("locale=pt") == []
    cells = re.findall(r'<td class="field-translation">(.*?)</td>', text(client.get(QUEUE)))
    assert cells == ["-", "into Español (es), of legs-up v1"]


def test_the_queue_marks_a_translation_whose_source_moved_on(
    locales, legs_up, editor, reviewer, second_reviewer, translator
):
    spanish = builders.translation_of(legs_up, "es", translator)
    workflow.submit_for_review(version=spanish, user=translator)
    builders.republished(legs_up, editor, reviewer, second_reviewer, summary="Changed.")

    page = text(logged_in(reviewer).get(QUEUE))
    assert "(outdated: v1 is no longer published)" in page


def test_plans_and_interactions_never_offer_a_translation_to_link_to(
    locales, legs_up, editor, translator
):
    builders.translation_of(legs_up, "es", translator)
    draft = builders.draft(editor, slug="child-pose")

    page = logged_in(editor).get(item_url(draft.item))
    choices = dict(
        page.context["forms"].formsets["interactions"].forms[0].fields["component"].choices
    )
    assert "legs-up" in choices
    assert "legs-up@es" not in choices


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_translations_cost_the_queue_and_the_lists_no_query_per_row(
    locales, legs_up, editor, reviewer, second_reviewer, translator
):
    def translated_in_review(source):
        version = builders.translation_of(source, "es", translator)
        workflow.submit_for_review(version=version, user=translator)

    translated_in_review(legs_up)
    client = logged_in(reviewer)
    few = [_queries(client, QUEUE), _queries(client, f"{COMPONENTS}?locale=es")]
    for n in range(4):
        translated_in_review(builders.published(editor, reviewer, second_reviewer, slug=f"p-{n}"))
    many = [_queries(client, QUEUE), _queries(client, f"{COMPONENTS}?locale=es")]

    assert few == many
    assert few[0] == 8  # as the queue without translations (tests/admin/test_screens.py)
