"""The editors' and reviewers' screens for components and plans, and the review queue.

Every change goes through ``content.workflow``: these views collect input, call the domain
function and show its message, success or refusal. They hold no rule of their own.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from content import workflow
from content.errors import ContentInvalid, DomainError, InvalidTransition
from content.kinds import PLAN, Kind
from content.models import (
    WORKING_STATES,
    Approval,
    AuditEntry,
    Component,
    ContentItem,
    Plan,
    ReviewQueueEntry,
    Version,
    VersionState,
)
from content.workflow import offers, policy

from .diffing import content_lines, side_by_side
from .forms import ContentForms, initial_from

# --- Change-list filters ---------------------------------------------------------------


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


# --- Components and plans ---------------------------------------------------------------

ACTION_LABELS = {
    "start_draft": "Edit: start a new draft",
    "submit": "Submit for review",
    "approve": "Approve",
    "request_changes": "Request changes",
    "publish": "Publish now",
    "schedule": "Schedule publication",
    "withdraw": "Withdraw",
    "roll_back": "Roll back",
}


class ItemAdmin(admin.ModelAdmin):
    """The shared screens of components and plans."""

    list_display = [
        "title",
        "slug",
        "kind",
        "working",
        "published_version",
        "next_review",
        "flagged",
    ]
    list_filter = [WorkingStateFilter, ReviewOverdueFilter, WaitingForMyReviewFilter]
    search_fields = ["slug", "versions__title", "versions__summary"]
    ordering = ["slug"]
    is_plan = False

    # Everyone in the content teams sees the screens; what they may do is the workflow's call.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("content.view_contentitem")

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.has_perm(policy.CREATE)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        versions = Version.objects.filter(item=OuterRef("pk"))
        latest = versions.order_by("-number")
        working = versions.filter(state__in=WORKING_STATES)
        published = versions.filter(state=VersionState.PUBLISHED)
        return (
            super()
            .get_queryset(request)
            .annotate(
                latest_title=Subquery(latest.values("title")[:1]),
                working_state=Subquery(working.values("state")[:1]),
                published_number=Subquery(published.values("number")[:1]),
                next_review_due=Subquery(published.values("next_review_due")[:1]),
            )
        )

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

    @admin.display(description="flagged", boolean=True)
    def flagged(self, item):
        return bool(item.flagged_for_review)

    # --- URLs ---

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/workflow/",
                wrap(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            path("<int:object_id>/diff/", wrap(self.diff_view), name="{}_{}_diff".format(*info)),
            *super().get_urls(),
        ]

    def _url(self, name: str, item_id: int) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=[item_id])

    def _item(self, request, object_id) -> ContentItem:
        item = self.get_object(request, str(object_id))
        if item is None or not self.has_view_permission(request, item):
            raise Http404("No such item.")
        return item

    def _context(self, request, item: ContentItem | None, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "item": item,
            "title": str(item) if item else f"Add {self.opts.verbose_name}",
            "is_plan": self.is_plan,
            **extra,
        }

    # --- The change page: the working version, its form or its content, and the actions ---

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self._item(request, object_id)
        versions = offers.item_versions(item)
        offered = offers.offered_actions(request.user, versions)
        shown = versions.working or versions.published or versions.latest
        forms = problems = None
        if "edit" in offered:
            if request.method == "POST":
                forms = ContentForms(item.kind, data=request.POST)
                saved, problems = self._save_draft(request, versions.working, forms)
                if saved:
                    return HttpResponseRedirect(request.path)
            else:
                content = workflow.read_content(versions.working)
                forms = ContentForms(
                    item.kind, initial=initial_from(content, versions.working.edit_count)
                )
        elif request.method == "POST":
            messages.error(request, "This version cannot be edited now; nothing was saved.")
            return HttpResponseRedirect(request.path)
        context = self._context(
            request,
            item,
            versions=versions,
            shown=shown,
            # The form shows a draft itself; other versions are shown as read-only lines.
            shown_lines=content_lines(workflow.read_content(shown)) if shown and not forms else [],
            forms=forms,
            problems=problems,
            actions=[(a, ACTION_LABELS[a]) for a in ACTION_LABELS if a in offered],
            workflow_url=self._url("workflow", item.pk),
            history_url=self._url("history", item.pk),
            approvals=_approvals_of(shown),
            required=workflow.review_policy(item.kind).approvals_required,
            media=self.media + forms.media if forms else self.media,
        )
        return TemplateResponse(request, "admin/content/item_change.html", context)

    def _save_draft(self, request, draft: Version, forms: ContentForms):
        """Save the editor's form into the draft; on refusal keep what they typed."""
        if not forms.is_valid():
            messages.error(request, "Please correct the errors below; nothing was saved.")
            return False, None
        try:
            workflow.edit_draft(
                version=draft,
                user=request.user,
                content=forms.content(),
                expected_edit_count=forms.version.cleaned_data["edit_count"] or 0,
            )
        except ContentInvalid as exc:
            messages.error(request, f"Nothing was saved. {exc}")
            return False, [m for found in exc.errors.values() for m in found]
        except DomainError as exc:
            messages.error(request, str(exc))
            return False, None
        messages.success(request, f"Draft version {draft.number} saved.")
        return True, None

    # --- Adding an item: its first draft ---

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        kind = PLAN if self.is_plan else request.GET.get("kind", "")
        if kind not in (*Kind.values, PLAN):
            context = self._context(request, None, kinds=Kind.choices)
            return TemplateResponse(request, "admin/content/item_add_kind.html", context)
        forms = ContentForms(kind, data=request.POST if request.method == "POST" else None)
        slug = request.POST.get("slug", "").strip()
        problems = None
        if request.method == "POST" and forms.is_valid():
            try:
                if kind == PLAN:
                    draft = workflow.create_plan(
                        user=request.user, slug=slug, content=forms.content()
                    )
                else:
                    draft = workflow.create_component(
                        user=request.user, kind=kind, slug=slug, content=forms.content()
                    )
            except ContentInvalid as exc:
                messages.error(request, f"Nothing was saved. {exc}")
                problems = [m for found in exc.errors.values() for m in found]
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"'{slug}' created as draft version 1.")
                return HttpResponseRedirect(self._url("change", draft.item_id))
        context = self._context(
            request,
            None,
            kind=kind,
            kind_label="Plan" if kind == PLAN else Kind(kind).label,
            slug=slug,
            forms=forms,
            problems=problems,
            media=self.media + forms.media,
        )
        return TemplateResponse(request, "admin/content/item_add.html", context)

    # --- Workflow actions ---

    def workflow_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        item = self._item(request, object_id)
        back = HttpResponseRedirect(self._url("change", item.pk))
        if request.method != "POST":
            return back
        action = request.POST.get("action", "")
        try:
            done = self._perform(request, item, action)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
        return back

    def _perform(self, request, item: ContentItem, action: str) -> str:
        user, post = request.user, request.POST
        versions = offers.item_versions(item)
        working, published = versions.working, versions.published

        def need(version: Version | None, what: str) -> Version:
            if version is None:
                raise InvalidTransition(f"There is no {what} any more; reload the page.")
            return version

        if action == "start_draft":
            draft = workflow.revise(version=need(versions.latest, "version"), user=user)
            return (
                f"Version {draft.number} is a new draft, based on version {draft.based_on.number}."
            )
        if action == "submit":
            version = workflow.submit_for_review(version=need(working, "draft"), user=user)
            return f"Version {version.number} submitted for review."
        if action == "approve":
            version = workflow.approve(
                version=need(working, "version in review"),
                user=user,
                seen_hash=post.get("seen_hash", ""),
                comment=post.get("comment", "").strip(),
            )
            state = version.get_state_display().lower()
            return f"You approved version {version.number}; it is now {state}."
        if action == "request_changes":
            version = workflow.request_changes(
                version=need(working, "version in review"),
                user=user,
                comment=post.get("comment", ""),
            )
            return f"Changes requested on version {version.number}."
        if action == "publish":
            version = workflow.publish(version=need(working, "approved version"), user=user)
            return f"Version {version.number} is published."
        if action == "schedule":
            at = _parse_local_datetime(post.get("at", ""))
            version = workflow.schedule_publication(
                version=need(working, "approved version"), user=user, at=at
            )
            when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
            return f"Version {version.number} will be published at {when}."
        if action == "withdraw":
            version = workflow.withdraw(
                version=need(published, "published version"),
                user=user,
                reason=post.get("reason", ""),
            )
            return f"Version {version.number} is withdrawn; apps no longer receive it."
        if action == "roll_back":
            source = Version.objects.filter(item=item, number=_int(post.get("version"))).first()
            draft = workflow.roll_back(version=need(source, "such version"), user=user)
            return (
                f"Version {draft.number} is a new draft restoring version {source.number}; "
                "it is reviewed like any change."
            )
        raise InvalidTransition(f"Unknown action {action!r}.")

    # --- History and diff ---

    def history_view(self, request, object_id, extra_context=None):
        item = self._item(request, object_id)
        versions = list(
            Version.objects.filter(item=item).select_related("created_by").order_by("-number")
        )
        approvals = Approval.objects.filter(version__item=item).select_related(
            "reviewer__reviewer_profile", "version"
        )
        audit = AuditEntry.objects.filter(item=item).select_related("actor").order_by("-id")
        for version in versions:
            version.approval_list = [a for a in approvals if a.version_id == version.pk]
            version.audit_list = [e for e in audit if e.version_id == version.pk]
        numbers = [v.number for v in versions]
        context = self._context(
            request,
            item,
            title=f"History of {item}",
            versions=versions,
            diff_url=self._url("diff", item.pk),
            change_url=self._url("change", item.pk),
            default_a=_published_before(versions),
            default_b=numbers[0] if numbers else None,
        )
        return TemplateResponse(request, "admin/content/item_history.html", context)

    def diff_view(self, request, object_id):
        item = self._item(request, object_id)
        number_a = _int(request.GET.get("a"))
        a = get_object_or_404(Version, item=item, number=number_a) if number_a else None
        b = get_object_or_404(Version, item=item, number=_int(request.GET.get("b")))
        table = side_by_side(
            workflow.read_content(a) if a else None,
            workflow.read_content(b),
            f"Version {a.number} ({a.get_state_display().lower()})" if a else "Nothing (new item)",
            f"Version {b.number} ({b.get_state_display().lower()})",
        )
        context = self._context(
            request,
            item,
            title=f"{item}: {f'version {a.number}' if a else 'nothing'} and version {b.number}",
            a=a,
            b=b,
            table=table,
            numbers=list(
                Version.objects.filter(item=item)
                .order_by("-number")
                .values_list("number", flat=True)
            ),
            diff_url=self._url("diff", item.pk),
            change_url=self._url("change", item.pk),
            history_url=self._url("history", item.pk),
        )
        return TemplateResponse(request, "admin/content/item_diff.html", context)


def _published_before(versions: list[Version]) -> int:
    """What a reviewer compares the newest version with: the latest published other version,
    or nothing (0) for a new item."""
    newest = versions[0] if versions else None
    earlier = [v for v in versions if v is not newest and v.published_at is not None]
    return earlier[0].number if earlier else 0


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _parse_local_datetime(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidTransition(
            f"{value!r} is not a date and time; pick one with the date and time fields."
        ) from None
    return timezone.make_aware(at) if timezone.is_naive(at) else at


def _approvals_of(version: Version | None):
    """The approvals that count towards ``version``'s policy (the workflow's definition)."""
    if version is None:
        return []
    return list(
        workflow.valid_approvals(version)
        .select_related("reviewer__reviewer_profile")
        .order_by("created_at")
    )


@admin.register(Component)
class ComponentAdmin(ItemAdmin):
    list_filter = [KindFilter, *ItemAdmin.list_filter]


@admin.register(Plan)
class PlanAdmin(ItemAdmin):
    is_plan = True


# --- The review queue ------------------------------------------------------------------


@admin.register(ReviewQueueEntry)
class ReviewQueueAdmin(admin.ModelAdmin):
    """Versions waiting for the current user's review (never their own), oldest first."""

    list_display = ["item_link", "kind", "number", "submitted_at", "author", "approvals_so_far"]
    list_display_links = None
    ordering = ["submitted_at", "pk"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(policy.REVIEW)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        waiting = workflow.awaiting_review_by(request.user).values("pk")
        return (
            ReviewQueueEntry.objects.filter(pk__in=waiting)
            .select_related("item", "created_by")
            .order_by("submitted_at", "pk")
        )

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
        required = workflow.review_policy(version.item.kind).approvals_required
        return f"{workflow.valid_approvals(version).count()} of {required}"
