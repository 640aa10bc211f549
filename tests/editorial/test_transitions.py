"""Every transition over REST, as the person whose token is sent: four eyes through tokens
(superusers included), the approved hash, refusals with the domain's message and the
version's state, and idempotent repeats."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from content.editorial.idempotency import prune
from content.models import AuditAction, AuditEntry, IdempotentRequest, Version, VersionState
from content.workflow.jobs import PERIODIC

from .conftest import component_json

pytestmark = pytest.mark.django_db

V1 = "items/legs-up-the-wall/versions/1/"


def draft(caller, slug="legs-up-the-wall", **overrides):
    answer = caller.post(
        "items/", {"kind": "yoga", "slug": slug, "content": component_json(**overrides)}
    )
    assert answer.status_code == 201, answer.json_body
    return answer


def submitted(api):
    draft(api.editor)
    answer = api.editor.post(V1 + "submit/")
    assert answer.status_code == 200, answer.json_body
    return answer.json_body


def approved(api):
    version = submitted(api)
    answer = api.reviewer.post(V1 + "approve/", {"content_hash": version["content_hash"]})
    assert answer.status_code == 200, answer.json_body
    return answer.json_body


def published(api):
    approved(api)
    answer = api.reviewer.post(V1 + "publish/")
    assert answer.status_code == 200, answer.json_body
    return answer.json_body


def test_editor_submits_reviewer_approves_and_publishes_then_apps_see_it(api):
    version = submitted(api)
    assert version["state"] == "in_review" and len(version["content_hash"]) == 64
    assert Client().get("/api/v1/components/legs-up-the-wall/").status_code == 404
    answer = api.reviewer.post(V1 + "approve/", {"content_hash": version["content_hash"]})
    assert answer.json_body["state"] == "approved"
    assert answer.json_body["approvals"] == {"given": 1, "required": 1}
    answer = api.reviewer.post(V1 + "publish/")
    assert answer.json_body["state"] == "published"
    served = Client().get("/api/v1/components/legs-up-the-wall/")
    assert served.status_code == 200
    assert served.json()["version"] == 1


def test_a_token_never_approves_its_owners_version(api):
    version = submitted(api)
    answer = api.editor.post(V1 + "approve/", {"content_hash": version["content_hash"]})
    assert answer.status_code == 403
    assert answer.json_body["code"] == "permission"
    assert answer.json_body["version"]["state"] == "in_review"


def test_a_superusers_token_cannot_approve_what_the_superuser_wrote(api):
    draft(api.superuser)
    version = api.superuser.post(V1 + "submit/").json_body
    answer = api.superuser.post(V1 + "approve/", {"content_hash": version["content_hash"]})
    assert answer.status_code == 403
    assert "someone else must review it" in answer.json_body["detail"]
    assert Version.objects.get().state == VersionState.IN_REVIEW


def test_a_reviewer_who_edited_the_draft_cannot_approve_it(api, staff):
    staff.reviewer.groups.add(*staff.editor.groups.all())
    created = draft(api.editor)
    edited = api.reviewer.patch(
        V1, {"summary": "Edited by the reviewer."}, If_Match=created["ETag"]
    )
    assert edited.status_code == 200, edited.json_body
    version = api.editor.post(V1 + "submit/").json_body
    answer = api.reviewer.post(V1 + "approve/", {"content_hash": version["content_hash"]})
    assert answer.status_code == 403
    assert (
        api.second_reviewer.post(
            V1 + "approve/", {"content_hash": version["content_hash"]}
        ).json_body["state"]
        == "approved"
    )


def test_approving_another_hash_than_the_one_in_review_is_409(api):
    submitted(api)
    answer = api.reviewer.post(V1 + "approve/", {"content_hash": "0" * 64})
    assert answer.status_code == 409
    assert "not the one in review" in answer.json_body["detail"]
    assert answer.json_body["version"]["state"] == "in_review"
    missing = api.reviewer.post(V1 + "approve/", {})
    assert missing.status_code == 422 and "content_hash" in missing.json_body["errors"]


def test_an_editor_cannot_publish_and_a_draft_cannot_be_published(api):
    draft(api.editor)
    answer = api.reviewer.post(V1 + "publish/")
    assert answer.status_code == 409
    assert answer.json_body["version"] == {"number": 1, "state": "draft", "edit_count": 0}
    api.editor.post(V1 + "submit/")
    assert api.editor.post(V1 + "publish/").status_code == 403


def test_request_changes_needs_a_comment_and_sends_it_back(api):
    submitted(api)
    refused = api.reviewer.post(V1 + "request-changes/", {"comment": ""})
    assert refused.status_code == 409 and "needs a comment" in refused.json_body["detail"]
    answer = api.reviewer.post(V1 + "request-changes/", {"comment": "Cite the source."})
    assert answer.json_body["state"] == "changes_requested"
    again = api.editor.post(V1 + "start-draft/", {"change_note": "Cited."})
    assert again.status_code == 201
    assert again.json_body["number"] == 2 and again.json_body["state"] == "draft"
    assert again["Location"].endswith("/items/legs-up-the-wall/versions/2/")


def test_schedule_in_the_future_only(api):
    approved(api)
    past = api.reviewer.post(V1 + "schedule/", {"at": "2020-01-01T00:00:00Z"})
    assert past.status_code == 409 and "not in the future" in past.json_body["detail"]
    garbage = api.reviewer.post(V1 + "schedule/", {"at": "tomorrow"})
    assert garbage.status_code == 422
    at = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    answer = api.reviewer.post(V1 + "schedule/", {"at": at.isoformat()})
    assert answer.status_code == 200
    assert answer.json_body["publish_at"] == at.isoformat()


def test_withdraw_needs_a_reason_then_apps_stop_seeing_it(api):
    published(api)
    refused = api.reviewer.post(V1 + "withdraw/", {})
    assert refused.status_code == 409 and "reason" in refused.json_body["detail"]
    assert api.editor.post(V1 + "withdraw/", {"reason": "x"}).status_code == 403
    answer = api.reviewer.post(V1 + "withdraw/", {"reason": "A safety concern."})
    assert answer.json_body["state"] == "withdrawn"
    assert Client().get("/api/v1/components/legs-up-the-wall/").status_code == 404


def test_schedule_withdrawal(api):
    published(api)
    at = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    answer = api.reviewer.post(
        V1 + "schedule-withdrawal/", {"at": at.isoformat(), "reason": "Superseded by a plan."}
    )
    assert answer.status_code == 200, answer.json_body
    assert answer.json_body["withdraw_at"] == at.isoformat()


def test_roll_back_starts_a_draft_from_an_earlier_published_version(api):
    first = published(api)
    api.editor.post(V1 + "start-draft/", {"change_note": "New summary."})
    v2 = "items/legs-up-the-wall/versions/2/"
    etag = api.editor.get(v2)["ETag"]
    api.editor.patch(v2, {"summary": "Second summary."}, If_Match=etag)
    version = api.editor.post(v2 + "submit/").json_body
    api.reviewer.post(v2 + "approve/", {"content_hash": version["content_hash"]})
    assert api.reviewer.post(v2 + "publish/").json_body["state"] == "published"
    answer = api.editor.post(V1 + "roll-back/", {"change_note": "Back to the first."})
    assert answer.status_code == 201, answer.json_body
    assert answer.json_body["number"] == 3
    assert answer.json_body["content"]["summary"] == first["content"]["summary"]


def test_discard_a_draft(api):
    draft(api.editor)
    assert api.editor.post(V1, {}).status_code == 405  # a transition is its own endpoint
    answer = api.editor.post(V1 + "discard/", {"reason": "Duplicate."})
    assert answer.status_code == 200
    assert answer.json_body["state"] == "discarded"
    assert Version.objects.get().state == VersionState.DISCARDED


def test_a_repeated_idempotency_key_returns_the_first_answer_and_acts_once(api):
    version = submitted(api)
    key = str(uuid.uuid4())
    body = {"content_hash": version["content_hash"]}
    first = api.reviewer.post(V1 + "approve/", body, Idempotency_Key=key)
    again = api.reviewer.post(V1 + "approve/", body, Idempotency_Key=key)
    assert first.status_code == again.status_code == 200
    assert again.json_body == first.json_body
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEntry.objects.filter(action=AuditAction.APPROVE).count() == 1
    # Without the key, the same call is taken again, and refused: already approved.
    assert api.reviewer.post(V1 + "approve/", body).status_code == 409


def test_a_refusal_is_replayed_too_and_a_key_names_one_request(api):
    version = submitted(api)
    key = "retry-1"
    first = api.editor.post(
        V1 + "approve/", {"content_hash": version["content_hash"]}, Idempotency_Key=key
    )
    assert first.status_code == 403
    again = api.editor.post(
        V1 + "approve/", {"content_hash": version["content_hash"]}, Idempotency_Key=key
    )
    assert again.status_code == 403 and again["Idempotent-Replayed"] == "true"
    assert again["Content-Type"] == "application/problem+json"
    other = api.editor.post(V1 + "submit/", {}, Idempotency_Key=key)
    assert other.status_code == 422
    assert "already used for another request" in other.json_body["detail"]


def test_keys_are_each_persons_own(api):
    version = submitted(api)
    body = {"content_hash": version["content_hash"]}
    assert api.editor.post(V1 + "approve/", body, Idempotency_Key="k").status_code == 403
    assert api.reviewer.post(V1 + "approve/", body, Idempotency_Key="k").status_code == 200
    assert IdempotentRequest.objects.count() == 2


def test_create_is_idempotent(api):
    body = {"kind": "yoga", "slug": "pose", "content": component_json()}
    first = api.editor.post("items/", body, Idempotency_Key="create-pose")
    again = api.editor.post("items/", body, Idempotency_Key="create-pose")
    assert first.status_code == again.status_code == 201
    assert Version.objects.count() == 1


def test_a_preview_link_for_a_draft_opens_it_in_the_delivery_shape(api):
    draft(api.editor, title="Legs up the wall")
    answer = api.editor.post(V1 + "preview-links/", {"expires_in_minutes": 30})
    assert answer.status_code == 201, answer.json_body
    link = answer.json_body
    assert link["url"].endswith(f"/api/v1/preview/{link['token']}/")
    opened = Client().get(f"/api/v1/preview/{link['token']}/")
    assert opened.status_code == 200
    assert opened.json()["preview"] is True and opened.json()["title"] == "Legs up the wall"
    assert opened["Cache-Control"] == "private, no-store"
    too_long = api.editor.post(V1 + "preview-links/", {"expires_in_minutes": 25 * 60})
    assert too_long.status_code == 422 and "24 hours" in too_long.json_body["detail"]
    assert AuditEntry.objects.filter(action=AuditAction.PREVIEW_LINK).count() == 1


def test_first_answers_are_kept_a_day_then_pruned_by_the_hourly_job(api):
    version = submitted(api)
    body = {"content_hash": version["content_hash"]}
    assert api.reviewer.post(V1 + "approve/", body, Idempotency_Key="k1").status_code == 200
    assert "content.editorial.idempotency.prune" in PERIODIC
    assert prune.call() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert prune.call() == 1
        # The key may then be used again: it is a new request, refused as taken now.
        again = api.reviewer.post(V1 + "approve/", body, Idempotency_Key="k1")
        assert again.status_code == 409 and "Idempotent-Replayed" not in again
