"""The admin screens over HTTP (the browser tests cover the loop; these pin the rest): lists
and filters, the review queue, the workflow buttons and refusals, history, diff, login."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content import workflow
from content.models import AuditEntry, Version, VersionState
from tests import builders
from tests.factories import EditorFactory, ReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return (
        EditorFactory(is_staff=True),
        ReviewerFactory(is_staff=True),
        ReviewerFactory(is_staff=True),
    )


def change_url(version: Version) -> str:
    return reverse("admin:content_component_change", args=[version.item_id])


def workflow_post(client, on: Version, **data):
    url = reverse("admin:content_component_workflow", args=[on.item_id])
    return client.post(url, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_queue_lists_what_i_may_review_oldest_first_never_my_own(client, team):
    editor, _, _ = team
    older = builders.in_review(editor, slug="older")
    newer = builders.in_review(editor, slug="newer")
    both = UserFactory(is_staff=True, groups=["Editors", "Reviewers"])
    builders.in_review(both, slug="mine")
    approved_by_me = builders.in_review(editor, slug="seen", kind="supplement")
    workflow.approve(version=approved_by_me, user=both, seen_hash=approved_by_me.content_hash)

    client.force_login(both)
    page = client.get(reverse("admin:content_reviewqueueentry_changelist"))
    listed = [v.item.slug for v in page.context["cl"].result_list]
    assert listed == ["older", "newer"]
    assert older.submitted_at <= newer.submitted_at

    client.force_login(editor)  # not a reviewer: no queue
    assert client.get(reverse("admin:content_reviewqueueentry_changelist")).status_code == 403


def test_filters_waiting_for_my_review_and_review_overdue(client, team):
    editor, reviewer, second = team
    builders.in_review(editor, slug="waiting")
    builders.draft(editor, slug="drafting")
    with time_machine.travel(dt.datetime(2024, 1, 10, tzinfo=dt.UTC), tick=False):
        builders.published(editor, reviewer, second, slug="old-news")
    builders.published(editor, reviewer, second, slug="fresh")

    client.force_login(reviewer)
    changelist = reverse("admin:content_component_changelist")

    def slugs(query: str) -> list[str]:
        return sorted(i.slug for i in client.get(f"{changelist}?{query}").context["cl"].result_list)

    assert slugs("") == ["drafting", "fresh", "old-news", "waiting"]
    assert slugs("mine=yes") == ["waiting"]
    assert slugs("overdue=yes") == ["old-news"]
    assert slugs("state=draft") == ["drafting"]
    assert slugs("state=none") == ["fresh", "old-news"]
    assert slugs("kind=yoga&q=fresh") == ["fresh"]
    client.force_login(editor)
    assert slugs("mine=yes") == []


def test_buttons_follow_who_may_act_and_a_refusal_shows_the_domains_message(client, team):
    editor, reviewer, _ = team
    version = builders.in_review(editor, slug="child-pose")

    client.force_login(editor)
    actions = {a for a, _ in client.get(change_url(version)).context["actions"]}
    assert actions == set()  # in review: nothing for its editor
    client.force_login(reviewer)
    actions = {a for a, _ in client.get(change_url(version)).context["actions"]}
    assert actions == {"approve", "request_changes"}

    refused = workflow_post(client, version, action="request_changes", comment="  ")
    assert messages_of(refused) == [
        "Say what should change: requesting changes needs a comment for the editor."
    ]
    stale = workflow_post(client, version, action="approve", seen_hash="0" * 64)
    assert "is not the one in review" in messages_of(stale)[0]
    assert Version.objects.get(pk=version.pk).state == VersionState.IN_REVIEW

    done = workflow_post(client, version, action="approve", seen_hash=version.content_hash)
    assert messages_of(done) == ["You approved version 1; it is now approved."]
    actions = {a for a, _ in done.context["actions"]}
    assert actions == {"publish", "schedule"}
    workflow_post(client, version, action="publish")
    withdrawn = workflow_post(
        client, version, action="withdraw", reason="A better source.", confirmed="yes"
    )
    assert messages_of(withdrawn) == ["Version 1 is withdrawn; apps no longer receive it."]
    assert AuditEntry.objects.filter(version=version, action="withdraw").exists()


def test_an_editor_rolls_back_to_a_chosen_version_through_the_page(client, team):
    editor, reviewer, second = team
    first = builders.published(editor, reviewer, second, slug="child-pose", title="First")
    builders.republished(first, editor, reviewer, second, title="Second")

    client.force_login(editor)
    asked = client.post(
        f"/admin/content/component/{first.item_id}/workflow/",
        {"action": "roll_back", "version": "1"},
    )
    assert "Until it is approved and published, apps keep receiving version 2." in (
        asked.content.decode()
    )
    assert not Version.objects.filter(item=first.item, number=3).exists()
    response = workflow_post(client, first, action="roll_back", version="1", confirmed="yes")
    assert messages_of(response) == [
        "Version 3 is a new draft restoring version 1; it is reviewed like any change."
    ]
    draft = Version.objects.get(item=first.item, number=3)
    assert (draft.state, draft.title, draft.based_on_id) == (VersionState.DRAFT, "First", first.pk)


def test_the_diff_shows_what_changed_between_two_versions(client, team):
    editor, reviewer, second = team
    first = builders.published(editor, reviewer, second, slug="child-pose", title="Old title")
    builders.republished(first, editor, reviewer, second, title="New title")

    client.force_login(reviewer)
    url = reverse("admin:content_component_diff", args=[first.item_id])
    html = client.get(f"{url}?a=1&b=2").content.decode()
    assert '<tr class="changed">' in html  # the changed line is highlighted
    text = re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ")
    assert "Title: Old title" in text and "Title: New title" in text
    history = client.get(reverse("admin:content_component_history", args=[first.item_id]))
    assert history.context["default_a"] == 1  # a reviewer compares with what is published
    assert client.get(f"{url}?a=1&b=9").status_code == 404


def test_someone_without_the_editors_permission_gets_no_add_form(client, team):
    _, reviewer, _ = team
    client.force_login(reviewer)
    assert client.get(reverse("admin:content_component_add")).status_code == 403


def test_repeated_failed_logins_lock_the_account_out(client, settings):
    user = EditorFactory(is_staff=True)
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": user.username, "password": "wrong"})
    locked = client.post(
        login, {"username": user.username, "password": "correct horse battery staple"}
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def _queue_queries(client) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:content_reviewqueueentry_changelist"))
    assert page.status_code == 200
    return [q["sql"][:60] for q in queries.captured_queries], page.content.decode()


def test_the_review_queue_costs_the_same_queries_for_any_number_of_rows(client, team):
    editor, reviewer, other = team
    half_way = builders.in_review(editor, slug="half-way", kind="supplement")  # needs two
    workflow.approve(version=half_way, user=other, seen_hash=half_way.content_hash)
    builders.in_review(editor, slug="untouched")
    client.force_login(reviewer)

    few, page = _queue_queries(client)
    for n in range(8):
        builders.in_review(editor, slug=f"more-{n}")
    many, _ = _queue_queries(client)

    # Session, user, its permissions (2), the locales of the language filter, the change
    # list's two counts and the page, whose rows carry their approvals and what a translation
    # translates: none per row (it was 2 per row: 11 for 2 rows, 27 for 10).
    assert len(few) == len(many) == 8, few
    rows = re.findall(r'<td class="field-approvals_so_far">([^<]*)</td>', page)
    assert sorted(rows) == ["0 of 1", "1 of 2"]
