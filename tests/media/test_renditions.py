"""Renditions: made by the job queue after an upload (never by the upload itself, nor by a
request), in every configured width and format, cut around the focal point where a ratio
is set, and served under names that carry their content's hash, cacheable for ever."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult
from PIL import Image

from content.media.images import rendition_formats, widths_for
from content.media.renditions import make_renditions, ready
from content.models import Rendition
from content.workflow.media import AssetFacts, change_asset
from tests.events.test_webhooks import wait_until
from tests.media.conftest import AssetFactory, rendered
from tests.media.images import exif_of, photo_with_gps, picture
from tests.workers import worker  # noqa: F401 (the fixture)

PINK = (240, 20, 140)


def decoded(rendition: Rendition) -> Image.Image:
    with default_storage.open(rendition.file.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


@pytest.mark.django_db
def test_an_upload_enqueues_its_renditions_and_makes_none_itself():
    asset = AssetFactory()
    assert not Rendition.objects.exists()
    jobs = DBTaskResult.objects.filter(task_path="content.media.renditions.make_renditions")
    assert [job.args_kwargs["args"] for job in jobs] == [[asset.pk, ""]]
    assert not ready(asset)


def test_the_worker_makes_every_width_in_every_format(worker, settings):  # noqa: F811
    from tests.factories import EditorFactory

    asset = AssetFactory(data=photo_with_gps((1800, 1200)), user=EditorFactory())
    wait_until(lambda: ready(asset), timeout=60, what="the renditions")

    made = {(r.width, r.format): r for r in Rendition.objects.filter(asset=asset, crop="")}
    assert set(made) == {(w, f) for w in (320, 640, 1024, 1600) for f in rendition_formats()}
    assert "avif" in rendition_formats()  # this Pillow writes AVIF: every crop has it
    for (width, fmt), rendition in made.items():
        image = decoded(rendition)
        assert image.format == {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}[fmt]
        assert (
            image.size == (width, round(1200 * width / 1800)) == (rendition.width, rendition.height)
        )
        with default_storage.open(rendition.file.name, "rb") as handle:
            data = handle.read()
        assert exif_of(data) == {}  # the location never reaches a rendition either
        assert hashlib.sha256(data).hexdigest() == rendition.sha256
        assert rendition.sha256[:20] in rendition.file.name  # the name carries the hash


@pytest.mark.django_db
def test_a_picture_narrower_than_the_widest_rendition_is_never_enlarged():
    asset = rendered(AssetFactory(data=picture((700, 350))))
    widths = sorted({r.width for r in Rendition.objects.filter(asset=asset)})
    assert widths == [320, 640, 700] == sorted(widths_for(700))


@pytest.mark.django_db
def test_the_widths_come_from_the_settings(settings):
    settings.MEDIA_RENDITION_WIDTHS = [200, 480]
    asset = rendered(AssetFactory(data=picture((1000, 500))))
    assert sorted({r.width for r in Rendition.objects.filter(asset=asset)}) == [200, 480]


@pytest.mark.django_db
def test_a_ratio_cuts_around_the_focal_point():
    # A pink square in the top-left corner; the focal point on it; a square crop.
    data = picture((1600, 800), colour=(250, 250, 250), mark=((100, 100, 300, 300), PINK))
    asset = rendered(AssetFactory(data=data, focal_x=0.125, focal_y=0.25, ratio="1:1"))

    crop = asset.crop
    assert crop == "1:1@0.1250,0.2500"
    cut = Rendition.objects.get(asset=asset, crop=crop, width=640, format="jpeg")
    image = decoded(cut)
    assert image.size == (640, 640)
    # The 800 x 800 box is pushed against the left edge: the pink square is at 100-300 of
    # its 800 pixels, 80-240 of the rendition's 640.
    assert _near(image.getpixel((160, 160)), PINK)
    assert _near(image.getpixel((60, 160)), (250, 250, 250))
    assert _near(image.getpixel((600, 600)), (250, 250, 250))
    # The whole picture is made too (the admin shows it), uncut.
    whole = Rendition.objects.get(asset=asset, crop="", width=640, format="jpeg")
    assert (whole.width, whole.height) == (640, 320)


@pytest.mark.django_db
def test_a_new_focal_point_makes_new_renditions_and_keeps_the_old(editor):
    data = picture((1600, 800), colour=(250, 250, 250), mark=((100, 100, 300, 300), PINK))
    asset = rendered(AssetFactory(data=data, ratio="16:9", focal_x=0.2, focal_y=0.5))
    before = set(Rendition.objects.values_list("file", flat=True))
    asset = change_asset(
        user=editor,
        asset=asset,
        facts=AssetFacts(asset.title, asset.credit, asset.licence, 0.8, 0.5, "16:9"),
    )
    assert not ready(asset)  # the new crop's are enqueued, not made here
    rendered(asset)
    after = set(Rendition.objects.values_list("file", flat=True))
    assert before < after
    assert Rendition.objects.filter(asset=asset, crop=asset.crop).count() == len(before) // 2
    assert all(default_storage.exists(name) for name in before)


@pytest.mark.django_db
def test_renditions_whose_job_was_lost_are_asked_for_again_by_the_sweep():
    from content.workflow.jobs import sweep

    done, lost = rendered(AssetFactory()), AssetFactory(ratio="1:1")
    DBTaskResult.objects.all().delete()  # the queue lost the upload's job
    assert sweep.call()["renditions"] == 2  # the whole picture and its square crop
    jobs = DBTaskResult.objects.filter(task_path="content.media.renditions.make_renditions")
    assert sorted(tuple(job.args_kwargs["args"]) for job in jobs) == [
        (lost.pk, ""),
        (lost.pk, lost.crop),
    ]
    assert ready(done)


@pytest.mark.django_db
def test_the_job_makes_what_is_missing_only(asset):
    count = Rendition.objects.count()
    assert make_renditions.call(asset.pk, "") == 0
    Rendition.objects.filter(asset=asset, width=640, format="webp").delete()
    assert make_renditions.call(asset.pk, "") == 1
    assert Rendition.objects.count() == count


@pytest.mark.django_db
def test_transparency_becomes_white_in_jpeg_and_stays_in_webp():
    data = picture((400, 400), fmt="PNG", mode="RGBA", colour=(0, 0, 0, 0))
    asset = rendered(AssetFactory(data=data))
    jpeg = decoded(Rendition.objects.get(asset=asset, width=320, format="jpeg"))
    webp = decoded(Rendition.objects.get(asset=asset, width=320, format="webp"))
    assert _near(jpeg.convert("RGB").getpixel((10, 10)), (255, 255, 255))
    assert webp.mode == "RGBA" and webp.getpixel((10, 10))[3] == 0


@pytest.mark.django_db
def test_renditions_are_served_cacheable_for_ever_and_nothing_else_is(client, asset):
    rendition = Rendition.objects.filter(asset=asset, format="webp").first()
    answer = client.get(f"/media/{rendition.file.name}")
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer["Content-Type"] == "image/webp"
    assert b"".join(answer.streaming_content) == decoded_bytes(rendition)
    for path in (
        f"/media/{asset.file.name}",  # the uploaded original is not served
        "/media/renditions/../originals/x.jpg",
        "/media/renditions/nothing-here.webp",
    ):
        assert client.get(path).status_code == 404, path


def decoded_bytes(rendition: Rendition) -> bytes:
    with default_storage.open(rendition.file.name, "rb") as handle:
        return handle.read()


def _near(pixel, colour, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))
