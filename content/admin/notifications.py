"""The person's notifications: the list of their own (newest first, unread ones marked), marking
them read, and the page where they choose how they are told of each kind of news.

Everyone who reaches the admin sees their own notifications and nobody else's. Every change
is a plain POST form with its CSRF token (the admin runs under a strict CSP: no scripts of
our own here).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from content.admin.readonly import ReadOnlyAdmin
from content.models import Delivery, Notification, NotificationKind
from content.notifications import preferences


class ReadFilter(admin.SimpleListFilter):
    title = "read"
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", "Unread"), ("yes", "Read")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(read_at=None)
        if self.value() == "yes":
            return queryset.exclude(read_at=None)
        return queryset


class PreferencesForm(forms.Form):
    """One choice per kind of news (a field named after the kind, e.g. ``submitted``): at
    once, in the daily digest, or not at all."""

    def __init__(self, *args, chosen: dict[str, str] | None = None, **kwargs) -> None:
        if chosen is not None:
            kwargs["initial"] = {_field(kind): chosen[kind] for kind in NotificationKind}
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[_field(kind)] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, widget=forms.RadioSelect
            )

    def choices(self) -> dict[str, str]:
        """The valid form's choices, by kind."""
        return {kind.value: self.cleaned_data[_field(kind)] for kind in NotificationKind}


def _field(kind: NotificationKind) -> str:
    return kind.name.lower()


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The logged-in person's notifications; nobody else's, and nothing to add or edit."""

    list_display = ["headline", "kind", "created_at", "delivered", "read"]
    list_filter = [ReadFilter, "kind"]
    list_per_page = 50
    actions = ["mark_read", "mark_unread"]
    change_list_template = "admin/content/notification_change_list.html"

    # Everyone in the admin has notifications; each sees their own only (``get_queryset``).
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if not (request.user.is_active and request.user.is_staff):
            return False
        return obj is None or obj.recipient_id == request.user.pk

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient_id=request.user.pk)

    # --- Columns ---

    @admin.display(description="notification", ordering="created_at")
    def headline(self, notification: Notification):
        if notification.read_at is None:
            return format_html(
                '<strong class="unread"><a href="{}">{}</a></strong>',
                notification.link,
                notification.title,
            )
        return format_html('<a href="{}">{}</a>', notification.link, notification.title)

    @admin.display(description="email")
    def delivered(self, notification: Notification) -> str:
        if notification.emailed_at is not None:
            return "in a digest" if notification.digest_id else "sent"
        return "for the digest" if notification.delivery == Delivery.DIGEST else "not sent yet"

    @admin.display(description="read", boolean=True, ordering="read_at")
    def read(self, notification: Notification) -> bool:
        return notification.read_at is not None

    # --- Marking read ---

    @admin.action(description="Mark the selected notifications as read")
    def mark_read(self, request, queryset):
        count = queryset.filter(read_at=None).update(read_at=timezone.now())
        self.message_user(request, f"{count} notification{'s' * (count != 1)} marked as read.")

    @admin.action(description="Mark the selected notifications as unread")
    def mark_unread(self, request, queryset):
        count = queryset.exclude(read_at=None).update(read_at=None)
        self.message_user(request, f"{count} notification{'s' * (count != 1)} marked as unread.")

    # --- Pages of its own ---

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "preferences/",
                wrap(self.preferences_view),
                name="content_notification_preferences",
            ),
            path("read-all/", wrap(self.read_all_view), name="content_notification_read_all"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        context = {
            "unread": self.get_queryset(request).filter(read_at=None).count(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def read_all_view(self, request: HttpRequest) -> HttpResponse:
        """Mark every unread notification of the person as read (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        count = self.get_queryset(request).filter(read_at=None).update(read_at=timezone.now())
        messages.success(request, f"{count} notification{'s' * (count != 1)} marked as read.")
        return HttpResponseRedirect(reverse("admin:content_notification_changelist"))

    def preferences_view(self, request: HttpRequest) -> HttpResponse:
        """The person's choice, per kind of news, of how they are told."""
        if not self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        if request.method == "POST":
            form = PreferencesForm(request.POST)
            if form.is_valid():
                preferences.set_preferences(request.user, form.choices())
                messages.success(request, "Your notification choices were saved.")
                return HttpResponseRedirect(request.path)
        else:
            form = PreferencesForm(chosen=preferences.preferences_of(request.user))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "How you are notified",
            "form": form,
            "deliveries": Delivery.choices,
            "has_email": bool(request.user.email),
        }
        return TemplateResponse(request, "admin/content/notification_preferences.html", context)
