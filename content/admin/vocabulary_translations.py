"""The vocabularies' translations: translators write a contraindication's or goal's name and
description in a locale (``workflow.translate_vocabulary``); a reviewer who did not write it
approves it (``workflow.approve_vocabulary_translation``), and only then is it served. The
lists show which are approved and which wait; nothing is deleted here.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from content import workflow
from content.errors import ContentInvalid, DomainError
from content.models import (
    Contraindication,
    ContraindicationTranslation,
    Goal,
    GoalTranslation,
    Locale,
)
from content.workflow import policy
from content.workflow.locales import check_approve_vocabulary_translation

from .saving import refusal_on_form

WAITING = "Waiting for a reviewer's approval: apps are served the fallback's name meanwhile."


class VocabularyTranslationForm(forms.Form):
    """The name and description in a locale; which entry and locale, when it is new."""

    entry = forms.ChoiceField()
    locale = forms.ChoiceField()
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"size": 60}))
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 60})
    )

    def __init__(self, *args, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if entries is None:  # an existing translation: its entry and locale are fixed
            del self.fields["entry"], self.fields["locale"]
            return
        self.fields["entry"].choices = [
            (slug, f"{name} ({slug})") for slug, name in entries.values_list("slug", "name")
        ]
        self.fields["locale"].choices = [
            (code, f"{name} ({code})")
            for code, name in Locale.objects.filter(is_default=False).values_list("code", "name")
        ]


class ApprovalFilter(admin.SimpleListFilter):
    title = "approval"
    parameter_name = "approved"

    def lookups(self, request, model_admin):
        return [("no", "Waiting for approval"), ("yes", "Approved")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(approved_at=None)
        if self.value() == "yes":
            return queryset.exclude(approved_at=None)
        return queryset


class LocaleFilter(admin.SimpleListFilter):
    title = "locale"
    parameter_name = "locale"

    def lookups(self, request, model_admin):
        locales = Locale.objects.filter(is_default=False).values_list("code", "name")
        return [(code, f"{name} ({code})") for code, name in locales]

    def queryset(self, request, queryset):
        return queryset.filter(locale__code=self.value()) if self.value() else queryset


class VocabularyTranslationAdmin(admin.ModelAdmin):
    """The shared screens of the contraindications' and goals' translations."""

    entry_field = ""
    entry_model: type = Contraindication
    list_display = ["entry", "locale", "name", "status", "written_by"]
    list_filter = [ApprovalFilter, LocaleFilter]
    actions = ["approve_selected"]

    def get_queryset(self, request):
        related = [self.entry_field, "locale", "written_by", "approved_by"]
        return super().get_queryset(request).select_related(*related)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_approve_permission(self, request):
        return request.user.has_perm(policy.REVIEW)

    @admin.display(description="entry")
    def entry(self, translation) -> str:
        entry = getattr(translation, self.entry_field)
        return f"{entry.name} ({entry.slug})"

    @admin.display(description="status", ordering="approved_at")
    def status(self, translation) -> str:
        if translation.approved_at is None:
            return "Waiting for approval"
        when = timezone.localtime(translation.approved_at).strftime("%Y-%m-%d")
        return f"Approved by {translation.approved_by} on {when}"

    @admin.action(description="Approve the selected translations", permissions=["approve"])
    def approve_selected(self, request, queryset):
        for translation in queryset:
            self._approve(request, translation)

    def _approve(self, request, translation) -> bool:
        """Approve through the domain; say what it did or why it refused."""
        try:
            workflow.approve_vocabulary_translation(user=request.user, translation=translation)
        except DomainError as exc:
            messages.error(request, f"{self.entry(translation)}, {translation.locale.code}: {exc}")
            return False
        entry = self.entry(translation)
        messages.success(
            request,
            f"{entry} in {translation.locale.name} is approved: apps asking for "
            f"'{translation.locale.code}' are served '{translation.name}'.",
        )
        return True

    # --- Pages ---

    def _page(self, request, title: str, form, facts=(), approval=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "form": form,
            "facts": list(facts),
            "approval": approval,
            "save_label": "Save the translation",
        }
        return TemplateResponse(request, "admin/content/form_page.html", context)

    def _change_url(self, translation) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_change".format(*info), args=[translation.pk])

    def _write(self, request, form, entry, locale: str):
        """Write what the form holds through the domain; the translation, or None (the
        refusal shown on the form)."""
        try:
            return workflow.translate_vocabulary(
                user=request.user,
                entry=entry,
                locale=locale,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ContentInvalid as exc:
            refusal_on_form(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        return None

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = VocabularyTranslationForm(data, entries=self.entry_model.objects.order_by("slug"))
        if data is not None and form.is_valid():
            entry = self.entry_model.objects.get(slug=form.cleaned_data["entry"])
            written = self._write(request, form, entry, form.cleaned_data["locale"])
            if written is not None:
                messages.success(request, f"Saved. {WAITING}")
                return HttpResponseRedirect(self._change_url(written))
        title = f"Translate a {self.entry_model._meta.verbose_name}"
        return self._page(request, title, form)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        translation = self.get_object(request, object_id)
        if translation is None or not self.has_view_permission(request, translation):
            raise Http404("No such translation.")
        entry = getattr(translation, self.entry_field)
        if request.method == "POST" and "_approve" in request.POST:
            if not self.has_approve_permission(request):
                raise PermissionDenied
            self._approve(request, translation)
            return HttpResponseRedirect(self._change_url(translation))
        # Translators write; reviewers read and approve.
        writes = request.user.has_perm(policy.TRANSLATE)
        if request.method == "POST" and not writes:
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        initial = {"name": translation.name, "description": translation.description}
        form = VocabularyTranslationForm(data, initial=initial) if writes else None
        if data is not None and form.is_valid():
            written = self._write(request, form, entry, translation.locale.code)
            if written is not None:
                messages.success(
                    request, f"Saved. {WAITING}" if not written.approved else "Nothing changed."
                )
                return HttpResponseRedirect(self._change_url(written))
        facts = [
            (self.entry_model._meta.verbose_name.capitalize(), self.entry(translation)),
            ("In the source language", entry.description or "-"),
            ("Locale", str(translation.locale)),
            ("Written by", str(translation.written_by)),
        ]
        if form is None:
            facts += [("Name", translation.name), ("Description", translation.description or "-")]
        approval = {
            "status": WAITING if not translation.approved else self.status(translation),
            "may_approve": _may_approve(request.user, translation),
        }
        title = f"{self.entry(translation)} in {translation.locale.name}"
        return self._page(request, title, form, facts, approval)


@admin.register(ContraindicationTranslation)
class ContraindicationTranslationAdmin(VocabularyTranslationAdmin):
    entry_field = "contraindication"
    entry_model = Contraindication
    search_fields = ["contraindication__slug", "name"]


@admin.register(GoalTranslation)
class GoalTranslationAdmin(VocabularyTranslationAdmin):
    entry_field = "goal"
    entry_model = Goal
    search_fields = ["goal__slug", "name"]


def _may_approve(user, translation) -> bool:
    """Whether the Approve button is shown: exactly when the domain's check passes."""
    try:
        check_approve_vocabulary_translation(user=user, translation=translation)
    except DomainError:
        return False
    return True
