"""Any parameter value the API cannot honour exactly is a 400 that names the parameter."""

import pytest

pytestmark = pytest.mark.django_db


def problem(client, url):
    response = client.get(url)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["type"] and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("query", "parameter", "detail"),
    [
        (
            "kind=tai_chi",
            "kind",
            "unknown kind 'tai_chi'; use one of diet, supplement, yoga, pranayama, sleep_hygiene.",
        ),
        ("goal=slep", "goal", "unknown goal 'slep'; known ones are listed at /api/v1/goals/."),
        ("page_size=0", "page_size", "a whole number from 1 to 100."),
        ("page_size=101", "page_size", "a whole number from 1 to 100."),
        ("page_size=ten", "page_size", "a whole number from 1 to 100."),
        ("page_size=-1", "page_size", "a whole number from 1 to 100."),
        (
            "cursor=abc",
            "cursor",
            "this cursor was not issued by this server; use 'next' or 'previous'.",
        ),
        ("kind=diet&kind=yoga", "kind", "give 'kind' once; it was given 2 times."),
        ("q=" + "a" * 201, "q", "at most 200 characters."),
        ("q=" + "+".join("w" * 11), "q", "at most 10 words."),
    ],
)
def test_a_bad_value_names_its_parameter(client, vocabulary, query, parameter, detail):
    body = problem(client, f"/api/v1/components/?{query}")
    assert body["errors"] == [{"parameter": parameter, "detail": detail}]


def test_every_bad_parameter_is_listed_at_once(client, vocabulary):
    body = problem(client, "/api/v1/components/?kind=x&goal=y&page_size=0&profile=zz")
    assert [e["parameter"] for e in body["errors"]] == ["kind", "goal", "page_size", "profile"]


def test_a_tampered_cursor_is_refused(client, publish):
    for n in range(3):
        publish(f"item-{n}")
    cursor = client.get("/api/v1/components/?page_size=1").json()["next"].split("cursor=")[1]
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    body = problem(client, f"/api/v1/components/?cursor={tampered}")
    assert body["errors"][0]["parameter"] == "cursor"


def test_unknown_parameters_are_ignored(client, vocabulary):
    assert client.get("/api/v1/components/?colour=blue&format=xml").status_code == 200


def test_details_ignore_list_parameters(client, publish):
    publish("child-pose")
    assert client.get("/api/v1/components/child-pose/?page_size=0").status_code == 200


def test_goal_and_kind_are_case_sensitive_slugs_but_goal_is_normalised(client, publish):
    publish("legs-up", goals=["sleep"])
    assert client.get("/api/v1/components/?goal=Sleep").json()["results"][0]["slug"] == "legs-up"
