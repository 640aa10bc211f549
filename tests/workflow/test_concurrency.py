"""Real races on PostgreSQL: threads with their own connections, released together by a
barrier. Exactly one wins; the others get a clear refusal; nothing is lost or half-done."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from django.db import connection

from content import workflow
from content.errors import DomainError
from content.kinds import Kind
from content.models import Approval, AuditEntry, Version, VersionState
from tests import builders
from tests.factories import EditorFactory, ReviewerFactory, plan_item

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def race(*actions):
    """Run ``actions`` at the same moment, each in its own thread and database connection.

    Returns one ``("ok", result)`` or ``("refused", message)`` per action; any other
    exception (an IntegrityError, a deadlock) is returned as ``("error", ...)``.
    """
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", action())
        except DomainError as refusal:
            results[i] = ("refused", str(refusal))
        except Exception as error:  # reported to the test, which fails on it
            results[i] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def outcomes(results):
    return sorted(kind for kind, _ in results)


def test_two_reviewers_publishing_at_once_give_one_publication():
    editor, first, second = EditorFactory(), ReviewerFactory(), ReviewerFactory()
    for n in range(ROUNDS):
        version = builders.approved(editor, first, slug=f"race-publish-{n}")
        results = race(
            lambda v=version: workflow.publish(version=v, user=first),
            lambda v=version: workflow.publish(version=v, user=second),
        )
        assert outcomes(results) == ["ok", "refused"], results
        (message,) = [m for kind, m in results if kind == "refused"]
        assert "it is published, and only approved versions can be" in message
        assert Version.objects.filter(item=version.item, state="published").count() == 1
        assert AuditEntry.objects.filter(version=version, action="publish").count() == 1


def test_publishing_a_revision_while_another_reviewer_withdraws_never_leaves_two_live():
    editor, first, second = EditorFactory(), ReviewerFactory(), ReviewerFactory()
    for n in range(ROUNDS):
        v1 = builders.published(editor, first, slug=f"race-withdraw-{n}")
        draft = workflow.revise(version=v1, user=editor)
        v2 = builders.approve_fully(workflow.submit_for_review(version=draft, user=editor), first)
        results = race(
            lambda v=v2: workflow.publish(version=v, user=first),
            lambda v=v1: workflow.withdraw(version=v, user=second, reason="Safety signal."),
        )
        assert "error" not in outcomes(results), results
        v1.refresh_from_db()
        v2.refresh_from_db()
        assert v2.state == VersionState.PUBLISHED
        # Either the withdrawal came first, or the publication superseded v1 and the
        # withdrawal was refused: never both live, never a half-done transition.
        if results[1][0] == "ok":
            assert v1.state == VersionState.WITHDRAWN
        else:
            assert v1.state == VersionState.SUPERSEDED
            assert "it is superseded" in results[1][1]


def test_two_approvals_of_a_version_that_needs_one_record_only_one():
    editor, first, second = EditorFactory(), ReviewerFactory(), ReviewerFactory()
    for n in range(ROUNDS):
        version = builders.in_review(editor, kind=Kind.YOGA, slug=f"race-approve-{n}")
        results = race(
            lambda v=version: workflow.approve(version=v, user=first, seen_hash=v.content_hash),
            lambda v=version: workflow.approve(version=v, user=second, seen_hash=v.content_hash),
        )
        assert outcomes(results) == ["ok", "refused"], results
        (message,) = [m for kind, m in results if kind == "refused"]
        assert "it is approved, and only in review versions can be" in message
        assert Approval.objects.filter(version=version).count() == 1
        assert Version.objects.get(pk=version.pk).state == VersionState.APPROVED


def test_two_approvals_of_a_supplement_both_count():
    editor, first, second = EditorFactory(), ReviewerFactory(), ReviewerFactory()
    for n in range(ROUNDS):
        version = builders.in_review(editor, kind=Kind.SUPPLEMENT, slug=f"race-two-{n}")
        results = race(
            lambda v=version: workflow.approve(version=v, user=first, seen_hash=v.content_hash),
            lambda v=version: workflow.approve(version=v, user=second, seen_hash=v.content_hash),
        )
        assert outcomes(results) == ["ok", "ok"], results
        assert Version.objects.get(pk=version.pk).state == VersionState.APPROVED
        comments = AuditEntry.objects.filter(version=version, action="approve")
        assert sorted(c.comment for c in comments) == ["Approval 1 of 2.", "Approval 2 of 2."]


def test_stale_draft_saves_racing_keep_exactly_one_edit():
    editors = [EditorFactory() for _ in range(4)]
    for n in range(ROUNDS):
        version = builders.draft(editors[0], slug=f"race-edit-{n}")
        loaded = workflow.read_content(version)
        results = race(
            *(
                lambda e=e, v=version, loaded=loaded: workflow.edit_draft(
                    version=v,
                    user=e,
                    content=replace(loaded, title=f"Title by {e.username}"),
                    expected_edit_count=0,
                )
                for e in editors
            )
        )
        assert outcomes(results) == ["ok", "refused", "refused", "refused"], results
        winner = next(r for kind, r in results if kind == "ok")
        for kind, message in results:
            if kind == "refused":
                assert "was changed by someone else since you opened it" in message
        saved = Version.objects.get(pk=version.pk)
        assert (saved.title, saved.edit_count) == (winner.title, 1)
        assert AuditEntry.objects.filter(version=version, action="edit").count() == 1


def test_two_editors_revising_at_once_make_one_draft():
    editor, other, reviewer = EditorFactory(), EditorFactory(), ReviewerFactory()
    for n in range(ROUNDS):
        live = builders.published(editor, reviewer, slug=f"race-revise-{n}")
        results = race(
            lambda v=live: workflow.revise(version=v, user=editor),
            lambda v=live: workflow.revise(version=v, user=other),
        )
        assert outcomes(results) == ["ok", "refused"], results
        (message,) = [m for kind, m in results if kind == "refused"]
        assert "is already draft; finish or review that one first" in message
        assert Version.objects.filter(item=live.item, state="draft").count() == 1


def test_two_reviewers_publishing_a_plan_at_once_give_one_publication():
    editor, first, second = EditorFactory(), ReviewerFactory(), ReviewerFactory()
    builders.published(editor, first, slug="legs-up-the-wall")
    for n in range(ROUNDS):
        version = builders.approved_plan(
            editor,
            first,
            slug=f"race-plan-{n}",
            duration_weeks=2,
            items=[plan_item("legs-up-the-wall", "evening", 1, weeks=(1, 2))],
        )
        results = race(
            lambda v=version: workflow.publish(version=v, user=first),
            lambda v=version: workflow.publish(version=v, user=second),
        )
        assert outcomes(results) == ["ok", "refused"], results
        assert Version.objects.filter(item=version.item, state="published").count() == 1


def test_twenty_full_cycles_on_one_item_at_once_never_deadlock():
    """Every action locks the item, then its versions, and an action that still loses a race
    is tried again: each cycle ends published or with a refusal a person can act on."""
    editors = [EditorFactory() for _ in range(4)]
    reviewers = [ReviewerFactory() for _ in range(4)]
    live = builders.published(editors[0], reviewers[0], kind=Kind.YOGA, slug="race-cycles")

    def cycle(n):
        editor, reviewer = editors[n % 4], reviewers[n % 4]
        current = Version.objects.get(item=live.item, state=VersionState.PUBLISHED)
        draft = workflow.revise(version=current, user=editor)
        submitted = workflow.submit_for_review(version=draft, user=editor)
        approved = workflow.approve(
            version=submitted, user=reviewer, seen_hash=submitted.content_hash
        )
        return workflow.publish(version=approved, user=reviewer).number

    results = race(*(lambda n=n: cycle(n) for n in range(20)))
    assert "error" not in outcomes(results), [r for r in results if r[0] == "error"]
    # Taking the locks in one order leaves no deadlock to lose (the old order lost 19 of 20).
    assert not [m for kind, m in results if kind == "refused" and "same moment" in m]
    published = [number for kind, number in results if kind == "ok"]
    assert published, results
    live_now = Version.objects.get(item=live.item, state=VersionState.PUBLISHED)
    assert live_now.number == max(published)
    document = live_now.documents.get(locale="en")
    assert document.live and document.number == live_now.number
