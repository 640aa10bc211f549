"""Who may call the editorial API: a person's valid token or the admin's session (with
CSRF); never a delivery key, a revoked or expired token, or nobody. Each token has its own
rate; the API has its own OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from content.models import DeliveryKey, PersonalToken
from tests.factories import EditorFactory
from tests.openapi import served_openapi

from .conftest import Api, component_json, token_for

pytestmark = pytest.mark.django_db


def test_no_token_is_401_problem(db):
    answer = Api(None).get("items/")
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in answer.json_body["detail"]


def test_a_wrong_or_malformed_token_is_401(db):
    assert Api("nope.nothing").get("items/").status_code == 401
    answer = Api(None).get("items/", Authorization="Token abc")
    assert answer.status_code == 401


def test_a_revoked_token_stops_working_at_once(staff):
    row, key = PersonalToken.objects.create_key(name="laptop", user=staff.editor)
    assert Api(key).get("items/").status_code == 200
    row.revoked = True
    row.save()
    answer = Api(key).get("items/")
    assert answer.status_code == 401
    assert "revoked" in answer.json_body["detail"]


def test_an_expired_token_is_refused(staff):
    key = token_for(staff.editor, expiry_date=timezone.now() + timedelta(days=1))
    assert Api(key).get("items/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert Api(key).get("items/").status_code == 401


def test_a_token_of_someone_without_admin_access_is_refused(db):
    person = EditorFactory(is_staff=False)
    assert Api(token_for(person)).get("items/").status_code == 401


def test_a_delivery_key_opens_nothing_here(db):
    _, key = DeliveryKey.objects.create_key(name="app")
    assert Api(None).get("items/", Authorization=f"Api-Key {key}").status_code == 401
    assert Api(key).get("items/").status_code == 401


def test_a_personal_token_opens_nothing_in_the_delivery_api(staff):
    key = token_for(staff.editor)
    answer = Client().get("/api/v1/components/", headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 401


def test_the_token_records_when_it_was_last_used(staff):
    row, key = PersonalToken.objects.create_key(name="laptop", user=staff.editor)
    assert row.last_used_at is None
    Api(key).get("items/")
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_each_token_has_its_own_rate(staff):
    row, key = PersonalToken.objects.create_key(name="script", user=staff.editor)
    PersonalToken.objects.filter(pk=row.pk).update(requests_per_minute=3)
    other = Api(token_for(staff.editor))
    caller = Api(key)
    answers = [caller.get("items/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = caller.get("items/")
    assert int(limited["Retry-After"]) >= 1
    assert other.get("items/").status_code == 200


def test_the_admin_session_works_with_its_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.editor)
    assert client.get("/api/manage/v1/items/").status_code == 200
    body = {"kind": "yoga", "slug": "pose", "content": component_json()}
    refused = client.post("/api/manage/v1/items/", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/admin/")  # the admin's page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    answer = client.post(
        "/api/manage/v1/items/",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 201, answer.json()


def test_the_editorial_api_has_its_own_openapi_document(staff):
    editorial = Client().get("/api/manage/v1/schema/", headers={"Accept": "application/json"})
    assert editorial.status_code == 200
    document = editorial.json()
    assert document["info"]["title"] == "Recovery content editorial API"
    assert all(path.startswith("/api/manage/v1/") for path in document["paths"])
    operations = {
        operation["operationId"]
        for methods in document["paths"].values()
        for operation in methods.values()
    }
    assert {
        "create_item",
        "patch_version",
        "submit_version",
        "approve_version",
        "publish_version",
        "allowed_actions",
        "review_queue",
        "upload_media",
    } <= operations
    links = document["paths"]["/api/manage/v1/items/"]["post"]["responses"]["201"]["links"]
    assert links["SubmitVersion"]["operationId"] == "submit_version"
    delivery = served_openapi(Client())
    assert not any(path.startswith("/api/manage/") for path in delivery["paths"])
