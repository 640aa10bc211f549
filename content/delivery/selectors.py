"""Reads of the published documents the API serves: one query per page, whatever its size or
profile. Rows come back as named tuples whose fields are the columns they are read from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet

from content.kinds import PLAN, Kind
from content.models import DeliveryChange, PublishedDocument, PublishedPlanItem
from content.models.delivery import id_key

from .personalisation import Profile
from .queries import ListQuery


class PageRow(NamedTuple):
    """A listed item (a component or plan): its rendered body, its personalisation links and,
    for a plan, its items ([component item id, rest of the item's JSON], ...)."""

    slug: str
    body: str
    links: list
    plan_items: list


class Served(NamedTuple):
    """A component's rendered body and its personalisation links."""

    body: str
    links: list


class LiveComponent(NamedTuple):
    """A live component as a plan's item shows it."""

    item_id: int
    slug: str
    title: str
    body: str
    links: list


class SyncRow(NamedTuple):
    """A live document as sync sends it."""

    slug: str
    kind: str
    body: str
    plan_items: list


class Changed(NamedTuple):
    """An item with a change in a range of generations."""

    slug: str
    kind: str


@dataclass(frozen=True)
class Page:
    rows: list[PageRow]
    next: dict | None
    previous: dict | None


def live_components(locale: str) -> QuerySet[PublishedDocument]:
    return PublishedDocument.objects.filter(live=True, locale=locale, kind__in=Kind.values)


def live_plans(locale: str) -> QuerySet[PublishedDocument]:
    """Published plans that still have an item left: one whose component is live."""
    plans = PublishedDocument.objects.filter(live=True, locale=locale, kind=PLAN)
    return _with_items_left(plans, None, locale)


def _suitable(documents: QuerySet, profile: Profile | None) -> QuerySet:
    """``documents`` without those to avoid with ``profile``."""
    for contraindication_id in sorted(profile.ids) if profile else ():
        documents = documents.exclude(avoid_keys__contains=id_key(contraindication_id))
    return documents


def _with_items_left(plans: QuerySet, profile: Profile | None, locale: str) -> QuerySet:
    suitable = _suitable(live_components(locale), profile).filter(item_id=OuterRef("component_id"))
    rows = PublishedPlanItem.objects.filter(document_id=OuterRef("pk")).filter(Exists(suitable))
    return plans.filter(Exists(rows))


def _filtered(documents: QuerySet, query: ListQuery, locale: str) -> QuerySet:
    asked = query.params
    if asked.kind:
        documents = documents.filter(kind=asked.kind)
    if query.goal_id is not None:
        documents = documents.filter(goal_keys__contains=id_key(query.goal_id))
    for word in asked.words:
        documents = documents.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    if query.profile is not None:
        if asked.plans:  # a plan leaves the list only when none of its items is left
            documents = _with_items_left(documents, query.profile, locale)
        else:
            documents = _suitable(documents, query.profile)
    return documents


def _page_rows(documents: QuerySet, limit: int) -> list[PageRow]:
    return list(map(PageRow._make, documents.values_list(*PageRow._fields)[:limit]))


def page_of(documents: QuerySet, query: ListQuery, locale: str) -> Page:
    """Return the page ``query`` asks for, in slug order, with the cursors around it."""
    documents = _filtered(documents, query, locale)
    size = query.params.page_size
    cursor = query.params.cursor or {}
    if "before" in cursor:
        rows = _page_rows(documents.filter(slug__lt=cursor["before"]).order_by("-slug"), size + 1)
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        previous = {"before": rows[0].slug} if more_before else None
        following = {"after": rows[-1].slug} if rows else {"after": ""}
        return Page(rows, following, previous)
    after = cursor.get("after")
    if after is not None:
        documents = documents.filter(slug__gt=after)
    rows = _page_rows(documents.order_by("slug"), size + 1)
    more_after = len(rows) > size
    rows = rows[:size]
    following = {"after": rows[-1].slug} if more_after else None
    previous = {"before": rows[0].slug} if after is not None and rows else None
    return Page(rows, following, previous)


def live_plan(slug: str, locale: str) -> PageRow | None:
    """The live document of plan ``slug``, or None if none is published."""
    found = live_plans(locale).filter(slug=slug).values_list(*PageRow._fields).first()
    return None if found is None else PageRow._make(found)


def live_components_by_item(item_ids: Iterable[int], locale: str) -> dict[int, LiveComponent]:
    """The live component documents of ``item_ids``, by item id."""
    rows = live_components(locale).filter(item_id__in=item_ids).values_list(*LiveComponent._fields)
    return {row.item_id: row for row in map(LiveComponent._make, rows)}


def live_component(slug: str, locale: str) -> Served | None:
    """The live document of component ``slug``, or None if none is published."""
    found = live_components(locale).filter(slug=slug).values_list(*Served._fields).first()
    return None if found is None else Served._make(found)


def _history_of(slug: str, locale: str) -> QuerySet[PublishedDocument]:
    """The documents in ``locale`` of the live component ``slug``, but for those withdrawn."""
    return PublishedDocument.objects.filter(
        item__documents__slug=slug,
        item__documents__live=True,
        item__documents__locale=locale,
        locale=locale,
        kind__in=Kind.values,
        withdrawn_at=None,
    )


def component_history(slug: str, locale: str) -> list[dict] | None:
    """The publication history of a live component, newest first; None if it is not live."""
    rows = list(
        _history_of(slug, locale)
        .order_by("-number")
        .values_list("number", "published_at", "superseded_at", "change_note")
    )
    if not rows:
        return None
    return [
        {"version": n, "published_at": p, "superseded_at": s, "change_note": note}
        for n, p, s, note in rows
    ]


def component_version(slug: str, number: int, locale: str) -> Served | None:
    """Version ``number`` of a live component as it was published; None if it never was."""
    found = _history_of(slug, locale).filter(number=number).values_list(*Served._fields).first()
    return None if found is None else Served._make(found)


# --- Sync ----------------------------------------------------------------------------------


def served_after(after: str, limit: int, locale: str) -> list[SyncRow]:
    """The first ``limit`` live documents whose slug sorts after ``after``, in slug order. One
    walk of the (live, slug) index, whatever the catalogue's size; a plan none of whose
    components is live is among them (the caller leaves it out)."""
    documents = PublishedDocument.objects.filter(live=True, locale=locale, slug__gt=after)
    return list(
        map(SyncRow._make, documents.order_by("slug").values_list(*SyncRow._fields)[:limit])
    )


def changed_after(since: int, upto: int, after: str, limit: int, locale: str) -> list[Changed]:
    """The first ``limit`` items with a change in generations ``since`` (excluded) to ``upto``
    whose slug sorts after ``after``, each once, in slug order. Reads only the change rows of
    that range: the cost grows with the changes, not with the catalogue."""
    rows = (
        DeliveryChange.objects.filter(
            locale=locale, generation__gt=since, generation__lte=upto, slug__gt=after
        )
        .values_list(*Changed._fields)
        .distinct()
        .order_by("slug")[:limit]
    )
    return list(map(Changed._make, rows))


def live_documents(slugs: Iterable[str], locale: str) -> dict[str, SyncRow]:
    """The live documents in ``locale`` of ``slugs``, by slug."""
    rows = PublishedDocument.objects.filter(live=True, locale=locale, slug__in=slugs)
    return {row.slug: row for row in map(SyncRow._make, rows.values_list(*SyncRow._fields))}
