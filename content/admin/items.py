"""The editors' and reviewers' screens for components and plans: the page of an item (its
working version, as a form while it is a draft, and the workflow buttons its checks allow),
adding an item, and the workflow actions; the change list is ``item_lists``, a translation's
page and "Translate into" ``translation_pages``; the preview link panel ``preview_links``.

Every change goes through ``content.workflow``: these views collect input, call the domain
function and show its message, success or refusal. They hold no rule of their own.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from content import workflow
from content.errors import ContentInvalid, DomainError
from content.kinds import PLAN, Kind
from content.models import Component, ContentItem, Plan, Version
from content.workflow import Action, offers, policy
from content.workflow.checks import CHECKS
from content.workflow.translations import latest_translation

from .actions import BUTTONS, perform, posted_action
from .confirmations import CONFIRMED, confirmation
from .diffing import content_lines
from .filters import KindFilter
from .forms import ContentForms, initial_from
from .history import HistoryViews
from .item_lists import ItemLists
from .pictures import ShownPicture, shown_pictures
from .preview import body_preview, preview_view
from .preview_links import PreviewLinkViews
from .saving import save_typed, show_refusal
from .translation_pages import TranslationViews


class ItemAdmin(ItemLists, TranslationViews, HistoryViews, PreviewLinkViews, admin.ModelAdmin):
    """The shared screens of components and plans."""

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
            path(
                "<int:object_id>/translate/",
                wrap(self.translate_view),
                name="{}_{}_translate".format(*info),
            ),
            path("preview/", wrap(self.preview_view), name="{}_{}_preview".format(*info)),
            *self.preview_link_urls(),
            *super().get_urls(),
        ]

    def _url(self, name: str, item_id: int) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=[item_id])

    def _url_plain(self, name: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}")

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
            "destructive": [action.value for action in CONFIRMED],
            **extra,
        }

    # --- The change page: the working version, its form or its content, and the actions ---

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self._item(request, object_id)
        versions = offers.item_versions(item)
        offered = offers.offered_actions(request.user, versions)
        forms = problems = None
        if Action.EDIT in offered:
            draft = versions.working
            if request.method == "POST":
                forms = self._forms(draft, data=request.POST)
                submit = "submit" in request.POST
                saved, problems = save_typed(
                    request, forms, lambda: self._edit(request, draft, forms)
                )
                if saved is not None and not submit:
                    messages.success(request, f"Draft version {saved.number} saved.")
                    return HttpResponseRedirect(request.path)
                if saved is not None:
                    refusal = self._submit_saved(request, saved)
                    if refusal is None:
                        return HttpResponseRedirect(request.path)
                    # Saved but not submitted: the form shows the draft as it now is.
                    versions = offers.item_versions(item)
                    offered = offers.offered_actions(request.user, versions)
                    forms = self._forms(versions.working)
                    problems = [m for found in refusal.errors.values() for m in found]
                    show_refusal(forms, refusal)
            else:
                forms = self._forms(draft)
        elif request.method == "POST":
            messages.error(request, "This version cannot be edited now; nothing was saved.")
            return HttpResponseRedirect(request.path)
        shown = versions.working or versions.published or versions.latest
        # A draft's form has its own "Save and submit" button: a separate Submit would send
        # the draft as last saved, without what is typed in the form.
        buttons = [a for a in offered if a in BUTTONS and not (forms and a == Action.SUBMIT)]
        preview = None
        # The form shows a draft itself; other versions are shown as read-only lines.
        content = (
            workflow.read_content(shown)
            if shown and not forms and not item.is_translation
            else None
        )
        if forms:
            preview = body_preview(forms.typed_body(), _typed_pictures(forms))
        elif shown:
            preview = body_preview(shown.body, shown_pictures(getattr(content, "media", ())))
        context = self._context(
            request,
            item,
            title=shown.title if shown else str(item),
            versions=versions,
            shown=shown,
            forms=forms,
            can_submit=Action.SUBMIT in offered,
            problems=problems,
            preview=preview,
            actions=[(action.value, action.label) for action in buttons],
            workflow_url=self._url("workflow", item.pk),
            history_url=self._url("history", item.pk),
            preview_url=self._url_plain("preview"),
            approvals=list(
                workflow.valid_approvals(shown).select_related("reviewer__reviewer_profile")
            )
            if shown
            else [],
            progress=workflow.approval_progress(shown) if shown else None,
            time_zone=timezone.get_current_timezone_name(),
            media=self.media + forms.media if forms else self.media,
            **self.preview_links_context(request, versions),
        )
        if item.is_translation:
            context.update(self.translation_context(item, shown, forms))
            return TemplateResponse(request, "admin/content/translation_change.html", context)
        lines = content_lines(content) if content is not None else []
        context.update(shown_lines=lines, **self.source_translations(request, item, versions))
        return TemplateResponse(request, "admin/content/item_change.html", context)

    def _forms(self, draft: Version, data=None):
        """The form of ``draft``: what it says, or what was posted (a translation's, of the
        source version it translates)."""
        if draft.translates_id is not None:
            return self.translation_forms(draft, data)
        if data is not None:
            return ContentForms(draft.item.kind, data=data)
        content = workflow.read_content(draft)
        return ContentForms(draft.item.kind, initial=initial_from(content, draft.edit_count))

    def _edit(self, request, draft: Version, forms) -> Version:
        """Save what was typed into the draft (refused if someone saved it since)."""
        return workflow.edit_draft(
            version=draft,
            user=request.user,
            content=forms.content(),
            expected_edit_count=forms.saved_edit_count(),
        )

    def _submit_saved(self, request, draft: Version) -> ContentInvalid | None:
        """Submit the draft just saved from the form. Return None when submitted, or the
        refusal that kept it from being submitted, with its problems (none if the refusal was
        not about the content); what was typed is saved either way."""
        saved = f"Your changes are saved in draft version {draft.number}"
        try:
            workflow.submit_for_review(version=draft, user=request.user)
        except ContentInvalid as exc:
            messages.error(request, f"{saved}, but it was not submitted. {exc}")
            return exc
        except DomainError as exc:
            messages.error(request, f"{saved}, but it was not submitted. {exc}")
            return ContentInvalid(str(exc))
        messages.success(request, f"{saved}, and it is submitted for review.")
        return None

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
        if request.method == "POST":

            def create() -> Version:
                user, content = request.user, forms.content()
                if kind == PLAN:
                    return workflow.create_plan(user=user, slug=slug, content=content)
                return workflow.create_component(user=user, kind=kind, slug=slug, content=content)

            draft, problems = save_typed(request, forms, create)
            if draft is not None:
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
            preview=body_preview(forms.typed_body(), _typed_pictures(forms)),
            preview_url=self._url_plain("preview"),
            media=self.media + forms.media,
        )
        return TemplateResponse(request, "admin/content/item_add.html", context)

    # --- Workflow actions ---

    def workflow_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        item = self._item(request, object_id)
        back = HttpResponseRedirect(self._url("change", item.pk))
        if request.method != "POST":
            return back
        versions = offers.item_versions(item)
        try:
            action, version = posted_action(request, item, versions)
            if action in CONFIRMED and request.POST.get("confirmed") != "yes":
                CHECKS[action](user=request.user, version=version)  # refused now, not after
                return self._confirm(request, item, action, version, versions)
            done = perform(request, action, version)
        except DomainError as exc:
            messages.error(request, str(exc))
            return back
        messages.success(request, done)
        if item.source_id is not None and latest_translation(item) is None:
            # A translation's only draft thrown away: back to the source it was of.
            return HttpResponseRedirect(self._url("change", item.source_id))
        if ContentItem.objects.filter(pk=item.pk, discarded_at__isnull=False).exists():
            # A discarded draft took its never-published item with it: back to the list.
            return HttpResponseRedirect(reverse(f"admin:content_{self.opts.model_name}_changelist"))
        return back

    def _confirm(self, request, item, action: Action, version: Version, versions) -> HttpResponse:
        """Say what ``action`` will do and ask for a second, explicit click; nothing changes
        until then."""
        context = self._context(
            request,
            item,
            title=f"{action.label}: {version.title}",
            action=action,
            version=version,
            confirm=confirmation(action, version, versions),
            workflow_url=self._url("workflow", item.pk),
            change_url=self._url("change", item.pk),
        )
        return TemplateResponse(request, "admin/content/item_confirm.html", context)

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return preview_view(request)


def _typed_pictures(forms) -> list[ShownPicture]:
    """The pictures the draft form's rows say (a translation's form has none)."""
    typed = getattr(forms, "typed_media", None)
    return shown_pictures(typed()) if typed is not None else []


@admin.register(Component)
class ComponentAdmin(ItemAdmin):
    list_filter = [KindFilter, *ItemAdmin.list_filter]


@admin.register(Plan)
class PlanAdmin(ItemAdmin):
    is_plan = True
