"""The hazards an editor or a reviewer meets in the admin, met in a real browser: work lost on
Submit or on leaving the page, a body too large, what apps will show unseen, a withdrawal in
one click."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from content import workflow
from content.delivery.rendering import markdown_to_html
from content.kinds import Slot
from content.models import AuditAction, AuditEntry, ContentItem, Version, VersionState
from content.workflow.validation import MAX_BODY_CHARS
from tests.builders import draft, in_review, published, published_plan
from tests.factories import EditorFactory, ReviewerFactory, plan_item

pytestmark = pytest.mark.django_db(transaction=True)


def change_url(live_server, version: Version) -> str:
    return f"{live_server.url}/admin/content/component/{version.item_id}/change/"


def test_save_and_submit_sends_what_was_just_typed(page, live_server, log_in):
    editor = EditorFactory(is_staff=True)
    version = draft(editor, slug="legs-up-the-wall", summary="The old summary.")
    log_in(editor)
    page.goto(change_url(live_server, version))
    page.fill("#id_summary", "Lie with your legs up the wall for five minutes.")
    page.fill("#id_change_note", "Clearer summary.")
    expect(page.locator("#action-submit")).to_have_count(0)  # no Submit that skips the form
    page.click("#save-and-submit")

    expect(page.locator("#version-state")).to_have_text("In review")
    expect(page.locator(".messagelist")).to_contain_text(
        "Your changes are saved in draft version 1, and it is submitted for review."
    )
    submitted = Version.objects.get(pk=version.pk)
    assert submitted.state == VersionState.IN_REVIEW
    assert submitted.summary == "Lie with your legs up the wall for five minutes."
    assert submitted.content_hash == workflow.content_hash(submitted)  # frozen with the edit


def test_leaving_a_page_with_unsaved_changes_asks_first(page, live_server, log_in):
    editor = EditorFactory(is_staff=True)
    version = draft(editor, slug="box-breathing")
    log_in(editor)
    page.goto(change_url(live_server, version))
    expect(page.locator("#save-status")).to_have_text("Everything on this page is saved.")
    page.locator("#id_title").click()
    page.keyboard.press("End")
    page.keyboard.type(" at night")
    expect(page.locator("#save-status")).to_contain_text("not saved yet")

    dialogs: list[str] = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "Stay on this page"

    page.on("dialog", stay)
    page.click("text=History and diff")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == change_url(live_server, version)
    expect(page.locator("#id_title")).to_have_value(f"{version.title} at night")
    assert Version.objects.get(pk=version.pk).title == version.title  # and nothing was saved

    # Saving is leaving on purpose: no question, and the page says it is saved.
    page.remove_listener("dialog", stay)
    page.click("text=Save draft")
    expect(page.locator("#save-status")).to_have_text("Everything on this page is saved.")
    assert Version.objects.get(pk=version.pk).title == f"{version.title} at night"


def test_a_body_over_the_limit_is_refused_and_stays_in_the_form(page, live_server, log_in):
    editor = EditorFactory(is_staff=True)
    version = draft(editor, slug="yoga-nidra")
    log_in(editor)
    page.goto(change_url(live_server, version))
    expect(page.locator("#draft-form")).to_contain_text(f"up to {MAX_BODY_CHARS:,} characters")

    # 3.5 MB pasted: more than the server would even read.
    huge = "Breathe in, breathe out. " * 140_000
    page.eval_on_selector(
        "#id_body",
        "(el, text) => { el.value = text; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        huge,
    )
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.click("text=Save draft")
    expect(page.locator("#save-status")).to_contain_text(
        f"the limit is {MAX_BODY_CHARS:,}. Shorten it: nothing was sent"
    )
    assert [url for url in posts if url.endswith("/change/")] == []
    assert page.eval_on_selector("#id_body", "el => el.value.length") == len(huge)
    assert Version.objects.get(pk=version.pk).body == version.body


def test_the_preview_is_the_body_html_the_api_serves(page, live_server, log_in, screenshot):
    editor, reviewer = EditorFactory(is_staff=True), ReviewerFactory(is_staff=True)
    body = "## Before bed\n\n- Dim the lights\n- *No* screens\n\n[Why](https://example.org/why)"
    live = published(editor, slug="wind-down", body=body)
    log_in(reviewer)
    page.goto(change_url(live_server, live))
    served = page.request.get(f"{live_server.url}/api/v1/components/wind-down/").json()
    shown = page.eval_on_selector("#body-preview", "el => el.innerHTML")
    assert shown.strip() == served["body_html"].strip()
    expect(page.locator("#raw-html-warning")).to_be_hidden()

    # While writing, the preview follows the Markdown, and raw HTML gets a warning.
    log_in(editor)
    version = draft(editor, slug="sleep-diary")
    page.goto(change_url(live_server, version))
    typed = "Keep a **diary**.\n\n<div class='box'>Write three lines</div>"
    page.fill("#id_body", typed)
    expect(page.locator("#body-preview strong")).to_have_text("diary")
    expect(page.locator("#raw-html-warning")).to_be_visible()
    expect(page.locator("#raw-html-list")).to_contain_text("<div class='box'>")
    shown = page.eval_on_selector("#body-preview", "el => el.innerHTML")
    assert shown.strip() == markdown_to_html(typed).strip()
    screenshot("preview")


def test_the_reviewer_sees_the_preview_and_decides_on_the_diff_page(
    page, live_server, log_in, screenshot
):
    editor, reviewer = EditorFactory(is_staff=True), ReviewerFactory(is_staff=True)
    version = in_review(editor, slug="evening-walk", body="Walk for **20 minutes**.")
    log_in(reviewer)
    page.goto(change_url(live_server, version))
    expect(page.locator("#body-preview strong")).to_have_text("20 minutes")
    screenshot("review-preview")

    page.click("text=History and diff")
    page.click("#diff-form input[type=submit]")
    expect(page.locator("#diff-preview-b strong")).to_have_text("20 minutes")
    page.fill("#approve-comment", "Read in the diff.")
    page.click("#action-approve input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("You approved version 1")
    assert workflow.approval_progress(Version.objects.get(pk=version.pk)).approvals == 1


def test_withdraw_asks_first_and_says_which_plans_it_flags(page, live_server, log_in, screenshot):
    editor, reviewer = EditorFactory(is_staff=True), ReviewerFactory(is_staff=True)
    component = published(editor, slug="glycine-bedtime")
    plan = published_plan(
        editor, slug="better-sleep", items=[plan_item("glycine-bedtime", Slot.BEDTIME, 1)]
    )
    log_in(reviewer)
    page.goto(change_url(live_server, component))
    withdraw = page.locator("#action-withdraw input[type=submit]")
    assert "destructive" in withdraw.get_attribute("class")
    withdraw.click()

    expect(page.locator("#confirm-question")).to_contain_text("from every app?")
    expect(page.locator("#consequences")).to_contain_text("Apps stop receiving version 1")
    expect(page.locator("#flagged-plans")).to_contain_text(plan.title)
    screenshot("confirm-withdraw")

    # Not confirming changes nothing.
    page.click("#confirm-cancel")
    expect(page.locator("#version-state")).to_have_text("Published")
    assert Version.objects.get(pk=component.pk).state == VersionState.PUBLISHED
    assert page.request.get(f"{live_server.url}/api/v1/components/glycine-bedtime/").status == 200
    assert ContentItem.objects.get(pk=plan.item_id).flagged_for_review == ""

    # Confirming, with a reason, withdraws it and flags the plan.
    page.click("#action-withdraw input[type=submit]")
    page.fill("#withdraw-reason", "Dose under review.")
    page.click("#confirm-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("apps no longer receive it")
    assert Version.objects.get(pk=component.pk).state == VersionState.WITHDRAWN
    assert page.request.get(f"{live_server.url}/api/v1/components/glycine-bedtime/").status == 404
    assert "Dose under review." in ContentItem.objects.get(pk=plan.item_id).flagged_for_review


def test_a_discarded_draft_leaves_the_lists_with_an_audit_entry(page, live_server, log_in):
    editor = EditorFactory(is_staff=True)
    junk = draft(editor, slug="junk-draft", title="Typed by mistake")
    log_in(editor)
    page.goto(f"{live_server.url}/admin/content/component/")
    expect(page.locator("#result_list")).to_contain_text("Typed by mistake")

    page.goto(change_url(live_server, junk))
    page.click("#action-discard input[type=submit]")
    expect(page.locator("#consequences")).to_contain_text("its slug 'junk-draft' is free")
    page.click("#confirm-cancel")  # not confirming changes nothing
    assert Version.objects.get(pk=junk.pk).state == VersionState.DRAFT

    page.click("#action-discard input[type=submit]")
    page.fill("#discard-reason", "Started by mistake.")
    page.click("#confirm-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("discarded")
    page.goto(f"{live_server.url}/admin/content/component/")
    expect(page.locator("#content-main")).not_to_contain_text("Typed by mistake")
    entry = AuditEntry.objects.get(version=junk, action=AuditAction.DISCARD)
    assert (entry.actor, entry.from_state, entry.to_state) == (editor, "draft", "discarded")
    assert "Started by mistake" in entry.comment
    assert not ContentItem.objects.filter(slug="junk-draft").exists()  # the slug is free
