"""Handing each committed event to the layers above that act on it (notifications), as a
job; they register here, in their app's ``ready``, so that events never import them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone
from django_tasks import task

from content.models import Event, EventType

#: Called with each event, by the job queue, once its transaction has committed.
HANDLERS: list[Callable[[Event], None]] = []

_UNHANDLED = ContextVar("events_unhandled", default=False)


@contextmanager
def handlers_skipped() -> Iterator[None]:
    """Within this block, events are written and sent to webhooks but not handed to the
    handlers: nobody is notified (the demo pack's own loading is nobody's news)."""
    token = _UNHANDLED.set(True)
    try:
        yield
    finally:
        _UNHANDLED.reset(token)


def hand_over(event: Event) -> None:
    """Enqueue the handlers' job for the new ``event`` (in its transaction), or mark it
    handled inside ``handlers_skipped``."""
    if _UNHANDLED.get():
        Event.objects.filter(pk=event.pk).update(handled_at=event.occurred_at)
    else:
        handle_event.enqueue(event.pk)


def register(handler: Callable[[Event], None]) -> None:
    if handler not in HANDLERS:
        HANDLERS.append(handler)


@task()
def handle_event(event_id: str) -> int:
    """Hand the event to every registered handler; return how many there were."""
    event = Event.objects.get(pk=event_id)
    if event.handled_at is not None:
        return 0
    for handler in HANDLERS:
        handler(event)
    Event.objects.filter(pk=event_id).update(handled_at=timezone.now())
    return len(HANDLERS)


def sweep(*, now, lost_after) -> int:
    """Hand over again the events whose handlers never finished (their job failed, or was
    lost with a worker); the handlers tell nobody twice. Returns how many."""
    lost = Event.objects.filter(handled_at__isnull=True, occurred_at__lt=now - lost_after).exclude(
        type=EventType.TEST
    )  # a test event goes to one endpoint, and to no handler
    count = 0
    for event_id in lost.values_list("pk", flat=True)[:1000]:
        handle_event.enqueue(event_id)
        count += 1
    return count
