"""The side-by-side diff in a real browser: it fits a 1,280 px window with the admin's sidebar
open or closed, long lines wrap between words, and it speaks the editors' labels."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from content.kinds import EXAMPLE_DETAILS, Kind
from content.workflow import CitationSpec
from tests import builders
from tests.factories import EditorFactory, ReviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)

OLD_STEP = (
    "Lie on your back with your legs resting up the wall, your arms relaxed by your sides, "
    "and breathe slowly through the nose while the lower back settles towards the floor"
)
NEW_STEP = (
    "Lie on your back with your legs resting up the wall, your arms relaxed by your sides, "
    "and breathe gently through the nose for five minutes while the lower back settles "
    "towards the floor"
)
#: An unbreakable string: it may be broken anywhere, as a last resort, not widen the page.
LONG_URL = "https://example.org/research/" + "legs-up-the-wall-" * 12 + "study"

#: Each word of the cell's text and how many lines the browser laid it out on, and the lines
#: the whole cell takes.
WORDS_LAID_OUT = """cell => {
    const words = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            words.push([match[0], tops.size]);
        }
    }
    const whole = document.createRange();
    whole.selectNodeContents(cell);
    const lines = new Set([...whole.getClientRects()].map(r => Math.round(r.top))).size;
    return {words, lines};
}"""


def fits_the_window(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_reviewer_reads_a_changed_long_step_whole_words_in_a_window_1280_px_wide(
    page, live_server, log_in, screenshot
):
    editor = EditorFactory(is_staff=True)
    reviewer = ReviewerFactory(is_staff=True)
    citation = CitationSpec(title="Legs up the wall, a review", url=LONG_URL)
    first = builders.published(
        editor,
        reviewer,
        slug="legs-up-the-wall",
        kind=Kind.YOGA,
        title="Legs up the wall",
        details={**EXAMPLE_DETAILS[Kind.YOGA], "steps": ["Sit side-on to a wall", OLD_STEP]},
        citations=(citation,),
    )
    builders.republished(
        first,
        editor,
        reviewer,
        details={**EXAMPLE_DETAILS[Kind.YOGA], "steps": ["Sit side-on to a wall", NEW_STEP]},
    )

    log_in(reviewer)
    url = reverse("admin:content_component_diff", args=[first.item_id])
    page.goto(f"{live_server.url}{url}?a=1&b=2")
    diff = page.locator("#diff table.diff")

    # The editors' labels, never the developers' keys.
    expect(diff).to_contain_text("Steps 1: Sit side-on to a wall")
    expect(diff).to_contain_text("Duration (minutes): 10")
    expect(diff).to_contain_text("Level: Beginner")
    assert "Details." not in page.locator("#content").inner_text()
    assert "duration_minutes" not in page.locator("#content").inner_text()

    # The step is one changed row (the change note is the other); the changed words are
    # marked on each side.
    expect(diff.locator("tr.changed td.line-number + td.old")).to_have_text(
        [f"Steps 2: {OLD_STEP}", "Change note: First version."]
    )
    changed = diff.locator("tr.changed", has_text="Steps 2")
    expect(changed.locator("td.old del")).to_have_text("slowly")
    expect(changed.locator("td.new ins")).to_have_text(["gently", "for five minutes"])
    expect(changed.locator("td.new")).to_have_text(f"Steps 2: {NEW_STEP}")

    # The long step wraps over several lines, between words: each word lies on one line.
    for cell in (changed.locator("td.old"), changed.locator("td.new")):
        laid_out = cell.evaluate(WORDS_LAID_OUT)
        assert laid_out["lines"] > 1, "the step should need more than one line"
        assert [word for word, lines in laid_out["words"] if lines != 1] == []

    # The page fits the window, the admin's sidebar open or closed, the long URL included.
    sidebar = page.locator("#toggle-nav-sidebar")
    expect(sidebar).to_be_visible()
    assert fits_the_window(page)
    screenshot("diff")
    sidebar.click()
    assert fits_the_window(page)
    sidebar.click()
    assert fits_the_window(page)
    expect(diff).to_contain_text(LONG_URL)
