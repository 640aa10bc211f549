"""The picture library over HTTP: uploading through the add page (the stored file keeps no
metadata), refusals shown on the form with what was typed kept, thumbnails once the
renditions are made, the focal point typed as numbers, and who may change what."""

from __future__ import annotations

import re

import pytest

from content.models import Asset, MediaLink
from content.workflow import read_content
from tests import builders
from tests.media.images import GPS_IFD, SVG, exif_of, photo_with_gps

from .pages import LIBRARY, UPLOAD, asset_url, logged_in, messages_of, picture_row, text

pytestmark = pytest.mark.django_db

DETAILS = {
    "title": "Child's pose, side view",
    "credit": "Ana Photographer",
    "licence": "CC BY 4.0",
    "ratio": "",
    "focal_x": "",
    "focal_y": "",
}


def upload(client, data: bytes, name: str, **changes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        UPLOAD, {**DETAILS, **changes, "file": SimpleUploadedFile(name, data, "image/jpeg")}
    )


def test_an_editor_uploads_a_phone_photo_and_the_stored_file_says_nothing_of_where(editor):
    photo = photo_with_gps()
    assert exif_of(photo)["gps"]  # the phone wrote where it was taken

    client = logged_in(editor)
    response = upload(client, photo, "IMG_2041.jpg")

    asset = Asset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == asset_url(asset)
    assert (asset.title, asset.credit, asset.licence) == (
        "Child's pose, side view",
        "Ana Photographer",
        "CC BY 4.0",
    )
    assert (asset.original_name, asset.uploaded_by, asset.width) == ("IMG_2041.jpg", editor, 1600)
    with asset.file.open("rb") as stored:
        kept = exif_of(stored.read())
    assert GPS_IFD not in kept and "gps" not in kept and kept == {}
    page = client.get(response["Location"])
    assert "is in the library. The job worker is making its renditions" in messages_of(page)[0]
    assert "reload the page in a minute" in text(page)


def test_an_svg_is_refused_on_the_form_with_what_was_typed_kept(editor):
    response = upload(logged_in(editor), SVG, "logo.svg")

    assert response.status_code == 200
    assert not Asset.objects.exists()
    page = text(response)
    assert "SVG files are refused: they can carry scripts." in page
    assert 'value="Child\'s pose, side view"' in page
    assert 'value="Ana Photographer"' in page
    assert 'value="CC BY 4.0"' in page
    assert "Choose the file again: a browser never sends a file twice" in page
    assert "nothing was saved" in page


def test_a_file_over_the_limit_is_refused_by_its_size(editor, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1024 * 1024
    response = upload(logged_in(editor), b"\xff\xd8" + b"\0" * (3 * 1024 * 1024), "big.jpg")
    assert response.status_code == 200
    assert not Asset.objects.exists()
    assert "The file is 3.0 MB; pictures may be at most 1.0 MB." in text(response)


def test_a_focal_point_given_half_is_refused_on_the_form_and_nothing_changes(editor, pose):
    response = logged_in(editor).post(
        asset_url(pose), {**DETAILS, "title": "Renamed", "focal_x": "0.3", "focal_y": ""}
    )

    assert response.status_code == 200
    assert "focal_point: give both x and y, or neither (the centre)." in text(response)
    assert 'value="0.3"' in text(response) and 'value="Renamed"' in text(response)
    pose.refresh_from_db()
    assert (pose.title, pose.focal_x) == ("Legs up the wall, side view", None)


def test_the_focal_point_and_ratio_typed_as_numbers_are_saved_and_new_renditions_asked_for(
    editor, pose
):
    response = logged_in(editor).post(
        asset_url(pose),
        {**DETAILS, "ratio": "1:1", "focal_x": "0.25", "focal_y": "0.75", "_continue": "Save"},
        follow=True,
    )

    pose.refresh_from_db()
    assert (pose.focal_x, pose.focal_y, pose.ratio) == (0.25, 0.75, "1:1")
    assert pose.title == "Child's pose, side view"
    (message,) = messages_of(response)
    assert "making its renditions for the new crop" in message
    page = text(response)
    assert "Cut now: 1:1@0.2500,0.7500" not in page  # none of the new cut is made yet
    assert "Focal point: x 0.25, y 0.75." in page


def test_the_library_lists_a_thumbnail_once_the_renditions_are_made(editor, pose):
    from .pages import uploaded

    waiting = uploaded(editor, title="Sectional breathing", rendered=False)
    page = text(logged_in(editor).get(LIBRARY))

    assert "renditions being made" in page
    thumbs = re.findall(r'<img class="thumbnail list-thumbnail" src="([^"]+)"', page)
    smallest = pose.renditions.filter(crop="", format="webp").order_by("width").first()
    assert thumbs == [smallest.file.url]
    assert thumbs[0].startswith("/media/renditions/") and thumbs[0].endswith("-320w.webp")
    assert "1200 \u00d7 800" in page and "CC0 1.0" in page and waiting.title in page


def test_a_pictures_page_shows_its_renditions_and_the_versions_that_show_it(editor, pose):
    version = builders.draft(editor, slug="legs-up", media=[picture_row(pose, alt="Legs up.")])
    assert read_content(version).media[0].asset == pose.sha256

    page = text(logged_in(editor).get(asset_url(pose)))

    assert 'id="focal-image"' in page and "data-focal-picker" in page
    assert "The whole picture (shown in the admin" in page
    for rendition in pose.renditions.all():
        assert f'href="{rendition.file.url}"' in page
    assert "legs-up</a> version 1 (draft): hero" in page
    assert MediaLink.objects.get().version_id == version.pk


def test_a_reviewer_reads_a_picture_but_may_not_change_it(reviewer, pose):
    client = logged_in(reviewer)
    page = client.get(asset_url(pose))
    assert page.status_code == 200
    assert 'id="asset-form"' not in text(page) and "Legs up the wall, side view" in text(page)
    assert client.post(asset_url(pose), {**DETAILS, "title": "Mine"}).status_code == 403
    assert client.get(UPLOAD).status_code == 403
    pose.refresh_from_db()
    assert pose.title == "Legs up the wall, side view"


def test_no_one_deletes_a_picture_from_the_admin(editor, superuser, pose):
    for person in (editor, superuser):
        client = logged_in(person)
        assert client.get(f"{asset_url(pose)}../delete/").status_code == 403
        assert "deletelink" not in text(client.get(asset_url(pose)))
    assert Asset.objects.filter(pk=pose.pk).exists()
