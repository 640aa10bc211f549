"""HTTP behaviour: ETags, 304s, HEAD, Cache-Control and problem details for every error."""

import pytest

from content import workflow
from tests import builders

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/components/",
    "/api/v1/components/?profile=pregnancy",
    "/api/v1/components/child-pose/",
    "/api/v1/components/child-pose/?profile=pregnancy",
    "/api/v1/components/child-pose/versions/",
    "/api/v1/components/child-pose/versions/1/",
    "/api/v1/contraindications/",
    "/api/v1/goals/",
    "/api/v1/sync/",
    "/api/v1/sync/?page_size=1",
]


@pytest.fixture
def child_pose(publish):
    return publish("child-pose", caution=["pregnancy"])


@pytest.mark.parametrize("url", URLS)
def test_every_200_has_a_strong_etag_and_cache_control(client, child_pose, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    # A CDN may keep it a minute, and bridge a short outage of ours with it.
    assert response["Cache-Control"] == (
        "public, max-age=60, stale-while-revalidate=30, stale-if-error=300"
    )
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", URLS)
def test_if_none_match_with_the_current_etag_gives_an_empty_304(client, child_pose, url):
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_head_works_wherever_get_does(client, child_pose, url):
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.content))


def test_the_etag_changes_when_and_only_when_the_answer_changes(client, people, child_pose):
    editor, reviewer, _ = people
    before = {url: client.get(url)["ETag"] for url in URLS}
    # Unrelated work in the workflow changes nothing the API serves.
    builders.draft(editor, slug="another-draft")
    assert {url: client.get(url)["ETag"] for url in URLS} == before
    # A new published version changes the list and the detail.
    builders.republished(child_pose, editor, reviewer, title="Child's pose, revised")
    after = {url: client.get(url)["ETag"] for url in URLS}
    assert after["/api/v1/components/"] != before["/api/v1/components/"]
    assert after["/api/v1/components/child-pose/"] != before["/api/v1/components/child-pose/"]
    # Version 1 as published is still the same answer.
    v1 = "/api/v1/components/child-pose/versions/1/"
    assert after[v1] == before[v1]


def test_404_405_are_problem_details(client, child_pose):
    for response, status in [
        (client.get("/api/v1/components/nope/"), 404),
        (client.get("/api/v1/nothing-here/"), 404),
        (client.post("/api/v1/components/"), 405),
        (client.delete("/api/v1/components/child-pose/"), 405),
    ]:
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == status
        assert body["type"] == "about:blank"
        assert body["title"] in {"Not Found", "Method Not Allowed"}
        assert body["detail"]


def test_an_unexpected_error_is_a_500_problem_that_reveals_nothing(client, child_pose, monkeypatch):
    def broken(slug):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("content.delivery.selectors.live_component", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/components/child-pose/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "Something went wrong on our side; it has been logged.",
    }
    assert b"hunter2" not in response.content


def test_a_withdrawal_is_seen_by_a_client_revalidating_its_etag(client, people, child_pose):
    _, reviewer, _ = people
    etag = client.get("/api/v1/components/child-pose/")["ETag"]
    workflow.withdraw(version=child_pose, user=reviewer, reason="Safety.")
    response = client.get("/api/v1/components/child-pose/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 404


def test_json_is_utf8(client, publish):
    publish("nadi-shodhana", title="Nāḍī śodhana")
    response = client.get("/api/v1/components/nadi-shodhana/")
    assert "Nāḍī śodhana".encode() in response.content


def test_a_paginated_answer_keeps_its_etag_over_time(client, publish):
    import time_machine

    for n in range(3):
        publish(f"item-{n}")
    url = "/api/v1/components/?page_size=1"
    with time_machine.travel("2026-11-21 10:00:00Z", tick=False):
        now = client.get(url)
    with time_machine.travel("2026-11-22 18:30:00Z", tick=False):
        later = client.get(url)
    assert now.content == later.content and now["ETag"] == later["ETag"]


def test_a_vocabulary_change_is_served_at_once(client, vocabulary, child_pose):
    before = client.get("/api/v1/contraindications/").json()["results"]
    pregnancy = vocabulary["pregnancy"]
    pregnancy.description = "Pregnant, or trying to become pregnant."
    pregnancy.save()
    after = client.get("/api/v1/contraindications/").json()["results"]
    assert before != after
    assert after[1]["description"] == "Pregnant, or trying to become pregnant."


@pytest.mark.parametrize("url", [*URLS, "/api/v1/plans/"])
def test_every_answer_carries_the_medical_disclaimer_once(client, child_pose, url, settings):
    settings.CONTENT_DISCLAIMER = "Educational content only; ask a professional."
    body = client.get(url).json()
    assert body["disclaimer"] == "Educational content only; ask a professional."
    # Once, on the answer: not repeated on every item of a list.
    assert all("disclaimer" not in item for item in body.get("results", []))
