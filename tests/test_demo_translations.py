"""The demo in Spanish: the translated components, plan and vocabulary served in Spanish
with the structure of the English, the outdated translation never served, and translation
files that do not fit their source refused before anything is loaded."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from django.core.cache import cache
from django.core.management import call_command

from content.demo import PACK_DIR, PackError, Team, load_pack, read_pack
from content.kinds import PLAN, translatable_fields
from content.models import ContentItem, Locale
from tests.factories import EditorFactory, ReviewerFactory, TranslatorFactory

#: The component whose Spanish translation a later English version left outdated.
OUTDATED = "caffeine-cutoff"


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Anonymous reads are rate limited per client: earlier tests' reads do not count here."""
    cache.clear()
    yield
    cache.clear()


def load_demo() -> None:
    call_command("load_demo", stdout=io.StringIO())


#: What a document says that is translated (or says which locale it is in): the rest, its
#: structure, is the same in every locale.
PROSE = {"title", "summary", "body_markdown", "body_html", "note", "name", "alt", "locale"}
PROSE |= {"requested_locale", "fallback_reason"}


def structure(value):
    """``value`` (a served document, or part of one) without its prose."""
    if isinstance(value, list):
        return [structure(entry) for entry in value]
    if not isinstance(value, dict):
        return value
    texts = set(translatable_fields(value["kind"])) if "details" in value else set()
    return {
        key: structure(
            {k: v for k, v in part.items() if k not in texts} if key == "details" else part
        )
        for key, part in value.items()
        if key not in PROSE
    }


@pytest.mark.django_db
def test_the_translated_items_are_served_in_spanish_and_the_outdated_one_in_english(client):
    load_demo()
    for translation in read_pack().translations:
        kind = "plans" if translation.item.kind == PLAN else "components"
        url = f"/api/v1/{kind}/{translation.item.slug}/"
        english, spanish = client.get(url).json(), client.get(f"{url}?locale=es").json()
        assert structure(spanish) == structure(english), url  # numbers, severities, citations
        said = translation.content
        if translation.item.slug == OUTDATED:  # version 2 came after its translation
            assert (spanish["version"], translation.translates) == (2, 1)
            assert spanish["requested_locale"] == "es"
            assert (spanish["locale"], spanish["fallback_reason"]) == ("en", "translation-outdated")
            assert spanish["summary"] == english["summary"] != said["summary"]
            continue
        assert spanish["locale"] == "es" and "fallback_reason" not in spanish, url
        assert [spanish[name] for name in ("title", "summary", "body_markdown")] == [
            said["title"],
            said["summary"],
            said["body"],
        ]
        assert {k: spanish["details"][k] for k in said["details"]} == said["details"]
        notes = {link["slug"]: link["note"] for link in spanish.get("contraindications", [])}
        assert notes == said["notes"].get("contraindications", {}), url
        if kind == "plans":
            items = {str(item["order"]): item for item in spanish["items"]}
            assert {order: items[order]["note"] for order in items} == said["notes"]["items"]
            served = {item["component"]["slug"]: item["component"] for item in spanish["items"]}
            assert {slug: c["locale"] for slug, c in served.items() if c["locale"] != "es"} == {
                OUTDATED: "en"
            }
    glycine = client.get("/api/v1/components/glycine-bedtime/?locale=es").json()
    assert glycine["details"]["dose"] == {"amount": 3, "unit": "g"}
    assert {(c["name"], c["severity"]) for c in glycine["contraindications"]} == {
        ("Embarazo", "caution"),
        ("Clozapina", "caution"),
    }
    goals = client.get("/api/v1/goals/?locale=es").json()["results"]
    assert {"Sueño", "Estrés", "Ansiedad"} <= {goal["name"] for goal in goals}


@pytest.mark.parametrize(
    ("path", "edit", "message"),
    [
        (
            "es/components/glycine-bedtime.yaml",
            ("glycine-bedtime", "glycine-bedtme"),
            "no component",
        ),
        ("es/components/glycine-bedtime.yaml", ("translates: 2", "translates: 3"), "no version 3"),
        (
            "es/components/glycine-bedtime.yaml",
            ("    clozapine:", "    maoi:"),
            "notes.contraindications[maoi]: the source has no such note.",
        ),
        (
            "es/plans/glycine-sleep-reset.yaml",
            ("    6: Entre 30 y 60 minutos antes de apagar la luz.\n", ""),
            "notes.items[6]: translate this note.",
        ),
        (
            "es/components/legs-up-the-wall.yaml",
            ("    - Siéntate", "    # - Siéntate"),
            "details.steps: give a list of 5 texts, as the source has.",
        ),
        (
            "es/components/nadi-shodhana.yaml",
            ("body: |", "details: {rounds: seis}\nbody: |"),
            "details.rounds: not a text field of the source.",
        ),
        ("es/vocabulary.yaml", ("slug: glaucoma", "slug: glaucome"), "no such entry"),
        ("es", ("es", "fr"), "not a locale of locales.yaml"),
    ],
)
def test_a_translation_that_does_not_fit_its_source_is_refused_naming_it(
    tmp_path, path, edit, message
):
    pack_dir = tmp_path / "demo"
    shutil.copytree(PACK_DIR, pack_dir)
    file = pack_dir / "translations" / path
    old, new = edit
    if old in path:  # the file or folder under another name
        file.rename(pack_dir / "translations" / path.replace(old, new))
    else:
        assert old in file.read_text()
        file.write_text(file.read_text().replace(old, new, 1))

    with pytest.raises(PackError, match=re.escape(message)) as refused:
        read_pack(pack_dir)
    assert str(refused.value).startswith("translations/")


@pytest.mark.django_db
def test_a_translation_the_workflow_refuses_names_its_file_and_loads_nothing(tmp_path):
    pack_dir = tmp_path / "demo"
    shutil.copytree(PACK_DIR, pack_dir)
    path = pack_dir / "translations" / "es" / "components" / "screen-curfew.yaml"
    title = "title: Sin pantallas una hora antes de acostarte"
    path.write_text(path.read_text().replace(title, f"{title}{' y' * 100}"))
    team = Team(
        editor=EditorFactory(),
        reviewers=(ReviewerFactory(), ReviewerFactory()),
        translator=TranslatorFactory(),
    )

    with pytest.raises(PackError) as refused:
        load_pack(read_pack(pack_dir), team)

    assert str(refused.value) == (
        "translations/es/components/screen-curfew.yaml (version 1 of "
        "components/screen-curfew.yaml): title: at most 200 characters."
    )
    assert not ContentItem.objects.exists() and not Locale.objects.exclude(code="en").exists()
