"""Locales, managed by reviewers: the languages content is served in, each with the locale it
falls back to. Added and changed through ``workflow.add_locale`` / ``change_locale`` (a
fallback chain that would loop is refused, on the form, with what was typed kept); never
deleted, since translations and documents name them."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from content import workflow
from content.errors import ContentInvalid, DomainError
from content.models import Locale
from content.workflow.locales import ADD_LOCALES, CHANGE_LOCALES

from .saving import refusal_on_form


class LocaleForm(forms.Form):
    """A locale's code (when it is added), name and fallback."""

    code = forms.CharField(
        max_length=20,
        help_text="A BCP 47 language tag: 'es', 'pt-BR', 'zh-Hant-TW'. It cannot be changed "
        "later: apps ask for it.",
    )
    name = forms.CharField(
        max_length=100, help_text="The language's name as its speakers write it: 'Español'."
    )
    fallback = forms.ChoiceField(
        required=False,
        help_text="What apps are served where this locale has no current translation, "
        "following that locale's own fallback in turn. Empty: the source language.",
    )

    def __init__(self, *args, locale: Locale | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if locale is not None:
            del self.fields["code"]  # apps and translations name it
            if locale.is_default:
                del self.fields["fallback"]  # the language content is written in
                return
        others = Locale.objects.filter(is_default=False).order_by("code")
        if locale is not None:
            others = others.exclude(pk=locale.pk)
        default = Locale.objects.filter(is_default=True).first()
        self.fields["fallback"].choices = [
            ("", f"{default.name} ({default.code}), the source language" if default else "-"),
            *((other.code, f"{other.name} ({other.code})") for other in others),
        ]


@admin.register(Locale)
class LocaleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "falls_back_to", "is_default"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def has_add_permission(self, request):
        return request.user.has_perm(ADD_LOCALES)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(CHANGE_LOCALES)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("fallback")

    @admin.display(description="falls back to", ordering="fallback__code")
    def falls_back_to(self, locale: Locale) -> str:
        if locale.is_default:
            return "-"
        return str(locale.fallback) if locale.fallback else "the source language"

    def _page(self, request, form, title: str, facts=()):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "form": form,
            "facts": list(facts),
            "save_label": "Save",
        }
        return TemplateResponse(request, "admin/content/form_page.html", context)

    def _back(self):
        return HttpResponseRedirect(reverse("admin:content_locale_changelist"))

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = LocaleForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                locale = workflow.add_locale(
                    user=request.user,
                    code=data["code"],
                    name=data["name"],
                    fallback=data["fallback"] or None,
                )
            except ContentInvalid as exc:
                refusal_on_form(form, exc)
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"{locale} added. Apps asking for '{locale.code}' are served it at once, "
                    "falling back until items are translated.",
                )
                return self._back()
        return self._page(request, form, "Add locale")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        locale = self.get_object(request, object_id)
        if locale is None or not self.has_view_permission(request, locale):
            raise Http404("No such locale.")
        facts = [("Code", locale.code)] + (
            [("", "The source language: content is written in it.")] if locale.is_default else []
        )
        if not self.has_change_permission(request, locale):
            if request.method == "POST":
                raise PermissionDenied
            facts += [("Name", locale.name), ("Falls back to", self.falls_back_to(locale))]
            return self._page(request, None, str(locale), facts)
        initial = {"name": locale.name, "fallback": locale.fallback.code if locale.fallback else ""}
        form = LocaleForm(
            request.POST if request.method == "POST" else None, initial=initial, locale=locale
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                locale = workflow.change_locale(
                    user=request.user,
                    code=locale.code,
                    name=data["name"],
                    fallback=data.get("fallback") or None,
                )
            except ContentInvalid as exc:
                refusal_on_form(form, exc)
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"{locale} saved; apps are served it as it says now.")
                return self._back()
        return self._page(request, form, f"Change {locale}", facts)
