"""Delta sync (docs/api.md): an initial sync of everything published, then only what changed,
each item once in its latest state; signed tokens; the same HTTP behaviour as elsewhere."""

import pytest
from django.core import signing
from django.test import override_settings

from content import workflow
from content.delivery import freshness
from content.delivery.tokens import SyncPosition, encode_token
from content.models import DeliveryKey, Version
from content.workflow import InteractionSpec
from tests import builders
from tests.openapi import assert_conforms, served_openapi

pytestmark = pytest.mark.django_db

URL = "/api/v1/sync/"


def sync(client, token=None, *, page_size=None, **headers):
    """Call until ``has_more`` is false, as an app does: (changes in order, last token, pages)."""
    changes, pages = [], 0
    while True:
        params = {k: v for k, v in {"token": token, "page_size": page_size}.items() if v}
        response = client.get(URL, params, **headers)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"changes", "next_token", "has_more", "reset", "disclaimer"}
        assert body["reset"] is False
        changes += body["changes"]
        token, pages = body["next_token"], pages + 1
        if not body["has_more"]:
            return changes, token, pages


def summary(changes):
    return [(c["type"], c["slug"], c["action"], c.get("data", {}).get("version")) for c in changes]


def served(client, type_, slug):
    body = client.get(f"/api/v1/{type_}s/{slug}/").json()
    del body["disclaimer"]
    return body


@pytest.fixture
def catalogue(publish, publish_plan):
    """Three live components, a plan of two of them, a withdrawn one and a draft."""
    versions = {slug: publish(slug) for slug in ["child-pose", "legs-up", "nadi"]}
    versions["gone"] = publish("gone")
    workflow.withdraw(version=versions["gone"], user=builders.ReviewerFactory(), reason="Old.")
    publish_plan("evening", [("child-pose", "evening"), ("legs-up", "bedtime")])
    return versions


def test_an_initial_sync_pages_through_everything_published_and_nothing_else(
    client, people, catalogue
):
    editor, _, _ = people
    builders.draft(editor, slug="only-a-draft")
    builders.in_review(editor, slug="in-review")
    changes, _, pages = sync(client, page_size=3)
    assert pages == 2
    assert summary(changes) == [
        ("component", "child-pose", "upsert", 1),
        ("plan", "evening", "upsert", 1),
        ("component", "legs-up", "upsert", 1),
        ("component", "nadi", "upsert", 1),
    ]
    # Each item exactly as its detail endpoint serves it (without the answer's disclaimer).
    for change in changes:
        assert change["data"] == served(client, change["type"], change["slug"])
        assert "disclaimer" not in change["data"]


def test_with_the_last_token_nothing_changed_is_nothing_sent(client, people, catalogue):
    editor, _, _ = people
    _, token, _ = sync(client)
    builders.draft(editor, slug="unpublished-work")  # not served, so not a change
    changes, again, pages = sync(client, token)
    assert (changes, pages) == ([], 1)
    assert sync(client, again)[0] == []


def test_a_republished_component_comes_once_with_every_plan_using_it(client, people, catalogue):
    editor, reviewer, second = people
    _, token, _ = sync(client)
    v2 = builders.republished(catalogue["legs-up"], editor, reviewer, second, title="Legs, v2")
    builders.republished(v2, editor, reviewer, second, title="Legs, v3")
    builders.republished(catalogue["nadi"], editor, reviewer, second, title="Nadi, v2")
    changes, _, _ = sync(client, token, page_size=1)
    assert summary(changes) == [
        ("plan", "evening", "upsert", 1),
        ("component", "legs-up", "upsert", 3),
        ("component", "nadi", "upsert", 2),
    ]
    plan = changes[0]["data"]
    assert [i["component"]["title"] for i in plan["items"]][1] == "Legs, v3"
    for change in changes:
        assert change["data"] == served(client, change["type"], change["slug"])


def test_a_withdrawal_is_a_delete_even_of_an_item_the_app_never_received(
    client, people, publish, catalogue
):
    _, reviewer, _ = people
    _, token, _ = sync(client)
    brief = publish("brief")
    workflow.withdraw(version=brief, user=reviewer, reason="Published by mistake.")
    workflow.withdraw(version=catalogue["nadi"], user=reviewer, reason="Under review.")
    changes, token, _ = sync(client, token)
    assert changes == [
        {"type": "component", "slug": "brief", "action": "delete"},
        {"type": "component", "slug": "nadi", "action": "delete"},
    ]


def test_a_plan_follows_its_components_out_and_back_in(client, people, catalogue):
    editor, reviewer, second = people
    _, token, _ = sync(client)
    workflow.withdraw(version=catalogue["child-pose"], user=reviewer, reason="Checking.")
    changes, token, _ = sync(client, token)
    assert summary(changes) == [
        ("component", "child-pose", "delete", None),
        ("plan", "evening", "upsert", 1),
    ]
    assert [i["component"]["slug"] for i in changes[1]["data"]["items"]] == ["legs-up"]
    # Its last component withdrawn, the plan is no longer served: a delete.
    workflow.withdraw(version=catalogue["legs-up"], user=reviewer, reason="Checking.")
    changes, token, _ = sync(client, token)
    assert summary(changes) == [
        ("plan", "evening", "delete", None),
        ("component", "legs-up", "delete", None),
    ]
    assert client.get("/api/v1/plans/evening/").status_code == 404
    # Nor is it in an initial sync, whatever the page size.
    for page_size in (1, 2, 20):
        fresh, _, _ = sync(client, page_size=page_size)
        assert [c["slug"] for c in fresh] == ["nadi"]
    # A new version of a component brings the plan back.
    withdrawn = Version.objects.get(item__slug="legs-up", state="withdrawn")
    builders.republished(withdrawn, editor, reviewer, second)
    changes, token, _ = sync(client, token)
    assert summary(changes) == [
        ("plan", "evening", "upsert", 1),
        ("component", "legs-up", "upsert", 2),
    ]
    assert changes[0]["data"] == served(client, "plan", "evening")


def test_a_component_that_names_another_changes_when_that_one_goes_live(
    client, people, publish, catalogue
):
    editor, reviewer, second = people
    tyrosine = builders.draft(editor, slug="l-tyrosine", kind="supplement")
    tryptophan = publish(
        "l-tryptophan",
        kind="supplement",
        interactions=(InteractionSpec("l-tyrosine", "separate", "Not in the same slot."),),
    )
    _, token, _ = sync(client)
    workflow.submit_for_review(version=tyrosine, user=editor)
    builders.approve_fully(Version.objects.get(pk=tyrosine.pk), reviewer, second)
    workflow.publish(version=Version.objects.get(pk=tyrosine.pk), user=reviewer)
    changes, _, _ = sync(client, token)
    assert summary(changes) == [
        ("component", "l-tryptophan", "upsert", tryptophan.number),
        ("component", "l-tyrosine", "upsert", 1),
    ]
    assert changes[0]["data"]["interactions"] == [
        {"component": "l-tyrosine", "severity": "separate", "note": "Not in the same slot."}
    ]


def test_what_changes_during_a_sync_comes_in_the_next_one(client, people, publish, catalogue):
    editor, reviewer, second = people
    first = client.get(URL, {"page_size": 2}).json()
    assert [c["slug"] for c in first["changes"]] == ["child-pose", "evening"]
    # Between two pages: a revision of an item already sent, a new item before the
    # position, and a withdrawal of an item not sent yet.
    builders.republished(catalogue["child-pose"], editor, reviewer, second, title="Pose v2")
    publish("a-new-one")
    workflow.withdraw(version=catalogue["nadi"], user=reviewer, reason="Checking.")
    rest, token, _ = sync(client, first["next_token"], page_size=2)
    assert summary(rest) == [("component", "legs-up", "upsert", 1)]
    later, _, _ = sync(client, token)
    assert summary(later) == [
        ("component", "a-new-one", "upsert", 1),
        ("component", "child-pose", "upsert", 2),
        ("plan", "evening", "upsert", 1),
        ("component", "nadi", "delete", None),
    ]


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "",
        encode_token(SyncPosition(since=1))[:-1] + "x",
        signing.Signer(salt="content.delivery.cursor").sign_object({"s": 1}, compress=True),
        signing.Signer(key="another-server", salt="content.delivery.sync-token").sign_object(
            {"s": 1}
        ),
    ],
    ids=["malformed", "empty", "tampered", "a-cursor", "foreign"],
)
def test_a_token_not_issued_by_this_server_is_a_400(client, catalogue, token):
    response = client.get(URL, {"token": token})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["errors"][0]["parameter"] == "token"


@pytest.mark.parametrize(
    "fields",
    [{"s": "1"}, {"s": -1}, {"a": "x"}, {}, {"s": 1, "x": 2}, {"s": 5, "u": 2}, [1]],
)
def test_a_signed_token_of_the_wrong_shape_is_a_400(client, catalogue, fields):
    signer = signing.Signer(salt="content.delivery.sync-token")
    response = client.get(URL, {"token": signer.sign_object(fields, compress=True)})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"parameter": "token", "detail": "this token is not valid here."}
    ]


def current_epoch(client):
    """The epoch the server is in, read from a token it issued."""
    token = client.get(URL).json()["next_token"]
    return signing.Signer(salt="content.delivery.sync-token").unsign_object(token)["e"]


@pytest.mark.parametrize(
    "position",
    [
        pytest.param(lambda epoch: SyncPosition(since=3, epoch="0" * 12), id="another-epoch"),
        pytest.param(lambda epoch: SyncPosition(since=3), id="issued-before-epochs"),
        pytest.param(
            lambda epoch: SyncPosition(since=2, upto=5, after="legs-up", epoch="0" * 12),
            id="mid-round-of-another-epoch",
        ),
        pytest.param(lambda epoch: SyncPosition(since=10**6, epoch=epoch), id="a-later-state"),
    ],
)
def test_a_token_of_before_a_restore_gets_an_initial_sync_with_reset(client, catalogue, position):
    initial, _, _ = sync(client)
    token = encode_token(position(current_epoch(client)))
    response = client.get(URL, {"token": token})
    assert response.status_code == 200
    body = response.json()
    assert body["reset"] is True
    assert summary(body["changes"]) == summary(initial)  # everything served, from the start
    # The token it gives continues as usual, in the server's epoch.
    changes, _, _ = sync(client, body["next_token"])
    assert changes == []


def test_a_reset_pages_like_an_initial_sync(client, catalogue):
    initial, _, _ = sync(client)
    stale = encode_token(SyncPosition(since=3, epoch="0" * 12))
    first = client.get(URL, {"token": stale, "page_size": 2}).json()
    assert (first["reset"], first["has_more"]) == (True, True)
    rest, _, _ = sync(client, first["next_token"], page_size=2)
    assert summary(first["changes"] + rest) == summary(initial)


def test_page_size_is_checked_and_other_parameters_ignored(client, catalogue):
    response = client.get(URL, {"page_size": "101", "token": "x"})
    assert response.status_code == 400
    assert [e["parameter"] for e in response.json()["errors"]] == ["page_size", "token"]
    assert client.get(URL, {"profile": "not-a-thing", "kind": "x"}).status_code == 200


def test_a_token_needs_no_state_on_the_server(client, people, catalogue, settings):
    editor, reviewer, second = people
    _, token, _ = sync(client)
    builders.republished(catalogue["nadi"], editor, reviewer, second)
    before = client.get(URL, {"token": token})
    # A restart (or another app server): no cached answer, nothing per client, same secret.
    freshness.restart_worker()
    after = client.get(URL, {"token": token})
    assert after.content == before.content and after["ETag"] == before["ETag"]
    # A rotated secret (deployed with a restart) keeps old tokens valid while the old key
    # is among the fallbacks.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-" + "x" * 30
    freshness.answers.clear()
    rotated = client.get(URL, {"token": token}).json()
    assert rotated["changes"] == before.json()["changes"] and rotated["changes"]
    settings.SECRET_KEY_FALLBACKS = []
    freshness.answers.clear()
    assert client.get(URL, {"token": token}).status_code == 400


def test_etag_304_head_and_keys_as_elsewhere(client, people, catalogue):
    editor, reviewer, second = people
    _, token, _ = sync(client)
    first = client.get(URL, {"token": token})
    assert first["ETag"].startswith('"') and first["Cache-Control"]
    assert client.get(URL, {"token": token}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    head = client.head(URL, {"token": token})
    assert (head.status_code, head.content, head["ETag"]) == (200, b"", first["ETag"])
    builders.republished(catalogue["nadi"], editor, reviewer, second)
    changed = client.get(URL, {"token": token}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]

    _, secret = DeliveryKey.objects.create_key(name="app", requests_per_minute=2)
    with override_settings(DELIVERY_ALLOW_ANONYMOUS=False):
        assert client.get(URL).status_code == 401
        assert client.get(URL, HTTP_AUTHORIZATION="Api-Key wrong.key").status_code == 401
        keyed = {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}
        assert [client.get(URL, **keyed).status_code for _ in range(3)] == [200, 200, 429]
        assert client.get(URL, **keyed)["Retry-After"]


def test_sync_answers_conform_to_the_schema(client, people, catalogue):
    _, reviewer, _ = people
    openapi = served_openapi(client)
    first = client.get(URL, {"page_size": 2}).json()
    assert_conforms(openapi, "SyncPage", first)
    _, token, _ = sync(client)
    workflow.withdraw(version=catalogue["nadi"], user=reviewer, reason="Checking.")
    delta = client.get(URL, {"token": token}).json()
    assert delta["changes"][0]["action"] == "delete"
    assert_conforms(openapi, "SyncPage", delta)
    operation = openapi["paths"]["/api/v1/sync/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"token", "page_size"}
    assert "400" in operation["responses"]
