"""The workflow buttons of an item's page: one entry per ``workflow.Action``.

Each entry reads its input from the form, calls the domain function and says what was done;
every rule is the domain's (its check runs again under the action's locks), so a stale page
or a crafted request gets the domain's refusal, never a change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone

from content import workflow
from content.errors import InvalidTransition
from content.models import ContentItem, Version, VersionState
from content.workflow import Action
from content.workflow.offers import ItemVersions

Perform = Callable[[HttpRequest, Version], str]


def _revise(request: HttpRequest, version: Version) -> str:
    draft = workflow.revise(version=version, user=request.user)
    return f"Version {draft.number} is a new draft, based on version {draft.based_on.number}."


def _submit(request: HttpRequest, version: Version) -> str:
    version = workflow.submit_for_review(version=version, user=request.user)
    return f"Version {version.number} submitted for review."


def _approve(request: HttpRequest, version: Version) -> str:
    version = workflow.approve(
        version=version,
        user=request.user,
        seen_hash=request.POST.get("seen_hash", ""),
        comment=request.POST.get("comment", "").strip(),
    )
    state = version.get_state_display().lower()
    return f"You approved version {version.number}; it is now {state}."


def _request_changes(request: HttpRequest, version: Version) -> str:
    version = workflow.request_changes(
        version=version, user=request.user, comment=request.POST.get("comment", "")
    )
    return f"Changes requested on version {version.number}."


def _publish(request: HttpRequest, version: Version) -> str:
    version = workflow.publish(version=version, user=request.user)
    return f"Version {version.number} is published."


def _schedule(request: HttpRequest, version: Version) -> str:
    at = _parse_local_datetime(request.POST.get("at", ""))
    version = workflow.schedule_publication(version=version, user=request.user, at=at)
    when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    return f"Version {version.number} will be published at {when}."


def _withdraw(request: HttpRequest, version: Version) -> str:
    version = workflow.withdraw(
        version=version, user=request.user, reason=request.POST.get("reason", "")
    )
    return f"Version {version.number} is withdrawn; apps no longer receive it."


def _schedule_withdrawal(request: HttpRequest, version: Version) -> str:
    at = _parse_local_datetime(request.POST.get("at", ""))
    version = workflow.schedule_withdrawal(
        version=version, user=request.user, at=at, reason=request.POST.get("reason", "")
    )
    when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    return f"Version {version.number} will be withdrawn at {when}; until then apps receive it."


def _roll_back(request: HttpRequest, version: Version) -> str:
    draft = workflow.roll_back(version=version, user=request.user)
    return (
        f"Version {draft.number} is a new draft restoring version {version.number}; "
        "it is reviewed like any change."
    )


def _discard(request: HttpRequest, version: Version) -> str:
    slug = version.item.slug
    version = workflow.discard(
        version=version, user=request.user, reason=request.POST.get("reason", "")
    )
    if version.item.discarded_at is not None:
        return f"Draft '{slug}' was discarded; its slug is free again."
    live = Version.objects.filter(item_id=version.item_id, state=VersionState.PUBLISHED).first()
    if live is not None:
        return (
            f"Version {version.number} was discarded; "
            f"the published version {live.number} stays live."
        )
    return f"Version {version.number} was discarded; '{slug}' keeps its slug and its history."


#: The buttons (the draft form's "Save draft" is the change page's own form).
BUTTONS: dict[Action, Perform] = {
    Action.REVISE: _revise,
    Action.SUBMIT: _submit,
    Action.APPROVE: _approve,
    Action.REQUEST_CHANGES: _request_changes,
    Action.PUBLISH: _publish,
    Action.SCHEDULE: _schedule,
    Action.WITHDRAW: _withdraw,
    Action.SCHEDULE_WITHDRAWAL: _schedule_withdrawal,
    Action.ROLL_BACK: _roll_back,
    Action.DISCARD: _discard,
}

#: What a vanished target is called in the refusal ("There is no draft any more").
_TARGET_NAMES = {
    Action.REVISE: "version",
    Action.SUBMIT: "draft",
    Action.APPROVE: "version in review",
    Action.REQUEST_CHANGES: "version in review",
    Action.PUBLISH: "approved version",
    Action.SCHEDULE: "approved version",
    Action.WITHDRAW: "published version",
    Action.SCHEDULE_WITHDRAWAL: "published version",
    Action.ROLL_BACK: "such version",
    Action.DISCARD: "draft to discard",
}


def posted_action(
    request: HttpRequest, item: ContentItem, versions: ItemVersions
) -> tuple[Action, Version]:
    """The action the posted form names and the version it applies to, or the refusal."""
    name = request.POST.get("action", "")
    if name not in BUTTONS:
        raise InvalidTransition(f"Unknown action {name!r}.")
    action = Action(name)
    if action == Action.ROLL_BACK:  # the form names which published version to restore
        number = whole_number(request.POST.get("version"))
        version = Version.objects.filter(item=item, number=number).select_related("item").first()
    else:
        version = versions.target(action)
    if version is None:
        raise InvalidTransition(f"There is no {_TARGET_NAMES[action]} any more; reload the page.")
    return action, version


def perform(request: HttpRequest, action: Action, version: Version) -> str:
    """Take ``action`` on ``version``; return what was done, or raise the domain's refusal."""
    return BUTTONS[action](request, version)


def whole_number(value) -> int:
    """``value`` as a whole number, or 0 if it is none."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _parse_local_datetime(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidTransition(
            f"{value!r} is not a date and time; pick one with the date and time fields."
        ) from None
    return timezone.make_aware(at) if timezone.is_naive(at) else at
