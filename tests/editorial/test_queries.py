"""What the editorial API's reads cost in SQL, pinned: a list does not grow a query per item,
and reading a version costs the same with more parts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import component_json

pytestmark = pytest.mark.django_db


def _cost(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = call()
    assert answer.status_code == 200, answer.json_body
    return len(queries)


def _create(api, slug, **content):
    answer = api.editor.post(
        "items/", {"kind": "yoga", "slug": slug, "content": component_json(**content)}
    )
    assert answer.status_code == 201, answer.json_body


def test_listing_items_costs_the_same_for_two_or_twenty(api):
    for n in range(2):
        _create(api, f"pose-{n}")
    api.editor.get("items/")  # the token's first use warms nothing the count depends on
    few = _cost(lambda: api.editor.get("items/"))
    for n in range(2, 20):
        _create(api, f"pose-{n}")
    many = _cost(lambda: api.editor.get("items/"))
    assert len(api.editor.get("items/").json_body["results"]) == 20
    assert many == few == 5  # the token, its person, its last use; the items; their versions


def test_reading_a_version_costs_a_fixed_number_of_queries(api):
    _create(api, "pose")
    api.editor.get("items/pose/versions/1/")
    cost = _cost(lambda: api.editor.get("items/pose/versions/1/"))
    assert cost == 11
