"""The item page's "Preview link" panel over HTTP: making a link to the working version (its
address shown once), the version's live links, revoking one; every rule the workflow's."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content import workflow
from content.models import AuditAction, AuditEntry, PreviewLink
from content.workflow.previews import make_preview_link
from tests import builders
from tests.factories import EditorFactory, ReviewerFactory, TranslatorFactory, plan_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return EditorFactory(is_staff=True), ReviewerFactory(is_staff=True)


@pytest.fixture
def draft(team):
    return builders.draft(team[0], slug="child-pose", kind="yoga", title="Child's pose")


def page(version, model: str = "component") -> str:
    return reverse(f"admin:content_{model}_change", args=[version.item_id])


def post(client, version, model: str = "component", **data):
    address = reverse(f"admin:content_{model}_preview_links", args=[version.item_id])
    return client.post(address, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def shown_address(response) -> str:
    found = re.search(r'id="preview-link-url"[^>]*value="([^"]+)"', response.content.decode())
    assert found, "the page shows the link's address"
    return found[1]


def test_a_link_made_on_the_items_page_is_shown_once_and_opens_the_draft(
    client, team, draft, settings
):
    settings.SITE_URL = "https://content.example.org"
    client.force_login(team[0])
    form = client.get(page(draft)).content.decode()
    assert 'id="make-preview-link"' in form and 'name="hours" value="1"' in form

    made = post(client, draft, hours="3", locale="")
    assert made.status_code == 200
    assert made["Cache-Control"].startswith("max-age=0")  # the admin's: never cached
    address = shown_address(made)
    assert address.startswith("https://content.example.org/api/v1/preview/")
    link = PreviewLink.objects.get()
    assert (link.created_by, link.locale, link.version) == (team[0], "", draft)
    assert round((link.expires_at - link.created_at).total_seconds() / 3600) == 3

    token = address.removeprefix("https://content.example.org")
    answer = client.get(token)
    assert (answer.status_code, answer.json()["title"]) == (200, "Child's pose")
    # Shown this once: the item's page lists the link but never its address again.
    listed = client.get(page(draft)).content.decode()
    assert f'id="preview-link-{link.pk}"' in listed
    assert address not in listed and token not in listed


def test_the_address_is_this_hosts_when_no_site_url_is_set(client, team, draft, settings):
    settings.SITE_URL = ""
    client.force_login(team[0])
    address = shown_address(post(client, draft, hours="1"))
    assert address.startswith("http://testserver/api/v1/preview/")


@pytest.mark.parametrize(
    "hours, message",
    [
        ("25", "No preview link was made: A preview link lasts at most 24 hours"),
        ("0", "No preview link was made: A preview link lasts at most 24 hours"),
        ("two", "Say after how many hours the link expires"),
    ],
)
def test_an_expiry_the_domain_refuses_is_said_and_no_link_is_made(
    client, team, draft, hours, message
):
    client.force_login(team[0])
    response = post(client, draft, hours=hours)
    assert messages_of(response)[0].startswith(message)
    assert not PreviewLink.objects.exists()


def test_a_link_made_for_a_locale_says_it(client, team, draft):
    workflow.add_locale(user=team[1], code="es", name="Español")
    client.force_login(team[0])
    assert '<option value="es">Español (es)</option>' in client.get(page(draft)).content.decode()
    made = post(client, draft, hours="1", locale="es")
    assert "In <code>es</code>." in made.content.decode()
    assert PreviewLink.objects.get().locale == "es"
    refused = post(client, draft, hours="1", locale="xx")
    assert "Unknown locale 'xx'" in messages_of(refused)[0]


def test_its_maker_revokes_a_link_and_then_it_opens_nothing(client, team, draft):
    editor = team[0]
    link, token = make_preview_link(user=editor, version=draft)
    client.force_login(editor)
    response = post(client, draft, action="revoke", link=str(link.pk))
    assert messages_of(response) == [
        "The preview link is revoked: apps that open it are refused from now on."
    ]
    assert client.get(f"/api/v1/preview/{token}/").status_code == 403
    assert f'id="preview-link-{link.pk}"' not in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.PREVIEW_REVOKE, actor=editor).exists()


def test_another_editor_sees_the_link_without_revoke_and_is_refused(client, team, draft):
    link, _ = make_preview_link(user=team[0], version=draft)
    other = EditorFactory(is_staff=True)
    client.force_login(other)
    shown = client.get(page(draft)).context["preview_links"]["links"]
    assert [(s.link, s.revocable) for s in shown] == [(link, False)]
    refused = post(client, draft, action="revoke", link=str(link.pk))
    assert "may not revoke this preview link" in messages_of(refused)[0]
    assert PreviewLink.objects.get().revoked_at is None
    client.force_login(team[1])  # a reviewer may
    assert client.get(page(draft)).context["preview_links"]["links"][0].revocable


def test_a_plan_link_can_show_drafts_of_its_components(client, team):
    editor, reviewer = team
    glycine = builders.published(editor, reviewer, slug="glycine", kind="supplement")
    plan = builders.draft_plan(
        editor, slug="sleep-reset", items=[plan_item("glycine", "bedtime", 1)]
    )
    component_draft = workflow.revise(version=glycine, user=editor)
    client.force_login(editor)
    panel = client.get(page(plan, "plan")).context["preview_links"]
    assert panel["drafts"] == [component_draft]
    made = post(client, plan, "plan", hours="1", drafts=[str(component_draft.pk)])
    assert "glycine version 2" in made.content.decode()
    assert PreviewLink.objects.get().drafts == {
        str(glycine.item_id): [component_draft.pk, workflow.content_hash(component_draft)]
    }


def test_a_translation_draft_is_previewed_in_its_own_language(client, team):
    editor, reviewer = team
    workflow.add_locale(user=reviewer, code="es", name="Español")
    source = builders.published(editor, reviewer, slug="child-pose", kind="yoga")
    translation = builders.translation_of(source, "es", TranslatorFactory(is_staff=True))
    client.force_login(editor)
    html = client.get(page(translation)).content.decode()
    assert "Shown in Español (es), the translation's language." in html
    assert 'id="preview-locale"' not in html
    post(client, translation, hours="1")
    assert PreviewLink.objects.get().locale == "es"


def test_no_panel_without_a_working_version(client, team):
    editor, reviewer = team
    live = builders.published(editor, reviewer, slug="child-pose", kind="yoga")
    client.force_login(editor)
    response = client.get(page(live))
    assert "preview_links" not in response.context
    refused = post(client, live, hours="1")
    assert messages_of(refused) == ["This item has no version in progress to preview."]


def test_the_panel_costs_the_same_queries_however_many_links_it_lists(client, team, draft):
    editor = team[0]
    client.force_login(editor)
    make_preview_link(user=editor, version=draft)
    client.get(page(draft))  # warm the session and the permission caches
    with CaptureQueriesContext(connection) as one:
        client.get(page(draft))
    for _ in range(3):
        make_preview_link(user=ReviewerFactory(), version=draft)
    with CaptureQueriesContext(connection) as four:
        response = client.get(page(draft))
    assert len(response.context["preview_links"]["links"]) == 4
    assert len(four) == len(one)


def test_a_link_the_draft_outgrew_is_listed_as_opening_nothing(client, team, draft):
    editor = team[0]
    make_preview_link(user=editor, version=draft)
    client.force_login(editor)
    assert "It opens nothing now" not in client.get(page(draft)).content.decode()
    workflow.edit_draft(
        version=draft,
        user=editor,
        content=replace(workflow.read_content(draft), title="Child's pose, longer"),
        expected_edit_count=draft.edit_count,
    )
    listed = client.get(page(draft)).content.decode()
    assert "It opens nothing now: version 1 changed since it was made." in listed
