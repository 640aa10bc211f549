"""Webhook endpoints, managed by reviewers: the receivers that are told of content events,
their signing secrets (shown once, when made or rotated), a test event, and the log of what
was sent to each and what it answered, with "deliver again".

Every change goes through ``content.events.webhooks``: these views collect input, call the
domain function and say what was done. Deliveries, attempts and events have no screens of
their own; they are read here, in the log of the endpoint they went to.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from content.events import signing, webhooks
from content.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

#: The events an endpoint can ask for (test events go to one endpoint, when asked).
SUBSCRIBABLE = [(value, label) for value, label in EventType.choices if value != EventType.TEST]
#: How many deliveries the change page's log shows, newest first.
LOGGED = 50

VERIFY_HOW = (
    "Receivers verify each request with it as Standard Webhooks describes: the "
    "<code>webhook-signature</code> header is an HMAC-SHA256 signature of the "
    "<code>webhook-id</code>, the <code>webhook-timestamp</code> and the body "
    "(the standardwebhooks libraries check it)."
)


def _overlap_hours() -> int:
    """How long the old secret goes on signing after a rotation, in hours."""
    return round(signing.ROTATION_OVERLAP.total_seconds() / 3600)


class OwnerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        name = user.get_full_name() or user.get_username()
        return f"{name} <{user.email}>" if user.email else name


class WebhookEndpointForm(forms.ModelForm):
    """The endpoint's settings. Its secrets are never fields: they are made, shown once,
    and rotated by the admin's own buttons."""

    url = forms.URLField(
        label="URL",
        max_length=2000,
        assume_scheme="https",
        widget=AdminURLFieldWidget,
        help_text="Where events are POSTed. HTTPS (plain HTTP only in development).",
    )
    event_types = forms.MultipleChoiceField(
        label="Events",
        choices=SUBSCRIBABLE,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "radiolist"}),  # admin style
        error_messages={"required": "Pick at least one event to send to this endpoint."},
        help_text="The events this endpoint receives.",
    )
    owners = OwnerChoices(
        queryset=get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .order_by("username"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "radiolist"}),  # admin style
        help_text="Told by email when the endpoint is disabled.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "event_types", "enabled", "owners"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        webhooks.validate_url(url)  # its refusal is shown on the field
        return url

    def clean_event_types(self) -> list[str]:
        chosen = set(self.cleaned_data["event_types"])
        return [value for value, _ in SUBSCRIBABLE if value in chosen]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    change_form_template = "admin/content/webhookendpoint/change_form.html"
    list_display = ["url", "description", "events", "enabled", "status", "last_delivery"]
    list_display_links = ["url"]
    list_filter = ["enabled"]
    search_fields = ["url", "description"]

    def get_fieldsets(self, request, obj=None):
        settings = (None, {"fields": ["url", "description", "event_types", "enabled", "owners"]})
        if obj is None:
            return [settings]
        return [settings, ("Status", {"fields": ["status", "signing", "created_at"]})]

    def get_readonly_fields(self, request, obj=None):
        return ["status", "signing", "created_at"] if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("owners", [request.user.pk])
        return initial

    def get_queryset(self, request):
        latest = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by(
            "-created_at", "-pk"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_delivery_state=Subquery(latest.values("state")[:1]),
                last_delivery_at=Subquery(latest.values("created_at")[:1]),
            )
        )

    # --- Columns and read-only fields ---

    @admin.display(description="events")
    def events(self, endpoint: WebhookEndpoint) -> str:
        chosen = [value for value, _ in SUBSCRIBABLE if value in endpoint.event_types]
        if len(chosen) == len(SUBSCRIBABLE):
            return "all events"
        if not chosen:
            return "none"
        shown = ", ".join(chosen[:3])
        return shown if len(chosen) <= 3 else f"{shown} and {len(chosen) - 3} more"

    @admin.display(description="status")
    def status(self, endpoint: WebhookEndpoint) -> str:
        if not endpoint.enabled:
            return endpoint.disabled_reason or "Disabled."
        if endpoint.failing_since:
            at = timezone.localtime(endpoint.failing_since)
            return format_html(
                '<span class="webhook-failing">Failing since {}</span>', f"{at:%Y-%m-%d %H:%M}"
            )
        return "Enabled."

    @admin.display(description="last delivery", ordering="last_delivery_at")
    def last_delivery(self, endpoint: WebhookEndpoint) -> str:
        state = getattr(endpoint, "last_delivery_state", None)
        if state is None:
            return "-"
        at = timezone.localtime(endpoint.last_delivery_at)
        return f"{DeliveryStatus(state).label} ({at:%Y-%m-%d %H:%M})"

    @admin.display(description="signing secret")
    def signing(self, endpoint: WebhookEndpoint) -> str:
        if _rotation_running(endpoint):
            until = timezone.localtime(endpoint.previous_secret_until)
            return (
                "Rotated: requests are signed with the new secret and, until "
                f"{until:%Y-%m-%d %H:%M}, with the previous one too."
            )
        return "One secret signs (it is shown only when it is made or rotated)."

    # --- Saving ---

    def save_model(self, request, obj, form, change):
        if not change:
            obj.secret = webhooks.new_secret()
            obj.save()
            return
        # Only what the form changed: the secrets, and what the worker records (failures, a
        # disabling), are never written back from the form.
        fields = [name for name in form.changed_data if name != "owners"]  # owners: M2M
        if "enabled" in fields and obj.enabled:
            # Enabled again: the reason it was disabled, and its failures, are history.
            obj.disabled_reason = ""
            obj.failing_since = None
            fields += ["disabled_reason", "failing_since"]
            messages.info(
                request,
                "The endpoint is enabled again and receives new events. Deliveries cancelled "
                "while it was disabled are not resent: use “Deliver again” in the log.",
            )
        if fields:
            obj.save(update_fields=fields)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        messages.success(
            request,
            format_html(
                'The signing secret of this endpoint is <code class="webhook-secret">{}</code>. '
                "Copy it to the receiver now: it will not be shown again. " + VERIFY_HOW,
                obj.secret,
            ),
        )
        return response

    def response_post_save_add(self, request, obj):
        # The new endpoint's page (its test button and log), not the list.
        return HttpResponseRedirect(self._url("change", obj.pk))

    # --- The change page: status, buttons, the delivery log ---

    def change_view(self, request, object_id, form_url="", extra_context=None):
        endpoint = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if endpoint is not None and self.has_view_or_change_permission(request, endpoint):
            attempts = WebhookAttempt.objects.order_by("-number", "-pk")
            deliveries = (
                endpoint.deliveries.select_related("event")
                .prefetch_related(Prefetch("attempt_log", queryset=attempts))
                .order_by("-created_at", "-pk")
            )
            extra.update(
                deliveries=list(deliveries[:LOGGED]),
                delivery_count=endpoint.deliveries.count(),
                logged=LOGGED,
                can_act=self.has_change_permission(request, endpoint),
                rotation_running=_rotation_running(endpoint),
                overlap_hours=_overlap_hours(),
                rotate_url=self._url("rotate", endpoint.pk),
                test_url=self._url("test", endpoint.pk),
            )
        return super().change_view(request, object_id, form_url, extra)

    # --- The buttons ---

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view  # staff only, CSRF-checked, never cached
        return [
            path(
                "<int:object_id>/rotate-secret/",
                wrap(require_POST(self.rotate_view)),
                name="{}_{}_rotate".format(*info),
            ),
            path(
                "<int:object_id>/send-test/",
                wrap(require_POST(self.test_view)),
                name="{}_{}_test".format(*info),
            ),
            path(
                "<int:object_id>/deliveries/<int:delivery_id>/deliver-again/",
                wrap(require_POST(self.redeliver_view)),
                name="{}_{}_redeliver".format(*info),
            ),
            *super().get_urls(),
        ]

    def _url(self, name: str, *args) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    def _endpoint_to_change(self, request: HttpRequest, object_id: int) -> WebhookEndpoint:
        """The endpoint a button acts on, if the person may change it (403) and it exists
        (404)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        endpoint = self.get_object(request, str(object_id))
        if endpoint is None:
            raise Http404("No such webhook endpoint.")
        if not self.has_change_permission(request, endpoint):
            raise PermissionDenied
        return endpoint

    def rotate_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        endpoint = self._endpoint_to_change(request, object_id)
        back = HttpResponseRedirect(self._url("change", endpoint.pk))
        if _rotation_running(endpoint) and request.POST.get("confirmed") != "yes":
            messages.error(
                request,
                "The secret was rotated less than "
                f"{_overlap_hours()} hours ago. Rotating again now stops the secret before "
                "it at once: confirm that the receiver already uses the newest one. "
                "Nothing was changed.",
            )
            return back
        secret = webhooks.rotate_secret(endpoint)
        until = timezone.localtime(endpoint.previous_secret_until)
        messages.success(
            request,
            format_html(
                'The new signing secret is <code class="webhook-secret">{}</code>. Copy it to '
                "the receiver now: it will not be shown again. The old secret keeps signing "
                "beside it for {} hours (until {}), so the receiver can switch without a gap. "
                + VERIFY_HOW,
                secret,
                _overlap_hours(),
                f"{until:%Y-%m-%d %H:%M}",
            ),
        )
        self.log_change(request, endpoint, [{"changed": {"fields": ["signing secret"]}}])
        return back

    def test_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        endpoint = self._endpoint_to_change(request, object_id)
        back = HttpResponseRedirect(self._url("change", endpoint.pk))
        if not endpoint.enabled:
            messages.error(
                request,
                "This endpoint is disabled: nothing is sent to it. Enable it and save first.",
            )
            return back
        delivery = webhooks.send_test_event(endpoint)
        messages.success(
            request,
            format_html(
                'A test event (webhook-id <code>{}</code>) is queued for {}. <a href="#{}">Its '
                "delivery</a> is in the log below: reload the page to see its answer.",
                delivery.event_id,
                endpoint.url,
                f"delivery-{delivery.pk}",
            ),
        )
        return back

    def redeliver_view(
        self, request: HttpRequest, object_id: int, delivery_id: int
    ) -> HttpResponse:
        endpoint = self._endpoint_to_change(request, object_id)
        delivery = (
            WebhookDelivery.objects.filter(pk=delivery_id, endpoint=endpoint)
            .select_related("event")
            .first()
        )
        if delivery is None:
            raise Http404("No such delivery to this endpoint.")
        back = HttpResponseRedirect(self._url("change", endpoint.pk))
        if delivery.state == DeliveryStatus.PENDING:
            messages.error(request, "This delivery is still being tried; nothing was changed.")
            return back
        if not endpoint.enabled:
            messages.error(
                request,
                "This endpoint is disabled: nothing is sent to it. Enable it and save first.",
            )
            return back
        webhooks.redeliver(delivery)
        messages.success(
            request,
            format_html(
                "{} (webhook-id <code>{}</code>) will be delivered again now, with the same "
                'webhook-id; <a href="#{}">its log</a> shows the new attempts.',
                delivery.event.get_type_display(),
                delivery.event_id,
                f"delivery-{delivery.pk}",
            ),
        )
        return back


def _rotation_running(endpoint: WebhookEndpoint) -> bool:
    """Whether the previous secret still signs beside the current one."""
    return bool(
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and endpoint.previous_secret_until > timezone.now()
    )
