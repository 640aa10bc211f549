"""The plan endpoints: items resolved to the components' current published versions,
personalised with ``profile``, and the same errors, caching and query discipline."""

import pytest
from jsonschema import Draft202012Validator

from content import workflow
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def sleep_plan(publish, publish_plan):
    publish("glycine-bedtime", kind="supplement", caution=["pregnancy"], title="Glycine")
    publish("l-tryptophan", kind="supplement", avoid=["ssri"], title="L-tryptophan")
    publish("kapalabhati", kind="pranayama", avoid=["pregnancy"], title="Kapalabhati")
    publish("legs-up-the-wall", kind="yoga", title="Legs up the wall")
    return publish_plan(
        "sleep-reset",
        [
            ("glycine-bedtime", "bedtime"),
            ("l-tryptophan", "evening"),
            ("kapalabhati", "morning"),
            ("legs-up-the-wall", "evening"),
        ],
        goals=["sleep"],
    )


def test_a_plan_is_served_with_its_items_resolved(client, sleep_plan):
    plan = client.get("/api/v1/plans/sleep-reset/").json()
    assert (plan["type"], plan["slug"], plan["version"], plan["duration_weeks"]) == (
        "plan",
        "sleep-reset",
        1,
        4,
    )
    assert plan["goals"] == ["sleep"]
    assert [i["component"]["slug"] for i in plan["items"]] == [
        "glycine-bedtime",
        "l-tryptophan",
        "kapalabhati",
        "legs-up-the-wall",
    ]
    first = plan["items"][0]
    assert first["component"]["type"] == "component"
    assert first["component"]["details"]["dose"] == {"amount": 3, "unit": "g"}
    assert (first["slot"], first["weeks"], first["frequency"], first["order"], first["note"]) == (
        "bedtime",
        {"from": 1, "to": 4},
        "daily",
        1,
        "Note 1.",
    )
    assert "suitability" not in first and "removed" not in plan
    assert plan["review"]["reviewers"] and plan["published_at"].endswith("Z")


def test_pregnancy_and_ssri_drop_exactly_the_items_they_must_and_say_why(client, sleep_plan):
    plan = client.get("/api/v1/plans/sleep-reset/?profile=pregnancy,ssri").json()
    assert [i["component"]["slug"] for i in plan["items"]] == [
        "glycine-bedtime",
        "legs-up-the-wall",
    ]
    assert plan["items"][0]["suitability"] == {
        "status": "caution",
        "reasons": [
            {
                "contraindication": "pregnancy",
                "severity": "caution",
                "note": "Careful with pregnancy.",
            }
        ],
    }
    assert plan["items"][1]["suitability"] == {"status": "ok", "reasons": []}
    assert plan["removed"] == [
        {
            "component": "l-tryptophan",
            "title": "L-tryptophan",
            "reasons": [
                {"contraindication": "ssri", "severity": "avoid", "note": "Not with ssri."}
            ],
        },
        {
            "component": "kapalabhati",
            "title": "Kapalabhati",
            "reasons": [
                {
                    "contraindication": "pregnancy",
                    "severity": "avoid",
                    "note": "Not with pregnancy.",
                }
            ],
        },
    ]


def test_a_plan_leaves_a_list_only_when_none_of_its_items_is_left(client, publish, publish_plan):
    publish("kapalabhati", kind="pranayama", avoid=["pregnancy"])
    publish("bhastrika", kind="pranayama", avoid=["pregnancy"])
    publish("legs-up-the-wall", kind="yoga")
    publish_plan("energising", [("kapalabhati", "morning"), ("bhastrika", "midday")])
    publish_plan("mixed", [("kapalabhati", "morning"), ("legs-up-the-wall", "evening")])

    def listed(url):
        return [p["slug"] for p in client.get(url).json()["results"]]

    assert listed("/api/v1/plans/") == ["energising", "mixed"]
    assert listed("/api/v1/plans/?profile=pregnancy") == ["mixed"]
    mixed = client.get("/api/v1/plans/?profile=pregnancy").json()["results"][0]
    assert [r["component"] for r in mixed["removed"]] == ["kapalabhati"]


def test_a_new_component_version_shows_in_every_plan_using_it(client, people, sleep_plan):
    editor, reviewer, second = people
    from content.models import Version

    legs = Version.objects.get(item__slug="legs-up-the-wall", state="published")
    etag = client.get("/api/v1/plans/sleep-reset/")["ETag"]
    builders.republished(legs, editor, reviewer, second, title="Legs up the wall, revised")
    response = client.get("/api/v1/plans/sleep-reset/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    items = response.json()["items"]
    assert items[3]["component"]["title"] == "Legs up the wall, revised"
    assert items[3]["component"]["version"] == 2


def test_a_withdrawn_component_leaves_the_plan_which_keeps_being_served(client, people, sleep_plan):
    _, reviewer, _ = people
    from content.models import ContentItem, Version

    glycine = Version.objects.get(item__slug="glycine-bedtime", state="published")
    workflow.withdraw(version=glycine, user=reviewer, reason="Checking the dose.")
    plan = client.get("/api/v1/plans/sleep-reset/").json()
    assert [i["component"]["slug"] for i in plan["items"]] == [
        "l-tryptophan",
        "kapalabhati",
        "legs-up-the-wall",
    ]
    assert b"glycine-bedtime" not in client.get("/api/v1/plans/sleep-reset/").content
    assert ContentItem.objects.get(slug="sleep-reset").flagged_for_review


def test_an_unpublished_plan_is_the_same_404_as_none(client, people, sleep_plan):
    editor, _, _ = people
    content = workflow.read_content(sleep_plan)
    workflow.create_plan(user=editor, slug="draft-plan", content=content)
    draft = client.get("/api/v1/plans/draft-plan/")
    never = client.get("/api/v1/plans/never-was/")
    assert (draft.status_code, never.status_code) == (404, 404)
    assert draft["Content-Type"] == "application/problem+json"
    assert draft.json()["detail"] == "No published plan has the slug 'draft-plan'."
    assert [p["slug"] for p in client.get("/api/v1/plans/").json()["results"]] == ["sleep-reset"]


def test_plans_are_not_components_and_components_not_plans(client, sleep_plan):
    assert client.get("/api/v1/components/sleep-reset/").status_code == 404
    assert client.get("/api/v1/plans/glycine-bedtime/").status_code == 404
    slugs = [c["slug"] for c in client.get("/api/v1/components/?page_size=100").json()["results"]]
    assert "sleep-reset" not in slugs


def test_plan_filters_and_errors(client, sleep_plan):
    assert len(client.get("/api/v1/plans/?goal=sleep&q=reset").json()["results"]) == 1
    assert client.get("/api/v1/plans/?goal=stress").json()["results"] == []
    assert client.get("/api/v1/plans/?kind=anything").status_code == 200  # not a plan parameter
    bad = client.get("/api/v1/plans/?profile=pregancy&page_size=0")
    assert bad.status_code == 400
    assert [e["parameter"] for e in bad.json()["errors"]] == ["page_size", "profile"]
    assert client.get("/api/v1/plans/sleep-reset/?profile=nope").status_code == 400


def test_plan_answers_are_cacheable(client, sleep_plan):
    url = "/api/v1/plans/sleep-reset/?profile=pregnancy"
    first = client.get(url)
    assert first["Cache-Control"].startswith("public, max-age=60,")
    assert first["ETag"].startswith('"')
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""


def test_plan_queries_stay_fixed(client, sleep_plan, publish_plan, django_assert_num_queries):
    for n in range(3):
        publish_plan(f"plan-{n}", [("legs-up-the-wall", "evening"), ("l-tryptophan", "bedtime")])
    with django_assert_num_queries(4):  # generation, locales, page, the page's components
        client.get("/api/v1/plans/?page_size=2")
    with django_assert_num_queries(4):  # + the profile (the locales were read above)
        client.get("/api/v1/plans/?page_size=100&profile=ssri,pregnancy,glaucoma")
    with django_assert_num_queries(3):
        client.get("/api/v1/plans/sleep-reset/")


def test_plan_answers_conform_to_the_schema(client, sleep_plan):
    openapi = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for url, name in [
        ("/api/v1/plans/", "PlanPage"),
        ("/api/v1/plans/?profile=pregnancy,ssri", "PlanPage"),
        ("/api/v1/plans/sleep-reset/", "Plan"),
        ("/api/v1/plans/sleep-reset/?profile=pregnancy", "Plan"),
    ]:
        schema = {"$ref": f"#/components/schemas/{name}", "components": openapi["components"]}
        errors = [
            e.message for e in Draft202012Validator(schema).iter_errors(client.get(url).json())
        ]
        assert errors == [], url


def test_a_plan_with_no_component_left_is_no_longer_served(client, people, publish, publish_plan):
    _, reviewer, _ = people
    only = publish("legs-up-the-wall", kind="yoga")
    publish_plan("wind-down", [("legs-up-the-wall", "evening")])
    assert client.get("/api/v1/plans/wind-down/").status_code == 200
    workflow.withdraw(version=only, user=reviewer, reason="Checking.")
    assert client.get("/api/v1/plans/wind-down/").status_code == 404
    assert client.get("/api/v1/plans/").json()["results"] == []
