"""Reads of published content for the API: one query per page, whatever its size or profile."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from content.kinds import PLAN, Kind
from content.models import (
    Contraindication,
    DeliveryChange,
    Goal,
    PublishedDocument,
    PublishedPlanItem,
)

from .params import ListQuery, Profile


@dataclass(frozen=True)
class Page:
    # Per item: its rendered body, its personalisation links, and (plans) its items.
    rows: list[tuple[str, list, list]]
    next: dict | None
    previous: dict | None


def live_components() -> QuerySet[PublishedDocument]:
    return PublishedDocument.objects.filter(live=True, kind__in=Kind.values)


def live_plans() -> QuerySet[PublishedDocument]:
    """Published plans that still have an item left: one whose component is live."""
    return _with_items_left(PublishedDocument.objects.filter(live=True, kind=PLAN), None)


def _suitable_components(profile: Profile | None) -> QuerySet:
    documents = PublishedDocument.objects.filter(live=True, kind__in=Kind.values)
    for contraindication_id in sorted(profile.ids) if profile else ():
        documents = documents.exclude(avoid_keys__contains=f"|{contraindication_id}|")
    return documents


def _with_items_left(plans: QuerySet, profile: Profile | None) -> QuerySet:
    suitable = _suitable_components(profile).filter(item_id=OuterRef("component_id"))
    rows = PublishedPlanItem.objects.filter(document_id=OuterRef("pk")).filter(Exists(suitable))
    return plans.filter(Exists(rows))


def _filtered(documents: QuerySet, query: ListQuery) -> QuerySet:
    if query.kind:
        documents = documents.filter(kind=query.kind)
    if query.goal_id is not None:
        documents = documents.filter(goal_keys__contains=f"|{query.goal_id}|")
    for word in query.words:
        documents = documents.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    if query.profile is not None:
        if query.plans:  # a plan leaves the list only when none of its items is left
            documents = _with_items_left(documents, query.profile)
        else:
            for contraindication_id in sorted(query.profile.ids):
                documents = documents.exclude(avoid_keys__contains=f"|{contraindication_id}|")
    return documents


def page_of(documents: QuerySet, query: ListQuery) -> Page:
    """Return the page ``query`` asks for, in slug order, with the cursors around it."""
    documents = _filtered(documents, query)
    size = query.page_size
    cursor = query.cursor or {}
    if "before" in cursor:
        rows = list(
            documents.filter(slug__lt=cursor["before"])
            .order_by("-slug")
            .values_list(*_PAGE_FIELDS)[: size + 1]
        )
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        previous = {"before": rows[0][0]} if more_before else None
        following = {"after": rows[-1][0]} if rows else {"after": ""}
        return Page([row[1:] for row in rows], following, previous)
    after = cursor.get("after")
    if after is not None:
        documents = documents.filter(slug__gt=after)
    rows = list(documents.order_by("slug").values_list(*_PAGE_FIELDS)[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    following = {"after": rows[-1][0]} if more_after else None
    previous = {"before": rows[0][0]} if after is not None and rows else None
    return Page([row[1:] for row in rows], following, previous)


_PAGE_FIELDS = ("slug", "body", "links", "plan_items")


def live_plan(slug: str) -> tuple[str, list, list] | None:
    """The live document of plan ``slug`` (body, links, items), or None if none is published."""
    return live_plans().filter(slug=slug).values_list(*_PAGE_FIELDS[1:]).first()


def live_components_by_item(item_ids) -> dict[int, tuple[str, str, str, list]]:
    """Live component documents for ``item_ids``: item id -> (slug, title, body, links)."""
    rows = live_components().filter(item_id__in=item_ids)
    return {
        item_id: (slug, title, body, links)
        for item_id, slug, title, body, links in rows.values_list(
            "item_id", "slug", "title", "body", "links"
        )
    }


def live_component(slug: str) -> tuple[str, list] | None:
    """The live document of component ``slug``: (body, links), or None if none is published."""
    return live_components().filter(slug=slug).values_list("body", "links").first()


def component_history(slug: str) -> list[dict] | None:
    """The publication history of a live component, newest first; None if it is not live."""
    rows = list(
        PublishedDocument.objects.filter(
            item__documents__slug=slug,
            item__documents__live=True,
            kind__in=Kind.values,
            withdrawn_at=None,
        )
        .order_by("-number")
        .values_list("number", "published_at", "superseded_at", "change_note")
    )
    if not rows:
        return None
    return [
        {"version": n, "published_at": p, "superseded_at": s, "change_note": note}
        for n, p, s, note in rows
    ]


def component_version(slug: str, number: int) -> tuple[str, list] | None:
    """Version ``number`` of a live component as it was published; None if it never was."""
    return (
        PublishedDocument.objects.filter(
            item__documents__slug=slug,
            item__documents__live=True,
            kind__in=Kind.values,
            number=number,
            withdrawn_at=None,
        )
        .values_list("body", "links")
        .first()
    )


def contraindications() -> list[dict]:
    return [
        {
            "slug": c.slug,
            "name": c.name,
            "category": c.category,
            "description": c.description,
            "codes": c.codes,
            "aliases": sorted(a.slug for a in c.aliases.all()),
        }
        for c in Contraindication.objects.prefetch_related("aliases").order_by("slug")
    ]


def goals() -> list[dict]:
    return list(Goal.objects.order_by("slug").values("slug", "name", "description"))


def suitability(links: list, profile: Profile) -> dict:
    """How an item suits ``profile``: ok, caution (with reasons) or avoid (with reasons)."""
    reasons = [
        {"contraindication": slug, "severity": severity, "note": note}
        for contraindication_id, slug, severity, note in links
        if contraindication_id in profile.ids
    ]
    severities = {r["severity"] for r in reasons}
    status = "avoid" if "avoid" in severities else "caution" if severities else "ok"
    reasons.sort(key=lambda r: (r["severity"] != "avoid", r["contraindication"]))
    return {"status": status, "reasons": reasons}


# --- Sync ----------------------------------------------------------------------------------

_SYNC_FIELDS = ("slug", "kind", "body", "plan_items")


def served_after(after: str, limit: int) -> list[tuple[str, str, str, list]]:
    """The first ``limit`` live documents whose slug sorts after ``after``: (slug, kind, body,
    plan items), in slug order. One walk of the (live, slug) index, whatever the catalogue's
    size; a plan none of whose components is live is among them (the caller leaves it out)."""
    documents = PublishedDocument.objects.filter(live=True, slug__gt=after)
    return list(documents.order_by("slug").values_list(*_SYNC_FIELDS)[:limit])


def changed_after(since: int, upto: int, after: str, limit: int) -> list[tuple[str, str]]:
    """The first ``limit`` items with a change in generations ``since`` (excluded) to ``upto``
    whose slug sorts after ``after``: (slug, kind), each once, in slug order. Reads only the
    change rows of that range: the cost grows with the changes, not with the catalogue."""
    return list(
        DeliveryChange.objects.filter(generation__gt=since, generation__lte=upto, slug__gt=after)
        .values_list("slug", "kind")
        .distinct()
        .order_by("slug")[:limit]
    )


def live_documents(slugs) -> dict[str, tuple[str, str, str, list]]:
    """The live documents of ``slugs``: slug -> (slug, kind, body, plan items)."""
    rows = PublishedDocument.objects.filter(live=True, slug__in=slugs)
    return {row[0]: row for row in rows.values_list(*_SYNC_FIELDS)}
