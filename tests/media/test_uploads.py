"""Uploading pictures: only real pictures are accepted, with their metadata stripped and
their facts read from the decoded image, never from the file's name."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from content.errors import ContentInvalid, PermissionRefused
from content.models import Asset
from content.workflow.media import AssetFacts, change_asset, upload_asset
from tests.factories import ReviewerFactory, TranslatorFactory
from tests.media.conftest import AssetFactory
from tests.media.images import GPS_IFD, SVG, exif_of, photo_with_gps, picture, png_claiming

pytestmark = pytest.mark.django_db


def refusal(**kwargs) -> str:
    with pytest.raises(ContentInvalid) as caught:
        AssetFactory(**kwargs)
    assert Asset.objects.count() == 0  # nothing kept of a refused upload
    return str(caught.value)


def test_a_phone_photo_is_stored_without_its_location_or_camera():
    upload = photo_with_gps()
    assert "gps" in exif_of(upload)  # the file as the phone wrote it

    asset = AssetFactory(data=upload, original_name="IMG_0042.jpg")

    stored = asset.file.read()
    assert exif_of(stored) == {}
    assert (asset.content_type, asset.width, asset.height) == ("image/jpeg", 1600, 1200)
    assert asset.size == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.info.get("exif") is None


def test_a_photo_taken_sideways_is_stored_upright():
    asset = AssetFactory(data=photo_with_gps((1600, 1200), orientation=6))  # rotated 90°
    assert (asset.width, asset.height) == (1200, 1600)
    with Image.open(asset.file) as image:
        assert image.size == (1200, 1600)
        assert GPS_IFD not in image.getexif()


def test_the_content_type_comes_from_the_picture_not_its_name():
    asset = AssetFactory(data=picture((400, 300), fmt="PNG"), original_name="photo.jpg")
    assert asset.content_type == "image/png"
    assert asset.file.name.endswith(".png")


@pytest.mark.parametrize("fmt, content_type", [("WEBP", "image/webp"), ("AVIF", "image/avif")])
def test_webp_and_avif_are_accepted(fmt, content_type):
    asset = AssetFactory(data=picture((500, 400), fmt=fmt))
    assert (asset.content_type, asset.width, asset.height) == (content_type, 500, 400)


def test_an_svg_is_refused_because_it_can_carry_script():
    assert "SVG files are refused: they can carry scripts" in refusal(data=SVG)


def test_a_decompression_bomb_is_refused_from_its_header():
    # 12,000 x 12,000 pixels claimed by a file of a few dozen bytes.
    message = refusal(data=png_claiming(12_000, 12_000))
    assert "12000 x 12000 pixels (144 megapixels); at most 40 megapixels" in message


def test_a_bomb_past_pillows_own_limit_is_refused_too():
    message = refusal(data=png_claiming(60_000, 60_000))
    assert "far more pixels than are accepted" in message


def test_a_file_over_the_size_limit_is_refused_with_the_limit(settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 100_000
    big = picture((1400, 1400), fmt="PNG", mode="RGB", colour=(1, 2, 3), compress_level=0)
    assert len(big) > 100_000
    assert "pictures may be at most 0.1 MB" in refusal(data=big)


@pytest.mark.parametrize(
    "data, says",
    [
        (b"GIF89a" + b"\x00" * 40, "not a picture that can be read"),
        (picture((50, 50), fmt="GIF"), "GIF pictures are not accepted"),
        (picture((300, 300))[:600], "not a picture that can be read"),  # cut short
        (b"", "The file is empty"),
        (b"%PDF-1.7\n" + b"x" * 100, "not a picture that can be read"),
    ],
    ids=["garbage", "gif", "truncated", "empty", "pdf"],
)
def test_what_is_not_an_accepted_picture_is_refused(data, says):
    assert says in refusal(data=data)


def test_the_same_file_is_in_the_library_once():
    data = picture((300, 200))
    first = AssetFactory(data=data, title="Child's pose")
    with pytest.raises(ContentInvalid, match="already in the library as 'Child's pose'"):
        AssetFactory(data=data)
    assert list(Asset.objects.all()) == [first]


@pytest.mark.parametrize(
    "facts, says",
    [
        ({"title": " "}, "title: this field is required"),
        ({"credit": ""}, "credit: this field is required"),
        ({"focal_x": 0.5}, "give both x and y"),
        ({"focal_x": 1.5, "focal_y": 0.2}, "fractions of the width and height, from 0 to 1"),
        ({"focal_x": float("nan"), "focal_y": 0.2}, "fractions of the width and height"),
        ({"ratio": "7:5"}, "'7:5' is not offered"),
    ],
)
def test_what_an_editor_says_of_a_picture_is_checked(facts, says):
    assert says in refusal(**facts)


@pytest.mark.parametrize("factory", [ReviewerFactory, TranslatorFactory])
def test_only_editors_upload_and_change_pictures(factory, asset):
    someone = factory()
    with pytest.raises(PermissionRefused, match="may not upload pictures"):
        AssetFactory(user=someone)
    with pytest.raises(PermissionRefused, match="may not change pictures"):
        change_asset(user=someone, asset=asset, facts=AssetFacts("T", "C", "L"))


def test_a_superuser_is_checked_like_anyone_and_may_upload(superuser):
    asset = upload_asset(
        user=superuser,
        data=picture((200, 200)),
        original_name="a.jpg",
        facts=AssetFacts("Mat", "Me", "CC0 1.0"),
    )
    assert asset.uploaded_by == superuser
