"""The same request sent twice at the same moment with one Idempotency-Key (a client that
retried before the first answer came back), on PostgreSQL with real concurrent
transactions: it acts once, and both callers get the first answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from content.models import AuditEntry, IdempotentRequest
from tests.workflow.test_concurrency import race

from .conftest import Api, component_json, token_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def test_a_retried_schedule_is_taken_once(staff):
    """Scheduling an approved version twice would be taken twice (two audit entries, two
    jobs): sent twice at once with one key, it is taken once, and both answers are the
    first."""
    editor, reviewer = Api(token_for(staff.editor)), Api(token_for(staff.reviewer))
    at = (timezone.now() + timedelta(days=2)).replace(microsecond=0).isoformat()
    for n in range(ROUNDS):
        slug = f"race-{n}"
        path = f"items/{slug}/versions/1/"
        editor.post("items/", {"kind": "yoga", "slug": slug, "content": component_json()})
        version = editor.post(path + "submit/").json_body
        reviewer.post(path + "approve/", {"content_hash": version["content_hash"]})
        key = f"schedule-{n}"

        def call(path=path, key=key):
            answer = Api(reviewer.token).post(path + "schedule/", {"at": at}, Idempotency_Key=key)
            return answer.status_code, answer.json_body

        results = race(call, call)
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        (first_status, first), (second_status, second) = (value for _, value in results)
        assert first_status == second_status == 200, results
        assert first == second
        assert AuditEntry.objects.filter(item__slug=slug, action="schedule").count() == 1
        assert IdempotentRequest.objects.filter(key=key).count() == 1
