"""One JSON line per request: what an operator needs, and nothing secret."""

import io
import json
import logging
import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from content.models import DeliveryKey
from recovery.logs import JsonFormatter, RequestIdFilter, current_request_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_lines():
    """The JSON lines ``recovery.requests`` writes, as production settings configure it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("recovery.requests")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_each_request_is_one_line_with_status_duration_and_key_prefix(client, request_lines):
    call_command("load_demo", stdout=io.StringIO())
    api_key, secret = DeliveryKey.objects.create_key(name="Sleep app")
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}
    client.get("/api/v1/components/?profile=pregnancy,ssri&page_size=5", **auth)
    client.get("/api/v1/components/no-such-thing/", **auth)
    client.get("/api/v1/goals/", HTTP_AUTHORIZATION="Api-Key wrong.key", HTTP_X_REQUEST_ID="r-42")

    first, missing, refused = request_lines()
    assert first["message"] == "request"
    assert (first["method"], first["path"], first["status"]) == ("GET", "/api/v1/components/", 200)
    assert first["params"] == ["page_size", "profile"]
    assert first["api_key"] == api_key.prefix
    assert isinstance(first["duration_ms"], float)
    assert first["bytes"] > 1000
    assert (missing["status"], missing["api_key"]) == (404, api_key.prefix)
    assert (refused["status"], refused["api_key"], refused["request_id"]) == (401, None, "r-42")

    everything = json.dumps(request_lines())
    assert secret not in everything
    assert secret.partition(".")[2] not in everything
    # A profile is the end user's health information: its values are never logged.
    assert "pregnancy" not in everything
    assert "ssri" not in everything


def test_the_admin_user_is_logged_by_id(client, request_lines, superuser):
    client.force_login(superuser)
    client.get("/admin/")
    (line,) = request_lines()
    assert (line["path"], line["status"], line["user"]) == ("/admin/", 200, superuser.pk)
    assert "sessionid" not in json.dumps(line)


def test_the_client_address_is_the_one_the_trusted_proxy_saw(client, request_lines):
    behind_balancer = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.5"}
    with override_settings(TRUSTED_PROXIES=1):
        client.get("/admin/login/", **behind_balancer)
    with override_settings(TRUSTED_PROXIES=0):
        client.get("/admin/login/", **behind_balancer)
    assert [line["client"] for line in request_lines()] == ["203.0.113.5", "10.0.0.1"]


def test_errors_are_json_lines_with_their_traceback():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "boom %s", ("x",), None
    )
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["logger"], line["message"]) == ("ERROR", "django.request", "boom x")
    assert "ValueError: broken" in line["exception"]


def test_a_request_with_too_many_parameters_is_a_400_problem_and_logged(client, request_lines):
    response = client.get("/api/v1/components/?" + "&".join(["profile=pregnancy"] * 1001))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "Too many query parameters" in response.json()["detail"]
    (line,) = request_lines()
    assert (line["status"], line["params"]) == (400, None)


def test_a_preview_links_token_is_never_logged(client, request_lines, caplog):
    token = "eyJsIjoiYWJjIn0:1vxyz:secretsignature"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        answer = client.get(f"/api/v1/preview/{token}/")
    assert answer.status_code == 403
    (line,) = request_lines()
    assert line["path"] == "/api/v1/preview/<token>/"
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "/api/v1/preview/<token>/" in logged and token not in logged


def test_a_request_id_is_kept_or_made_echoed_and_on_every_line_of_the_request(
    client, request_lines
):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    django_request = logging.getLogger("django.request")
    django_request.addHandler(handler)
    try:
        kept = client.get("/api/v1/goals/", HTTP_X_REQUEST_ID="trace-7f3a")
        made = client.get("/api/v1/goals/", HTTP_X_REQUEST_ID="not an id; <script>")
        missing = client.get("/api/v1/components/no-such-thing/")
    finally:
        django_request.removeHandler(handler)
    assert kept["X-Request-ID"] == "trace-7f3a"
    assert re.fullmatch(r"[0-9a-f]{32}", made["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", missing["X-Request-ID"])
    assert [line["request_id"] for line in request_lines()] == [
        "trace-7f3a",
        made["X-Request-ID"],
        missing["X-Request-ID"],
    ]
    # Django's own line about the 404 carries the id of the request it is about.
    (warning,) = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert warning["logger"] == "django.request"
    assert warning["request_id"] == missing["X-Request-ID"]
    assert current_request_id.get() is None  # forgotten once the answer is closed
