"""Components and plans as their change lists show them: the columns (title, working and
published versions, next review, flagged; for translations, what they translate and whether
it is current), the filters, and the one query the rows are read with.

Translations are items of their own: the lists show the items written in the source language
unless the locale filter asks for a locale's translations, or the outdated filter for the
translations that no longer translate what is published.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.html import format_html

from content.models import WORKING_STATES, Version, VersionState

from .filters import (
    FlaggedFilter,
    LocaleFilter,
    OutdatedFilter,
    ReviewOverdueFilter,
    WaitingForMyReviewFilter,
    WorkingStateFilter,
)
from .translation_status import STATUS_LABELS, status_of


class ItemLists:
    """The change list of ``ItemAdmin``."""

    list_display = [
        "title",
        "slug",
        "kind",
        "working",
        "published_version",
        "next_review",
        "flagged",
    ]
    # The locale filter lists the items written in the source language unless asked for a
    # locale's translations (or the outdated ones): translations are items of their own.
    list_filter = [
        LocaleFilter,
        OutdatedFilter,
        WorkingStateFilter,
        ReviewOverdueFilter,
        WaitingForMyReviewFilter,
        FlaggedFilter,
    ]
    search_fields = ["slug", "versions__title", "versions__summary"]
    ordering = ["slug"]

    def get_queryset(self, request):
        versions = Version.objects.filter(item=OuterRef("pk"))
        latest = versions.order_by("-number")
        working = versions.filter(state__in=WORKING_STATES)
        published = versions.filter(state=VersionState.PUBLISHED)
        return (
            super()
            .get_queryset(request)
            .filter(discarded_at__isnull=True)
            .annotate(
                latest_title=Subquery(latest.values("title")[:1]),
                working_state=Subquery(working.values("state")[:1]),
                published_number=Subquery(published.values("number")[:1]),
                next_review_due=Subquery(published.values("next_review_due")[:1]),
                translates_number=Subquery(published.values("translates__number")[:1]),
                translates_state=Subquery(published.values("translates__state")[:1]),
            )
        )

    def get_list_display(self, request):
        """The lists of translations say what each one translates, and whether it is
        current."""
        if LocaleFilter.lists_translations(request):
            return [*self.list_display[:3], "translation", *self.list_display[3:]]
        return self.list_display

    @admin.display(description="translation")
    def translation(self, item):
        if item.translates_number is None:
            return STATUS_LABELS[status_of(None, None)]
        outdated = item.translates_state != VersionState.PUBLISHED
        label = f"translates v{item.translates_number}"
        if outdated:
            return format_html('<strong class="outdated">Outdated: {}</strong>', label)
        return f"Current: {label}"

    @admin.display(description="title", ordering="latest_title")
    def title(self, item):
        return item.latest_title

    @admin.display(description="working version", ordering="working_state")
    def working(self, item):
        return VersionState(item.working_state).label if item.working_state else "-"

    @admin.display(description="published", ordering="published_number")
    def published_version(self, item):
        return f"v{item.published_number}" if item.published_number else "-"

    @admin.display(description="next review due", ordering="next_review_due")
    def next_review(self, item):
        if item.next_review_due is None:
            return "-"
        if item.next_review_due < timezone.localdate():
            return format_html(
                '<strong class="overdue">{} (overdue)</strong>', item.next_review_due
            )
        return item.next_review_due

    @admin.display(description="flagged", ordering="flagged_for_review")
    def flagged(self, item):
        """A dash for an unflagged item; for a flagged one, why, shortened (in full on
        hover and on its page)."""
        reason = item.flagged_for_review
        if not reason:
            return "-"
        shown = reason if len(reason) <= 60 else reason[:59].rstrip() + "…"
        return format_html('<span class="flagged" title="{}">Flagged: {}</span>', reason, shown)
