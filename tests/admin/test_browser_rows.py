"""The rows of a version's parts in a real browser: "Add another …" adds rows without saving,
"Remove" takes out a row not saved yet, plan items move up and down and are saved in the
order shown, the change page fits a 1,280 px window, and steps are written in boxes of
several lines. Without JavaScript, the one empty row per part still adds a row."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from content import workflow
from content.kinds import Kind
from content.models import Version
from tests import builders
from tests.admin.conftest import PASSWORD
from tests.factories import ContraindicationFactory, EditorFactory, plan_item

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor():
    return EditorFactory(is_staff=True)


@pytest.fixture
def vocabulary():
    ContraindicationFactory(slug="pregnancy", name="Pregnancy", category="life-stage")
    ContraindicationFactory(slug="kidney-disease", name="Kidney disease")
    ContraindicationFactory(slug="glaucoma", name="Glaucoma")


def change_url(live_server, version: Version) -> str:
    model = "plan" if version.item.kind == "plan" else "component"
    return f"{live_server.url}/admin/content/{model}/{version.item_id}/change/"


def rows(page, prefix: str):
    return page.locator(f"#{prefix}-group [data-part-row]")


def save(page) -> None:
    page.click("text=Save draft")
    expect(page.locator(".messagelist")).to_contain_text("Draft version 1 saved.")


def saved_content(version: Version):
    return workflow.read_content(Version.objects.get(pk=version.pk))


def fill_link(row, slug: str, severity: str, note: str) -> None:
    row.get_by_label("Contraindication").select_option(slug)
    row.get_by_label("Severity").select_option(severity)
    row.get_by_label("Note").fill(note)


def fill_citation(row, title: str, url: str) -> None:
    row.get_by_label("Title").fill(title)
    row.get_by_label("URL").fill(url)


def fits_the_window(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_an_editor_adds_two_links_and_two_citations_and_saves_once(
    page, live_server, log_in, editor, vocabulary
):
    draft = builders.draft(editor, slug="magnesium", kind=Kind.SUPPLEMENT)  # one citation
    log_in(editor)
    page.goto(change_url(live_server, draft))
    expect(page.locator("#links-group")).to_contain_text(
        'Press "Add another contraindication" for each one to add, then save once.'
    )
    expect(page.locator("#draft-form")).not_to_contain_text("Save to get another empty row")

    # Links: the empty row is there to fill; "Add another" gives the second.
    expect(rows(page, "links")).to_have_count(1)
    fill_link(rows(page, "links").nth(0), "pregnancy", "avoid", "Not studied in pregnancy.")
    page.click("text=Add another contraindication")
    expect(rows(page, "links")).to_have_count(2)
    expect(rows(page, "links").nth(1).get_by_label("Contraindication")).to_be_focused()
    fill_link(rows(page, "links").nth(1), "kidney-disease", "caution", "Ask your doctor.")

    # Citations: two rows added after the saved one; the empty row in between stays empty.
    page.click("text=Add another citation")
    page.click("text=Add another citation")
    expect(rows(page, "citations")).to_have_count(4)
    expect(page.locator("#id_citations-TOTAL_FORMS")).to_have_value("4")
    fill_citation(rows(page, "citations").nth(2), "NIH fact sheet", "https://ods.od.nih.gov/")
    fill_citation(rows(page, "citations").nth(3), "Cochrane review", "https://cochrane.org/r")
    save(page)

    content = saved_content(draft)
    assert [(link.contraindication, link.severity) for link in content.contraindications] == [
        ("kidney-disease", "caution"),
        ("pregnancy", "avoid"),
    ]
    assert [c.title for c in content.citations] == [
        "Yamadera et al. 2007, Sleep and Biological Rhythms",
        "NIH fact sheet",
        "Cochrane review",
    ]
    # The page shows what was saved, and one empty row each again.
    expect(rows(page, "links")).to_have_count(3)
    expect(rows(page, "citations")).to_have_count(4)


def test_a_row_removed_before_saving_is_left_out_and_the_rows_after_it_are_kept(
    page, live_server, log_in, editor, vocabulary
):
    draft = builders.draft(editor, slug="magnesium", kind=Kind.SUPPLEMENT, citations=())
    log_in(editor)
    page.goto(change_url(live_server, draft))
    citations = rows(page, "citations")
    expect(citations.nth(0).locator("[data-part-remove]")).to_be_visible()  # not saved yet
    page.click("text=Add another citation")
    page.click("text=Add another citation")
    fill_citation(citations.nth(0), "First", "https://example.org/1")
    fill_citation(citations.nth(1), "Second, removed", "https://example.org/2")
    fill_citation(citations.nth(2), "Third", "https://example.org/3")

    citations.nth(1).get_by_role("button", name="Remove").click()
    expect(citations).to_have_count(2)
    expect(page.locator("#id_citations-TOTAL_FORMS")).to_have_value("2")
    # The third row took the second one's place in the formset.
    expect(page.locator("#id_citations-1-title")).to_have_value("Third")
    expect(citations.nth(1).locator("legend")).to_have_text("Citation 2")
    save(page)

    assert [c.title for c in saved_content(draft).citations] == ["First", "Third"]


def test_rows_sent_back_by_a_refused_save_are_kept_and_can_still_be_removed(
    page, live_server, log_in, editor, vocabulary
):
    draft = builders.draft(editor, slug="magnesium", kind=Kind.SUPPLEMENT, citations=())
    log_in(editor)
    page.goto(change_url(live_server, draft))
    citations = rows(page, "citations")
    page.click("text=Add another citation")
    fill_citation(citations.nth(0), "First", "https://example.org/1")
    citations.nth(1).get_by_label("URL").fill("https://example.org/untitled")  # no title
    page.click("text=Save draft")
    expect(page.locator(".messagelist")).to_contain_text("nothing was saved")
    expect(citations).to_have_count(2)
    expect(citations.nth(1)).to_contain_text("This field is required.")

    page.click("text=Add another citation")
    fill_citation(citations.nth(2), "Third", "https://example.org/3")
    citations.nth(1).get_by_role("button", name="Remove").click()
    expect(page.locator("#id_citations-1-title")).to_have_value("Third")
    save(page)

    assert [c.title for c in saved_content(draft).citations] == ["First", "Third"]


def test_saved_rows_are_deleted_with_the_tick_and_cannot_be_removed_unsaved(
    page, live_server, log_in, editor, vocabulary
):
    draft = builders.draft(editor, slug="magnesium", kind=Kind.SUPPLEMENT)
    log_in(editor)
    page.goto(change_url(live_server, draft))
    saved = rows(page, "citations").nth(0)
    expect(saved.locator("[data-part-remove]")).to_have_count(0)
    saved.get_by_label("Delete").check()
    save(page)
    assert saved_content(draft).citations == ()


@pytest.fixture
def plan(editor):
    builders.draft(editor, slug="magnesium", kind=Kind.SUPPLEMENT)
    builders.draft(editor, slug="legs-up", kind=Kind.YOGA)
    builders.draft(editor, slug="box-breathing", kind=Kind.PRANAYAMA)
    return builders.draft_plan(
        editor,
        slug="calm-evenings",
        items=[
            plan_item("magnesium", "evening", 1),
            plan_item("legs-up", "evening", 2, note="Ten minutes against a wall."),
            plan_item("box-breathing", "bedtime", 3),
        ],
    )


def order_fields(page) -> list[str]:
    return [field.input_value() for field in page.locator("#items-group [data-part-order]").all()]


def shown_components(page) -> list[str]:
    return [row.get_by_label("Component").input_value() for row in rows(page, "items").all()[:3]]


def test_an_editor_reorders_plan_items_and_they_are_saved_in_the_new_order(
    page, live_server, log_in, screenshot, editor, plan
):
    log_in(editor)
    page.goto(change_url(live_server, plan))
    items = rows(page, "items")
    expect(items.nth(0).get_by_role("button", name="Move up")).to_be_disabled()

    items.nth(0).get_by_role("button", name="Move down").click()  # magnesium after legs-up
    expect(items.nth(1).get_by_role("button", name="Move down")).to_be_focused()
    items.nth(2).get_by_role("button", name="Move up").click()  # box-breathing before it
    assert shown_components(page) == ["legs-up", "box-breathing", "magnesium"]
    # Renumbered 1..n in the order shown; the empty row keeps no number.
    assert order_fields(page) == ["1", "2", "3", ""]
    expect(items.nth(0).locator("legend")).to_have_text("Plan item 1")
    screenshot("plan-items")
    save(page)

    saved = sorted(saved_content(plan).items, key=lambda item: item.order)
    assert [(item.order, item.component) for item in saved] == [
        (1, "legs-up"),
        (2, "box-breathing"),
        (3, "magnesium"),
    ]
    assert saved[0].note == "Ten minutes against a wall."  # the row moved whole


def test_an_added_plan_item_is_numbered_last_and_saved_with_the_others(
    page, live_server, log_in, editor, plan
):
    log_in(editor)
    page.goto(change_url(live_server, plan))
    page.click("text=Add another plan item")
    added = rows(page, "items").nth(4)
    added.get_by_label("Component").select_option("legs-up")
    expect(added.get_by_label("Order")).to_have_value("4")
    added.get_by_label("Slot").select_option("morning")
    added.get_by_label("Week from").fill("2")
    added.get_by_label("Week to").fill("3")
    added.get_by_label("Frequency").select_option("weekly")
    # Moved above the empty row it keeps its number; the empty row stays empty.
    added.get_by_role("button", name="Move up").click()
    assert order_fields(page) == ["1", "2", "3", "4", ""]
    save(page)

    saved = sorted(saved_content(plan).items, key=lambda item: item.order)
    assert [(item.order, item.component, item.slot) for item in saved] == [
        (1, "magnesium", "evening"),
        (2, "legs-up", "evening"),
        (3, "box-breathing", "bedtime"),
        (4, "legs-up", "morning"),
    ]


def test_the_change_page_of_a_component_with_rows_fits_1280_px(
    page, live_server, log_in, screenshot, editor, vocabulary
):
    builders.draft(editor, slug="legs-up", kind=Kind.YOGA)
    draft = builders.draft(
        editor,
        slug="magnesium",
        kind=Kind.SUPPLEMENT,
        contraindications=[
            {"contraindication": "pregnancy", "severity": "avoid", "note": "Not studied."},
            {
                "contraindication": "kidney-disease",
                "severity": "caution",
                "note": "Magnesium leaves the body through the kidneys; with kidney disease "
                "it can build up. Ask your doctor before taking it.",
            },
        ],
        interactions=[
            {"component": "legs-up", "severity": "separate", "note": "Not right after a meal."}
        ],
    )
    log_in(editor)
    page.goto(change_url(live_server, draft))
    expect(rows(page, "links")).to_have_count(3)
    assert page.viewport_size["width"] == 1280
    assert fits_the_window(page)
    # With the admin's navigation folded away, the rows sit next to the workflow panel.
    page.click("#toggle-nav-sidebar")
    assert fits_the_window(page)
    main = page.locator(".workspace > .main").bounding_box()
    side = page.locator(".workspace > .side").bounding_box()
    assert side["x"] >= main["x"] + main["width"] and side["y"] == main["y"]
    screenshot("rows")


def test_the_change_page_of_a_plan_with_three_items_fits_1280_px(
    page, live_server, log_in, editor, plan
):
    log_in(editor)
    page.goto(change_url(live_server, plan))
    expect(rows(page, "items")).to_have_count(4)
    assert fits_the_window(page)


def test_steps_are_written_in_boxes_of_several_lines(page, live_server, log_in, editor):
    draft = builders.draft(editor, slug="legs-up", kind=Kind.YOGA)
    log_in(editor)
    page.goto(change_url(live_server, draft))
    steps = page.locator('[name^="rjf§steps§"]')
    expect(steps).to_have_count(3)
    first = steps.first
    assert first.evaluate("element => element.tagName") == "TEXTAREA"
    expect(first).to_have_value("Sit side-on to a wall")
    first.fill("Sit side-on to a wall,\nhips close to it.")
    save(page)
    steps = saved_content(draft).details["steps"]
    assert steps[0] == "Sit side-on to a wall,\nhips close to it."


def test_without_javascript_the_empty_row_still_adds_a_row(browser, live_server, editor, plan):
    """(A plan: a component's details are a django-jsonform editor, which needs JavaScript.)"""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(change_url(live_server, plan))
    expect(page.locator("#items-group [data-part-add]")).to_be_hidden()
    expect(page.locator("#items-group [data-part-move]")).to_have_count(8)
    for button in page.locator("#items-group [data-part-move]").all():
        expect(button).to_be_hidden()
    expect(page.locator("#items-group")).to_contain_text(
        "Fill in the empty plan item to add one; saving gives another empty one."
    )
    empty = rows(page, "items").nth(3)
    empty.get_by_label("Order").fill("4")
    empty.get_by_label("Component").select_option("legs-up")
    empty.get_by_label("Slot").select_option("morning")
    empty.get_by_label("Week from").fill("1")
    empty.get_by_label("Week to").fill("2")
    empty.get_by_label("Frequency").select_option("daily")
    save(page)
    assert [item.order for item in saved_content(plan).items] == [1, 2, 3, 4]
    expect(rows(page, "items")).to_have_count(5)
    context.close()
