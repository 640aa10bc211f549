"""Rendering a published version into what the read model stores of it (the JSON document the
API serves, the personalisation links, a plan's items, the keys the API filters on), once, at
publication. Reads the version and its parts; writes nothing (``projection`` stores it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, NamedTuple

import nh3
from markdown_it import MarkdownIt

from content.kinds import PLAN
from content.media.images import crop_size
from content.media.renditions import served
from content.models import (
    Approval,
    Citation,
    ContraindicationLink,
    Interaction,
    MediaLink,
    PlanItem,
    Version,
    VersionGoal,
)
from content.models.delivery import id_keys

from .localising import Localised, contraindication_names

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


_html_aware = MarkdownIt("commonmark", {"html": True}).enable("table")


def raw_html_in(text: str) -> list[str]:
    """The raw HTML in Markdown ``text`` (each opening tag or block's first line, once, in
    order). ``markdown_to_html`` does not pass it through: apps show it escaped, as text."""
    found: list[str] = []
    for token in _html_aware.parse(text):
        pieces = [token] if token.type == "html_block" else (token.children or [])
        for piece in pieces:
            if piece.type in ("html_block", "html_inline"):
                tag = piece.content.strip().partition("\n")[0][:80]
                if tag and not tag.startswith("</") and tag not in found:
                    found.append(tag)
    return found


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


class Rendering(NamedTuple):
    """What the read model stores of a published version: the document as served, its
    personalisation links, a plan's items ([component item id, '"slot":...}'], ...), and the
    goal and avoid keys (``id_keys``). Named as the ``PublishedDocument`` columns they fill."""

    body: str
    title: str
    summary: str
    links: list[list[Any]]
    plan_items: list[list[Any]]
    goal_keys: str
    avoid_keys: str


def _goals(version: Version) -> tuple[list[str], list[int]]:
    """``version``'s goals: their slugs in order, as documents list them, and their ids."""
    rows = sorted(VersionGoal.objects.filter(version=version).values_list("goal__slug", "goal_id"))
    return [slug for slug, _ in rows], [goal_id for _, goal_id in rows]


def _text(version: Version, localised: Localised) -> dict[str, Any]:
    """What the documents of components and plans both say, in this order: which locale,
    then the prose in it."""
    body = localised.text("body", version.body)
    return {
        **localised.marks(),
        "title": localised.text("title", version.title),
        "summary": localised.text("summary", version.summary),
        "body_markdown": body,
        "body_html": markdown_to_html(body),
    }


def _media(version: Version, localised: Localised) -> list[dict[str, Any]]:
    """The pictures ``version`` shows, as apps are sent them: role, alt text in the locale,
    the size of the picture as cut, its focal point, credit and licence, and its renditions
    (read from their rows; the storage is not asked)."""
    links = list(
        MediaLink.objects.filter(version=version).select_related("asset").order_by("order")
    )
    if not links:
        return []
    renditions = served({link.asset_id: link.asset for link in links}.values())
    alts = localised.notes("media")
    media = []
    for link in links:
        asset = link.asset
        width, height = crop_size((asset.width, asset.height), asset.crop)
        media.append(
            {
                "role": link.role,
                "step": link.step,
                "alt": "" if link.decorative else alts.get(str(link.order)) or link.alt,
                "decorative": link.decorative,
                "width": width,
                "height": height,
                "focal_point": asset.focal_point,
                "credit": asset.credit,
                "licence": asset.licence,
                "renditions": renditions.get(asset.pk, []),
            }
        )
    return media


def _component(
    version: Version, goals: list[str], localised: Localised
) -> tuple[dict[str, Any], list[list[Any]]]:
    """The component document for the published ``version`` in ``localised``'s locale, and
    its personalisation links (their notes in that locale)."""
    links = list(
        ContraindicationLink.objects.filter(version=version)
        .select_related("contraindication")
        .order_by("contraindication__slug")
    )
    names = contraindication_names((link.contraindication_id for link in links), localised)
    link_notes, interaction_notes = (
        localised.notes("contraindications"),
        localised.notes("interactions"),
    )
    notes = {link.pk: link_notes.get(link.contraindication.slug) or link.note for link in links}
    document = {
        "type": "component",
        "slug": version.item.slug,
        "kind": version.item.kind,
        "version": version.number,
        **_text(version, localised),
        "details": localised.details(version.details),
        "goals": goals,
        "contraindications": [
            {
                "slug": link.contraindication.slug,
                "name": names.get(link.contraindication_id, link.contraindication.name),
                "severity": link.severity,
                "note": notes[link.pk],
            }
            for link in links
        ],
        # Only interactions with components that are live: a draft's slug never leaks.
        "interactions": [
            {"component": slug, "severity": severity, "note": interaction_notes.get(slug) or note}
            for slug, severity, note in Interaction.objects.filter(
                version=version, other__documents__live=True
            )
            .distinct()
            .order_by("other__slug")
            .values_list("other__slug", "severity", "note")
        ],
        "citations": [
            {"title": c.title, "doi": c.doi or None, "pmid": c.pmid or None, "url": c.url or None}
            for c in Citation.objects.filter(version=version)
        ],
        "evidence_level": version.evidence_level,
        "media": _media(version, localised),
        "review": _review_block(version),
        "published_at": timestamp(version.published_at),
    }
    personalisation = [
        [link.contraindication_id, link.contraindication.slug, link.severity, notes[link.pk]]
        for link in links
    ]
    return document, personalisation


def render_component(version: Version, localised: Localised) -> dict[str, Any]:
    """The component document of the published ``version`` in ``localised``'s locale."""
    return _component(version, _goals(version)[0], localised)[0]


def _plan(
    version: Version, goals: list[str], localised: Localised
) -> tuple[dict[str, Any], list[list[Any]]]:
    """The plan's own document and its items, each [component item id, '"slot":...}']. The
    items name no component: the API adds the components' current published documents when
    it answers."""
    notes = localised.notes("items")
    items = [
        [
            item.component_id,
            dump(
                {
                    "slot": item.slot,
                    "weeks": {"from": item.week_from, "to": item.week_to},
                    "frequency": item.frequency,
                    "order": item.order,
                    "note": notes.get(str(item.order)) or item.note,
                }
            )[1:],
        ]
        for item in PlanItem.objects.filter(version=version).order_by("order")
    ]
    document = {
        "type": "plan",
        "slug": version.item.slug,
        "version": version.number,
        **_text(version, localised),
        "goals": goals,
        "duration_weeks": version.duration_weeks,
        "media": _media(version, localised),
        "review": _review_block(version),
        "published_at": timestamp(version.published_at),
    }
    return document, items


def render(version: Version, localised: Localised) -> Rendering:
    """Render the published ``version`` in ``localised``'s locale as the read model stores
    it."""
    goals, goal_ids = _goals(version)
    if version.item.kind == PLAN:
        (document, plan_items), links = _plan(version, goals, localised), []
    else:
        (document, links), plan_items = _component(version, goals, localised), []
    return Rendering(
        body=dump(document),
        title=document["title"],
        summary=document["summary"],
        links=links,
        plan_items=plan_items,
        goal_keys=id_keys(goal_ids),
        avoid_keys=id_keys(cid for cid, _, severity, _ in links if severity == "avoid"),
    )
