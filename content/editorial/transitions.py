"""The workflow's transitions as action endpoints, ``POST .../versions/{n}/<action>/``:
each calls the one workflow function that takes it, as the caller, so every check (four
eyes, roles, states, the approved hash) is the domain's. A refusal is a problem with the
domain's message and the version's state now; an ``Idempotency-Key`` makes a repeat
return the first answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from rest_framework.response import Response

from content.delivery.problems import PROBLEM_TYPE_BASE
from content.models import ContentItem, Version
from content.workflow import drafts, publication, review

from . import schema
from .base import EditorialView, Refused, text_field
from .idempotency import once
from .items import created
from .representations import version_json


def _time(data: dict[str, Any], name: str) -> datetime:
    value = data.get(name)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise Refused(
            422,
            f"'{name}' must be a time in ISO 8601 with its zone, e.g. 2026-12-01T09:00:00Z.",
            f"{PROBLEM_TYPE_BASE}invalid",
            code="invalid",
            errors={name: [f"{name}: an ISO 8601 time with its zone."]},
        )
    return parsed


def _submit(request, version, data):
    return review.submit_for_review(version=version, user=request.user)


def _approve(request, version, data):
    return review.approve(
        version=version,
        user=request.user,
        seen_hash=text_field(data, "content_hash", required=True),
        comment=text_field(data, "comment"),
    )


def _request_changes(request, version, data):
    return review.request_changes(
        version=version, user=request.user, comment=text_field(data, "comment")
    )


def _publish(request, version, data):
    return publication.publish(version=version, user=request.user)


def _schedule(request, version, data):
    return publication.schedule_publication(
        version=version, user=request.user, at=_time(data, "at")
    )


def _withdraw(request, version, data):
    return publication.withdraw(
        version=version, user=request.user, reason=text_field(data, "reason")
    )


def _schedule_withdrawal(request, version, data):
    return publication.schedule_withdrawal(
        version=version, user=request.user, at=_time(data, "at"), reason=text_field(data, "reason")
    )


def _roll_back(request, version, data):
    return drafts.roll_back(
        version=version, user=request.user, change_note=text_field(data, "change_note")
    )


def _start_draft(request, version, data):
    return drafts.revise(
        version=version, user=request.user, change_note=text_field(data, "change_note")
    )


def _discard(request, version, data):
    return drafts.discard(version=version, user=request.user, reason=text_field(data, "reason"))


Perform = Callable[[Any, Version, dict[str, Any]], Version]

#: Each action endpoint: its path, the function taking it, and whether it makes a new draft.
ACTIONS: dict[str, tuple[Perform, bool]] = {
    "submit": (_submit, False),
    "approve": (_approve, False),
    "request-changes": (_request_changes, False),
    "publish": (_publish, False),
    "schedule": (_schedule, False),
    "withdraw": (_withdraw, False),
    "schedule-withdrawal": (_schedule_withdrawal, False),
    "roll-back": (_roll_back, True),
    "start-draft": (_start_draft, True),
    "discard": (_discard, False),
}


class TransitionView(EditorialView):
    """One action endpoint (``name`` in ``ACTIONS``)."""

    name = ""

    def post(self, request, slug: str, number: int):
        version = self.find_version(slug, number)
        data = self.body(request)
        perform, makes_draft = ACTIONS[self.name]

        def run() -> Response:
            result = perform(request, version, data)
            result.item = ContentItem.objects.select_related("source", "locale").get(
                pk=result.item_id
            )
            if makes_draft:
                return created(request, result)
            return Response(version_json(result))

        return once(request, self, run)


def transition_views() -> dict[str, type[TransitionView]]:
    """A view class per action, each with its own OpenAPI operation."""
    return {
        name: schema.transition(name)(
            type(f"{name.title().replace('-', '')}View", (TransitionView,), {"name": name})
        )
        for name in ACTIONS
    }
