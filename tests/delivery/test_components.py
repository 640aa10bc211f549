"""The component endpoints of docs/api.md: lists, details, history, versions, and what
never leaks."""

import pytest

from content import workflow
from content.workflow import VersionContent
from tests import builders

pytestmark = pytest.mark.django_db


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(client, url):
    return [item["slug"] for item in results(client, url)]


def test_a_published_component_is_served_as_api_md_shows(client, publish, people):
    version = publish(
        "glycine-bedtime",
        kind="supplement",
        title="Glycine before bed",
        summary="3 g of glycine 30 to 60 minutes before sleep.",
        body="Dissolve **3 g** in water.",
        goals=["sleep"],
        caution=["pregnancy"],
        evidence_level="B",
    )
    item = client.get("/api/v1/components/glycine-bedtime/").json()
    assert item["type"] == "component"
    assert (item["slug"], item["kind"], item["version"]) == ("glycine-bedtime", "supplement", 1)
    assert item["title"] == "Glycine before bed"
    assert item["body_markdown"] == "Dissolve **3 g** in water."
    assert item["body_html"] == "<p>Dissolve <strong>3 g</strong> in water.</p>\n"
    assert item["details"]["dose"] == {"amount": 3, "unit": "g"}
    assert item["goals"] == ["sleep"]
    assert item["contraindications"] == [
        {
            "slug": "pregnancy",
            "name": "Pregnancy",
            "severity": "caution",
            "note": "Careful with pregnancy.",
        }
    ]
    assert item["citations"] == [
        {
            "title": "Yamadera et al. 2007, Sleep and Biological Rhythms",
            "doi": "10.1111/j.1479-8425.2007.00262.x",
            "pmid": None,
            "url": None,
        }
    ]
    assert item["evidence_level"] == "B"
    _, reviewer, second = people
    assert item["review"]["reviewers"] == [
        {"name": reviewer.reviewer_profile.display_name, "credentials": "RD"},
        {"name": second.reviewer_profile.display_name, "credentials": "RD"},
    ]
    assert item["review"]["next_review_due"] == version.next_review_due.isoformat()
    assert item["published_at"].endswith("Z")
    assert "suitability" not in item


def test_interactions_name_the_other_component(client, publish, people):
    publish("l-tyrosine-morning", kind="supplement")
    publish(
        "l-tryptophan-evening",
        kind="supplement",
        interactions=(
            {"component": "l-tyrosine-morning", "severity": "separate", "note": "LAT1."},
        ),
    )
    item = client.get("/api/v1/components/l-tryptophan-evening/").json()
    assert item["interactions"] == [
        {"component": "l-tyrosine-morning", "severity": "separate", "note": "LAT1."}
    ]


def test_interactions_never_name_an_unpublished_component(client, publish, people):
    editor, reviewer, _ = people
    tyrosine = builders.draft(editor, slug="l-tyrosine-morning", kind="supplement")
    publish(
        "l-tryptophan-evening",
        kind="supplement",
        interactions=(
            {"component": "l-tyrosine-morning", "severity": "separate", "note": "LAT1."},
        ),
    )
    url = "/api/v1/components/l-tryptophan-evening/"
    assert client.get(url).json()["interactions"] == []
    assert b"l-tyrosine-morning" not in client.get("/api/v1/components/").content
    # Once the other component is published, the interaction appears; withdrawn, it goes.
    tyrosine = workflow.submit_for_review(version=tyrosine, user=editor)
    live = workflow.publish(version=builders.approve_fully(tyrosine, reviewer), user=reviewer)
    assert [i["component"] for i in client.get(url).json()["interactions"]] == [
        "l-tyrosine-morning"
    ]
    workflow.withdraw(version=live, user=reviewer, reason="Checking.")
    assert client.get(url).json()["interactions"] == []


def test_list_filters_by_kind_goal_and_words(client, publish):
    publish("legs-up-the-wall", kind="yoga", goals=["sleep"], title="Legs up the wall")
    publish("bhramari", kind="pranayama", goals=["stress"], title="Humming bee breath")
    publish("nadi-shodhana", kind="pranayama", goals=["sleep", "stress"], title="Alternate nostril")
    assert slugs(client, "/api/v1/components/") == ["bhramari", "legs-up-the-wall", "nadi-shodhana"]
    assert slugs(client, "/api/v1/components/?kind=pranayama") == ["bhramari", "nadi-shodhana"]
    assert slugs(client, "/api/v1/components/?goal=sleep") == ["legs-up-the-wall", "nadi-shodhana"]
    assert slugs(client, "/api/v1/components/?kind=yoga&goal=stress") == []
    assert slugs(client, "/api/v1/components/?q=BEE+breath") == ["bhramari"]
    assert slugs(client, "/api/v1/components/?q=nostril+bee") == []


def test_words_match_the_summary_too(client, publish):
    publish("fixed-wake-time", kind="sleep_hygiene", summary="Get up at the same time daily.")
    assert slugs(client, "/api/v1/components/?q=same") == ["fixed-wake-time"]


def test_cursor_pagination_walks_forward_and_back(client, publish):
    for n in range(5):
        publish(f"item-{n}")
    first = client.get("/api/v1/components/?page_size=2").json()
    assert [i["slug"] for i in first["results"]] == ["item-0", "item-1"]
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [i["slug"] for i in second["results"]] == ["item-2", "item-3"]
    third = client.get(second["next"]).json()
    assert [i["slug"] for i in third["results"]] == ["item-4"]
    assert third["next"] is None
    back = client.get(third["previous"]).json()
    assert [i["slug"] for i in back["results"]] == ["item-2", "item-3"]
    start = client.get(back["previous"]).json()
    assert [i["slug"] for i in start["results"]] == ["item-0", "item-1"]
    assert start["previous"] is None


def test_next_links_keep_the_filters(client, publish):
    for n in range(3):
        publish(f"breath-{n}", kind="pranayama")
    publish("a-pose", kind="yoga")
    first = client.get("/api/v1/components/?kind=pranayama&page_size=2").json()
    assert "kind=pranayama" in first["next"]
    assert [i["slug"] for i in client.get(first["next"]).json()["results"]] == ["breath-2"]


def test_nothing_unpublished_ever_appears(client, people, vocabulary):
    editor, reviewer, _ = people
    builders.draft(editor, slug="in-draft")
    builders.in_review(editor, slug="in-review")
    builders.approved(editor, reviewer, slug="approved-only")
    sent_back = builders.in_review(editor, slug="sent-back")
    workflow.request_changes(version=sent_back, user=reviewer, comment="No.")
    gone = builders.published(editor, reviewer, slug="withdrawn")
    workflow.withdraw(version=gone, user=reviewer, reason="Safety.")
    builders.published(editor, reviewer, slug="live")

    assert slugs(client, "/api/v1/components/") == ["live"]
    for slug in ["in-draft", "in-review", "approved-only", "sent-back", "withdrawn"]:
        for url in [
            f"/api/v1/components/{slug}/",
            f"/api/v1/components/{slug}/versions/",
            f"/api/v1/components/{slug}/versions/1/",
        ]:
            response = client.get(url)
            assert response.status_code == 404, url
            # A 304 never confirms what a client could not read.
            assert client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 404


def test_a_draft_slug_gets_the_same_404_as_one_that_never_existed(client, people):
    editor, _, _ = people
    builders.draft(editor, slug="secret-draft")
    draft = client.get("/api/v1/components/secret-draft/").json()
    never = client.get("/api/v1/components/never-was/").json()
    assert draft["detail"] == "No published component has the slug 'secret-draft'."
    assert never["detail"] == "No published component has the slug 'never-was'."
    assert {k: v for k, v in draft.items() if k != "detail"} == {
        k: v for k, v in never.items() if k != "detail"
    }


def test_an_edit_after_approval_never_reaches_the_api_until_reviewed(client, people):
    editor, reviewer, second = people
    live = builders.published(editor, reviewer, slug="child-pose", title="Child's pose")
    draft = workflow.revise(version=live, user=editor)
    content = workflow.read_content(draft)
    changed = VersionContent(**{**content.__dict__, "title": "Changed, unreviewed"})
    draft = workflow.edit_draft(version=draft, user=editor, content=changed, expected_edit_count=0)
    submitted = workflow.submit_for_review(version=draft, user=editor)
    builders.approve_fully(submitted, second)
    # Approved but not published: the API still serves version 1.
    item = client.get("/api/v1/components/child-pose/").json()
    assert (item["version"], item["title"]) == (1, "Child's pose")
    workflow.publish(version=submitted, user=reviewer)
    item = client.get("/api/v1/components/child-pose/").json()
    assert (item["version"], item["title"]) == (2, "Changed, unreviewed")


def test_a_withdrawn_component_disappears_at_once(client, publish, people):
    _, reviewer, _ = people
    version = publish("kapalabhati", kind="pranayama")
    assert client.get("/api/v1/components/kapalabhati/").status_code == 200
    workflow.withdraw(version=version, user=reviewer, reason="New safety signal.")
    assert client.get("/api/v1/components/kapalabhati/").status_code == 404
    assert slugs(client, "/api/v1/components/") == []


def test_history_lists_publications_newest_first(client, people):
    editor, reviewer, _ = people
    first = builders.published(editor, reviewer, slug="yoga-nidra", change_note="First.")
    second = builders.republished(first, editor, reviewer, change_note="Clearer steps.")
    history = client.get("/api/v1/components/yoga-nidra/versions/").json()
    first.refresh_from_db()
    assert history["results"] == [
        {
            "version": 2,
            "published_at": second.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "superseded_at": None,
            "change_note": "Clearer steps.",
        },
        {
            "version": 1,
            "published_at": first.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "superseded_at": first.superseded_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "change_note": "First.",
        },
    ]


def test_a_superseded_version_is_served_only_by_number(client, people):
    editor, reviewer, _ = people
    first = builders.published(editor, reviewer, slug="bone-broth", title="Old")
    builders.republished(first, editor, reviewer, title="New")
    assert client.get("/api/v1/components/bone-broth/").json()["title"] == "New"
    assert client.get("/api/v1/components/bone-broth/versions/1/").json()["title"] == "Old"
    assert [i["title"] for i in results(client, "/api/v1/components/")] == ["New"]


def test_versions_never_published_are_404_by_number(client, people):
    editor, reviewer, _ = people
    first = builders.published(editor, reviewer, slug="screen-curfew")
    draft = workflow.revise(version=first, user=editor)
    workflow.submit_for_review(version=draft, user=editor)
    assert client.get("/api/v1/components/screen-curfew/versions/2/").status_code == 404
    assert client.get("/api/v1/components/screen-curfew/versions/7/").status_code == 404
    huge = client.get("/api/v1/components/screen-curfew/versions/99999999999999999999/")
    assert huge.status_code == 404


def test_a_withdrawn_version_is_not_in_the_history_of_a_later_one(client, people):
    editor, reviewer, _ = people
    first = builders.published(editor, reviewer, slug="caffeine-cut-off")
    workflow.withdraw(version=first, user=reviewer, reason="Wrong time.")
    draft = workflow.revise(version=first, user=editor)
    live = builders.approve_fully(workflow.submit_for_review(version=draft, user=editor), reviewer)
    workflow.publish(version=live, user=reviewer)
    history = client.get("/api/v1/components/caffeine-cut-off/versions/").json()["results"]
    assert [h["version"] for h in history] == [2]
    assert client.get("/api/v1/components/caffeine-cut-off/versions/1/").status_code == 404


def test_vocabularies_are_served_whole(client, vocabulary):
    vocabulary["pregnancy"].codes = [{"system": "http://snomed.info/sct", "code": "77386006"}]
    vocabulary["pregnancy"].save()
    contraindications = results(client, "/api/v1/contraindications/")
    assert [c["slug"] for c in contraindications] == ["glaucoma", "pregnancy", "ssri"]
    pregnancy = contraindications[1]
    assert pregnancy == {
        "slug": "pregnancy",
        "name": "Pregnancy",
        "category": "condition",
        "description": "A condition for tests.",
        "codes": [{"system": "http://snomed.info/sct", "code": "77386006"}],
        "aliases": [],
    }
    assert results(client, "/api/v1/goals/") == [
        {"slug": "sleep", "name": "Sleep", "description": ""},
        {"slug": "stress", "name": "Stress", "description": ""},
    ]
