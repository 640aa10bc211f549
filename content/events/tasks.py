"""Handing each committed event to the layers above that act on it (notifications), as a
job; they register here, in their app's ``ready``, so that events never import them."""

from __future__ import annotations

from collections.abc import Callable

from django_tasks import task

from content.models import Event

#: Called with each event, by the job queue, once its transaction has committed.
HANDLERS: list[Callable[[Event], None]] = []


def register(handler: Callable[[Event], None]) -> None:
    if handler not in HANDLERS:
        HANDLERS.append(handler)


@task()
def handle_event(event_id: str) -> int:
    """Hand the event to every registered handler; return how many there were."""
    event = Event.objects.get(pk=event_id)
    for handler in HANDLERS:
        handler(event)
    return len(HANDLERS)
