"""The served OpenAPI document describes the real answers, and the docs work offline."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from content.kinds import Kind
from tests.openapi import DELIVERY_PATHS, assert_conforms, served_openapi, validator

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client):
    return served_openapi(client)


def test_the_schema_lists_every_endpoint_of_api_md(openapi):
    assert set(openapi["paths"]) >= set(DELIVERY_PATHS)


def test_each_operation_says_what_it_answers_for_app_developers(openapi):
    """Each operation is described for the people who build apps on it, not by a docstring
    of the code behind it."""
    views = (Path(__file__).resolve().parents[2] / "content" / "delivery" / "views.py").read_text()
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            description = operation.get("description", "")
            assert len(description) > 40, (path, method)
            assert description.split("\n")[0] not in views, (path, method)


def test_each_kind_has_its_details_shape_in_the_schema(openapi):
    schemas = openapi["components"]["schemas"]
    mapping = schemas["Component"]["discriminator"]["mapping"]
    assert set(mapping) == set(Kind.values)
    supplement = schemas["ComponentSupplement"]["properties"]["details"]
    assert supplement["required"] == ["dose", "timing", "form", "max_daily", "with_food"]
    assert supplement["properties"]["dose"]["properties"]["unit"]["enum"] == [
        "mg",
        "g",
        "mcg",
        "IU",
        "ml",
    ]
    # The admin's form keywords (a multi-line step) stay out of what app developers read.
    yoga = schemas["ComponentYoga"]["properties"]["details"]
    assert yoga["properties"]["steps"]["items"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 500,
    }
    assert "widget" not in str(openapi)


def test_parameters_carry_their_limits(openapi):
    parameters = {
        p["name"]: p for p in openapi["paths"]["/api/v1/components/"]["get"]["parameters"]
    }
    assert parameters["page_size"]["schema"]["minimum"] == 1
    assert parameters["page_size"]["schema"]["maximum"] == 100
    assert parameters["profile"]["schema"]["maxItems"] == 50
    assert sorted(parameters["kind"]["schema"]["enum"]) == sorted(Kind.values)


def test_errors_are_described_as_problem_details(openapi):
    responses = openapi["paths"]["/api/v1/components/{slug}/"]["get"]["responses"]
    for status in ("400", "401", "404", "429"):
        assert list(responses[status]["content"]) == ["application/problem+json"]
    assert "304" in responses


def test_real_answers_conform_to_the_schema(client, openapi, publish):
    publish("glycine-bedtime", kind="supplement", caution=["pregnancy"], goals=["sleep"])
    publish("bone-broth", kind="diet")
    publish("legs-up", kind="yoga", avoid=["glaucoma"])
    publish("nadi-shodhana", kind="pranayama")
    publish("fixed-wake-time", kind="sleep_hygiene")
    for url, name in [
        ("/api/v1/components/", "ComponentPage"),
        ("/api/v1/components/?profile=pregnancy&page_size=2", "ComponentPage"),
        ("/api/v1/components/glycine-bedtime/", "Component"),
        ("/api/v1/components/legs-up/?profile=glaucoma", "Component"),
        ("/api/v1/components/bone-broth/versions/", "ComponentHistory"),
        ("/api/v1/components/bone-broth/versions/1/", "Component"),
        ("/api/v1/contraindications/", "ContraindicationList"),
        ("/api/v1/goals/", "GoalList"),
        ("/api/v1/components/?profile=nope", "Problem"),
        ("/api/v1/components/nope/", "Problem"),
    ]:
        assert_conforms(openapi, name, client.get(url).json())


def test_a_component_of_the_wrong_shape_does_not_conform(openapi, client, publish):
    publish("glycine-bedtime", kind="supplement")
    item = client.get("/api/v1/components/glycine-bedtime/").json()
    del item["details"]["dose"]
    assert list(validator(openapi, "Component").iter_errors(item))


def test_the_docs_page_loads_without_internet(client):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, "the docs page references its scripts"
    assert not [s for s in sources if s.startswith(("http://", "https://", "//"))]
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source


def test_every_route_the_server_has_is_documented_or_is_the_admin(openapi, client):
    """An inventory (OWASP API9): nothing is served that the schemas leave out (the delivery
    API's, and the editorial API's own for /api/manage/), but for the schemas and docs
    themselves, the admin and its static files, and the rendition files (the documents give
    their URLs)."""
    from django.urls import get_resolver

    editorial = client.get("/api/manage/v1/schema/", headers={"Accept": "application/json"})
    paths = [*openapi["paths"], *editorial.json()["paths"]]
    assert not any(path.startswith("/api/manage/") for path in openapi["paths"])

    def routes(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from routes(pattern.url_patterns, route)
            else:
                yield route

    documented = {re.sub(r"\{(\w+)\}", r"<\1>", path).lstrip("/") for path in paths}
    served = {
        re.sub(r"<\w+:(\w+)>", r"<\1>", route) for route in routes(get_resolver().url_patterns)
    }
    undocumented = {
        route
        for route in served - documented
        if not route.startswith("admin/")
        and route not in {"api/schema/", "api/docs/", "api/manage/v1/schema/"}
    }
    renditions = {route for route in undocumented if route.startswith("^media/")}
    assert renditions == {"^media/(?P<path>renditions/.+)$"}
    undocumented -= renditions
    assert undocumented == set()
    assert documented <= served
