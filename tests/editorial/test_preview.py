"""Preview links over HTTP: an app shows a version before it is published, in the delivery
shape with ``"preview": true``, never cached, listed or synced; the token is its only key.
Refusals: ``test_preview_refusals``."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from content.models import AuditAction, AuditEntry, DeliveryKey, PreviewLink
from content.workflow.previews import make_preview_link, revoke_preview_link
from tests import builders
from tests.editorial.previews import link_to, url
from tests.factories import TranslatorFactory, plan_item
from tests.openapi import assert_conforms, served_openapi

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def test_a_draft_is_answered_in_the_delivery_shape_marked_preview(client, people, child_pose):
    response = client.get(url(link_to(child_pose, people[0])))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    assert response["ETag"].startswith('"') and len(response["ETag"]) > 10
    body = response.json()
    assert body["preview"] is True
    assert (body["type"], body["slug"], body["kind"], body["version"]) == (
        "component",
        "child-pose",
        "yoga",
        1,
    )
    assert body["title"] == "Child's pose (draft)"
    assert body["published_at"] is None
    assert body["review"] == {"reviewed_at": None, "reviewers": [], "next_review_due": None}
    assert [c["slug"] for c in body["contraindications"]] == ["glaucoma", "pregnancy"]
    assert body["disclaimer"]
    assert "suitability" not in body


def test_the_etag_gives_a_304_and_head_an_empty_200(client, people, child_pose):
    token = link_to(child_pose, people[0])
    first = client.get(url(token))
    again = client.get(url(token), HTTP_IF_NONE_MATCH=first["ETag"])
    head = client.head(url(token))
    assert (again.status_code, again.content) == (304, b"")
    assert again["Cache-Control"] == "private, no-store"
    assert (head.status_code, head.content, head["ETag"]) == (200, b"", first["ETag"])


def test_a_profile_gives_suitability_and_an_unknown_slug_is_a_400(client, people, child_pose):
    token = link_to(child_pose, people[0])
    avoid = client.get(url(token, "profile=glaucoma")).json()
    assert avoid["suitability"]["status"] == "avoid"
    assert avoid["suitability"]["reasons"][0]["note"] == "Head below heart."
    assert client.get(url(token, "profile=pregnancy")).json()["suitability"]["status"] == (
        "caution"
    )
    unknown = client.get(url(token, "profile=pregancy,glaucoma"))
    assert unknown.status_code == 400
    assert unknown["Content-Type"] == "application/problem+json"
    assert unknown.json()["unknown_contraindications"] == ["pregancy"]


def test_the_authorization_header_is_ignored_where_keys_are_required(client, people, child_pose):
    token = link_to(child_pose, people[0])
    with override_settings(DELIVERY_ALLOW_ANONYMOUS=False):
        without = client.get(url(token))
        wrong_key = client.get(url(token), HTTP_AUTHORIZATION="Api-Key not-a-key")
        refused = client.get("/api/v1/components/")
    assert (without.status_code, wrong_key.status_code, refused.status_code) == (200, 200, 401)


def test_a_preview_token_opens_nothing_else(client, people, child_pose):
    token = link_to(child_pose, people[0])
    for address in ("/api/v1/components/", "/api/v1/components/child-pose/", "/api/v1/sync/"):
        for header in (f"Api-Key {token}", f"Bearer {token}"):
            response = client.get(address, HTTP_AUTHORIZATION=header)
            assert response.status_code == 401, (address, header)
            assert response["Content-Type"] == "application/problem+json"


def test_a_delivery_key_never_sees_a_draft(client, people, child_pose):
    _, secret = DeliveryKey.objects.create_key(name="Sleep app")
    with override_settings(DELIVERY_ALLOW_ANONYMOUS=False):
        detail = client.get(
            "/api/v1/components/child-pose/", HTTP_AUTHORIZATION=f"Api-Key {secret}"
        )
        listed = client.get("/api/v1/components/", HTTP_AUTHORIZATION=f"Api-Key {secret}")
        as_token = client.get(url(secret), HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert detail.status_code == 404
    assert listed.json()["results"] == []
    assert as_token.status_code == 403
    assert as_token.json()["reason"] == "invalid"


def test_making_and_opening_a_link_are_audited(client, people, child_pose):
    editor = people[0]
    with time_machine.travel(NOW, tick=False):
        link, token = make_preview_link(
            user=editor, version=child_pose, expires_in=dt.timedelta(hours=2)
        )
        client.get(url(token))
        client.get(url(token))
    made, *opened = AuditEntry.objects.filter(version=child_pose, action__startswith="preview")
    assert (made.action, made.actor, made.to_state) == (AuditAction.PREVIEW_LINK, editor, "draft")
    assert str(link.pk) in made.comment
    assert "expires 2026-11-22 11:00 UTC" in made.comment
    assert "locale as each request asks" in made.comment
    assert [(e.action, e.actor) for e in opened] == [(AuditAction.PREVIEW_OPEN, None)] * 2
    link.refresh_from_db()
    assert (link.opened, link.last_opened_at) == (2, NOW)


def test_a_refused_or_unreadable_request_is_not_recorded_as_opened(client, people, child_pose):
    token = link_to(child_pose, people[0])
    assert client.get(url(token, "profile=nope")).status_code == 400
    assert client.get(url(token[:-1])).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.PREVIEW_OPEN).exists()
    assert PreviewLink.objects.get().opened == 0


def test_a_preview_is_never_listed_synced_or_kept(client, people, child_pose, publish):
    publish("legs-up", title="Legs up the wall")
    token = link_to(child_pose, people[0])
    assert client.get(url(token)).status_code == 200
    listed = client.get("/api/v1/components/").json()["results"]
    synced = client.get("/api/v1/sync/").json()["changes"]
    assert [c["slug"] for c in listed] == ["legs-up"]
    assert [c["slug"] for c in synced] == ["legs-up"]
    # Revoking does not change what is published: an answer kept anywhere would still show.
    revoke_preview_link(user=people[0], link=PreviewLink.objects.get())
    assert client.get(url(token)).status_code == 403


def test_a_plan_preview_shows_the_live_components(client, people, publish):
    editor = people[0]
    publish("glycine", kind="supplement", title="Glycine", avoid=["ssri"])
    publish("legs-up", title="Legs up the wall")
    plan = builders.draft_plan(
        editor,
        slug="sleep-reset",
        items=[plan_item("glycine", "bedtime", 1), plan_item("legs-up", "evening", 2)],
    )
    body = client.get(url(link_to(plan, editor), "profile=ssri")).json()
    assert (body["type"], body["preview"], body["published_at"]) == ("plan", True, None)
    assert [i["component"]["slug"] for i in body["items"]] == ["legs-up"]
    assert "preview" not in body["items"][0]["component"]
    assert body["items"][0]["component"]["title"] == "Legs up the wall"
    assert [r["component"] for r in body["removed"]] == ["glycine"]


def test_a_plan_preview_costs_the_same_queries_however_many_live_items(client, people, publish):
    editor = people[0]
    slugs = [publish(f"pose-{n}", title=f"Pose {n}").item.slug for n in range(4)]

    def queries(count: int) -> int:
        items = [plan_item(slug, "evening", order) for order, slug in enumerate(slugs[:count], 1)]
        plan = builders.draft_plan(editor, slug=f"plan-of-{count}", items=items)
        token = link_to(plan, editor)
        with CaptureQueriesContext(connection) as run:
            assert len(client.get(url(token)).json()["items"]) == count
        return len(run)

    queries(1)  # the first request of a worker reads the locales once
    assert queries(2) == queries(4)


def test_a_plan_preview_shows_the_component_drafts_its_link_names(
    client, people, plan_with_a_draft
):
    editor = people[0]
    plan, component_draft = plan_with_a_draft
    live_only = client.get(url(link_to(plan, editor))).json()
    named = client.get(url(link_to(plan, editor, drafts=[component_draft]))).json()
    assert [i["component"]["title"] for i in live_only["items"]] == ["Glycine", "Legs up the wall"]
    shown = [i["component"] for i in named["items"]]
    assert [(c["title"], c["version"], c.get("preview")) for c in shown] == [
        ("Glycine, 2 g", 2, True),
        ("Legs up the wall", 1, None),
    ]
    assert shown[0]["published_at"] is None and "disclaimer" not in shown[0]


def test_a_source_draft_asked_in_another_locale_falls_back_saying_why(
    client, people, child_pose, spanish
):
    response = client.get(url(link_to(child_pose, people[0]), "locale=es"))
    body = response.json()
    assert (body["locale"], body["requested_locale"], body["fallback_reason"]) == (
        "en",
        "es",
        "not-translated",
    )
    assert response["Content-Language"] == "es"
    assert client.get(url(link_to(child_pose, people[0]), "locale=xx")).status_code == 400


def test_a_translation_draft_is_shown_in_its_locale(client, people, publish, spanish):
    source = publish("child-pose", title="Child's pose")
    translation = builders.translation_of(source, "es", TranslatorFactory())
    token = link_to(translation, people[0])
    response = client.get(url(token))
    body = response.json()
    assert (body["slug"], body["locale"], body["title"]) == (
        "child-pose",
        "es",
        "[es] Child's pose",
    )
    assert "requested_locale" not in body
    assert response["Content-Language"] == "es"
    mismatch = client.get(url(token, "locale=en"))
    assert mismatch.status_code == 400
    assert "shows locale 'es' only" in mismatch.json()["detail"]


def test_a_link_made_for_a_locale_answers_in_it_whatever_the_app_prefers(
    client, people, child_pose, spanish
):
    token = link_to(child_pose, people[0], locale="es")
    response = client.get(url(token), HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["requested_locale"] == "es"
    assert response["Content-Language"] == "es"
    assert "Vary" not in response


def test_the_answers_conform_to_the_served_openapi_document(
    client, people, plan_with_a_draft, child_pose
):
    openapi = served_openapi(client)
    plan, component_draft = plan_with_a_draft
    editor = people[0]
    for token, query in [
        (link_to(child_pose, editor), ""),
        (link_to(child_pose, editor), "profile=glaucoma"),
        (link_to(plan, editor, drafts=[component_draft]), "profile=pregnancy"),
        (link_to(plan, editor), ""),
    ]:
        assert_conforms(openapi, "Preview", client.get(url(token, query)).json())
    assert_conforms(openapi, "Problem", client.get(url("nope")).json())
    assert "/api/v1/preview/{token}/" in openapi["paths"]
    responses = openapi["paths"]["/api/v1/preview/{token}/"]["get"]["responses"]
    assert {"200", "400", "403", "503"} <= set(responses)
