"""LISTEN/NOTIFY freshness on PostgreSQL, with committed transactions as in production."""

import time

import pytest
from django.test import override_settings

from content import workflow
from content.delivery import freshness
from tests import builders
from tests.factories import EditorFactory, ReviewerFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def listening():
    freshness._listener._retry_at = 0.0
    with override_settings(DELIVERY_FRESHNESS="listen"):
        yield
    freshness._listener._close()
    freshness._listener._retry_at = 0.0


def first_status_within(client, url, seconds=2.0):
    """Poll ``url`` until its status changes from 200; return (status, seconds it took)."""
    started = time.monotonic()
    while True:
        status = client.get(url).status_code
        if status != 200 or time.monotonic() - started > seconds:
            return status, time.monotonic() - started


def test_a_committed_withdrawal_reaches_a_listening_worker_at_once(client):
    editor, reviewer = EditorFactory(), ReviewerFactory()
    version = builders.published(editor, reviewer, slug="kapalabhati")
    url = "/api/v1/components/kapalabhati/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # answered from the worker's cache
    assert freshness._listener._conn is not None, "the worker listens"
    workflow.withdraw(version=version, user=reviewer, reason="Safety.")
    status, took = first_status_within(client, url)
    assert status == 404
    assert took < 0.1, f"the withdrawal took {took:.3f} s to reach the worker"


def test_a_worker_that_lost_its_listener_reads_the_table_meanwhile(client):
    editor, reviewer = EditorFactory(), ReviewerFactory()
    version = builders.published(editor, reviewer, slug="bhramari")
    url = "/api/v1/components/bhramari/"
    assert client.get(url).status_code == 200
    freshness._listener._conn.close()  # as if the database connection dropped
    workflow.withdraw(version=version, user=reviewer, reason="Safety.")
    assert client.get(url).status_code == 404
