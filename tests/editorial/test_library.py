"""Everything else the editorial API offers, each through the workflow: what I may do,
the audit log, my review queue and notifications, translations, pictures, vocabularies."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from content import workflow
from content.models import ContraindicationTranslation, Notification
from tests.factories import ContraindicationFactory
from tests.media.images import photo_with_gps, picture

from .conftest import BASE, component_json

pytestmark = pytest.mark.django_db

V1 = "items/pose/versions/1/"


def submitted(api):
    api.editor.post("items/", {"kind": "yoga", "slug": "pose", "content": component_json()})
    return api.editor.post(V1 + "submit/").json_body


def published(api):
    version = submitted(api)
    api.reviewer.post(V1 + "approve/", {"content_hash": version["content_hash"]})
    return api.reviewer.post(V1 + "publish/").json_body


def test_allowed_actions_are_the_workflows_checks(api):
    created = api.editor.post(
        "items/", {"kind": "yoga", "slug": "pose", "content": component_json()}
    )
    editor = api.editor.get("items/pose/allowed-actions/").json_body["actions"]
    assert [a["action"] for a in editor] == ["edit", "submit", "discard"]
    edit = editor[0]
    assert edit["method"] == "PATCH" and edit["etag"] == created["ETag"]
    assert api.reviewer.get("items/pose/allowed-actions/").json_body["actions"] == [
        {
            "action": "discard",
            "label": "Discard this draft",
            "version": 1,
            "method": "POST",
            "href": f"{BASE}/items/pose/versions/1/discard/",
        }
    ]
    api.editor.post(V1 + "submit/")
    reviewer = [
        a["action"] for a in api.reviewer.get("items/pose/allowed-actions/").json_body["actions"]
    ]
    assert "approve" in reviewer and "request-changes" in reviewer
    editor = [
        a["action"] for a in api.editor.get("items/pose/allowed-actions/").json_body["actions"]
    ]
    assert "approve" not in editor


def test_items_listed_and_shown_with_their_versions(api):
    published(api)
    api.editor.post(V1 + "start-draft/", {"change_note": "More."})
    listed = api.editor.get("items/?kind=yoga").json_body
    assert listed["results"][0]["slug"] == "pose"
    assert listed["results"][0]["published_version"] == 1
    assert listed["results"][0]["working_version"] == 2
    assert api.editor.get("items/?kind=tea").json_body["results"] == []
    detail = api.editor.get("items/pose/").json_body
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    assert api.editor.get("items/?limit=0").status_code == 400


def test_the_audit_log_of_an_item(api, staff):
    published(api)
    entries = api.editor.get("items/pose/audit/").json_body["entries"]
    assert [(e["action"], e["actor"]) for e in entries] == [
        ("create", staff.editor.username),
        ("submit", staff.editor.username),
        ("approve", staff.reviewer.username),
        ("publish", staff.reviewer.username),
    ]
    assert entries[-1]["to_state"] == "published"


def test_my_review_queue_never_lists_what_i_wrote(api):
    submitted(api)
    queue = api.reviewer.get("review-queue/").json_body["results"]
    assert [(v["item"], v["number"], v["approvals"]) for v in queue] == [("pose", 1, 0)]
    assert api.editor.get("review-queue/").json_body["results"] == []


def test_my_notifications_and_reading_one(api, staff):
    mine = Notification.objects.create(
        recipient=staff.editor, kind="changes_requested", title="Changes", link="/admin/", key="a"
    )
    theirs = Notification.objects.create(
        recipient=staff.reviewer, kind="changes_requested", title="Theirs", link="/", key="b"
    )
    listed = api.editor.get("notifications/?unread=true").json_body["results"]
    assert [n["id"] for n in listed] == [mine.pk]
    assert api.editor.post(f"notifications/{mine.pk}/read/").json_body["read"] is True
    assert api.editor.get("notifications/?unread=true").json_body["results"] == []
    assert api.editor.post(f"notifications/{theirs.pk}/read/").status_code == 404


def test_a_translation_through_the_api(api, staff):
    workflow.add_locale(user=staff.reviewer, code="es", name="Español")
    source = published(api)
    started = api.translator.post("items/pose/translations/es/")
    assert started.status_code == 201, started.json_body
    assert started.json_body["item"] == "pose@es" and started.json_body["locale"] == "es"
    # It says what to translate: the source's prose.
    to_translate = started.json_body["source_text"]
    assert to_translate["title"] == source["content"]["title"]
    content = {
        **_in_spanish(to_translate),
        "title": "Piernas en la pared",
        "change_note": "Primera traducción.",
    }
    path = "items/pose@es/versions/1/"
    edited = api.translator.put(path, content, If_Match=started["ETag"])
    assert edited.status_code == 200, edited.json_body
    assert api.translator.post(path + "submit/").json_body["state"] == "in_review"
    assert api.translator.post(path + "approve/", {"content_hash": "x"}).status_code == 403
    refused = api.editor.post("items/pose/translations/es/")
    assert refused.status_code == 403


def _in_spanish(value):
    """Every text of ``value`` 'translated' (marked), in the same shape."""
    if isinstance(value, str):
        return f"ES {value}" if value else value
    if isinstance(value, list):
        return [_in_spanish(v) for v in value]
    if isinstance(value, dict):
        return {k: _in_spanish(v) for k, v in value.items()}
    return value


def test_pictures_uploaded_and_cropped(api):
    client = Client()
    headers = {"Authorization": f"Bearer {api.editor.token}"}
    upload = SimpleUploadedFile("pose.jpg", photo_with_gps(), content_type="image/jpeg")
    answer = client.post(
        f"{BASE}/media/",
        {"file": upload, "title": "Pose", "credit": "Us", "licence": "CC0 1.0"},
        headers=headers,
    )
    assert answer.status_code == 201, answer.json()
    sha = answer.json()["sha256"]
    assert answer.json()["renditions_ready"] is False
    changed = api.editor.patch(f"media/{sha}/", {"focal_x": 0.2, "focal_y": 0.8, "ratio": "1:1"})
    assert changed.status_code == 200, changed.json_body
    assert changed.json_body["focal_point"] == {"x": 0.2, "y": 0.8}
    assert changed.json_body["title"] == "Pose"
    bad = api.editor.patch(f"media/{sha}/", {"focal_x": 2})
    assert bad.status_code == 422
    svg = SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    refused = client.post(
        f"{BASE}/media/",
        {"file": svg, "title": "X", "credit": "U", "licence": "CC0"},
        headers=headers,
    )
    assert refused.status_code == 422
    png = SimpleUploadedFile("p.png", picture(fmt="PNG"))
    reviewer = Client().post(
        f"{BASE}/media/",
        {"file": png, "title": "P", "credit": "U", "licence": "L"},
        headers={"Authorization": f"Bearer {api.reviewer.token}"},
    )
    assert reviewer.status_code == 403
    assert api.editor.get("media/").json_body["results"][0]["sha256"] == sha


def test_a_vocabulary_translation_needs_another_persons_approval(api, staff):
    workflow.add_locale(user=staff.reviewer, code="es", name="Español")
    ContraindicationFactory(slug="pregnancy", name="Pregnancy")
    path = "contraindications/pregnancy/translations/es/"
    written = api.translator.put(path, {"name": "Embarazo"})
    assert written.status_code == 200, written.json_body
    assert written.json_body["approved"] is False
    listed = api.editor.get("contraindications/").json_body["results"]
    assert listed[0]["translations"]["es"]["name"] == "Embarazo"
    assert api.translator.post(path + "approve/").status_code == 403
    approved = api.reviewer.post(path + "approve/")
    assert approved.status_code == 200, approved.json_body
    assert ContraindicationTranslation.objects.get().approved
    assert api.reviewer.post(path + "approve/").status_code == 409
    assert api.editor.get("locales/").json_body["results"][-1]["code"] == "es"
