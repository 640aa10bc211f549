"""The picture screens' tests (each in a media folder of its own, ``tests/conftest.py``):
editors and reviewers who may reach the admin; a picture uploaded through the workflow with its
renditions made."""

from __future__ import annotations

import pytest

from tests.factories import EditorFactory, ReviewerFactory

from .pages import uploaded


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
def pose(editor):
    """A picture of a pose in the library, its renditions made."""
    return uploaded(editor, title="Legs up the wall, side view")
