"""The read path does a fixed number of SQL queries, whatever the page size or profile.

Every request reads the delivery generation (one query). A worker that has already answered
the same URL in the same generation reuses that answer: one query in all. Otherwise the
answer costs the generation plus a fixed number of reads, and, once per worker and
generation, the locales (to know which one a request asks for). In any locale, the same.
"""

import pytest

from content import workflow
from content.models import DeliveryKey, Version
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish(people):
    """A second locale, so that choosing one is not free by having only one."""
    workflow.add_locale(user=people[1], code="es", name="Español")


@pytest.fixture
def catalogue(publish):
    for n in range(12):
        publish(f"item-{n:02}", avoid=["ssri"] if n % 3 == 0 else (), caution=["pregnancy"])


@pytest.mark.parametrize("locale", ["", "&locale=es"])
@pytest.mark.parametrize("page_size", [1, 5, 100])
def test_a_list_is_three_queries_at_any_page_size_then_one(
    client, catalogue, spanish, django_assert_num_queries, page_size, locale
):
    url = f"/api/v1/components/?page_size={page_size}{locale}"
    with django_assert_num_queries(3):  # generation, locales, page
        assert client.get(url).status_code == 200
    with django_assert_num_queries(1):  # generation
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("language", [{}, {"HTTP_ACCEPT_LANGUAGE": "es-MX, en;q=0.5"}])
@pytest.mark.parametrize("profile", ["ssri", "ssri,pregnancy", "ssri,pregnancy,glaucoma"])
def test_a_personalised_list_is_four_queries_for_any_profile(
    client, catalogue, spanish, django_assert_num_queries, profile, language
):
    url = f"/api/v1/components/?profile={profile}&page_size=50"
    with django_assert_num_queries(4):  # generation, locales, profile, page
        assert client.get(url, **language).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(url, **language).status_code == 200


def test_filters_and_cursor_add_no_query_beyond_resolving_the_goal(
    client, catalogue, django_assert_num_queries
):
    next_url = client.get("/api/v1/components/?page_size=2").json()["next"]
    with django_assert_num_queries(2):  # (the locales were read for the first page)
        client.get(next_url)
    with django_assert_num_queries(3):  # generation, goal slug, page
        client.get("/api/v1/components/?goal=sleep&kind=yoga&q=item+component")


@pytest.mark.parametrize("locale", ["", "locale=es&"])
@pytest.mark.parametrize("profile", ["", "profile=ssri", "profile=ssri,pregnancy,glaucoma"])
def test_a_detail_then_its_304(
    client, catalogue, spanish, django_assert_num_queries, profile, locale
):
    url = f"/api/v1/components/item-01/?{locale}{profile}"
    with django_assert_num_queries(4 if profile else 3):  # generation, locales, (profile,) item
        etag = client.get(url)["ETag"]
    with django_assert_num_queries(1):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_api_key_is_checked_once_per_keys_generation(
    client, catalogue, django_assert_num_queries
):
    _, secret = DeliveryKey.objects.create_key(name="app")
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}
    with django_assert_num_queries(4):  # generation, key, locales, page
        client.get("/api/v1/components/", **auth)
    with django_assert_num_queries(1):
        client.get("/api/v1/components/", **auth)


def test_history_and_versions_are_two_queries(client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(3):  # generation, locales (once), history
        client.get("/api/v1/components/item-01/versions/")
    with django_assert_num_queries(2):
        client.get("/api/v1/components/item-01/versions/1/")


def test_a_publication_makes_the_next_answer_fresh(
    client, catalogue, people, django_assert_num_queries
):
    _, reviewer, _ = people
    client.get("/api/v1/components/")
    workflow.withdraw(
        version=Version.objects.get(item__slug="item-01", state="published"),
        user=reviewer,
        reason="Safety.",
    )
    with django_assert_num_queries(3):  # the cached answer is not reused; a new generation
        slugs = [i["slug"] for i in client.get("/api/v1/components/").json()["results"]]
    assert "item-01" not in slugs


@pytest.mark.parametrize("page_size", [1, 5, 100])
def test_an_initial_sync_page_is_two_queries_then_one(
    client, catalogue, django_assert_num_queries, page_size
):
    url = f"/api/v1/sync/?page_size={page_size}"
    with django_assert_num_queries(3):  # generation, locales, documents
        assert client.get(url).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_an_initial_sync_page_reads_plan_components_only_for_plans_on_it(
    client, catalogue, publish_plan, django_assert_num_queries
):
    publish_plan("item-00-plan", [("item-01", "morning")])  # the item after the first page
    with django_assert_num_queries(3):  # generation, locales, documents
        assert client.get("/api/v1/sync/?page_size=1").json()["has_more"]
    with django_assert_num_queries(3):  # + the plan's components
        assert len(client.get("/api/v1/sync/?page_size=2").json()["changes"]) == 2


@pytest.mark.parametrize("page_size", [1, 5, 100])
def test_a_delta_sync_page_is_three_queries_four_with_plans(
    client, people, catalogue, publish_plan, django_assert_num_queries, page_size
):
    editor, reviewer, second = people
    token = client.get("/api/v1/sync/?page_size=100").json()["next_token"]
    for n in range(0, 12, 2):
        live = Version.objects.get(item__slug=f"item-{n:02}", state="published")
        builders.republished(live, editor, reviewer, second)
    url = f"/api/v1/sync/?page_size={page_size}&token={token}"
    with django_assert_num_queries(4):  # generation, locales, changed items, their documents
        assert len(client.get(url).json()["changes"]) == min(page_size, 6)
    publish_plan("a-plan", [("item-01", "morning"), ("item-02", "evening")])
    with django_assert_num_queries(5):  # + the plan's components
        assert client.get(url).status_code == 200
