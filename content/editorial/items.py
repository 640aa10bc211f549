"""Items: listed, created (always as a draft), looked at with their versions, what the
caller may do with them, their audit log, and translations started."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from rest_framework.response import Response

from content.kinds import PLAN
from content.models import AuditEntry, ContentItem, Version
from content.workflow.checks import Action
from content.workflow.drafts import create_component, create_plan
from content.workflow.offers import item_versions, offered_actions
from content.workflow.snapshot import TranslationContent
from content.workflow.translating import start_translation

from . import schema
from .base import EditorialView, Refused, text_field
from .idempotency import once
from .representations import (
    content_class,
    etag,
    parse_content,
    version_json,
    version_summary,
)

#: The action endpoint of each workflow action (``Action``): its path below a version.
ACTION_PATHS = {
    Action.SUBMIT: "submit",
    Action.APPROVE: "approve",
    Action.REQUEST_CHANGES: "request-changes",
    Action.PUBLISH: "publish",
    Action.SCHEDULE: "schedule",
    Action.WITHDRAW: "withdraw",
    Action.SCHEDULE_WITHDRAWAL: "schedule-withdrawal",
    Action.ROLL_BACK: "roll-back",
    Action.REVISE: "start-draft",
    Action.DISCARD: "discard",
}
MAX_LIMIT = 200


def item_json(item: ContentItem) -> dict[str, Any]:
    """An item: what it is, and its working and published version (``versions`` read
    already if the list prefetched them)."""
    prefetched = getattr(item, "_prefetched_objects_cache", {}).get("versions")
    versions = item_versions(item, None if prefetched is None else list(prefetched))
    return {
        "slug": item.slug,
        "kind": item.kind,
        "source": item.source.slug if item.source_id else None,
        "locale": item.locale.code if item.locale_id else None,
        "created_at": item.created_at.isoformat(),
        "discarded": item.discarded_at is not None,
        "flagged_for_review": item.flagged_for_review or None,
        "working_version": versions.working.number if versions.working else None,
        "published_version": versions.published.number if versions.published else None,
    }


def version_path(version: Version) -> str:
    return reverse("manage-version", kwargs={"slug": version.item.slug, "number": version.number})


def created(request, version: Version) -> Response:
    """201 with the new draft, where it lives and its ETag (for the first ``If-Match``)."""
    return Response(
        version_json(version),
        status=201,
        headers={
            "Location": request.build_absolute_uri(version_path(version)),
            "ETag": etag(version),
        },
    )


def _limit(request) -> tuple[int, int]:
    try:
        limit = int(request.query_params.get("limit", 50))
        offset = int(request.query_params.get("offset", 0))
    except ValueError:
        raise Refused(400, "limit and offset are whole numbers.", "about:blank") from None
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise Refused(400, f"limit is 1 to {MAX_LIMIT}; offset 0 or more.", "about:blank")
    return limit, offset


class ItemList(EditorialView):
    @schema.item_list
    def get(self, request):
        """Items, by slug: ``kind``, ``q`` (in the slug or a version's title), ``locale``
        (its translations; without it, sources only), ``limit``/``offset``."""
        items = (
            ContentItem.objects.select_related("source", "locale")
            .prefetch_related("versions")
            .filter(discarded_at__isnull=True)
        )
        params = request.query_params
        if kind := params.get("kind"):
            items = items.filter(kind=kind)
        if locale := params.get("locale"):
            items = items.filter(locale__code=locale)
        else:
            items = items.filter(source__isnull=True)
        if q := params.get("q"):
            items = items.filter(Q(slug__icontains=q) | Q(versions__title__icontains=q)).distinct()
        limit, offset = _limit(request)
        page = list(items.order_by("slug")[offset : offset + limit + 1])
        return Response(
            {
                "results": [item_json(item) for item in page[:limit]],
                "more": len(page) > limit,
            }
        )

    @schema.item_create
    def post(self, request):
        """A new component or plan, as its first draft (never published on create)."""
        data = self.body(request)
        kind, slug = (
            text_field(data, "kind", required=True),
            text_field(data, "slug", required=True),
        )

        def perform() -> Response:
            # The kind and slug are the domain's to check, with its own messages.
            content = parse_content(content_class_for(kind), data.get("content"))
            if kind == PLAN:
                version = create_plan(user=request.user, slug=slug, content=content)
            else:
                version = create_component(user=request.user, kind=kind, slug=slug, content=content)
            return created(request, version)

        return once(request, self, perform)


def content_class_for(kind: str):
    return content_class(ContentItem(kind=kind))


class ItemDetail(EditorialView):
    @schema.item_detail
    def get(self, request, slug: str):
        item = self.item(slug)
        versions = Version.objects.filter(item=item).order_by("-number")
        translations = ContentItem.objects.filter(source=item).select_related("locale")
        return Response(
            {
                **item_json(item),
                "versions": [version_summary(v) for v in versions],
                "translations": sorted(t.locale.code for t in translations),
            }
        )


class AllowedActions(EditorialView):
    @schema.allowed_actions
    def get(self, request, slug: str):
        """What the caller may do with the item now: the workflow's own checks, asked."""
        item = self.item(slug)
        versions = item_versions(item)
        found = []
        for action in offered_actions(request.user, versions):
            target = versions.target(action)
            if action == Action.EDIT:
                method, href = "PATCH", version_path(target)
            else:
                method, href = "POST", f"{version_path(target)}{ACTION_PATHS[action]}/"
            found.append(
                {
                    "action": ACTION_PATHS.get(action, "edit"),
                    "label": action.label,
                    "version": target.number,
                    "method": method,
                    "href": href,
                    **({"etag": etag(target)} if action == Action.EDIT else {}),
                }
            )
        return Response({"item": item.slug, "actions": found})


class AuditLog(EditorialView):
    @schema.audit_log
    def get(self, request, slug: str):
        item = self.item(slug)
        entries = AuditEntry.objects.filter(item=item).select_related("actor").order_by("id")
        return Response(
            {
                "item": item.slug,
                "entries": [
                    {
                        "at": entry.at.isoformat(),
                        "actor": entry.actor.get_username() if entry.actor else None,
                        "action": entry.action,
                        "version": entry.version_number,
                        "content_hash": entry.content_hash or None,
                        "from_state": entry.from_state or None,
                        "to_state": entry.to_state,
                        "comment": entry.comment,
                    }
                    for entry in entries
                ],
            }
        )


class StartTranslation(EditorialView):
    @schema.start_translation
    def post(self, request, slug: str, locale: str):
        """A translator's draft translating the published version into ``locale`` (the
        first starts empty, or with ``content``; the next from the latest translation)."""
        item = self.item(slug)
        data = self.body(request)

        def perform() -> Response:
            content = None
            if data.get("content") is not None:
                content = parse_content(TranslationContent, data["content"])
            version = start_translation(
                item=item, locale=locale, user=request.user, content=content
            )
            version.item = ContentItem.objects.select_related("source", "locale").get(
                pk=version.item_id
            )
            return created(request, version)

        return once(request, self, perform)
