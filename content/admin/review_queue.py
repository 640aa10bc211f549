"""The review queue: versions waiting for the current reviewer (never their own), oldest
first, with how far each one's review has come."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from content import workflow
from content.admin.readonly import ReadOnlyAdmin
from content.kinds import PLAN
from content.models import ReviewQueueEntry
from content.workflow import policy


@admin.register(ReviewQueueEntry)
class ReviewQueueAdmin(ReadOnlyAdmin):
    """Versions waiting for the current user's review (never their own), oldest first."""

    list_display = ["item_link", "kind", "number", "submitted_at", "author", "approvals_so_far"]
    ordering = ["submitted_at", "pk"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(policy.REVIEW)

    def get_queryset(self, request):
        waiting = workflow.awaiting_review_by(request.user).values("pk")
        queue = ReviewQueueEntry.objects.filter(pk__in=waiting).select_related("item", "created_by")
        return workflow.with_approval_progress(queue).order_by("submitted_at", "pk")

    @admin.display(description="item")
    def item_link(self, version):
        admin_name = "plan" if version.item.kind == PLAN else "component"
        url = reverse(f"admin:content_{admin_name}_change", args=[version.item_id])
        return format_html('<a href="{}">{}: {}</a>', url, version.item.slug, version.title)

    @admin.display(description="kind")
    def kind(self, version):
        return version.item.get_kind_display()

    @admin.display(description="author")
    def author(self, version):
        return version.created_by

    @admin.display(description="approvals")
    def approvals_so_far(self, version):
        return str(workflow.approval_progress(version))
