"""Preview links refused: expired, changed on the way, signed elsewhere, revoked, or what
they show changed since; each a 403 problem saying why, never the published version. And the
links the workflow refuses to make."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from content import workflow
from content.errors import ContentInvalid, InvalidTransition, PermissionRefused
from content.models import AuditAction, AuditEntry, PreviewLink, Version
from content.workflow.previews import make_preview_link, revoke_preview_link
from tests.editorial.previews import edit_title, link_to, refusal, url
from tests.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def test_an_expired_link_is_a_403(client, people, child_pose):
    with time_machine.travel(NOW, tick=False):
        token = link_to(child_pose, people[0], expires_in=dt.timedelta(minutes=30))
    with time_machine.travel(NOW + dt.timedelta(minutes=29), tick=False):
        assert client.get(url(token)).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(minutes=30), tick=False):
        detail = refusal(client.get(url(token)), "expired")
    assert detail == "This preview link expired at 2026-11-22 09:30 UTC. Ask for a new link."


def test_a_link_cut_short_in_the_database_expires_then(client, people, child_pose):
    token = link_to(child_pose, people[0])
    PreviewLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refusal(client.get(url(token)), "expired")


@pytest.mark.parametrize("position", [0, 40, -1])
def test_a_token_with_one_character_changed_is_a_403(client, people, child_pose, position):
    token = link_to(child_pose, people[0])
    changed = token[:position] + ("A" if token[position] != "A" else "B")
    changed += token[position + 1 :] if position != -1 else ""
    assert len(changed) == len(token) and changed != token
    detail = refusal(client.get(url(changed)), "invalid")
    assert "not valid" in detail


def test_a_token_signed_with_another_secret_is_a_403(client, people, child_pose, settings):
    settings.SECRET_KEY = "another secret of at least fifty characters, for the test"
    token = link_to(child_pose, people[0])
    settings.SECRET_KEY = "the server's own secret, also at least fifty characters long"
    refusal(client.get(url(token)), "invalid")


def test_a_revoked_link_is_a_403(client, people, child_pose):
    editor, reviewer, _ = people
    link, token = make_preview_link(user=editor, version=child_pose)
    revoke_preview_link(user=reviewer, link=link)
    assert "was revoked at" in refusal(client.get(url(token)), "revoked")
    entry = AuditEntry.objects.get(action=AuditAction.PREVIEW_REVOKE)
    assert (entry.actor, entry.version) == (reviewer, child_pose)


def test_only_its_maker_or_a_reviewer_revokes_a_link(people, child_pose):
    link, _ = make_preview_link(user=people[0], version=child_pose)
    with pytest.raises(PermissionRefused) as refused:
        revoke_preview_link(user=EditorFactory(), link=link)
    assert "only the person who made it" in str(refused.value)


def test_a_draft_edited_after_the_link_is_a_403_not_the_published_version(client, people, publish):
    editor = people[0]
    live = publish("child-pose", title="Child's pose, as published")
    draft = workflow.revise(version=live, user=editor)
    token = link_to(draft, editor)
    assert client.get(url(token)).json()["version"] == 2
    edit_title(draft, editor, "Child's pose, changed")
    response = client.get(url(token))
    detail = refusal(response, "changed")
    assert detail == (
        "Version 2 of 'child-pose' changed since this preview link was made. Make a new link "
        "to preview it as it is now."
    )
    assert b"as published" not in response.content and b"pose, changed" not in response.content


def test_a_submitted_draft_keeps_its_link_and_a_discarded_one_loses_it(client, people, child_pose):
    editor = people[0]
    token = link_to(child_pose, editor)
    submitted = workflow.submit_for_review(version=child_pose, user=editor)
    assert client.get(url(token)).status_code == 200  # the same content, now frozen
    workflow.request_changes(version=submitted, user=people[1], comment="Shorter, please.")
    workflow.discard(version=submitted, user=editor)
    assert "was discarded since" in refusal(client.get(url(token)), "changed")


def test_a_named_draft_edited_after_the_link_is_a_403(client, people, plan_with_a_draft):
    editor = people[0]
    plan, component_draft = plan_with_a_draft
    token = link_to(plan, editor, drafts=[component_draft])
    edit_title(component_draft, editor, "Glycine, 1 g")
    detail = refusal(client.get(url(token)), "changed")
    assert detail.startswith("Version 2 of 'glycine' changed since")


@pytest.mark.parametrize(
    "options, message",
    [
        ({"expires_in": dt.timedelta(hours=25)}, "at most 24 hours"),
        ({"expires_in": dt.timedelta(0)}, "at most 24 hours"),
        ({"locale": "xx"}, "Unknown locale 'xx'"),
    ],
)
def test_links_are_refused_past_a_day_or_in_an_unknown_locale(people, child_pose, options, message):
    with pytest.raises(ContentInvalid) as refused:
        make_preview_link(user=people[0], version=child_pose, **options)
    assert message in str(refused.value)
    assert not PreviewLink.objects.exists()


def test_no_link_is_made_to_a_version_that_will_never_go_live(people, child_pose):
    workflow.discard(version=child_pose, user=people[0])
    with pytest.raises(InvalidTransition, match="is discarded and will never be published"):
        make_preview_link(user=people[0], version=child_pose)


def test_only_a_plan_shows_drafts_and_only_working_ones_of_its_components(
    people, plan_with_a_draft, child_pose
):
    editor = people[0]
    plan, component_draft = plan_with_a_draft
    with pytest.raises(ContentInvalid, match="only a plan's preview shows drafts"):
        make_preview_link(user=editor, version=child_pose, drafts=[component_draft])
    with pytest.raises(ContentInvalid, match="'child-pose' is not one of this plan's components"):
        make_preview_link(user=editor, version=plan, drafts=[child_pose])
    live = Version.objects.get(item__slug="legs-up")
    with pytest.raises(ContentInvalid, match="is published: only a working version"):
        make_preview_link(user=editor, version=plan, drafts=[live])
    assert not PreviewLink.objects.exists()


def test_someone_outside_the_content_teams_makes_no_link(child_pose):
    with pytest.raises(PermissionRefused, match="may not make preview links"):
        make_preview_link(user=UserFactory(), version=child_pose)
