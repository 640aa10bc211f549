"""``profile``: filtering against the end user's contraindications, failing closed."""

import pytest

from content.models import ContraindicationAlias

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(publish):
    publish("kapalabhati", kind="pranayama", avoid=["pregnancy"])
    publish("l-tryptophan", kind="supplement", avoid=["ssri"], caution=["pregnancy"])
    publish("legs-up-the-wall", kind="yoga", caution=["glaucoma"])
    publish("fixed-wake-time", kind="sleep_hygiene")


def test_a_list_leaves_out_what_the_profile_must_avoid(client, catalogue):
    items = client.get("/api/v1/components/?profile=pregnancy").json()["results"]
    assert [i["slug"] for i in items] == ["fixed-wake-time", "l-tryptophan", "legs-up-the-wall"]
    by_slug = {i["slug"]: i["suitability"] for i in items}
    assert by_slug["fixed-wake-time"] == {"status": "ok", "reasons": []}
    assert by_slug["legs-up-the-wall"] == {"status": "ok", "reasons": []}
    assert by_slug["l-tryptophan"] == {
        "status": "caution",
        "reasons": [
            {
                "contraindication": "pregnancy",
                "severity": "caution",
                "note": "Careful with pregnancy.",
            }
        ],
    }


def test_several_contraindications_combine(client, catalogue):
    items = client.get("/api/v1/components/?profile=pregnancy,ssri,glaucoma").json()["results"]
    assert [i["slug"] for i in items] == ["fixed-wake-time", "legs-up-the-wall"]
    assert items[1]["suitability"]["status"] == "caution"


def test_comma_separated_and_repeated_forms_are_the_same(client, catalogue):
    a = client.get("/api/v1/components/?profile=pregnancy,ssri")
    b = client.get("/api/v1/components/?profile=pregnancy&profile=ssri")
    c = client.get("/api/v1/components/?profile=%20SSRI%20,Pregnancy,,")
    assert a.content == b.content == c.content
    assert a["ETag"] == b["ETag"] == c["ETag"]


def test_without_profile_there_is_no_suitability(client, catalogue):
    items = client.get("/api/v1/components/").json()["results"]
    assert len(items) == 4
    assert all("suitability" not in i for i in items)


def test_an_empty_profile_is_a_person_with_no_contraindications(client, catalogue):
    items = client.get("/api/v1/components/?profile=").json()["results"]
    assert len(items) == 4
    assert {i["suitability"]["status"] for i in items} == {"ok"}


def test_a_detail_to_avoid_is_a_200_that_says_why(client, catalogue):
    response = client.get("/api/v1/components/l-tryptophan/?profile=ssri,pregnancy")
    assert response.status_code == 200
    assert response.json()["suitability"] == {
        "status": "avoid",
        "reasons": [
            {"contraindication": "ssri", "severity": "avoid", "note": "Not with ssri."},
            {
                "contraindication": "pregnancy",
                "severity": "caution",
                "note": "Careful with pregnancy.",
            },
        ],
    }


def test_a_profiled_answer_has_its_own_etag(client, catalogue):
    plain = client.get("/api/v1/components/l-tryptophan/")
    profiled = client.get("/api/v1/components/l-tryptophan/?profile=ssri")
    assert plain["ETag"] != profiled["ETag"]


def test_an_unknown_contraindication_is_a_400_naming_every_unknown_slug(client, catalogue):
    response = client.get("/api/v1/components/?profile=pregancy,ssri,ssri-x")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["unknown_contraindications"] == ["pregancy", "ssri-x"]
    assert body["errors"] == [
        {
            "parameter": "profile",
            "detail": "unknown contraindication 'pregancy'; known ones are listed at "
            "/api/v1/contraindications/.",
        },
        {
            "parameter": "profile",
            "detail": "unknown contraindication 'ssri-x'; known ones are listed at "
            "/api/v1/contraindications/.",
        },
    ]


def test_an_unknown_contraindication_is_refused_on_details_too(client, catalogue):
    response = client.get("/api/v1/components/kapalabhati/?profile=pregnacy")
    assert response.status_code == 400
    assert response.json()["unknown_contraindications"] == ["pregnacy"]


def test_a_malformed_slug_is_unknown_not_ignored(client, catalogue):
    response = client.get("/api/v1/components/?profile=preg%20nancy")
    assert response.json()["unknown_contraindications"] == ["preg nancy"]


def test_a_renamed_contraindication_keeps_its_old_slug(client, catalogue, vocabulary):
    pregnancy = vocabulary["pregnancy"]
    ContraindicationAlias.objects.create(slug="pregnant", contraindication=pregnancy)
    items = client.get("/api/v1/components/?profile=pregnant").json()["results"]
    assert "kapalabhati" not in [i["slug"] for i in items]


def test_more_than_fifty_contraindications_are_refused(client, catalogue):
    profile = ",".join(f"c-{n}" for n in range(51))
    response = client.get(f"/api/v1/components/?profile={profile}")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"parameter": "profile", "detail": "at most 50 contraindications; 51 were given."}
    ]


def test_the_limit_counts_repeated_slugs_as_sent(client, catalogue):
    """The schema says at most 50 values; repeats of one slug are values too (found by
    schemathesis: 110 values naming 35 slugs were accepted)."""
    repeated = "&".join(["profile=pregnancy"] * 51)
    response = client.get(f"/api/v1/components/?{repeated}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == "at most 50 contraindications; 51 were given."
    fifty = "&".join(["profile=pregnancy"] * 50)
    assert client.get(f"/api/v1/components/?{fifty}").status_code == 200


def test_pagination_counts_only_what_suits(client, publish):
    for n in range(4):
        publish(f"safe-{n}")
        publish(f"unsafe-{n}", avoid=["pregnancy"])
    first = client.get("/api/v1/components/?profile=pregnancy&page_size=3").json()
    assert [i["slug"] for i in first["results"]] == ["safe-0", "safe-1", "safe-2"]
    second = client.get(first["next"]).json()
    assert [i["slug"] for i in second["results"]] == ["safe-3"]
    assert second["next"] is None
