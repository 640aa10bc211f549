"""A request never waits on a silent database past its deadline: it is answered 503."""

import time

import pytest
from django.db import close_old_connections, connection
from django.test import override_settings

from tests import builders
from tests.factories import EditorFactory, ReviewerFactory
from tests.faults.harness import TcpProxy

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def through_a_proxy():
    """Django's connection goes through a TCP proxy that can drop it without a word."""
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    proxy = TcpProxy(int(port), host)
    proxy.start()
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", str(proxy.port)
    try:
        yield proxy
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = host, port
        proxy.stop()


@override_settings(REQUEST_DEADLINE_SECONDS=1.0, DELIVERY_FRESHNESS="query")
def test_a_request_whose_database_went_silent_is_answered_503_at_its_deadline(
    client, through_a_proxy
):
    editor, reviewer = EditorFactory(), ReviewerFactory()
    builders.published(editor, reviewer, slug="kumbhaka")
    url = "/api/v1/components/kumbhaka/"
    assert client.get(url).status_code == 200
    assert through_a_proxy.blackhole() >= 1  # the open connection: nothing in, nothing out
    started = time.monotonic()
    response = client.get(url)
    took = time.monotonic() - started
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert 1.0 <= took < 3.0, f"answered after {took:.1f} s (deadline 1 s)"
    through_a_proxy.heal()
    close_old_connections()  # what Django does after each request (the test client does not)
    assert client.get(url).status_code == 200  # a new connection, and all is well
