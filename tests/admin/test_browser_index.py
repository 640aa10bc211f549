"""The admin's home page in a real browser: a reviewer sees what waits for them, follows it
to the queue, and the page carries the product's name and fits the window."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import expect

from content import workflow
from content.kinds import Kind
from tests import builders
from tests.factories import EditorFactory, ReviewerFactory, plan_item

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_sees_the_queue_on_the_home_page_and_follows_it(
    page, live_server, log_in, screenshot
):
    editor = EditorFactory(is_staff=True, first_name="Esme")
    reviewer = ReviewerFactory(is_staff=True, first_name="Ada")
    second = ReviewerFactory(is_staff=True)
    builders.in_review(editor, slug="child-pose", title="Child's pose", kind=Kind.YOGA)
    builders.in_review(editor, slug="box-breath", title="Box breathing", kind=Kind.PRANAYAMA)
    with time_machine.travel(dt.datetime(2024, 1, 10, tzinfo=dt.UTC), tick=False):
        builders.published(editor, reviewer, second, slug="old-news", title="Old news")
    component = builders.published(editor, reviewer, second, slug="legs-up", title="Legs up")
    builders.published_plan(
        editor,
        reviewer,
        slug="wind-down",
        title="Wind down",
        items=[plan_item("legs-up", "bedtime", 1)],
    )
    workflow.withdraw(version=component, user=reviewer, reason="A safer pose replaces it.")

    log_in(reviewer)
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page).to_have_title(re.compile("Recovery content"))
    expect(page.locator("#site-name")).to_have_text("Recovery content")
    expect(page.locator("body")).not_to_contain_text("Django administration")
    expect(page.locator("#desk-review")).to_have_text("Waiting for your review: 2")
    expect(page.locator("#desk-flagged")).to_have_text(
        "Flagged for review: 1 (no components, 1 plan)"
    )
    expect(page.locator("#desk-overdue")).to_have_text(
        "Overdue for review: 1 (1 component, no plans)"
    )
    recent = page.locator("#recent-work li")
    expect(recent.first).to_contain_text("Flag for review: Wind down")  # newest first
    expect(recent.nth(1)).to_contain_text("Withdraw: Legs up")
    # The page fits a 1,280 px window: nothing to scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("admin-index")

    page.click("#desk-review a")
    expect(page).to_have_url(f"{live_server.url}/admin/content/reviewqueueentry/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#result_list")).to_contain_text("child-pose: Child's pose")
    expect(page.locator("#result_list")).to_contain_text("box-breath: Box breathing")
