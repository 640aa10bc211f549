"""The operator's commands, used end to end: a key made on the command line opens the API
and stops at once when revoked; a webhook endpoint made there gets a secret, shown once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from content.models import DeliveryKey, WebhookEndpoint
from tests.factories import ReviewerFactory

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@override_settings(DELIVERY_ALLOW_ANONYMOUS=False)
def test_a_key_made_on_the_command_line_opens_the_api_until_revoked(client):
    key, said = run("api_keys", "create", "--name", "Sleep app", "--rate", "30")
    key = key.strip()
    row = DeliveryKey.objects.get()
    assert key.startswith(f"{row.prefix}.") and row.requests_per_minute == 30
    assert key not in said and row.hashed_key != key  # printed once, kept as a hash
    assert "printed above once" in said
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    assert client.get("/api/v1/goals/", **auth).status_code == 200
    listed, _ = run("api_keys", "list")
    assert row.prefix in listed and "live" in listed and "Sleep app" in listed
    assert key.split(".")[1] not in listed
    _, said = run("api_keys", "revoke", row.prefix)
    assert "stops working at once" in said
    assert client.get("/api/v1/goals/", **auth).status_code == 401
    assert "revoked" in run("api_keys", "list")[0]


def test_key_commands_refuse_in_words():
    with pytest.raises(CommandError, match="requests_per_minute"):
        run("api_keys", "create", "--name", "App", "--rate", "0")
    with pytest.raises(CommandError, match="not in the future"):
        run("api_keys", "create", "--name", "App", "--expires", "2020-01-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("api_keys", "create", "--name", "App", "--expires", "soon")
    with pytest.raises(CommandError, match="No API key has the prefix"):
        run("api_keys", "revoke", "nothing")
    assert not DeliveryKey.objects.exists()


@override_settings(WEBHOOK_ALLOW_HTTP=False)
def test_a_webhook_endpoint_made_on_the_command_line_gets_its_secret_once():
    owner = ReviewerFactory(username="ops", is_staff=True)
    secret, said = run(
        "webhook_endpoints",
        "create",
        "--url",
        "https://hooks.example.org/recovery",
        "--events",
        "content.published,content.withdrawn",
        "--owner",
        "ops",
    )
    endpoint = WebhookEndpoint.objects.get()
    assert secret.strip() == endpoint.secret and secret.startswith("whsec_")
    assert endpoint.event_types == ["content.published", "content.withdrawn"]
    assert list(endpoint.owners.all()) == [owner]
    assert endpoint.secret not in said
    listed, _ = run("webhook_endpoints", "list")
    assert "https://hooks.example.org/recovery" in listed and endpoint.secret not in listed
    with pytest.raises(CommandError, match="https://"):
        run("webhook_endpoints", "create", "--url", "http://hooks.example.org/")
    with pytest.raises(CommandError, match="event_types"):
        run("webhook_endpoints", "create", "--url", "https://a.example/", "--events", "nope")
    with pytest.raises(CommandError, match="No such user: ghost"):
        run("webhook_endpoints", "create", "--url", "https://a.example/", "--owner", "ghost")
    assert WebhookEndpoint.objects.count() == 1
