"""The people the workflow tests play their cases with."""

from types import SimpleNamespace

import pytest

from tests.factories import UserFactory


@pytest.fixture
def people(editor, other_editor, reviewer, second_reviewer, superuser):
    return SimpleNamespace(
        editor=editor,
        other_editor=other_editor,
        reviewer=reviewer,
        second_reviewer=second_reviewer,
        superuser=superuser,
        nobody=UserFactory(username="visitor"),
        # A reviewer who is also an editor: touching a version makes them one of its authors.
        both=UserFactory(groups=["Editors", "Reviewers"]),
    )
