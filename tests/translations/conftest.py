"""Locales (es; pt; pt-BR falling back to pt), the people who translate and review, and
published content to translate."""

import pytest

from content import workflow
from tests import builders
from tests.delivery import conftest as delivery
from tests.factories import TranslatorFactory

# The delivery tests' vocabulary, people, publishing and fresh caches.
fresh_cache, vocabulary, people, publish = (
    delivery.fresh_cache,
    delivery.vocabulary,
    delivery.people,
    delivery.publish,
)


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
def translate(people, translator):
    """Publish a translation of the published ``source`` into ``locale``."""
    _, reviewer, second = people

    def _translate(source, locale, **changes):
        return builders.published_translation(
            source, locale, translator, reviewer, second, **changes
        )

    return _translate
