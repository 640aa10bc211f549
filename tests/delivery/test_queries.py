"""The read path does a fixed number of SQL queries, whatever the page size or profile."""

import pytest

from content.models import DeliveryKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(publish):
    for n in range(12):
        publish(f"item-{n:02}", avoid=["ssri"] if n % 3 == 0 else (), caution=["pregnancy"])


@pytest.mark.parametrize("page_size", [1, 5, 100])
def test_a_list_is_one_query_at_any_page_size(
    client, catalogue, django_assert_num_queries, page_size
):
    with django_assert_num_queries(1):
        assert client.get(f"/api/v1/components/?page_size={page_size}").status_code == 200


@pytest.mark.parametrize("profile", ["ssri", "ssri,pregnancy", "ssri,pregnancy,glaucoma"])
def test_a_personalised_list_is_two_queries_for_any_profile(
    client, catalogue, django_assert_num_queries, profile
):
    # One to resolve the profile against the vocabulary, one for the page.
    with django_assert_num_queries(2):
        assert client.get(f"/api/v1/components/?profile={profile}&page_size=50").status_code == 200


def test_filters_and_cursor_add_no_query_beyond_resolving_the_goal(
    client, catalogue, django_assert_num_queries
):
    next_url = client.get("/api/v1/components/?page_size=2").json()["next"]
    with django_assert_num_queries(1):
        client.get(next_url)
    with django_assert_num_queries(2):  # goal slug -> id, then the page
        client.get("/api/v1/components/?goal=sleep&kind=yoga&q=item+component")


@pytest.mark.parametrize("profile", ["", "?profile=ssri", "?profile=ssri,pregnancy,glaucoma"])
def test_a_detail_and_its_304_are_one_query_plus_the_profile(
    client, catalogue, django_assert_num_queries, profile
):
    url = f"/api/v1/components/item-01/{profile}"
    expected = 2 if profile else 1
    with django_assert_num_queries(expected):
        etag = client.get(url)["ETag"]
    with django_assert_num_queries(expected):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_api_key_costs_one_query(client, catalogue, django_assert_num_queries):
    _, secret = DeliveryKey.objects.create_key(name="app")
    with django_assert_num_queries(2):
        client.get("/api/v1/components/", HTTP_AUTHORIZATION=f"Api-Key {secret}")


def test_history_and_versions_are_one_query(client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/api/v1/components/item-01/versions/")
    with django_assert_num_queries(1):
        client.get("/api/v1/components/item-01/versions/1/")
