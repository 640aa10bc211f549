"""Sync under concurrent publishing, on PostgreSQL with committed transactions: generations
commit in the order they are given out, so a token never skips a change that commits late."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from content import workflow
from tests import builders
from tests.delivery.test_sync import sync
from tests.factories import EditorFactory, ReviewerFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def in_thread(action):
    """Run ``action`` in a thread with its own connection; return (thread, result list)."""
    result: list = []

    def run():
        try:
            result.append(action())
        except Exception as error:  # handed to the test, which fails on it
            result.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def synced_slugs(client, token):
    changes, token, _ = sync(client, token)
    return [c["slug"] for c in changes], token


def test_a_publication_that_commits_late_is_not_skipped(client):
    editor, reviewer = EditorFactory(), ReviewerFactory()
    first = builders.approved(editor, reviewer, slug="slow-to-commit")
    second = builders.approved(editor, reviewer, slug="quick-to-commit")
    builders.published(editor, reviewer, slug="already-live")
    _, token = synced_slugs(client, None)

    published, release = threading.Event(), threading.Event()

    def slow_publication():
        with transaction.atomic():
            workflow.publish(version=first, user=reviewer)
            published.set()
            assert release.wait(timeout=30)
        return "committed"

    slow, slow_result = in_thread(slow_publication)
    assert published.wait(timeout=30)
    quick, quick_result = in_thread(lambda: workflow.publish(version=second, user=reviewer))
    quick.join(timeout=1)
    # The second publication waits for the first to commit: it cannot take a later
    # generation and commit before it.
    assert quick.is_alive() and quick_result == []
    # An app syncing meanwhile sees neither, and its token does not pass over them.
    during, token = synced_slugs(client, token)
    assert during == []

    release.set()
    slow.join(timeout=30)
    quick.join(timeout=30)
    assert slow_result == ["committed"] and quick_result[0].state == "published"
    after, _ = synced_slugs(client, token)
    assert after == ["quick-to-commit", "slow-to-commit"]
