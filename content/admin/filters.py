"""The change lists' filters: kind, working state, review overdue, waiting for my review,
flagged for review; the language (the source's, or a locale's translations) and outdated
translations, of the items' lists and of the review queue."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from content import workflow
from content.kinds import Kind
from content.models import Locale, VersionState

from .translation_status import outdated_translations


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Kind.choices

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class WorkingStateFilter(admin.SimpleListFilter):
    title = "working version"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (VersionState.DRAFT, "Draft"),
            (VersionState.IN_REVIEW, "In review"),
            (VersionState.CHANGES_REQUESTED, "Changes requested"),
            (VersionState.APPROVED, "Approved, not yet published"),
            ("none", "None (published only)"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(working_state__isnull=True)
        return queryset.filter(working_state=self.value()) if self.value() else queryset


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "review overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Review overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(next_review_due__lt=timezone.localdate())
        return queryset


class WaitingForMyReviewFilter(admin.SimpleListFilter):
    title = "waiting for my review"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Waiting for my review")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            waiting = workflow.awaiting_review_by(request.user)
            return queryset.filter(versions__in=waiting).distinct()
        return queryset


class FlaggedFilter(admin.SimpleListFilter):
    title = "flagged for review"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "Flagged for review")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(flagged_for_review="")
        return queryset


def _locale_choices() -> tuple[str, list[tuple[str, str]]]:
    """The default locale's name, and each other locale as a choice (one query)."""
    default, choices = "the source language", []
    for code, name, is_default in Locale.objects.order_by("code").values_list(
        "code", "name", "is_default"
    ):
        if is_default:
            default = f"{name} ({code})"
        else:
            choices.append((code, f"{name} ({code})"))
    return default, choices


class LocaleFilter(admin.SimpleListFilter):
    """The items written in the source language (unless asked otherwise: translations are
    items of their own), every translation, or the translations into one locale."""

    title = "language"
    parameter_name = "locale"
    TRANSLATIONS = "translations"

    def lookups(self, request, model_admin):
        self.source_label, locales = _locale_choices()
        return [(self.TRANSLATIONS, "Translations, every locale"), *locales]

    def choices(self, changelist):
        """ "All" is the source language here: the list shows what editors write."""
        choices = super().choices(changelist)
        yield {**next(choices), "display": f"Source: {self.source_label}"}
        yield from choices

    @classmethod
    def lists_translations(cls, request) -> bool:
        """Whether the list shows translations (a locale, or the outdated ones)."""
        return bool(request.GET.get(cls.parameter_name)) or bool(
            request.GET.get(OutdatedFilter.parameter_name)
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            if request.GET.get(OutdatedFilter.parameter_name):
                return queryset  # the outdated filter lists translations, in any locale
            return queryset.filter(source__isnull=True)
        if value == self.TRANSLATIONS:
            return queryset.filter(source__isnull=False)
        return queryset.filter(locale__code=value)


class OutdatedFilter(admin.SimpleListFilter):
    """Translations whose published version translates a source version that is no longer
    the published one: apps are served the fallback until they are translated again."""

    title = "translation"
    parameter_name = "outdated"

    def lookups(self, request, model_admin):
        return [("yes", "Outdated translations")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=outdated_translations().values("item_id"))
        return queryset


class VersionLocaleFilter(admin.SimpleListFilter):
    """The review queue's versions of the source language or of one locale's translations."""

    title = "language"
    parameter_name = "locale"
    SOURCE = "source"

    def lookups(self, request, model_admin):
        source, locales = _locale_choices()
        return [(self.SOURCE, f"Source: {source}"), *locales]

    def queryset(self, request, queryset):
        if self.value() == self.SOURCE:
            return queryset.filter(item__source__isnull=True)
        if self.value():
            return queryset.filter(item__locale__code=self.value())
        return queryset
