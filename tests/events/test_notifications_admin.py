"""Notifications in the admin: each person's own list (never anyone else's), marking read,
the unread count on the home page, and the page where each person chooses how they are told.
Events are handed to the notification handler here, as the job worker would."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from content.events.outbox import new_event
from content.models import Event, EventType, Notification, NotificationKind
from content.notifications import handlers, preferences
from tests import builders
from tests.factories import ReviewerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:content_notification_changelist")
PREFERENCES = reverse("admin:content_notification_preferences")
READ_ALL = reverse("admin:content_notification_read_all")


def handle_events() -> None:
    """Hand every event so far to the handler (the worker is not running here)."""
    for event in Event.objects.order_by("occurred_at"):
        handlers.handle(event)


@pytest.fixture
def staff():
    return ReviewerFactory(is_staff=True), ReviewerFactory(is_staff=True)


def assert_strict_csp_friendly(html: str) -> None:
    """No inline script, no event handler attribute, no inline style."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert " style=" not in html


def test_each_person_lists_their_own_notifications_and_marks_them_read(client, editor, staff):
    first, second = staff
    builders.in_review(editor, slug="legs-up", title="Legs up the wall")
    builders.in_review(editor, slug="box-breath", title="Box breathing")
    handle_events()
    assert Notification.objects.filter(recipient=second).count() == 2
    mine = Notification.objects.filter(recipient=first).order_by("pk")
    client.force_login(first)

    page = client.get(LIST)
    assert page.status_code == 200
    assert [n.recipient_id for n in page.context["cl"].result_list] == [first.pk, first.pk]
    html = page.content.decode()
    assert "Waiting for your review: Legs up the wall (version 1)" in html
    assert html.count('class="unread"') == 2
    assert 'id="read-all-form"' in html and "csrfmiddlewaretoken" in html
    assert_strict_csp_friendly(html)

    # Someone else's notification cannot be opened, even by its address.
    theirs = Notification.objects.filter(recipient=second).first()
    change = reverse("admin:content_notification_change", args=[theirs.pk])
    assert client.get(change).status_code in (302, 403, 404)

    # The action marks the selected ones read, and only the person's own.
    client.post(LIST, {"action": "mark_read", "_selected_action": [mine[0].pk, theirs.pk]})
    assert [n.read_at is not None for n in mine.all()] == [True, False]
    assert Notification.objects.get(pk=theirs.pk).read_at is None

    # "Mark all as read" is a POST; a GET changes nothing.
    assert client.get(READ_ALL).status_code == 405
    assert client.post(READ_ALL).status_code == 302
    assert not Notification.objects.filter(recipient=first, read_at=None).exists()
    assert Notification.objects.filter(recipient=second, read_at=None).count() == 2


def test_the_home_page_counts_the_unread_notifications_and_links_to_them(client, editor, staff):
    first, _ = staff
    builders.in_review(editor, slug="legs-up")
    builders.in_review(editor, slug="box-breath")
    handle_events()
    client.force_login(first)
    html = client.get(reverse("admin:index")).content.decode()
    assert re.search(
        rf'<li id="desk-notifications"><a href="{LIST}\?read=no">Unread notifications: '
        r"<strong>2</strong></a></li>",
        html,
    )
    Notification.objects.filter(recipient=first).update(read_at="2024-01-01T00:00Z")
    html = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{LIST}">Unread notifications: <strong>0</strong></a>' in html


def test_each_person_chooses_how_they_are_told_of_each_kind(client, editor, staff):
    first, second = staff
    client.force_login(first)
    page = client.get(PREFERENCES)
    assert page.status_code == 200
    html = page.content.decode()
    assert_strict_csp_friendly(html)
    for kind in NotificationKind:
        assert kind.label in html.replace("&#x27;", "'")
    # By default, everything comes at once.
    assert len(re.findall(r'value="immediate"[^>]*checked', html)) == len(NotificationKind)
    assert set(preferences.preferences_of(first).values()) == {"immediate"}

    choices = {kind.name.lower(): "immediate" for kind in NotificationKind}
    choices["submitted"] = "digest"
    choices["review_due"] = "off"
    response = client.post(PREFERENCES, choices)
    assert response.status_code == 302
    assert preferences.preferences_of(first)[NotificationKind.SUBMITTED] == "digest"
    assert preferences.preferences_of(first)[NotificationKind.REVIEW_DUE] == "off"
    assert set(preferences.preferences_of(second).values()) == {"immediate"}

    # An unknown choice is refused and nothing is saved.
    choices["approved"] = "hourly"
    assert client.post(PREFERENCES, choices).status_code == 200
    assert preferences.preferences_of(first)[NotificationKind.APPROVED] == "immediate"

    # The handler honours the choice: a digest notification, not an email at once.
    builders.in_review(editor, slug="legs-up")
    handle_events()
    assert Notification.objects.get(recipient=first).delivery == "digest"
    assert Notification.objects.get(recipient=second).delivery == "immediate"


def test_an_event_without_a_version_or_of_another_type_tells_nobody(staff):
    stray = new_event(
        EventType.SUBMITTED, {"type": "component", "slug": "nothing", "version": 1},
        at=timezone.now(),
    )  # fmt: skip
    other = new_event(
        EventType.VOCABULARY_CHANGED, {"type": "goal", "slug": "sleep", "change": "created"},
        at=timezone.now(),
    )  # fmt: skip
    assert handlers.handle(stray) == 0 and handlers.handle(other) == 0
    assert not Notification.objects.exists()
