"""Saying that what the API serves has changed, so that caches and offline copies follow."""

from __future__ import annotations

from collections.abc import Iterable

from content.models import ContentItem, DeliveryChange, PublishedPlanItem, bump_generation


def announce_changes(item_ids: Iterable[int]) -> int:
    """Record, in the transaction that makes it, that the answers for ``item_ids`` changed.

    Bumps the delivery generation (cached answers of the old one are no longer served) and
    writes one ``DeliveryChange`` per item under the new generation, adding every live plan
    that uses one of the items: a plan is served with its components' current documents, so
    it changes with them. ``/api/v1/sync/`` reads these rows. Returns the new generation.
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
    return generation
