"""Locales (es; pt; pt-BR falling back to pt), the people who translate and review, and
published content to translate."""

import pytest
from django.core.cache import cache

from content import workflow
from content.workflow import LinkSpec
from tests import builders
from tests.factories import (
    ContraindicationFactory,
    EditorFactory,
    GoalFactory,
    ReviewerFactory,
    TranslatorFactory,
)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def vocabulary(db):
    return {
        "pregnancy": ContraindicationFactory(slug="pregnancy", name="Pregnancy"),
        "ssri": ContraindicationFactory(slug="ssri", name="SSRI antidepressants"),
        "sleep": GoalFactory(slug="sleep", name="Sleep"),
    }


@pytest.fixture
def people(db):
    return EditorFactory(), ReviewerFactory(), ReviewerFactory()


@pytest.fixture
def translator(db):
    return TranslatorFactory()


@pytest.fixture
def locales(people):
    reviewer = people[1]
    workflow.add_locale(user=reviewer, code="es", name="Español")
    workflow.add_locale(user=reviewer, code="pt", name="Português")
    workflow.add_locale(user=reviewer, code="pt-BR", name="Português (Brasil)", fallback="pt")
    return ["en", "es", "pt", "pt-BR"]


@pytest.fixture
def publish(people, vocabulary):
    """Publish a component: ``publish("slug", kind=..., avoid=[...], caution=[...])``."""
    editor, reviewer, second = people

    def _publish(slug, *, kind="yoga", avoid=(), caution=(), goals=(), **content):
        links = tuple(LinkSpec(s, "avoid", f"Not with {s}.") for s in avoid) + tuple(
            LinkSpec(s, "caution", f"Careful with {s}.") for s in caution
        )
        return builders.published(
            editor,
            reviewer,
            second,
            slug=slug,
            kind=kind,
            contraindications=links,
            goals=tuple(goals),
            **content,
        )

    return _publish


@pytest.fixture
def translate(people, translator):
    """Publish a translation of the published ``source`` into ``locale``."""
    _, reviewer, second = people

    def _translate(source, locale, **changes):
        return builders.published_translation(
            source, locale, translator, reviewer, second, **changes
        )

    return _translate
