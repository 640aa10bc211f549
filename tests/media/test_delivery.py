"""What apps are sent of pictures: every item carries ``media`` with its role, alt text in
the item's locale, size, focal point and renditions; plans and sync carry them too; and no
request reads the storage to answer (easy-thumbnails #283, sorl-thumbnail #351)."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages

from content.media.images import rendition_formats
from content.models import Rendition
from content.workflow.snapshot import MediaSpec
from tests.delivery import conftest as delivery
from tests.factories import plan_item
from tests.media.conftest import AssetFactory, rendered
from tests.translations import conftest as translations

fresh_cache, vocabulary, people, publish = (
    delivery.fresh_cache,
    delivery.vocabulary,
    delivery.people,
    delivery.publish,
)
publish_plan = delivery.publish_plan
locales, translate, translator = (
    translations.locales,
    translations.translate,
    translations.translator,
)

pytestmark = pytest.mark.django_db

ALT = "A woman seated cross-legged, her right thumb closing her right nostril"


@pytest.fixture
def pictures(db):
    hero = rendered(
        AssetFactory(
            title="Nadi shodhana",
            credit="Jo Lee",
            licence="CC BY 4.0",
            focal_x=0.25,
            focal_y=0.4,
            ratio="4:3",
        )
    )
    step = rendered(AssetFactory(title="Step 1"))
    return hero, step


@pytest.fixture
def breathing(publish, pictures):
    hero, step = pictures
    return publish(
        "nadi-shodhana",
        kind="pranayama",
        media=(
            MediaSpec(asset=hero.sha256, role="hero", alt=ALT),
            MediaSpec(asset=step.sha256, role="step", step=1, alt="Breathe in through the left"),
            MediaSpec(asset=step.sha256, role="illustration", decorative=True),
        ),
    )


def test_an_item_carries_its_pictures_with_renditions(client, breathing, pictures):
    hero, _ = pictures
    media = client.get("/api/v1/components/nadi-shodhana/").json()["media"]
    assert [(m["role"], m["step"], m["decorative"]) for m in media] == [
        ("hero", None, False),
        ("step", 1, False),
        ("illustration", None, True),
    ]
    first = media[0]
    assert first["alt"] == ALT and media[2]["alt"] == ""
    # 1200 x 800 cut to 4:3 around the focal point: 1067 x 800.
    assert (first["width"], first["height"]) == (1067, 800)
    assert first["focal_point"] == {"x": 0.25, "y": 0.4}
    assert (first["credit"], first["licence"]) == ("Jo Lee", "CC BY 4.0")
    formats = rendition_formats()
    assert [(r["format"], r["width"]) for r in first["renditions"]] == [
        (fmt, width) for fmt in formats for width in (320, 640, 1024, 1067)
    ]
    stored = {r.file.name: r for r in Rendition.objects.filter(asset=hero, crop=hero.crop)}
    for rendition in first["renditions"]:
        assert rendition["url"].startswith("http://127.0.0.1:8000/media/renditions/")
        name = rendition["url"].removeprefix("http://127.0.0.1:8000/media/")
        assert stored[name].sha256[:20] in name
        assert (rendition["width"], rendition["height"]) == (
            stored[name].width,
            stored[name].height,
        )
        answer = client.get(rendition["url"].removeprefix("http://127.0.0.1:8000"))
        assert answer.status_code == 200
        assert answer["Cache-Control"] == "public, max-age=31536000, immutable"


def test_an_item_without_pictures_says_so(client, publish):
    publish("plain")
    assert client.get("/api/v1/components/plain/").json()["media"] == []


def test_the_list_sync_and_plans_carry_the_pictures(client, breathing, publish_plan):
    publish_plan("calm", [("nadi-shodhana", "evening")])
    detail = client.get("/api/v1/components/nadi-shodhana/").json()["media"]
    listed = client.get("/api/v1/components/").json()["results"][0]["media"]
    synced = client.get("/api/v1/sync/").json()["changes"]
    in_sync = next(c for c in synced if c["slug"] == "nadi-shodhana")["data"]["media"]
    in_plan = client.get("/api/v1/plans/calm/").json()["items"][0]["component"]["media"]
    assert detail == listed == in_sync == in_plan
    assert len(detail) == 3


def test_a_plans_own_pictures_are_served(client, people, publish, pictures):
    from tests import builders

    editor, reviewer, _ = people
    publish("box-breath", kind="pranayama")
    hero, _ = pictures
    builders.published_plan(
        editor,
        reviewer,
        slug="wind-down",
        items=[plan_item("box-breath", "evening", 1)],
        media=(MediaSpec(asset=hero.sha256, role="hero", alt="A bedroom at dusk, lamp on"),),
    )
    media = client.get("/api/v1/plans/wind-down/").json()["media"]
    assert [m["alt"] for m in media] == ["A bedroom at dusk, lamp on"]


def test_the_alt_text_is_served_in_the_locale_asked_for(
    client,
    breathing,
    locales,
    translate,
):
    translate(breathing, "es", notes={"media": {"1": "Una mujer sentada", "2": "Inspira"}})
    english = client.get("/api/v1/components/nadi-shodhana/").json()["media"]
    spanish = client.get("/api/v1/components/nadi-shodhana/?locale=es").json()["media"]
    assert [m["alt"] for m in spanish] == ["Una mujer sentada", "Inspira", ""]
    # Everything else about the pictures is the source's.
    strip = [{k: v for k, v in m.items() if k != "alt"} for m in english]
    assert [{k: v for k, v in m.items() if k != "alt"} for m in spanish] == strip
    # Where the translation falls back, so does the alt text.
    portuguese = client.get("/api/v1/components/nadi-shodhana/?locale=pt").json()["media"]
    assert [m["alt"] for m in portuguese] == [m["alt"] for m in english]


def test_a_translation_must_translate_every_alt_text(breathing, locales, translator):
    from content.errors import ContentInvalid
    from content.workflow import submit_for_review
    from tests import builders

    draft = builders.translation_of(breathing, "es", translator, notes={"media": {"1": "Una"}})
    with pytest.raises(ContentInvalid, match=r"notes.media\[2\]: translate this note"):
        submit_for_review(version=draft, user=translator)


class StorageSpy:
    """Counts every call made to the picture storage (the default one) while it is on."""

    METHODS = ("open", "save", "exists", "size", "url", "path", "listdir", "get_modified_time")

    def __init__(self, monkeypatch):
        self.calls: list[str] = []
        storage = storages["default"]
        for name in self.METHODS:
            original = getattr(storage, name)

            def spy(*args, _name=name, _original=original, **kwargs):
                self.calls.append(_name)
                return _original(*args, **kwargs)

            monkeypatch.setattr(storage, name, spy)


def test_no_request_reads_the_storage(client, breathing, publish_plan, locales, monkeypatch):
    publish_plan("calm", [("nadi-shodhana", "evening")])
    spy = StorageSpy(monkeypatch)
    for url in (
        "/api/v1/components/nadi-shodhana/",
        "/api/v1/components/nadi-shodhana/?locale=es&profile=ssri",
        "/api/v1/components/?page_size=50",
        "/api/v1/plans/calm/",
        "/api/v1/sync/",
    ):
        answer = client.get(url)
        assert answer.status_code == 200 and "renditions" in answer.content.decode(), url
    assert spy.calls == []
    # (The spy does see the storage: serving a rendition file reads it.)
    url = client.get("/api/v1/components/nadi-shodhana/").json()["media"][0]["renditions"][0]["url"]
    client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert "open" in spy.calls


def test_pictures_cost_an_answer_no_query(client, breathing, publish, django_assert_num_queries):
    publish("plain")
    for url in ("/api/v1/components/nadi-shodhana/", "/api/v1/components/plain/"):
        client.get("/api/v1/components/")  # the locales read once per worker and generation
        with django_assert_num_queries(2):  # generation, document
            assert client.get(url).status_code == 200


@pytest.mark.postgres_only
def test_the_database_lets_a_translated_document_change_only_its_alt_text(
    breathing,
    locales,
    translate,
):
    import json

    from content.models import PublishedDocument
    from tests.translations.test_workflow import _refused

    translate(breathing, "es", notes={"media": {"1": "Una mujer sentada", "2": "Inspira"}})
    spanish = PublishedDocument.objects.get(version=breathing, locale="es", live=True)
    body = json.loads(spanish.body)
    body["media"][0]["alt"] = "Una mujer sentada, con calma"
    PublishedDocument.objects.filter(pk=spanish.pk).update(body=json.dumps(body))  # prose
    for change in (
        lambda m: m[0].update(role="illustration"),
        lambda m: m[0]["renditions"][0].update(url="https://elsewhere.example/x.avif"),
        lambda m: m.pop(),
        lambda m: m[1].update(step=2),
    ):
        body = json.loads(PublishedDocument.objects.get(pk=spanish.pk).body)
        change(body["media"])
        assert "may change its prose only" in _refused(
            "UPDATE content_publisheddocument SET body = %s WHERE id = %s",
            [json.dumps(body), spanish.pk],
        )
