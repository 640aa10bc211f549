"""An item's history (every version with its approvals and audit entries) and the
side-by-side comparison of two of its versions, with their pictures paired (of a
translation's: its prose, and what changed in the source between the source versions they
translate)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from content import workflow
from content.models import Approval, AuditEntry, Version
from content.workflow import Action, offers

from .actions import whole_number
from .diffing import side_by_side
from .pictures import picture_changes, shown_pictures
from .preview import body_preview
from .translation_lines import source_changes, translation_diff


class HistoryViews:
    """The history and diff pages of ``ItemAdmin`` (which gives ``_item``, ``_context`` and
    ``_url``)."""

    def history_view(self, request, object_id, extra_context=None):
        item = self._item(request, object_id)
        versions = list(
            Version.objects.filter(item=item)
            .select_related("created_by", "translates")
            .order_by("-number")
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
            title=f"History of {versions[0].title if versions else item}",
            versions=versions,
            diff_url=self._url("diff", item.pk),
            change_url=self._url("change", item.pk),
            default_a=_published_before(versions),
            default_b=numbers[0] if numbers else None,
        )
        return TemplateResponse(request, "admin/content/item_history.html", context)

    def diff_view(self, request, object_id):
        item = self._item(request, object_id)
        number_a = whole_number(request.GET.get("a"))
        a = get_object_or_404(Version, item=item, number=number_a) if number_a else None
        b = get_object_or_404(Version, item=item, number=whole_number(request.GET.get("b")))
        changes = None
        shown_a, shown_b = [], []
        if item.is_translation:
            table = translation_diff(a, b)
            if a is not None and a.translates_id != b.translates_id:
                changes = source_changes(a.translates, b.translates)
        else:
            content_a = workflow.read_content(a) if a else None
            content_b = workflow.read_content(b)
            table = side_by_side(
                content_a,
                content_b,
                f"Version {a.number} ({a.get_state_display().lower()})"
                if a
                else "Nothing (new item)",
                f"Version {b.number} ({b.get_state_display().lower()})",
            )
            shown_a = shown_pictures(content_a.media) if content_a else []
            shown_b = shown_pictures(content_b.media)
        # The reviewer reads the diff, then decides here: approve or request changes on the
        # version in review, when the diff shows it.
        versions = offers.item_versions(item)
        in_review = versions.target(Action.APPROVE)
        decisions = (
            [
                (action.value, action.label)
                for action in offers.offered_actions(request.user, versions)
                if action in (Action.APPROVE, Action.REQUEST_CHANGES)
            ]
            if in_review is not None and in_review.pk == b.pk
            else []
        )
        context = self._context(
            request,
            item,
            title=f"{b.title}: {f'version {a.number}' if a else 'nothing'} and version {b.number}",
            a=a,
            b=b,
            table=table,
            source_changes=changes,
            picture_changes=picture_changes(shown_a, shown_b),
            preview_a=body_preview(a.body, shown_a) if a else None,
            preview_b=body_preview(b.body, shown_b),
            shown=b if decisions else None,
            actions=decisions,
            progress=workflow.approval_progress(b) if decisions else None,
            workflow_url=self._url("workflow", item.pk),
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
