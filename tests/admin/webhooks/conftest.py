"""A reviewer and an editor who may reach the admin (staff), for the webhook pages."""

import pytest

from tests.factories import EditorFactory, ReviewerFactory


@pytest.fixture
def reviewer():
    return ReviewerFactory(is_staff=True, first_name="Ada", last_name="Lovelace")


@pytest.fixture
def editor():
    return EditorFactory(is_staff=True)
