"""The demo's pictures: drawn by ``content/demo/pictures.py``, the same bytes every time,
uploaded once by the demo editor with every rendition made, and served with the components
that show them, their alt text in the document's locale."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from PIL import Image

from content.demo import PACK_DIR, PackError, read_pack
from content.demo.pictures import CREDIT, LICENCE, PICTURES, SIZE, draw
from content.media.images import rendition_formats, widths_for
from content.models import Asset, MediaLink, Rendition, VersionState
from content.workflow.media import AssetFacts, upload_asset
from tests.factories import EditorFactory

ROOT = Path(__file__).resolve().parent.parent
#: The components the pack shows pictures with, at least.
ILLUSTRATED = {"nadi-shodhana", "bhastrika", "kapalabhati", "hands-stretch-breathing"}
ILLUSTRATED |= {"legs-up-the-wall"}


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Anonymous reads are rate limited per client: earlier tests' reads do not count here."""
    cache.clear()
    yield
    cache.clear()


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def pictures_in_pack() -> dict[str, list[dict]]:
    """The pictures each component of the pack shows in its last version, by slug."""
    return {
        item.slug: item.versions[-1]["media"]
        for item in read_pack().components
        if item.versions[-1].get("media")
    }


def pixels(data: bytes) -> tuple[tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size, image.convert("RGB").tobytes()


@pytest.mark.django_db
def test_the_illustrated_components_serve_their_pictures_with_alt_text_and_every_rendition(
    client,
):
    load_demo()
    shown = pictures_in_pack()
    assert set(shown) >= ILLUSTRATED
    wanted = {(width, fmt) for width in widths_for(SIZE[0]) for fmt in rendition_formats()}
    assert len(wanted) >= 6  # several widths, in at least WebP and JPEG
    for slug, pictures in shown.items():
        served = client.get(f"/api/v1/components/{slug}/").json()["media"]
        assert [(p["role"], p["step"]) for p in served] == [
            (p["role"], p.get("step")) for p in pictures
        ], slug
        for picture, said in zip(served, pictures, strict=True):
            assert picture["alt"] == " ".join(said["alt"].split()) != "", slug
            assert not picture["decorative"], slug
            assert (
                (picture["credit"], picture["licence"])
                == (CREDIT, LICENCE)
                == (
                    "Recovery content project (drawn by content/demo/pictures.py)",
                    "CC0 1.0",
                )
            )
            assert (picture["width"], picture["height"]) == SIZE
            renditions = {(r["width"], r["format"]): r for r in picture["renditions"]}
            assert set(renditions) == wanted, slug
            for (width, _), rendition in renditions.items():
                assert rendition["height"] == width * SIZE[1] // SIZE[0]
                assert rendition["url"].startswith(f"{settings.SITE_URL}/media/renditions/")
    # A rendition's URL answers with the picture, at its width.
    first = client.get("/api/v1/components/legs-up-the-wall/").json()["media"][0]
    jpeg = next(r for r in first["renditions"] if r["format"] == "jpeg")
    answer = client.get(jpeg["url"].removeprefix(settings.SITE_URL))
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    size, _ = pixels(b"".join(answer.streaming_content))
    assert size == (jpeg["width"], jpeg["height"])


@pytest.mark.django_db
def test_the_spanish_documents_describe_the_pictures_in_spanish(client):
    load_demo()
    translated = {
        translation.item.slug: translation.content["notes"]["media"]
        for translation in read_pack().translations
        if "media" in translation.content["notes"]
    }
    assert set(translated) >= {"nadi-shodhana", "legs-up-the-wall"}
    for slug, alts in translated.items():
        english = client.get(f"/api/v1/components/{slug}/").json()
        spanish = client.get(f"/api/v1/components/{slug}/?locale=es").json()
        assert spanish["locale"] == "es", slug
        served = {str(n): p["alt"] for n, p in enumerate(spanish["media"], start=1)}
        assert served == alts, slug
        assert [p["alt"] for p in english["media"]] != [p["alt"] for p in spanish["media"]]
        # The pictures themselves are the same in every locale.
        assert [p["renditions"] for p in spanish["media"]] == [
            p["renditions"] for p in english["media"]
        ]


def test_a_translation_that_leaves_a_picture_undescribed_is_refused(tmp_path):
    pack_dir = tmp_path / "demo"
    shutil.copytree(PACK_DIR, pack_dir)
    path = pack_dir / "translations" / "es" / "components" / "nadi-shodhana.yaml"
    text = path.read_text()
    start, end = text.index("notes:\n  media:"), text.index("body: |")
    path.write_text(text[:start] + text[end:])

    with pytest.raises(PackError) as refused:
        read_pack(pack_dir)
    assert str(refused.value).startswith("translations/es/components/nadi-shodhana.yaml")
    assert "notes.media[1]: translate this note." in str(refused.value)


def test_a_picture_the_pack_does_not_draw_is_refused_naming_the_file(tmp_path):
    pack_dir = tmp_path / "demo"
    shutil.copytree(PACK_DIR, pack_dir)
    path = pack_dir / "components" / "bhastrika.yaml"
    path.write_text(path.read_text().replace("picture: bhastrika-cycles", "picture: bellows"))

    with pytest.raises(PackError) as refused:
        read_pack(pack_dir)
    assert str(refused.value).startswith(
        "components/bhastrika.yaml, version 1, media 1: the pack draws no picture 'bellows'"
    )


@pytest.mark.django_db
def test_each_picture_is_uploaded_once_and_one_already_in_the_library_is_used_as_it_is():
    # An editor uploaded the very same drawing before the demo was loaded.
    theirs = upload_asset(
        user=EditorFactory(),
        data=draw("legs-up-the-wall"),
        original_name="wall.png",
        facts=AssetFacts(title="Their own upload", credit="An editor", licence="CC0 1.0"),
    )

    output = load_demo()

    assert f"pictures: {len(PICTURES) - 1} loaded, 1 already there" in output
    assert Asset.objects.count() == len(PICTURES)
    hero = MediaLink.objects.get(
        version__item__slug="legs-up-the-wall", version__state=VersionState.PUBLISHED
    )
    assert hero.asset == theirs
    assert Asset.objects.get(pk=theirs.pk).title == "Their own upload"  # left as it is
    assets = sorted(Asset.objects.values_list("pk", "sha256", "file"))
    renditions = sorted(Rendition.objects.values_list("pk", "file"))

    again = load_demo()

    assert "nothing changed" in again
    assert sorted(Asset.objects.values_list("pk", "sha256", "file")) == assets
    assert sorted(Rendition.objects.values_list("pk", "file")) == renditions


@pytest.mark.django_db
def test_the_pictures_served_are_the_ones_the_script_draws():
    load_demo()
    shown = {entry["picture"] for pictures in pictures_in_pack().values() for entry in pictures}
    assert shown == set(PICTURES)  # the pack draws no picture it does not show
    for name, picture in PICTURES.items():
        drawn = picture.draw()
        asset = Asset.objects.get(sha256=hashlib.sha256(drawn).hexdigest())
        assert (asset.original_name, asset.title) == (f"{name}.png", picture.title)
        with asset.file.open("rb") as stored:  # cleaned on upload: written again, same pixels
            assert pixels(stored.read()) == pixels(drawn), name
        assert asset.links.exists(), name


def test_the_pictures_are_drawn_the_same_in_another_process():
    """No clock, randomness or hash order enters a drawing: another interpreter, with
    another hash seed, draws the same bytes (so a second load finds them in the library)."""
    code = (
        "import django, hashlib; django.setup()\n"
        "from content.demo.pictures import PICTURES\n"
        "for name, picture in PICTURES.items():\n"
        "    print(name, hashlib.sha256(picture.draw()).hexdigest())\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "recovery.settings", "PYTHONHASHSEED": "7"}
    found = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    there = dict(line.split() for line in found.splitlines())
    here = {name: hashlib.sha256(p.draw()).hexdigest() for name, p in PICTURES.items()}
    assert there == here
