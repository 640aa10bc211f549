"""Pictures in a real browser, with the job worker running beside the live server: an editor
uploads a picture, sets its focal point by clicking on it, puts it on a draft with its alt
text and submits; a reviewer approves and publishes; apps then get the alt text, the focal
point and renditions that answer with a year's immutable caching, over HTTP."""

from __future__ import annotations

import time

import pytest
from django.test.testcases import _MediaFilesHandler
from playwright.sync_api import expect

from content.media.renditions import missing, ready
from content.models import Asset, Version, VersionState
from tests.builders import draft
from tests.factories import EditorFactory, ReviewerFactory
from tests.media.images import picture
from tests.workers import RunningWorker

pytestmark = pytest.mark.django_db(transaction=True)

ALT = "A woman lying on her back, her legs resting straight up against a wall."
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def renditions_served_by_the_project(monkeypatch):
    """The live server answers MEDIA_URL itself, from MEDIA_ROOT, before any URL route
    (``django.test.testcases._MediaFilesHandler``): turn that off, so that renditions are
    answered by the project's own view (``recovery.media.serve_rendition``), as in
    production."""
    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)


@pytest.fixture
def worker(transactional_db):
    """The job worker, as ``manage.py worker`` runs it, in threads beside the live server."""
    running = RunningWorker().start()
    yield running
    running.stop()


def wait_until(check, *, timeout: float = 30.0, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.1)


def test_an_editor_puts_a_picture_on_a_pose_and_apps_get_it_with_its_focal_point(
    page,
    live_server,
    log_in,
    screenshot,
    worker,
    renditions_served_by_the_project,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url  # rendition URLs in the API answer name this server
    editor = EditorFactory(is_staff=True)
    reviewer = ReviewerFactory(is_staff=True)
    pose = draft(editor, slug="legs-up-the-wall", kind="yoga", title="Legs up the wall")
    photo = tmp_path / "legs-up.jpg"
    # A red square low on the left: where the subject is.
    photo.write_bytes(picture((1600, 1200), mark=((200, 700, 600, 1100), (200, 40, 40))))

    # The editor uploads the picture.
    log_in(editor)
    page.goto(f"{live_server.url}/admin/content/asset/add/")
    page.set_input_files("#id_file", str(photo))
    page.fill("#id_title", "Legs up the wall, side view")
    page.fill("#id_credit", "Recovery content project")
    page.fill("#id_licence", "CC0 1.0")
    page.select_option("#id_ratio", "1:1")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("is in the library")
    asset = Asset.objects.get()

    # Once the worker has made its renditions, the editor clicks where the subject is.
    wait_until(lambda: not missing(asset, ""), what="the whole picture's renditions")
    page.reload()
    image = page.locator("#focal-image")
    expect(image).to_be_visible()
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    focal_x = float(page.locator("#id_focal_x").input_value())
    focal_y = float(page.locator("#id_focal_y").input_value())
    assert abs(focal_x - 0.25) < 0.01 and abs(focal_y - 0.75) < 0.01
    expect(page.locator("[data-focal-marker]")).to_be_visible()
    expect(page.locator("#focal-status")).to_contain_text(f"x {focal_x:g}, y {focal_y:g}")
    screenshot("media-focal-point")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("'Legs up the wall, side view' saved.")
    asset.refresh_from_db()
    assert (asset.focal_x, asset.focal_y, asset.ratio) == (focal_x, focal_y, "1:1")

    # The editor shows it as the pose's first step, with its alt text, and submits.
    page.goto(f"{live_server.url}/admin/content/component/{pose.item_id}/change/")
    page.select_option("#id_media-0-asset", asset.sha256)
    expect(page.locator("#media-group [data-picture-thumb]").first).to_be_visible()
    page.select_option("#id_media-0-role", "step")
    page.fill("#id_media-0-step", "1")
    page.fill("#id_media-0-alt", ALT)
    page.click("#save-and-submit")
    expect(page.locator("#version-state")).to_have_text("In review")

    # The reviewer sees it as apps will, approves and publishes it once the new crop's
    # renditions are made (publishing waits for them).
    wait_until(lambda: ready(Asset.objects.get(pk=asset.pk)), what="the 1:1 crop's renditions")
    log_in(reviewer)
    page.goto(f"{live_server.url}/admin/content/component/{pose.item_id}/change/")
    expect(page.locator(".preview-pictures")).to_contain_text(f"Alt text: {ALT}")
    page.click("#action-approve input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("it is now approved")
    page.click("#action-publish input[type=submit]")
    expect(page.locator("#version-state")).to_have_text("Published")
    assert Version.objects.get(pk=pose.pk).state == VersionState.PUBLISHED

    # Apps get the picture over HTTP: its alt text, focal point, and renditions cached for ever.
    served = page.request.get(f"{live_server.url}/api/v1/components/legs-up-the-wall/")
    assert served.status == 200
    (media,) = served.json()["media"]
    assert (media["alt"], media["role"], media["step"]) == (ALT, "step", 1)
    assert media["focal_point"] == {"x": focal_x, "y": focal_y}
    assert media["width"] == media["height"] == 1200  # cut square around the focal point
    assert {r["format"] for r in media["renditions"]} >= {"webp", "jpeg"}
    for rendition in media["renditions"]:
        assert rendition["url"].startswith(f"{live_server.url}/media/renditions/")
        answer = page.request.get(rendition["url"])
        assert answer.status == 200, rendition["url"]
        assert answer.headers["cache-control"] == IMMUTABLE
        assert answer.headers["content-type"] == f"image/{rendition['format']}"
