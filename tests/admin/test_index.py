"""The admin's home page for the person logged in: what waits for their review, their drafts
and versions sent back, the items flagged or overdue for review, their recent work; the
site's name and its "View site" link; and the change lists' flagged column."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from content import workflow
from content.kinds import Kind
from content.models import AuditEntry
from tests import builders
from tests.factories import EditorFactory, ReviewerFactory, UserFactory, plan_item

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


@pytest.fixture
def team():
    return (
        EditorFactory(is_staff=True),
        ReviewerFactory(is_staff=True),
        ReviewerFactory(is_staff=True),
    )


def text_of(html: str, element_id: str) -> str:
    """The text of the element with ``element_id``, its tags removed and spaces collapsed."""
    found = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert found, f"no #{element_id} on the page"
    return " ".join(re.sub(r"<[^>]+>", "", found.group(2)).split())


def home(client, user) -> str:
    client.force_login(user)
    page = client.get(INDEX)
    assert page.status_code == 200
    return page.content.decode()


def flagged_plan(editor, reviewer, second) -> None:
    """A published plan flagged for review: the component it uses was withdrawn."""
    component = builders.published(editor, reviewer, second, slug="child-pose", kind=Kind.YOGA)
    builders.published_plan(
        editor, reviewer, slug="wind-down", items=[plan_item("child-pose", "bedtime", 1)]
    )
    workflow.withdraw(version=component, user=reviewer, reason="A safer pose replaces it.")


def test_a_reviewer_sees_how_many_versions_wait_for_them_never_their_own(client, team):
    editor, reviewer, _ = team
    builders.in_review(editor, slug="older")
    builders.in_review(editor, slug="newer")
    both = UserFactory(is_staff=True, groups=["Editors", "Reviewers"])
    builders.in_review(both, slug="mine")  # written by them: someone else reviews it
    seen = builders.in_review(editor, slug="seen", kind=Kind.SUPPLEMENT)  # needs two
    workflow.approve(version=seen, user=both, seen_hash=seen.content_hash)

    html = home(client, both)
    assert text_of(html, "desk-review") == "Waiting for your review: 2"
    queue = reverse("admin:content_reviewqueueentry_changelist")
    assert f'<a href="{queue}">Waiting for your review' in html

    # The other reviewer wrote none of them and approved none: all four wait for them.
    assert text_of(home(client, reviewer), "desk-review") == "Waiting for your review: 4"


def test_nothing_waiting_is_said_plainly_and_editors_are_not_offered_a_queue(client, team):
    editor, reviewer, _ = team
    assert text_of(home(client, reviewer), "desk-review") == "Nothing waits for your review."
    html = home(client, editor)
    assert 'id="desk-review"' not in html
    assert text_of(html, "desk-drafts") == "You have no drafts."
    assert text_of(html, "desk-sent-back") == "Nothing was sent back to you for changes."


def test_an_editor_sees_their_drafts_and_what_was_sent_back_to_them(client, team):
    editor, reviewer, _ = team
    other_editor = EditorFactory(is_staff=True)
    builders.draft(editor, slug="child-pose", title="Child's pose")
    builders.draft(editor, slug="legs-up", title="Legs up the wall")
    builders.in_review(editor, slug="waiting")  # with the reviewers, not with the editor
    sent_back = builders.in_review(editor, slug="box-breath", title="Box breathing")
    workflow.request_changes(version=sent_back, user=reviewer, comment="Cite a source.")
    builders.draft(other_editor, slug="theirs")

    html = home(client, editor)
    assert text_of(html, "desk-drafts") == "Your drafts: 2"
    assert text_of(html, "desk-sent-back") == "Sent back to you for changes: 1"
    listed = text_of(html, "desk-own-versions")
    for title in ("Child's pose", "Legs up the wall", "Box breathing"):
        assert title in listed.replace("&#x27;", "'")
    assert "theirs" not in listed and "waiting" not in listed
    change = reverse("admin:content_component_change", args=[sent_back.item_id])
    assert f'<a href="{change}">Box breathing</a>' in html


def test_items_flagged_and_overdue_for_review_are_counted_and_linked(client, team):
    editor, reviewer, second = team
    with time_machine.travel(dt.datetime(2024, 1, 10, tzinfo=dt.UTC), tick=False):
        builders.published(editor, reviewer, second, slug="old-news")
        builders.published(editor, reviewer, second, slug="older-news")
    builders.published(editor, reviewer, second, slug="fresh")
    flagged_plan(editor, reviewer, second)

    html = home(client, reviewer)
    assert text_of(html, "desk-flagged") == "Flagged for review: 1 (no components, 1 plan)"
    plans = reverse("admin:content_plan_changelist")
    assert f'<a href="{plans}?flagged=yes">1 plan</a>' in html
    assert text_of(html, "desk-overdue") == "Overdue for review: 2 (2 components, no plans)"
    components = reverse("admin:content_component_changelist")
    assert f'<a href="{components}?overdue=yes">2 components</a>' in html

    # The links lead to lists of exactly those items.
    listed = client.get(f"{plans}?flagged=yes").context["cl"].result_list
    assert [item.slug for item in listed] == ["wind-down"]
    listed = client.get(f"{components}?overdue=yes").context["cl"].result_list
    assert sorted(item.slug for item in listed) == ["old-news", "older-news"]


def test_no_flagged_or_overdue_items_is_said_plainly(client, team):
    editor, reviewer, second = team
    builders.published(editor, reviewer, second, slug="fresh")
    html = home(client, editor)
    assert text_of(html, "desk-flagged") == "No item is flagged for review."
    assert text_of(html, "desk-overdue") == "No published item is overdue for review."


def test_recent_work_lists_the_persons_own_audit_entries_newest_first(client, team):
    editor, reviewer, _ = team
    other_editor = EditorFactory(is_staff=True)
    version = builders.in_review(editor, slug="child-pose", title="Child's pose")
    builders.draft(other_editor, slug="not-mine", title="Not mine")
    workflow.request_changes(version=version, user=reviewer, comment="Cite a source.")

    recent = text_of(home(client, editor), "recent-work").replace("&#x27;", "'")
    assert re.search(r"Submit for review: Child's pose child-pose v1, .* ago", recent)
    assert recent.index("Submit for review") < recent.index("Create:")
    assert "Not mine" not in recent and "Request changes" not in recent
    assert "Recent actions" not in home(client, editor)

    recent = text_of(home(client, reviewer), "recent-work").replace("&#x27;", "'")
    assert recent.startswith("Your recent work Request changes: Child's pose")
    change = reverse("admin:content_component_change", args=[version.item_id])
    assert f'<a href="{change}">Child&#x27;s pose</a>' in home(client, reviewer)


def test_recent_work_of_someone_who_did_nothing_says_so(client, team):
    editor, _, _ = team
    builders.draft(EditorFactory(), slug="not-mine")
    assert text_of(home(client, editor), "recent-work") == (
        "Your recent work Nothing yet. What you write, submit, review or publish is listed here."
    )


def test_the_home_page_costs_the_same_queries_for_any_amount_of_content(
    client, team, django_assert_num_queries
):
    editor, reviewer, second = team
    builders.in_review(editor, slug="waiting")
    flagged_plan(editor, reviewer, second)
    client.force_login(reviewer)
    # Session, user, the user's own and their groups' permissions; then one query each:
    # waiting for review, flagged, overdue, unread notifications, recent work (the apps list
    # costs none).
    with django_assert_num_queries(9):
        client.get(INDEX)

    for n in range(6):
        builders.in_review(editor, slug=f"more-{n}")
        builders.published(editor, reviewer, second, slug=f"published-{n}")
    with django_assert_num_queries(9):
        page = client.get(INDEX)
    html = page.content.decode()
    assert text_of(html, "desk-review") == "Waiting for your review: 7"
    assert AuditEntry.objects.filter(actor=reviewer).count() > 10
    recent = re.search(r'id="recent-work".*?</ul>', html, re.S).group(0)
    assert recent.count("<time ") == 10  # the list stops at ten


def test_an_editors_home_page_costs_the_same_queries_for_any_number_of_drafts(
    client, team, django_assert_num_queries
):
    editor, _, _ = team
    builders.draft(editor, slug="first-draft")
    client.force_login(editor)
    # As for a reviewer, without the queue, with their drafts' counts and their list.
    with django_assert_num_queries(10):
        client.get(INDEX)
    for n in range(5):
        builders.draft(editor, slug=f"draft-{n}")
    with django_assert_num_queries(10):
        page = client.get(INDEX)
    assert text_of(page.content.decode(), "desk-drafts") == "Your drafts: 6"


def test_the_site_carries_the_products_name_not_djangos(client, team):
    editor, _, _ = team
    html = home(client, editor)
    assert "Django administration" not in html and "Django site admin" not in html
    assert re.search(r"<title>[^<]*Recovery content[^<]*</title>", html)
    assert '<div id="site-name"><a href="/admin/">Recovery content</a></div>' in html


def test_view_site_leads_to_a_page_that_exists(client, team):
    editor, _, _ = team
    html = home(client, editor)
    view_site = re.search(r'<a href="([^"]+)">View site</a>', html)
    assert view_site, "no View site link"
    assert view_site.group(1) == reverse("docs")
    client.logout()
    assert client.get(view_site.group(1)).status_code == 200


def test_the_flagged_column_says_why_in_words_and_shows_nothing_for_the_rest(client, team):
    editor, reviewer, second = team
    flagged_plan(editor, reviewer, second)
    builders.published(editor, reviewer, second, slug="sun-salutation", kind=Kind.YOGA)
    builders.published_plan(
        editor, reviewer, slug="calm-mornings", items=[plan_item("sun-salutation", "morning", 1)]
    )
    client.force_login(reviewer)

    html = client.get(reverse("admin:content_plan_changelist")).content.decode()
    cells = dict(
        re.findall(
            r'<th class="field-title"><a href="[^"]+">[^<]*</a></th>.*?'
            r'<td class="field-slug">([^<]+)</td>.*?<td class="field-flagged">(.*?)</td>',
            html,
            re.S,
        )
    )
    assert set(cells) == {"wind-down", "calm-mornings"}
    assert cells["calm-mornings"] == "-"
    assert "Flagged: Component &#x27;child-pose&#x27; was withdrawn" in cells["wind-down"]
    assert "icon-" not in html.split('id="result_list"')[1].split("</table>")[0]

    components = client.get(reverse("admin:content_component_changelist")).content.decode()
    assert '<td class="field-flagged">-</td>' in components
    assert "icon-no.svg" not in components and "icon-yes.svg" not in components


def test_someone_outside_the_content_teams_gets_no_empty_panel(client):
    html = home(client, UserFactory(is_staff=True))
    assert 'id="desk"' not in html
    assert "Your recent work" in html
