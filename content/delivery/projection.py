"""The one way into the read model, and everything that writes it: what the workflow's
publications and withdrawals do to what the API serves.

The workflow calls ``project_publication`` and ``project_withdrawal`` inside the transaction
that changes a version's state, after saving it. They store the rendered document (and a
plan's component rows) or retire it (its ``live`` flag), re-render the documents that mention
the item so that they name it exactly while it is published, and announce the change (a new
delivery generation and one change row per item touched), and write the event to the
outbox (``content.published``, ``content.withdrawn``), all in that transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from content.events import content_event
from content.models import (
    ContentItem,
    DeliveryChange,
    EventType,
    PublishedDocument,
    PublishedPlanItem,
    Version,
    bump_generation,
)

from .rendering import dump, render, render_component


def project_publication(version: Version, *, superseded: Version | None) -> None:
    """``version`` has just gone live, replacing ``superseded`` (if any) as the item's
    published version: serve it instead."""
    if superseded is not None:
        PublishedDocument.objects.filter(version=superseded).update(
            live=False, superseded_at=superseded.superseded_at
        )
    _store_document(version)
    _announce_changes({version.item_id, *_refresh_mentions_of(version.item_id)})
    content_event(EventType.PUBLISHED, version)


def project_withdrawal(version: Version) -> None:
    """``version`` has just been withdrawn: serve nothing of it from now on."""
    PublishedDocument.objects.filter(version=version).update(
        live=False, withdrawn_at=version.withdrawn_at
    )
    _announce_changes({version.item_id, *_refresh_mentions_of(version.item_id)})
    content_event(EventType.WITHDRAWN, version)


def _store_document(version: Version) -> None:
    """Render the just-published ``version`` and store it as the item's live document."""
    rendered = render(version)
    stored = PublishedDocument.objects.create(
        version=version,
        item_id=version.item_id,
        kind=version.item.kind,
        slug=version.item.slug,
        number=version.number,
        title=version.title,
        summary=version.summary,
        change_note=version.change_note,
        published_at=version.published_at,
        live=True,
        **rendered._asdict(),  # body, links, plan_items, goal_keys, avoid_keys
    )
    PublishedPlanItem.objects.bulk_create(
        PublishedPlanItem(document=stored, component_id=component_id)
        for component_id in {component_id for component_id, _ in rendered.plan_items}
    )


def _refresh_mentions_of(item_id: int) -> set[int]:
    """Re-render the live documents whose interactions name ``item_id``, which has just gone
    live or been withdrawn, so that they name it exactly while it is published. Return the
    items whose documents changed."""
    mentioning = PublishedDocument.objects.filter(
        live=True, version__interactions__other_id=item_id
    ).select_related("version__item")
    changed = set()
    for document in mentioning:
        rendered = dump(render_component(document.version))
        if rendered != document.body:
            PublishedDocument.objects.filter(pk=document.pk).update(body=rendered)
            changed.add(document.item_id)
    return changed


def _announce_changes(item_ids: Iterable[int]) -> None:
    """Record, in the transaction that makes it, that the answers for ``item_ids`` changed.

    Bumps the delivery generation (cached answers of the old one are no longer served) and
    writes one ``DeliveryChange`` per item under the new generation, adding every live plan
    that uses one of the items: a plan is served with its components' current documents, so
    it changes with them. ``/api/v1/sync/`` reads these rows.
    """
    ids = set(item_ids)
    ids |= set(
        PublishedPlanItem.objects.filter(document__live=True, component_id__in=ids)
        .values_list("document__item_id", flat=True)
        .distinct()
    )
    generation = bump_generation()
    DeliveryChange.objects.bulk_create(
        DeliveryChange(generation=generation, item_id=pk, slug=slug, kind=kind)
        for pk, slug, kind in ContentItem.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "slug", "kind")
    )
