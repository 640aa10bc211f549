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
    freshness.restart_worker()
    with override_settings(DELIVERY_FRESHNESS="listen"):
        yield
    freshness.restart_worker()


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
    assert freshness.freshness.listener.wait(), "the worker listens"
    assert client.get(url).status_code == 200  # answered from the worker's cache
    workflow.withdraw(version=version, user=reviewer, reason="Safety.")
    status, took = first_status_within(client, url)
    assert status == 404
    assert took < 0.1, f"the withdrawal took {took:.3f} s to reach the worker"


def test_a_worker_that_lost_its_listener_reads_the_table_meanwhile(client):
    editor, reviewer = EditorFactory(), ReviewerFactory()
    version = builders.published(editor, reviewer, slug="bhramari")
    url = "/api/v1/components/bhramari/"
    assert client.get(url).status_code == 200
    assert freshness.freshness.listener.wait()
    freshness.freshness.listener._conn.close()  # as if the database connection dropped
    workflow.withdraw(version=version, user=reviewer, reason="Safety.")
    assert client.get(url).status_code == 404


def poll_until(client, url, status, seconds):
    """Poll ``url`` until it answers ``status``; return the seconds it took (or fail)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if client.get(url).status_code == status:
            return time.monotonic() - started
        time.sleep(0.01)
    raise AssertionError(f"{url} did not answer {status} within {seconds} s")


@override_settings(DELIVERY_STALENESS_SECONDS=0.3)
def test_a_listener_that_silently_went_deaf_costs_at_most_the_bound(client):
    """As when a NAT drops the LISTEN connection without a word: the socket stays open and
    nothing arrives. The worker re-reads the table within the bound, notices the listener
    missed changes, and opens a new one."""
    editor, reviewer = EditorFactory(), ReviewerFactory()
    first = builders.published(editor, reviewer, slug="ujjayi")
    second = builders.published(editor, reviewer, slug="bhramari")
    url = "/api/v1/components/ujjayi/"
    assert client.get(url).status_code == 200
    assert freshness.freshness.listener.wait()
    deaf = freshness.freshness.listener._conn
    deaf.execute("UNLISTEN *")  # open, answering, and hearing nothing
    workflow.withdraw(version=first, user=reviewer, reason="Safety signal.")
    took = poll_until(client, url, 404, seconds=3)
    assert took < 0.3 + 0.2, f"the withdrawal took {took:.2f} s, past the 0.3 s bound"
    # Within two bounds the worker has given up on the deaf listener and listens anew ...
    time.sleep(0.7)
    client.get(url)  # notices, and closes it
    client.get(url)  # listens anew
    assert freshness.freshness.listener.wait()
    assert freshness.freshness.listener._conn not in (None, deaf)
    # ... and hears the next change at once again.
    other = "/api/v1/components/bhramari/"
    assert client.get(other).status_code == 200
    client.get(other)  # from the listener's view again, confirmed a moment ago
    workflow.withdraw(version=second, user=reviewer, reason="Safety signal.")
    assert poll_until(client, other, 404, seconds=3) < 0.1


@override_settings(DELIVERY_STALENESS_SECONDS=0.5)
def test_past_the_bound_without_the_database_the_worker_answers_503(client):
    from django.db import connection

    editor, reviewer = EditorFactory(), ReviewerFactory()
    builders.published(editor, reviewer, slug="nadi-shodhana")
    url = "/api/v1/components/nadi-shodhana/"
    assert client.get(url).status_code == 200
    assert freshness.freshness.listener.wait()
    assert client.get(url).status_code == 200  # confirmed just now, and listening
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: the database is gone
    try:
        assert client.get(url).status_code == 200, "within the bound, its answer stands"
        time.sleep(0.6)
        response = client.get(url)
        assert response.status_code == 503
        assert response["Content-Type"] == "application/problem+json"
        assert response["Retry-After"] == "5" and response["Cache-Control"] == "no-store"
        assert "cannot confirm what is published" in response.json()["detail"]
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert client.get(url).status_code == 200


@override_settings(DELIVERY_STALENESS_SECONDS=30)
def test_an_answer_read_across_a_change_of_epoch_is_neither_kept_nor_served(client):
    """A worker reads content without reading the generations while its last confirmation
    is within the bound. If the database was restored meanwhile, what it read may be half
    restored: before it keeps (or serves) an answer, it checks the epoch is still the one."""
    from django.db import connection

    editor, reviewer = EditorFactory(), ReviewerFactory()
    builders.published(editor, reviewer, slug="sitali")
    detail = "/api/v1/components/sitali/"
    assert client.get(detail).status_code == 200
    assert freshness.freshness.listener.wait()
    before = client.get(detail)  # confirmed, listening: the next requests read no generation
    with connection.cursor() as cursor:  # what a restore does to the epoch, without a word
        cursor.execute("ALTER TABLE content_deliverystate DISABLE TRIGGER USER")
        try:
            cursor.execute("UPDATE content_deliverystate SET epoch = 'restored'")
        finally:
            cursor.execute("ALTER TABLE content_deliverystate ENABLE TRIGGER USER")
    assert client.get(detail)["ETag"] == before["ETag"]  # kept, within the bound
    unkept = client.get("/api/v1/components/")  # computed now: checked before it is kept
    assert unkept.status_code == 503
    assert client.get("/api/v1/components/").status_code == 200  # in the new epoch
    assert client.get(detail)["ETag"] != before["ETag"]
