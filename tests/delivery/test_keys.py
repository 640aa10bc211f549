"""API keys: hashed, revocable, required where anonymous reads are off, each with a rate limit."""

import pytest
from django.test import override_settings

from content.models import DeliveryKey

pytestmark = pytest.mark.django_db

URL = "/api/v1/goals/"


@pytest.fixture
def key(db):
    api_key, secret = DeliveryKey.objects.create_key(name="Sleep app (iOS)")
    return api_key, secret


def auth(secret):
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


def test_keys_are_stored_only_as_hashes(key):
    api_key, secret = key
    stored = DeliveryKey.objects.get(pk=api_key.pk)
    assert secret not in stored.hashed_key and secret not in stored.id
    assert stored.prefix == secret.split(".")[0]


@override_settings(DELIVERY_ALLOW_ANONYMOUS=False)
def test_without_anonymous_reads_a_missing_key_is_a_401(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["detail"] == (
        "An API key is required: send 'Authorization: Api-Key <key>'."
    )


@override_settings(DELIVERY_ALLOW_ANONYMOUS=False)
def test_a_valid_key_reads(client, key):
    _, secret = key
    assert client.get(URL, **auth(secret)).status_code == 200


@pytest.mark.parametrize("anonymous", [True, False])
def test_a_wrong_key_is_a_401_even_where_anonymous_reads_are_allowed(client, key, anonymous):
    _, secret = key
    with override_settings(DELIVERY_ALLOW_ANONYMOUS=anonymous):
        wrong = client.get(URL, **auth(secret[:-1] + ("x" if secret[-1] != "x" else "y")))
        garbage = client.get(URL, HTTP_AUTHORIZATION="Bearer abc")
    assert (wrong.status_code, garbage.status_code) == (401, 401)
    assert wrong.json()["detail"] == "This API key is not valid, or was revoked."


def test_a_revoked_key_is_a_401(client, key):
    api_key, secret = key
    api_key.revoked = True
    api_key.save()
    assert client.get(URL, **auth(secret)).status_code == 401


def test_past_its_rate_a_key_gets_429_with_retry_after(client, key):
    api_key, secret = key
    api_key.requests_per_minute = 3
    api_key.save()
    statuses = [client.get(URL, **auth(secret)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(URL, **auth(secret))
    assert limited["Content-Type"] == "application/problem+json"
    assert 0 < int(limited["Retry-After"]) <= 60
    assert limited.json()["status"] == 429


def test_each_key_has_its_own_budget(client, key):
    api_key, secret = key
    api_key.requests_per_minute = 1
    api_key.save()
    _, other = DeliveryKey.objects.create_key(name="Other app")
    assert client.get(URL, **auth(secret)).status_code == 200
    assert client.get(URL, **auth(secret)).status_code == 429
    assert client.get(URL, **auth(other)).status_code == 200


@override_settings(DELIVERY_ANONYMOUS_RATE="2/min")
def test_anonymous_clients_are_limited_by_address(client):
    statuses = [client.get(URL).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get(URL, REMOTE_ADDR="10.1.2.3").status_code == 200


@override_settings(DELIVERY_ANONYMOUS_RATE="2/min", TRUSTED_PROXIES=1)
def test_anonymous_clients_behind_the_balancer_are_limited_by_their_own_address(client):
    def via_balancer(forwarded_for):
        return client.get(URL, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)

    statuses = [via_balancer("203.0.113.5").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert via_balancer("192.0.2.1, 203.0.113.5").status_code == 429  # prepending changes nothing
    assert via_balancer("198.51.100.7").status_code == 200


def test_a_revocation_takes_effect_at_once_on_a_worker_that_knew_the_key(client, key):
    api_key, secret = key
    assert client.get(URL, **auth(secret)).status_code == 200  # the worker now knows the key
    api_key.revoked = True
    api_key.save()
    assert client.get(URL, **auth(secret)).status_code == 401


def _delete_as_the_admin_does(api_key):
    DeliveryKey.objects.filter(pk=api_key.pk).delete()  # "Delete selected": a queryset delete


def _revoke_in_bulk(api_key):
    DeliveryKey.objects.filter(pk=api_key.pk).update(revoked=True)


def _revoke_with_sql(api_key):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE content_deliverykey SET revoked = %s WHERE id = %s", [True, api_key.pk]
        )


def _delete_with_sql(api_key):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM content_deliverykey WHERE id = %s", [api_key.pk])


@pytest.mark.parametrize(
    "remove",
    [
        pytest.param(lambda api_key: api_key.delete(), id="delete-one"),
        pytest.param(_delete_as_the_admin_does, id="queryset-delete"),
        pytest.param(_revoke_in_bulk, id="queryset-update"),
        pytest.param(_revoke_with_sql, id="sql-update"),
        pytest.param(_delete_with_sql, id="sql-delete"),
    ],
)
@override_settings(DELIVERY_ALLOW_ANONYMOUS=False)
def test_a_key_deleted_or_revoked_in_any_way_stops_working(client, key, remove):
    api_key, secret = key
    assert client.get(URL, **auth(secret)).status_code == 200
    assert client.get(URL, **auth(secret)).status_code == 200  # validated once, then reused
    remove(api_key)
    assert client.get(URL, **auth(secret)).status_code == 401
