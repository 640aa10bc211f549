"""The review queue: versions waiting for the current reviewer (never their own), oldest
first, with how far each one's review has come; a translation says its locale and the source
version it translates. Filtered by language: the source's, or one locale's translations."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from content import workflow
from content.admin.readonly import ReadOnlyAdmin
from content.kinds import PLAN
from content.models import ReviewQueueEntry, VersionState
from content.workflow import policy

from .filters import VersionLocaleFilter


@admin.register(ReviewQueueEntry)
class ReviewQueueAdmin(ReadOnlyAdmin):
    """Versions waiting for the current user's review (never their own), oldest first."""

    list_display = [
        "item_link",
        "kind",
        "number",
        "translation",
        "submitted_at",
        "author",
        "approvals_so_far",
    ]
    list_filter = [VersionLocaleFilter]
    ordering = ["submitted_at", "pk"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(policy.REVIEW)

    def get_queryset(self, request):
        waiting = workflow.awaiting_review_by(request.user).values("pk")
        queue = ReviewQueueEntry.objects.filter(pk__in=waiting).select_related(
            "item__locale", "item__source", "translates", "created_by"
        )
        return workflow.with_approval_progress(queue).order_by("submitted_at", "pk")

    @admin.display(description="item")
    def item_link(self, version):
        admin_name = "plan" if version.item.kind == PLAN else "component"
        url = reverse(f"admin:content_{admin_name}_change", args=[version.item_id])
        return format_html('<a href="{}">{}: {}</a>', url, version.item.slug, version.title)

    @admin.display(description="kind")
    def kind(self, version):
        return version.item.get_kind_display()

    @admin.display(description="translation")
    def translation(self, version):
        """For a translation: into which locale, of which source version, and whether that
        is still the published one."""
        if version.translates_id is None:
            return "-"
        item, source = version.item, version.translates
        locale = f"{item.locale.name} ({item.locale.code})"
        said = f"into {locale}, of {item.source.slug} v{source.number}"
        if source.state != VersionState.PUBLISHED:
            return format_html(
                '{} <strong class="outdated">(outdated: v{} is no longer published)</strong>',
                said,
                source.number,
            )
        return said

    @admin.display(description="author")
    def author(self, version):
        return version.created_by

    @admin.display(description="approvals")
    def approvals_so_far(self, version):
        return str(workflow.approval_progress(version))
