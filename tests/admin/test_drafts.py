"""The draft form and the destructive actions without JavaScript: what the server itself
refuses, keeps and asks."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from content import workflow
from content.delivery.rendering import markdown_to_html
from content.models import Version, VersionState
from content.workflow.validation import MAX_BODY_CHARS
from tests.builders import draft, published
from tests.factories import EditorFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(version: Version) -> str:
    return f"/admin/content/component/{version.item_id}/change/"


def form_data(version: Version, **changes) -> dict[str, str]:
    """What the draft form posts for ``version`` unchanged, with ``changes``."""
    content = workflow.read_content(version)
    data = {
        "title": content.title,
        "summary": content.summary,
        "body": content.body,
        "change_note": content.change_note,
        "evidence_level": content.evidence_level,
        "details": json.dumps(content.details),
        "edit_count": str(version.edit_count),
        "save": "Save draft",
    }
    for prefix, rows in (
        ("links", content.contraindications),
        ("interactions", content.interactions),
        ("citations", content.citations),
        ("media", content.media),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for n, row in enumerate(rows):
            for key, value in row.__dict__.items():
                data[f"{prefix}-{n}-{key}"] = value
    data.update(changes)
    return data


def test_a_body_over_the_limit_is_refused_in_words_and_kept_in_the_form():
    editor = EditorFactory(is_staff=True)
    version = draft(editor, slug="long-read")
    body = "x" * (MAX_BODY_CHARS + 5)
    response = logged_in(editor).post(change_url(version), form_data(version, body=body))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"The body is {MAX_BODY_CHARS + 5:,} characters long; the limit is" in page
    assert body in page  # what was typed comes back in the form
    assert Version.objects.get(pk=version.pk).body == version.body


def test_a_request_too_large_to_read_is_answered_in_words():
    editor = EditorFactory(is_staff=True)
    version = draft(editor, slug="far-too-long")
    response = logged_in(editor).post(change_url(version), form_data(version, body="x" * 3_000_000))
    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()
    assert "what you typed is still in the form" in response.content.decode()


def test_the_preview_renders_with_the_apis_function_for_people_who_may_see_content():
    editor = EditorFactory(is_staff=True)
    body = "# Title\n\nIn <b>bold</b>\n\n<script>alert(1)</script>"
    answer = logged_in(editor).post("/admin/content/component/preview/", {"body": body}).json()
    assert answer["html"] == markdown_to_html(body)
    assert answer["raw_html"] == ["<b>", "<script>alert(1)</script>"]
    assert "<script>" not in answer["html"]
    assert Client().post("/admin/content/component/preview/", {"body": body}).status_code == 302
    assert logged_in(editor).get("/admin/content/component/preview/").status_code == 405


def test_withdraw_without_confirmation_asks_and_changes_nothing():
    editor, reviewer = EditorFactory(is_staff=True), ReviewerFactory(is_staff=True)
    live = published(editor, slug="tryptophan")
    client = logged_in(reviewer)
    url = f"/admin/content/component/{live.item_id}/workflow/"
    asked = client.post(url, {"action": "withdraw", "reason": "Sent by a crafted form."})
    assert asked.status_code == 200
    assert "Withdraw it now" in asked.content.decode()
    assert Version.objects.get(pk=live.pk).state == VersionState.PUBLISHED

    done = client.post(url, {"action": "withdraw", "reason": "Recalled.", "confirmed": "yes"})
    assert done.status_code == 302
    assert Version.objects.get(pk=live.pk).state == VersionState.WITHDRAWN


def test_a_person_who_may_not_withdraw_is_refused_before_any_question():
    editor = EditorFactory(is_staff=True)
    live = published(editor, slug="magnesium")
    client = logged_in(editor)
    response = client.post(
        f"/admin/content/component/{live.item_id}/workflow/", {"action": "withdraw"}, follow=True
    )
    assert "Withdraw it now" not in response.content.decode()
    (message,) = response.context["messages"]
    assert f"{editor} may not withdraw content: that needs a reviewer's permission" in str(message)
    assert Version.objects.get(pk=live.pk).state == VersionState.PUBLISHED


def test_save_and_submit_refused_as_stale_saves_nothing_and_submits_nothing():
    editor = EditorFactory(is_staff=True)
    version = draft(editor, slug="stale-submit")
    data = form_data(version, title="Mine", submit="Save and submit for review")
    other = workflow.read_content(version)
    workflow.edit_draft(
        version=version,
        user=editor,
        content=other.__class__(**{**other.__dict__, "title": "Theirs"}),
        expected_edit_count=version.edit_count,
    )
    response = logged_in(editor).post(change_url(version), data)
    assert response.status_code == 200
    assert "was changed by someone else" in response.content.decode()
    saved = Version.objects.get(pk=version.pk)
    assert (saved.title, saved.state) == ("Theirs", VersionState.DRAFT)


def test_a_reviewer_schedules_a_withdrawal_from_the_page():
    editor, reviewer = EditorFactory(is_staff=True), ReviewerFactory(is_staff=True)
    live = published(editor, slug="winter-soup")
    client = logged_in(reviewer)
    page = client.get(f"/admin/content/component/{live.item_id}/change/")
    assert "schedule_withdrawal" in {a for a, _ in page.context["actions"]}

    at = timezone.localtime() + timedelta(days=30)
    done = client.post(
        f"/admin/content/component/{live.item_id}/workflow/",
        {"action": "schedule_withdrawal", "at": at.strftime("%Y-%m-%dT%H:%M"), "reason": "Winter."},
        follow=True,
    )
    (message,) = done.context["messages"]
    assert str(message) == (
        f"Version 1 will be withdrawn at {at:%Y-%m-%d %H:%M}; until then apps receive it."
    )
    live.refresh_from_db()
    assert (live.state, live.scheduled_withdraw_reason) == (VersionState.PUBLISHED, "Winter.")
    assert live.withdraw_at == at.replace(second=0, microsecond=0)
    assert "Withdrawal already scheduled" in done.content.decode()
