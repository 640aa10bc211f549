"""Rendering a published version into the JSON document the API serves, once, at publication."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import nh3
from markdown_it import MarkdownIt

from content.kinds import PLAN
from content.models import (
    Approval,
    Citation,
    ContraindicationLink,
    Interaction,
    PlanItem,
    PublishedDocument,
    PublishedPlanItem,
    Version,
    VersionGoal,
)

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

_ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def markdown_to_html(text: str) -> str:
    """Render Markdown to HTML that is safe to show: no scripts, handlers or javascript: links."""
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def dump(document: Any) -> str:
    """The compact UTF-8 JSON the API serves."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def timestamp(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, to the second."""
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _review_block(version: Version) -> dict[str, Any]:
    approvals = (
        Approval.objects.filter(version=version, content_hash=version.content_hash)
        .select_related("reviewer__reviewer_profile")
        .order_by("created_at", "id")
    )
    reviewers = []
    for approval in approvals:
        profile = getattr(approval.reviewer, "reviewer_profile", None)
        name = profile.display_name if profile else approval.reviewer.get_full_name()
        reviewers.append(
            {
                "name": name or approval.reviewer.get_username(),
                "credentials": profile.credentials if profile else "",
            }
        )
    return {
        "reviewed_at": timestamp(version.approved_at),
        "reviewers": reviewers,
        "next_review_due": version.next_review_due.isoformat() if version.next_review_due else None,
    }


def render_component(version: Version) -> tuple[dict[str, Any], list[list[Any]]]:
    """Return the component document for the published ``version`` and its personalisation links."""
    links = list(
        ContraindicationLink.objects.filter(version=version)
        .select_related("contraindication")
        .order_by("contraindication__slug")
    )
    document = {
        "type": "component",
        "slug": version.item.slug,
        "kind": version.item.kind,
        "version": version.number,
        "title": version.title,
        "summary": version.summary,
        "body_markdown": version.body,
        "body_html": markdown_to_html(version.body),
        "details": version.details,
        "goals": sorted(
            VersionGoal.objects.filter(version=version).values_list("goal__slug", flat=True)
        ),
        "contraindications": [
            {
                "slug": link.contraindication.slug,
                "name": link.contraindication.name,
                "severity": link.severity,
                "note": link.note,
            }
            for link in links
        ],
        # Only interactions with components that are live: a draft's slug never leaks.
        "interactions": [
            {"component": slug, "severity": severity, "note": note}
            for slug, severity, note in Interaction.objects.filter(
                version=version, other__documents__live=True
            )
            .order_by("other__slug")
            .values_list("other__slug", "severity", "note")
        ],
        "citations": [
            {"title": c.title, "doi": c.doi or None, "pmid": c.pmid or None, "url": c.url or None}
            for c in Citation.objects.filter(version=version)
        ],
        "evidence_level": version.evidence_level,
        "review": _review_block(version),
        "published_at": timestamp(version.published_at),
    }
    personalisation = [
        [link.contraindication_id, link.contraindication.slug, link.severity, link.note]
        for link in links
    ]
    return document, personalisation


def _keys(ids) -> str:
    ids = sorted(set(ids))
    return f"|{'|'.join(str(i) for i in ids)}|" if ids else ""


def render_plan(version: Version) -> dict[str, Any]:
    """The plan's own document. Its items name their components by slug; the API resolves
    them to the components' current published versions when it answers."""
    items = PlanItem.objects.filter(version=version).select_related("component").order_by("order")
    return {
        "type": "plan",
        "slug": version.item.slug,
        "version": version.number,
        "title": version.title,
        "summary": version.summary,
        "body_markdown": version.body,
        "body_html": markdown_to_html(version.body),
        "goals": sorted(
            VersionGoal.objects.filter(version=version).values_list("goal__slug", flat=True)
        ),
        "duration_weeks": version.duration_weeks,
        "items": [
            {
                "component": item.component.slug,
                "slot": item.slot,
                "weeks": {"from": item.week_from, "to": item.week_to},
                "frequency": item.frequency,
                "order": item.order,
                "note": item.note,
            }
            for item in items
        ],
        "review": _review_block(version),
        "published_at": timestamp(version.published_at),
    }


def store_document(version: Version) -> PublishedDocument:
    """Render the just-published ``version`` and store it as the item's live document."""
    plan_items: list[list[Any]] = []
    if version.item.kind == PLAN:
        document, links = render_plan(version), []
        for entry, item in zip(
            document.pop("items"),
            PlanItem.objects.filter(version=version).order_by("order"),
            strict=True,
        ):
            del entry["component"]
            plan_items.append([item.component_id, dump(entry)[1:]])  # '"slot":...}'
    else:
        document, links = render_component(version)
    goal_ids = VersionGoal.objects.filter(version=version).values_list("goal_id", flat=True)
    stored = PublishedDocument.objects.create(
        version=version,
        item_id=version.item_id,
        kind=version.item.kind,
        slug=version.item.slug,
        number=version.number,
        title=version.title,
        summary=version.summary,
        change_note=version.change_note,
        goal_keys=_keys(goal_ids),
        avoid_keys=_keys(cid for cid, _, severity, _ in links if severity == "avoid"),
        links=links,
        body=dump(document),
        plan_items=plan_items,
        published_at=version.published_at,
        live=True,
    )
    PublishedPlanItem.objects.bulk_create(
        PublishedPlanItem(document=stored, component_id=component_id)
        for component_id in {component_id for component_id, _ in plan_items}
    )
    return stored


def refresh_mentions_of(item_id: int) -> set[int]:
    """Re-render the live documents whose interactions name ``item_id``, which has just gone
    live or been withdrawn, so that they name it exactly while it is published. Return the
    items whose documents changed."""
    mentioning = PublishedDocument.objects.filter(
        live=True, version__interactions__other_id=item_id
    ).select_related("version__item")
    changed = set()
    for document in mentioning:
        rendered = dump(render_component(document.version)[0])
        if rendered != document.body:
            PublishedDocument.objects.filter(pk=document.pk).update(body=rendered)
            changed.add(document.item_id)
    return changed
