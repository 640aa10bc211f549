"""The people of the translation screens (all may reach the admin), the locales (es; pt;
pt-BR falling back to pt) and a published component to translate."""

import pytest

from content import workflow
from content.workflow import LinkSpec
from tests import builders
from tests.factories import (
    ContraindicationFactory,
    EditorFactory,
    ReviewerFactory,
    TranslatorFactory,
)


@pytest.fixture
def editor(db):
    return EditorFactory(is_staff=True)


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(is_staff=True)


@pytest.fixture
def second_reviewer(db):
    return ReviewerFactory(is_staff=True)


@pytest.fixture
def translator(db):
    return TranslatorFactory(is_staff=True)


@pytest.fixture
def locales(reviewer):
    workflow.add_locale(user=reviewer, code="es", name="Español")
    workflow.add_locale(user=reviewer, code="pt", name="Português")
    workflow.add_locale(user=reviewer, code="pt-BR", name="Português (Brasil)", fallback="pt")
    return ["es", "pt", "pt-BR"]


@pytest.fixture
def legs_up(db, editor, reviewer, second_reviewer):
    """A published yoga pose with three steps, a prop and a caution note to translate."""
    ContraindicationFactory(slug="glaucoma", name="Glaucoma")
    return builders.published(
        editor,
        reviewer,
        second_reviewer,
        slug="legs-up",
        kind="yoga",
        title="Legs up the wall",
        body="## How\n\nRest with your legs *up* the wall.",
        contraindications=(LinkSpec("glaucoma", "caution", "Keep the head above the heart."),),
    )
