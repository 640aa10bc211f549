"""Checking answers against the OpenAPI document the project serves."""

from jsonschema import Draft202012Validator

OPENAPI_JSON = "application/vnd.oai.openapi+json"
#: Every delivery operation of docs/api.md, as the served document names its path.
DELIVERY_PATHS = [
    "/api/v1/components/",
    "/api/v1/components/{slug}/",
    "/api/v1/components/{slug}/versions/",
    "/api/v1/components/{slug}/versions/{number}/",
    "/api/v1/contraindications/",
    "/api/v1/goals/",
    "/api/v1/locales/",
    "/api/v1/plans/",
    "/api/v1/plans/{slug}/",
    "/api/v1/sync/",
    "/api/v1/preview/{token}/",
]


def served_openapi(client) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT=OPENAPI_JSON)
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    return document


def validator(openapi, name):
    schema = {"$ref": f"#/components/schemas/{name}", "components": openapi["components"]}
    return Draft202012Validator(schema)


def assert_conforms(openapi, name, instance):
    errors = [e.message for e in validator(openapi, name).iter_errors(instance)]
    assert errors == []
