"""Writing events: one ``Event`` row and one delivery per endpoint that wants it, and the
job that sends each, all in the caller's transaction.

The payload is thin, as receivers expect (they fetch what they need from the API):
``{"type", "timestamp", "data": {"type", "slug", "version", "kind", "content_hash", "url"}}``.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from content.kinds import PLAN
from content.models import Event, EventType, Version

from .records import iso, new_event
from .tasks import hand_over
from .webhooks import fan_out


def emit(event_type: str, data: dict, *, at: datetime | None = None) -> Event:
    """Announce ``event_type`` with ``data``: write it to the outbox, with a delivery to
    each enabled endpoint that receives it, and enqueue those deliveries and the event's
    handlers.

    Call inside the transaction of the change it announces: if that rolls back, nothing of
    this was written, and nothing is sent."""
    with transaction.atomic(savepoint=False):
        event = new_event(event_type, data, at=at or timezone.now())
        fan_out(event)
        hand_over(event)
    return event


def content_data(version: Version) -> dict:
    """What a content event says of ``version``: which item and version, and where the API
    serves it; of a translation, its source's slug, its locale and the source version it
    translates."""
    item = version.item
    is_plan = item.kind == PLAN
    route = "plan-detail" if is_plan else "component-detail"
    if item.source_id is None:
        slug, translation = item.slug, {}
    else:  # a translation: the item apps know, in its locale
        slug = item.source.slug
        translation = {
            "locale": item.locale.code,
            "translates_version": version.translates.number,
        }
    url = settings.SITE_URL + reverse(route, kwargs={"slug": slug})
    return {
        "type": "plan" if is_plan else "component",
        "slug": slug,
        "version": version.number,
        "kind": item.kind,
        "content_hash": version.content_hash,
        **translation,
        "url": f"{url}?locale={item.locale.code}" if translation else url,
    }


def content_event(event_type: EventType | str, version: Version, **extra) -> Event:
    """Announce ``event_type`` about ``version`` (publication, withdrawal, a review step),
    with ``extra`` fields (a scheduled publication's ``publish_at``)."""
    data = content_data(version) | {
        name: iso(value) if isinstance(value, datetime) else value for name, value in extra.items()
    }
    return emit(str(event_type), data)


def vocabulary_event(vocabulary: str, slug: str, change: str) -> Event:
    """Announce that the entry ``slug`` of ``vocabulary`` was created, changed or deleted."""
    return emit(
        EventType.VOCABULARY_CHANGED,
        {"type": vocabulary, "slug": slug, "change": change},
    )
