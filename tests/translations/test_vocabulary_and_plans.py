"""The vocabularies in a locale, approved by a reviewer who did not write them; plans in a
locale, each item's component in the same locale; history per locale."""

import pytest

from content import workflow
from content.errors import PermissionRefused
from content.models import Contraindication
from tests import builders
from tests.factories import plan_item

pytestmark = pytest.mark.django_db


def _names(client, locale):
    results = client.get(f"/api/v1/contraindications/?locale={locale}").json()["results"]
    return {entry["slug"]: entry["name"] for entry in results}


def test_a_vocabulary_translation_is_served_only_once_another_person_approved_it(
    client, locales, publish, translator, people
):
    reviewer = people[1]
    publish("legs-up", caution=["pregnancy"])
    pregnancy = Contraindication.objects.get(slug="pregnancy")
    written = workflow.translate_vocabulary(
        user=translator, entry=pregnancy, locale="es", name="Embarazo", description="Gestación."
    )
    assert _names(client, "es")["pregnancy"] == "Pregnancy"

    with pytest.raises(PermissionRefused):
        workflow.approve_vocabulary_translation(user=translator, translation=written)
    workflow.approve_vocabulary_translation(user=reviewer, translation=written)
    assert _names(client, "es")["pregnancy"] == "Embarazo"
    assert _names(client, "pt-BR")["pregnancy"] == "Pregnancy"
    assert _names(client, "en")["pregnancy"] == "Pregnancy"
    component = client.get("/api/v1/components/legs-up/?locale=es").json()
    assert component["contraindications"][0]["name"] == "Embarazo"

    # A change waits for approval again: the fallback is served meanwhile.
    workflow.translate_vocabulary(user=translator, entry=pregnancy, locale="es", name="Gestación")
    assert _names(client, "es")["pregnancy"] == "Pregnancy"
    component = client.get("/api/v1/components/legs-up/?locale=es").json()
    assert component["contraindications"][0]["name"] == "Pregnancy"


def test_a_plan_is_served_with_its_components_in_the_same_locale(
    client, locales, publish, translate, people
):
    editor, reviewer, second = people
    legs = publish("legs-up", kind="yoga")
    breath = publish("box-breathing", kind="pranayama")
    plan = builders.published_plan(
        editor,
        reviewer,
        second,
        slug="calm-evenings",
        items=[
            plan_item("legs-up", "evening", 1, note="After dinner."),
            plan_item("box-breathing", "bedtime", 2),
        ],
    )
    translate(legs, "es")
    translate(plan, "es")

    served = client.get("/api/v1/plans/calm-evenings/?locale=es").json()
    assert served["locale"] == "es"
    first, second_item = served["items"]
    assert first["note"] == "[es] After dinner."
    assert first["component"]["locale"] == "es"
    assert second_item["component"]["locale"] == "en"
    assert second_item["component"]["fallback_reason"] == "not-translated"
    assert breath.item.slug == second_item["component"]["slug"]
    listed = client.get("/api/v1/plans/?locale=es").json()["results"]
    assert listed[0] == {k: v for k, v in served.items() if k != "disclaimer"}


def test_history_is_served_per_locale_as_each_version_was(
    client, locales, publish, translate, people
):
    editor, reviewer, second = people
    first = publish("legs-up")
    translate(first, "es")
    builders.republished(first, editor, reviewer, second, summary="Second.")

    history = client.get("/api/v1/components/legs-up/versions/?locale=es").json()
    assert history["locale"] == "es"
    assert [entry["version"] for entry in history["results"]] == [2, 1]
    old = client.get("/api/v1/components/legs-up/versions/1/?locale=es").json()
    assert old["locale"] == "es" and old["title"].startswith("[es] ")
    now = client.get("/api/v1/components/legs-up/versions/2/?locale=es").json()
    assert now["fallback_reason"] == "translation-outdated"
