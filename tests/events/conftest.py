"""The events tests' job worker (``tests.workers``) and the real receivers
(``tests.servers``, ``tests.smtp_server``)."""

from __future__ import annotations

import pytest

from tests.servers import WebhookReceiver
from tests.smtp_server import SmtpServer
from tests.workers import worker  # noqa: F401 (the fixture, for these tests)


@pytest.fixture
def receiver():
    from content.events.webhooks import new_secret

    with WebhookReceiver(new_secret()) as running:
        yield running


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server
