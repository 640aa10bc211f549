"""Webhook endpoints in the admin, over HTTP with Django's test client: reviewers create them
(the secret shown once), rotate the secret and re-enable a disabled one; editors see none of
it. The list and the log: ``test_log.py``; sending for real: ``tests/events/``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.admin.webhooks.pages import (
    ADD,
    CHANGELIST,
    SECRET,
    action_url,
    change_url,
    delivery,
    form_data,
    logged_in,
    messages_of,
    page_text,
)
from tests.factories import ReviewerFactory, UserFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db


# --- Creating: the secret, once -------------------------------------------------------------


def test_creating_an_endpoint_shows_its_secret_once_and_never_again(reviewer):
    client = logged_in(reviewer)
    form = client.get(ADD)
    assert form.status_code == 200
    text = page_text(form)
    # Events are checkboxes, without the test event; the one creating it is its owner.
    assert 'type="checkbox" name="event_types" value="content.published"' in text
    assert 'value="webhook.test"' not in text
    assert form.context["adminform"].form.initial["owners"] == [reviewer.pk]
    assert "secret" not in form.context["adminform"].form.fields

    answer = client.post(ADD, form_data(owners=[reviewer.pk]), follow=True)

    endpoint = WebhookEndpoint.objects.get()
    assert answer.redirect_chain == [(change_url(endpoint), 302)]
    assert endpoint.url == "https://hooks.example.org/recovery"
    assert endpoint.event_types == ["content.published", "content.withdrawn"]
    assert list(endpoint.owners.all()) == [reviewer]
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    [shown] = SECRET.findall(page_text(answer))
    assert shown == endpoint.secret
    [message] = [m for m in messages_of(answer) if endpoint.secret in m]
    assert "it will not be shown again" in message
    assert "Standard Webhooks" in message and "<code>webhook-signature</code>" in message

    # Never again: not on its page, not in the list, not in its history.
    for url in (
        change_url(endpoint),
        CHANGELIST,
        reverse("admin:content_webhookendpoint_history", args=[endpoint.pk]),
    ):
        later = client.get(url)
        assert later.status_code == 200, url
        assert endpoint.secret not in page_text(later), url
        assert 'class="webhook-secret"' not in page_text(later), url
        assert "whsec_" not in page_text(later), url


def test_an_endpoint_needs_at_least_one_event(reviewer):
    answer = logged_in(reviewer).post(ADD, form_data(event_types=[]))
    assert answer.status_code == 200
    assert answer.context["adminform"].form.errors["event_types"] == [
        "Pick at least one event to send to this endpoint."
    ]
    assert not WebhookEndpoint.objects.exists()


def test_the_test_event_cannot_be_subscribed_to(reviewer):
    answer = logged_in(reviewer).post(ADD, form_data(event_types=["webhook.test"]))
    assert "event_types" in answer.context["adminform"].form.errors
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_is_refused_on_the_url_field_where_it_is_not_allowed(reviewer, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    client = logged_in(reviewer)

    answer = client.post(ADD, form_data(url="http://hooks.example.org/recovery"))

    assert answer.status_code == 200
    refusal = (
        "Use an https:// URL: webhooks carry signed content events "
        "(plain HTTP only in development)."
    )
    assert answer.context["adminform"].form.errors["url"] == [refusal]
    # Shown on the field itself, in its row.
    text = page_text(answer)
    row = text[text.index("field-url") : text.index("field-description")]
    assert refusal in row and 'class="errorlist' in row
    assert not WebhookEndpoint.objects.exists()

    # A URL without a scheme is taken as HTTPS; that one is accepted.
    client.post(ADD, form_data(url="hooks.example.org/recovery"))
    assert WebhookEndpoint.objects.get().url == "https://hooks.example.org/recovery"


def test_plain_http_is_accepted_where_development_allows_it(reviewer, settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    logged_in(reviewer).post(ADD, form_data(url="http://127.0.0.1:9000/hooks"))
    assert WebhookEndpoint.objects.get().url == "http://127.0.0.1:9000/hooks"


def test_only_active_staff_can_be_owners(reviewer):
    gone = ReviewerFactory(is_staff=True, is_active=False)
    outsider = UserFactory(is_staff=False)
    form = logged_in(reviewer).get(ADD).context["adminform"].form
    choices = set(form.fields["owners"].queryset)
    assert reviewer in choices
    assert gone not in choices and outsider not in choices

    answer = logged_in(reviewer).post(ADD, form_data(owners=[outsider.pk]))
    assert "owners" in answer.context["adminform"].form.errors
    assert not WebhookEndpoint.objects.exists()


# --- Who may -------------------------------------------------------------------------------


def test_editors_get_none_of_the_pages_or_the_buttons(editor, reviewer):
    endpoint = WebhookEndpointFactory()
    done = delivery(endpoint, state=DeliveryStatus.SUCCEEDED)
    secret = endpoint.secret
    client = logged_in(editor)

    assert "webhookendpoint" not in page_text(client.get(reverse("admin:index")))
    for url in (CHANGELIST, ADD, change_url(endpoint)):
        assert client.get(url).status_code == 403, url
    assert client.post(ADD, form_data()).status_code == 403
    assert client.post(change_url(endpoint), form_data(endpoint, enabled=None)).status_code == 403
    delete = reverse("admin:content_webhookendpoint_delete", args=[endpoint.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    for url in (
        action_url("rotate", endpoint),
        action_url("test", endpoint),
        action_url("redeliver", endpoint, done.pk),
    ):
        assert client.post(url).status_code == 403, url

    endpoint.refresh_from_db()
    assert endpoint.secret == secret and endpoint.enabled
    assert WebhookDelivery.objects.count() == 1
    assert WebhookEndpoint.objects.count() == 1
    # Reviewers see them on the home page.
    assert CHANGELIST in page_text(logged_in(reviewer).get(reverse("admin:index")))


def test_a_reviewer_without_change_permission_may_look_but_not_press(reviewer):
    """The buttons check ``change_webhookendpoint`` themselves, not just the page."""
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True, groups=[])
    viewer.user_permissions.add(Permission.objects.get(codename="view_webhookendpoint"))
    endpoint = WebhookEndpointFactory()
    done = delivery(endpoint, state=DeliveryStatus.SUCCEEDED)
    client = logged_in(viewer)

    page = client.get(change_url(endpoint))
    assert page.status_code == 200
    assert "Rotate secret" not in page_text(page)
    assert "Deliver again" not in page_text(page)
    for url in (
        action_url("rotate", endpoint),
        action_url("test", endpoint),
        action_url("redeliver", endpoint, done.pk),
    ):
        assert client.post(url).status_code == 403, url
    assert WebhookDelivery.objects.count() == 1


def test_the_buttons_take_only_posts_with_a_csrf_token(reviewer):
    endpoint = WebhookEndpointFactory()
    secret = endpoint.secret
    assert logged_in(reviewer).get(action_url("rotate", endpoint)).status_code == 405
    strict = logged_in(reviewer, enforce_csrf_checks=True)
    assert strict.post(action_url("rotate", endpoint)).status_code == 403
    assert strict.post(action_url("test", endpoint)).status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.secret == secret
    assert not WebhookDelivery.objects.exists()


def test_a_missing_endpoint_or_delivery_is_not_found(reviewer):
    endpoint = WebhookEndpointFactory()
    other = delivery(WebhookEndpointFactory(), state=DeliveryStatus.SUCCEEDED)
    client = logged_in(reviewer)
    missing = reverse("admin:content_webhookendpoint_rotate", args=[endpoint.pk + 100])
    assert client.post(missing).status_code == 404
    # A delivery to another endpoint is not this endpoint's to send again.
    assert client.post(action_url("redeliver", endpoint, other.pk)).status_code == 404


# --- Rotating the secret -------------------------------------------------------------------


def test_rotating_shows_the_new_secret_once_and_the_old_one_keeps_signing(reviewer):
    endpoint = WebhookEndpointFactory()
    old = endpoint.secret
    client = logged_in(reviewer)

    answer = client.post(action_url("rotate", endpoint), follow=True)

    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.previous_secret == old
    assert endpoint.previous_secret_until - timezone.now() > timedelta(hours=23, minutes=59)
    assert answer.redirect_chain == [(change_url(endpoint), 302)]
    [shown] = SECRET.findall(page_text(answer))
    assert shown == endpoint.secret
    [message] = [m for m in messages_of(answer) if endpoint.secret in m]
    assert "it will not be shown again" in message
    assert "The old secret keeps signing beside it for 24 hours" in message
    assert old not in page_text(answer)

    later = page_text(client.get(change_url(endpoint)))
    assert endpoint.secret not in later and old not in later
    assert "with the previous one too" in later


def test_rotating_again_during_the_overlap_asks_to_confirm(reviewer):
    endpoint = WebhookEndpointFactory()
    client = logged_in(reviewer)
    client.post(action_url("rotate", endpoint))
    endpoint.refresh_from_db()
    first = endpoint.secret

    page = client.get(change_url(endpoint))
    assert 'name="confirmed" value="yes" required' in page_text(page)
    refused = client.post(action_url("rotate", endpoint), follow=True)
    assert any("Nothing was changed" in m for m in messages_of(refused))
    endpoint.refresh_from_db()
    assert endpoint.secret == first

    client.post(action_url("rotate", endpoint), {"confirmed": "yes"})
    endpoint.refresh_from_db()
    assert endpoint.secret != first and endpoint.previous_secret == first


# --- Enabling again ------------------------------------------------------------------------


def test_enabling_a_disabled_endpoint_again_clears_why_it_was_disabled(reviewer):
    reason = "Disabled on 2025-01-01 10:00 UTC: it answered 410 Gone."
    endpoint = WebhookEndpointFactory(
        enabled=False,
        disabled_reason=reason,
        failing_since=timezone.now() - timedelta(days=4),
        owners=[reviewer],
    )
    client = logged_in(reviewer)
    page = page_text(client.get(change_url(endpoint)))
    assert 'id="endpoint-disabled"' in page and reason in page
    assert "Send a test event" not in page  # nothing is sent to a disabled endpoint

    # Saved still disabled: the reason stays.
    client.post(change_url(endpoint), form_data(endpoint, description="Renamed"))
    endpoint.refresh_from_db()
    assert endpoint.description == "Renamed" and endpoint.disabled_reason == reason

    answer = client.post(change_url(endpoint), form_data(endpoint, enabled="on"), follow=True)

    endpoint.refresh_from_db()
    assert endpoint.enabled
    assert endpoint.disabled_reason == ""
    assert endpoint.failing_since is None
    assert any("enabled again" in m for m in messages_of(answer))
    assert 'id="endpoint-disabled"' not in page_text(client.get(change_url(endpoint)))


def test_saving_the_form_writes_only_what_it_changed(reviewer, monkeypatch):
    """A rotation (or the worker disabling the endpoint) while the form is being saved is
    not undone by the form: it never writes the secrets, or anything it did not change."""
    from content.admin.webhooks import WebhookEndpointAdmin
    from content.events import webhooks

    endpoint = WebhookEndpointFactory(owners=[reviewer])
    loaded = WebhookEndpointAdmin.get_object
    rotated = []

    def loaded_then_rotated(self, request, object_id, from_field=None):
        found = loaded(self, request, object_id, from_field)
        if request.method == "POST" and not rotated:
            rotated.append(webhooks.rotate_secret(WebhookEndpoint.objects.get(pk=found.pk)))
        return found

    monkeypatch.setattr(WebhookEndpointAdmin, "get_object", loaded_then_rotated)
    logged_in(reviewer).post(change_url(endpoint), form_data(endpoint, description="Renamed"))

    saved = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert saved.description == "Renamed"
    assert saved.secret == rotated[0]  # the rotation stands
    assert saved.previous_secret == endpoint.secret


def test_nothing_is_sent_to_a_disabled_endpoint_from_the_buttons(reviewer):
    endpoint = WebhookEndpointFactory(enabled=False, disabled_reason="Disabled by hand.")
    done = delivery(endpoint, state=DeliveryStatus.CANCELLED)
    client = logged_in(reviewer)

    answer = client.post(action_url("test", endpoint), follow=True)
    assert any("Enable it and save first" in m for m in messages_of(answer))
    answer = client.post(action_url("redeliver", endpoint, done.pk), follow=True)
    assert any("Enable it and save first" in m for m in messages_of(answer))
    assert list(WebhookDelivery.objects.values_list("state", flat=True)) == ["cancelled"]
