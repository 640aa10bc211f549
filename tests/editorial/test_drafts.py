"""Creating and editing drafts over REST: never published on create, edits only with the
If-Match they were read with, every malformed value named."""

from __future__ import annotations

import pytest
from django.test import Client

from content.models import AuditEntry, Version, VersionState

from .conftest import component_json

pytestmark = pytest.mark.django_db


def create(api, slug="legs-up-the-wall", **overrides):
    return api.editor.post(
        "items/", {"kind": "yoga", "slug": slug, "content": component_json(**overrides)}
    )


def test_create_makes_a_draft_that_apps_never_see(api, staff):
    answer = create(api, title="Legs up the wall")
    assert answer.status_code == 201, answer.json_body
    assert answer.json_body["state"] == "draft"
    assert answer.json_body["number"] == 1
    assert answer.json_body["content"]["title"] == "Legs up the wall"
    assert answer["Location"].endswith("/api/manage/v1/items/legs-up-the-wall/versions/1/")
    version = Version.objects.get(item__slug="legs-up-the-wall")
    assert answer["ETag"] == f'"{version.pk}-0"'
    assert version.state == VersionState.DRAFT and version.published_at is None
    assert AuditEntry.objects.get(version=version).actor == staff.editor
    assert Client().get("/api/v1/components/legs-up-the-wall/").status_code == 404


def test_reading_a_version_gives_its_etag(api):
    create(api)
    answer = api.editor.get("items/legs-up-the-wall/versions/1/")
    assert answer.status_code == 200
    assert answer["ETag"] == f'"{Version.objects.get().pk}-0"'
    assert answer["Cache-Control"] == "private, no-store"  # a draft is never kept by a cache
    assert answer.json_body["content"]["evidence_level"] == "B"


def test_patch_with_the_etag_read_changes_only_what_it_names(api):
    create(api, title="Legs up the wall", summary="Rest with the legs raised.")
    etag = api.editor.get("items/legs-up-the-wall/versions/1/")["ETag"]
    answer = api.editor.patch(
        "items/legs-up-the-wall/versions/1/", {"title": "Viparita karani"}, If_Match=etag
    )
    assert answer.status_code == 200, answer.json_body
    assert answer.json_body["content"]["title"] == "Viparita karani"
    assert answer.json_body["content"]["summary"] == "Rest with the legs raised."
    assert answer.json_body["edit_count"] == 1
    assert answer["ETag"] != etag


def test_put_replaces_the_content_whole(api):
    created = create(api)
    content = {**created.json_body["content"], "body": "Lie down.", "citations": []}
    answer = api.editor.put("items/legs-up-the-wall/versions/1/", content, If_Match=created["ETag"])
    assert answer.status_code == 200, answer.json_body
    assert answer.json_body["content"]["body"] == "Lie down."
    assert answer.json_body["content"]["citations"] == []


def test_an_edit_without_if_match_is_428_and_changes_nothing(api):
    create(api, title="Legs up the wall")
    answer = api.editor.patch("items/legs-up-the-wall/versions/1/", {"title": "Other"})
    assert answer.status_code == 428
    assert answer["Content-Type"] == "application/problem+json"
    assert "If-Match" in answer.json_body["detail"]
    assert Version.objects.get().title == "Legs up the wall"


def test_a_stale_if_match_is_412_with_the_draft_as_it_is_now(api):
    created = create(api, title="Legs up the wall")
    stale = created["ETag"]
    first = api.other_editor.patch(
        "items/legs-up-the-wall/versions/1/", {"title": "Saved first"}, If_Match=stale
    )
    assert first.status_code == 200, first.json_body
    second = api.editor.patch(
        "items/legs-up-the-wall/versions/1/", {"title": "Saved second"}, If_Match=stale
    )
    assert second.status_code == 412
    assert second.json_body["current"]["content"]["title"] == "Saved first"
    assert second.json_body["version"]["etag"] == first["ETag"]
    assert "nothing was saved" in second.json_body["detail"]
    assert Version.objects.get().title == "Saved first"


def test_a_weak_etag_never_matches(api):
    created = create(api)
    answer = api.editor.patch(
        "items/legs-up-the-wall/versions/1/", {"title": "X"}, If_Match=f"W/{created['ETag']}"
    )
    assert answer.status_code == 412


def test_patch_needs_the_merge_patch_media_type(api):
    created = create(api)
    answer = api.editor.call(
        "PATCH", "items/legs-up-the-wall/versions/1/", {"title": "X"}, If_Match=created["ETag"]
    )
    assert answer.status_code == 415
    assert "merge-patch" in answer.json_body["detail"]


def test_every_malformed_field_is_named(api):
    answer = api.editor.post(
        "items/",
        {
            "kind": "yoga",
            "slug": "pose",
            "content": {
                "title": 7,
                "summary": "s",
                "evidence_level": "B",
                "colour": "blue",
                "goals": "sleep",
                "contraindications": [{"contraindication": "pregnancy"}],
            },
        },
    )
    assert answer.status_code == 422
    errors = answer.json_body["errors"]
    assert errors["title"] == ["title: must be a string."]
    assert "change_note: is required." in errors["change_note"]
    assert "colour" in errors and "goals" in errors
    assert any("severity: is required" in e for e in errors["contraindications"])
    assert not Version.objects.exists()


def test_the_domain_rules_refuse_with_their_own_message(api):
    create(api, slug="pose")
    answer = create(api, slug="pose")
    assert answer.status_code == 422
    assert answer.json_body["errors"]["slug"] == [
        "slug: The slug 'pose' is already taken; choose another."
    ]
    unknown = api.editor.post("items/", {"kind": "tea", "slug": "x", "content": component_json()})
    assert unknown.status_code == 422 and "Unknown kind 'tea'" in unknown.json_body["detail"]


def test_a_reviewer_cannot_create_and_a_frozen_version_cannot_be_edited(api):
    refused = api.reviewer.post(
        "items/", {"kind": "yoga", "slug": "pose", "content": component_json()}
    )
    assert refused.status_code == 403
    created = create(api)
    submitted = api.editor.post("items/legs-up-the-wall/versions/1/submit/")
    assert submitted.status_code == 200
    answer = api.editor.patch(
        "items/legs-up-the-wall/versions/1/", {"title": "Late"}, If_Match=created["ETag"]
    )
    assert answer.status_code == 409
    assert answer.json_body["version"]["state"] == "in_review"
    assert "only drafts can be edited" in answer.json_body["detail"]


def test_unknown_items_and_versions_are_404_problems(api):
    assert api.editor.get("items/nothing/").status_code == 404
    create(api)
    answer = api.editor.get("items/legs-up-the-wall/versions/9/")
    assert answer.status_code == 404
    assert answer.json_body["detail"] == "'legs-up-the-wall' has no version 9."
