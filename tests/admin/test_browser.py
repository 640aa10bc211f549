"""The editors' and reviewers' loop in a real browser: write, submit, review in the queue,
read the diff, approve, publish; the public API then serves the result, filtered."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from content.models import Approval, ContentItem, Version, VersionState
from tests.factories import (
    ContraindicationFactory,
    EditorFactory,
    GoalFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def vocabulary():
    ContraindicationFactory(slug="pregnancy", name="Pregnancy", category="life-stage")
    GoalFactory(slug="sleep", name="Sleep")


def write_supplement(
    page, live_server, slug: str, *, evidence: str | None = "C", created: bool = True
) -> None:
    """Fill in the add form of a supplement: a dose and an `avoid` link to pregnancy; choose
    the evidence level unless ``evidence`` is None. ``created``: the draft must be created."""
    page.goto(f"{live_server.url}/admin/content/component/add/")
    page.click("text=Supplement")
    page.fill("#id_slug", slug)
    page.fill("#id_title", "Magnesium glycinate at night")
    page.fill("#id_summary", "200 mg of magnesium as glycinate with the evening meal.")
    page.fill("#id_body", "Take it with food.\n\n**Stay under 350 mg a day** from supplements.")
    page.check("text=Sleep")
    page.fill("#id_change_note", "First version.")
    if evidence is not None:
        page.select_option("#id_evidence_level", evidence)
    # The kind's details are a real form, one labelled field per detail.
    page.fill('[name="rjf§dose§amount"]', "200")
    page.select_option('[name="rjf§dose§unit"]', "mg")
    page.select_option('[name="rjf§timing"]', "evening")
    page.select_option('[name="rjf§form"]', "tablet")
    page.fill('[name="rjf§max_daily§amount"]', "350")
    page.select_option('[name="rjf§max_daily§unit"]', "mg")
    page.select_option('[name="rjf§with_food"]', "with_food")
    page.select_option("#id_links-0-contraindication", "pregnancy")
    page.select_option("#id_links-0-severity", "avoid")
    page.fill("#id_links-0-note", "Not studied in pregnancy; ask your midwife.")
    page.fill("#id_citations-0-title", "NIH ODS magnesium fact sheet")
    page.fill(
        "#id_citations-0-url", "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"
    )
    page.click("text=Create draft")
    if created:
        expect(page.locator(".messagelist")).to_contain_text("created as draft version 1")


def test_an_editor_writes_a_supplement_and_two_reviewers_approve_and_publish_it(
    page, live_server, log_in, screenshot, vocabulary
):
    editor = EditorFactory(is_staff=True)
    reviewer = ReviewerFactory(is_staff=True, profile__display_name="Dr Ada Reviewer")
    second = ReviewerFactory(is_staff=True, profile__display_name="Sam Dietitian")

    # The editor writes the supplement and submits it; there is no approve button for them.
    log_in(editor)
    write_supplement(page, live_server, "magnesium-night")
    expect(page.locator("#version-state")).to_have_text("Draft")
    screenshot("change-page-draft")
    page.click("#save-and-submit")
    expect(page.locator("#version-state")).to_have_text("In review")
    expect(page.locator("#action-approve")).to_have_count(0)
    expect(page.locator("#action-publish")).to_have_count(0)

    # The first reviewer finds it in the queue, reads the diff, approves.
    log_in(reviewer)
    page.goto(f"{live_server.url}/admin/content/reviewqueueentry/")
    expect(page.locator("#result_list")).to_contain_text("magnesium-night")
    screenshot("review-queue")
    page.click("text=magnesium-night: Magnesium glycinate at night")
    page.click("text=History and diff")
    page.click("#diff-form input[type=submit]")
    diff = page.locator("#diff table.diff")
    expect(diff).to_contain_text("Dose \u203a Amount: 200")
    expect(diff).to_contain_text("Contraindication Pregnancy (pregnancy): Avoid")
    page.go_back()
    page.go_back()
    page.fill("#approve-comment", "Dose and links checked against the fact sheet.")
    page.click("#action-approve input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("it is now in review")
    expect(page.locator("#action-approve")).to_have_count(0)  # one approval per reviewer

    # Supplements need two approvals: the second reviewer approves and publishes.
    log_in(second)
    page.goto(f"{live_server.url}/admin/content/reviewqueueentry/")
    page.click("text=magnesium-night: Magnesium glycinate at night")
    page.click("#action-approve input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("it is now approved")
    page.click("#action-publish input[type=submit]")
    expect(page.locator("#version-state")).to_have_text("Published")
    screenshot("change-page-published")

    # The public API serves it, and leaves it out for a person who is pregnant.
    served = page.request.get(f"{live_server.url}/api/v1/components/magnesium-night/")
    assert served.status == 200
    body = served.json()
    assert body["details"]["dose"] == {"amount": 200, "unit": "mg"}
    assert [r["name"] for r in body["review"]["reviewers"]] == ["Dr Ada Reviewer", "Sam Dietitian"]
    listed = page.request.get(f"{live_server.url}/api/v1/components/").json()
    assert "magnesium-night" in [c["slug"] for c in listed["results"]]
    personal = page.request.get(f"{live_server.url}/api/v1/components/?profile=pregnancy").json()
    assert "magnesium-night" not in [c["slug"] for c in personal["results"]]


def test_new_content_claims_no_evidence_and_cannot_be_submitted_without_a_level(
    page, live_server, log_in, vocabulary
):
    log_in(EditorFactory(is_staff=True))
    page.goto(f"{live_server.url}/admin/content/component/add/?kind=supplement")
    expect(page.locator("#id_evidence_level")).to_have_value("")
    expect(page.locator("#draft-form")).to_contain_text("A: systematic reviews, meta-analyses")

    # A draft may wait for its evidence level; submitting it may not.
    write_supplement(page, live_server, "magnesium-unrated", evidence=None)
    expect(page.locator("#id_evidence_level")).to_have_value("")
    page.click("#save-and-submit")
    expect(page.locator(".messagelist .error")).to_contain_text("it was not submitted")
    expect(page.locator("#problems")).to_contain_text(
        "choose the evidence level (A, B, C or D) before submitting"
    )
    expect(page.locator("#version-state")).to_have_text("Draft")
    assert Version.objects.get(item__slug="magnesium-unrated").state == VersionState.DRAFT

    page.select_option("#id_evidence_level", "B")
    page.click("#save-and-submit")
    expect(page.locator("#version-state")).to_have_text("In review")
    version = Version.objects.get(item__slug="magnesium-unrated")
    assert (version.state, version.evidence_level) == (VersionState.IN_REVIEW, "B")


def test_a_taken_slug_is_refused_in_words_and_what_was_typed_is_kept(
    page, live_server, log_in, vocabulary
):
    log_in(EditorFactory(is_staff=True))
    write_supplement(page, live_server, "magnesium-night")
    write_supplement(page, live_server, "magnesium-night", created=False)
    message = "slug: The slug 'magnesium-night' is already taken; choose another."
    expect(page.locator("#problems")).to_contain_text(message)
    expect(page.locator("#id_summary")).to_have_value(
        "200 mg of magnesium as glycinate with the evening meal."
    )
    assert ContentItem.objects.filter(slug="magnesium-night").count() == 1


def test_a_reviewer_who_wrote_the_version_cannot_approve_it_even_by_posting(
    page, live_server, log_in, vocabulary
):
    both = UserFactory(is_staff=True, groups=["Editors", "Reviewers"])
    log_in(both)
    write_supplement(page, live_server, "magnesium-own")
    page.click("#save-and-submit")
    expect(page.locator("#version-state")).to_have_text("In review")
    expect(page.locator("#action-approve")).to_have_count(0)
    expect(page.locator("#action-request_changes")).to_have_count(0)

    # Post the approval anyway, with the right hash and a valid CSRF token.
    version = Version.objects.get(item__slug="magnesium-own")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    page.evaluate(
        """([action, token, hash]) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = action;
            for (const [name, value] of Object.entries(
                {csrfmiddlewaretoken: token, action: "approve", seen_hash: hash})) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        [f"/admin/content/component/{version.item_id}/workflow/", token, version.content_hash],
    )
    expect(page.locator(".messagelist .error")).to_contain_text(
        "You wrote version 1 of 'magnesium-own', so someone else must review it."
    )
    assert not Approval.objects.exists()
    assert Version.objects.get(pk=version.pk).state == VersionState.IN_REVIEW
    assert ContentItem.objects.filter(slug="magnesium-own").exists()


def test_a_draft_changed_by_someone_else_is_refused_not_overwritten(
    page, live_server, log_in, vocabulary
):
    editor = EditorFactory(is_staff=True)
    log_in(editor)
    write_supplement(page, live_server, "magnesium-stale")
    # Someone else saves the draft while this page is open.
    other = page.context.new_page()
    other.goto(page.url)
    other.fill("#id_title", "Their title")
    other.click("text=Save draft")
    expect(other.locator(".messagelist")).to_contain_text("Draft version 1 saved")
    other.close()

    page.fill("#id_title", "My title")
    page.click("text=Save draft")
    expect(page.locator(".messagelist .error")).to_contain_text("was changed by someone else")
    expect(page.locator("#id_title")).to_have_value("My title")  # what they typed is kept
    assert Version.objects.get(item__slug="magnesium-stale").title == "Their title"
    assert re.search(r"/change/$", page.url)


def test_the_api_docs_work_offline_under_their_content_security_policy(page, live_server):
    """Swagger UI loads from this server alone, runs no inline script, and lists the API."""
    blocked_elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url)
            else blocked_elsewhere.append(request.url)
        ),
    )
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/sync/" in paths
    assert "/api/v1/plans/{slug}/" in paths
    assert blocked_elsewhere == []
