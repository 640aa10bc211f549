"""The same request sent twice at the same moment with one Idempotency-Key (a client that
retried before the first answer came back), on PostgreSQL with real concurrent
transactions: it acts once, and both callers get the first answer."""

from __future__ import annotations

import pytest

from content.models import AuditEntry, IdempotentRequest, Version
from tests.workflow.test_concurrency import race

from .conftest import Api, component_json, token_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def test_a_retried_roll_back_makes_one_draft(staff):
    editor, reviewer = Api(token_for(staff.editor)), Api(token_for(staff.reviewer))
    for n in range(ROUNDS):
        slug = f"race-{n}"
        editor.post("items/", {"kind": "yoga", "slug": slug, "content": component_json()})
        v1 = f"items/{slug}/versions/1/"
        version = editor.post(v1 + "submit/").json_body
        reviewer.post(v1 + "approve/", {"content_hash": version["content_hash"]})
        reviewer.post(v1 + "publish/")
        key = f"roll-back-{n}"

        def call(v1=v1, key=key):
            answer = Api(editor.token).post(v1 + "start-draft/", {}, Idempotency_Key=key)
            return answer.status_code, answer.json_body

        results = race(call, call)
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        (first_status, first), (second_status, second) = (value for _, value in results)
        assert first_status == second_status == 201, results
        assert first == second
        assert Version.objects.filter(item__slug=slug).count() == 2
        assert AuditEntry.objects.filter(item__slug=slug, action="revise").count() == 1
        assert IdempotentRequest.objects.filter(key=key).count() == 1
