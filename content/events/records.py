"""The ``Event`` row as receivers get it: ``body`` is the exact JSON sent, never rebuilt."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from content.models import Event


def iso(at: datetime) -> str:
    """``at`` in UTC, as the payloads write times (``2026-11-21T10:00:00.123456Z``)."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def new_event(event_type: str, data: dict, *, at: datetime) -> Event:
    """Write the ``Event`` row: ``{"type", "timestamp", "data"}`` as its body."""
    body = json.dumps(
        {"type": event_type, "timestamp": iso(at), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return Event.objects.create(type=event_type, occurred_at=at, body=body)
