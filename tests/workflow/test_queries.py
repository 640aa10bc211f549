"""What each write costs in SQL queries, pinned: a change that adds a query per part, per
approval or per document shows here. (Counts include the savepoint the action's transaction
opens inside the test's; on PostgreSQL a change to what is served also sends its
notification.)"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content import workflow
from tests import builders

pytestmark = pytest.mark.django_db


def _notify() -> int:
    """The pg_notify that announces a new generation, on PostgreSQL only."""
    return 1 if connection.vendor == "postgresql" else 0


#: What announcing an event costs (content.events.emit): the outbox row, the endpoints that
#: may want it, and the job for its handlers (one more per delivery, with endpoints).
EVENT = 3


def test_each_step_from_draft_to_withdrawal_costs_a_fixed_number_of_queries(
    editor, reviewer, second_reviewer
):
    costs = {}
    version = builders.draft(editor, slug="first")  # warm the permission caches
    content = workflow.read_content(version)

    def step(name, action):
        nonlocal version
        with CaptureQueriesContext(connection) as queries:
            version = action()
        costs[name] = len(queries)

    step("create", lambda: builders.draft(editor, slug="pinned"))
    step(
        "edit",
        lambda: workflow.edit_draft(
            version=version, user=editor, content=content, expected_edit_count=0
        ),
    )
    step("submit", lambda: workflow.submit_for_review(version=version, user=editor))
    step(
        "approve",
        lambda: workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash),
    )
    step("publish", lambda: workflow.publish(version=version, user=reviewer))
    step("revise", lambda: workflow.revise(version=version, user=editor))
    version = workflow.submit_for_review(version=version, user=editor)
    version = workflow.approve(version=version, user=reviewer, seen_hash=version.content_hash)
    step("publish again", lambda: workflow.publish(version=version, user=reviewer))
    step("withdraw", lambda: workflow.withdraw(version=version, user=reviewer, reason="Recall."))
    version = workflow.revise(version=version, user=editor)
    step("discard", lambda: workflow.discard(version=version, user=editor))
    junk = builders.draft(editor, slug="junk")
    step("discard a new item", lambda: workflow.discard(version=junk, user=editor))

    # Before the workflow's reshaping: 18, 17, 10, 13, 26, 22, 29, 13 (on SQLite). Reading a
    # version's content reads its pictures (one query, with or without any); publishing also
    # checks their renditions are made and renders them.
    assert costs == {
        "create": 10,  # no parts to replace in a new version
        "edit": 19,  # the draft's parts replaced: goals, links, interactions, citations, media
        "submit": 11 + EVENT,
        "approve": 12 + EVENT,  # (the approval that completes the review)
        # The hash checked, the renditions checked, the locales, the item's live version, its
        # translations and its documents read, the document rendered and stored (one locale
        # here: each locale renders its own).
        "publish": 30 + _notify() + EVENT,
        "revise": 16,
        "publish again": 33 + _notify() + EVENT,  # and the superseded version retired
        "withdraw": 14 + _notify() + EVENT,  # (the locales read, to announce it in each)
        "discard": 13,  # the draft's hash sealed; nothing served changes, so no notification
        "discard a new item": 15,  # and its slug renamed to free it
    }
