"""The change lists' filters: kind, working state, review overdue, waiting for my review,
flagged for review."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from content import workflow
from content.kinds import Kind
from content.models import VersionState


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
