"""The Editors and Reviewers groups exist after migrate, with the right permissions."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import EditorFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


def test_both_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Reviewers"}


def test_editors_write_and_submit_but_never_review_publish_or_withdraw():
    editor = EditorFactory()
    for allowed in ["add_version", "change_version", "submit_version", "rollback_version"]:
        assert editor.has_perm(f"content.{allowed}"), allowed
    for refused in [
        "review_version",
        "publish_version",
        "withdraw_version",
        "add_contraindication",
    ]:
        assert not editor.has_perm(f"content.{refused}"), refused


def test_reviewers_review_publish_withdraw_and_keep_the_vocabularies():
    reviewer = ReviewerFactory()
    for allowed in [
        "review_version",
        "publish_version",
        "withdraw_version",
        "add_contraindication",
        "change_contraindication",
        "change_goal",
    ]:
        assert reviewer.has_perm(f"content.{allowed}"), allowed
    for refused in ["change_version", "submit_version"]:
        assert not reviewer.has_perm(f"content.{refused}"), refused
