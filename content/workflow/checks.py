"""What each workflow action requires, written once.

For each action, ``check_<verb>(*, user, version)`` raises the domain's refusal if ``user``
may not take it on ``version`` now, and writes nothing. The action itself calls its check
under its row locks, so what it checks is what is committed; the admin asks the same checks
which buttons to show (``offers``), so a button is shown exactly when its check passes.
Input an action takes besides the version (a comment, a reason, a time, the content it
saves) is checked by the action after its check.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from content.errors import InvalidTransition, PermissionRefused
from content.models import Version, VersionState

from . import policy
from .approvals import approval_progress, has_approved, refuse_own_version, wrote
from .composition import check_composition
from .media import check_media_ready
from .snapshot import content_hash
from .state import require_state


class Action(models.TextChoices):
    """The workflow actions people take on an item; each label is its button's text."""

    EDIT = "edit", "Save draft"
    REVISE = "start_draft", "Edit: start a new draft"
    SUBMIT = "submit", "Submit for review"
    APPROVE = "approve", "Approve"
    REQUEST_CHANGES = "request_changes", "Request changes"
    PUBLISH = "publish", "Publish now"
    SCHEDULE = "schedule", "Schedule publication"
    WITHDRAW = "withdraw", "Withdraw"
    SCHEDULE_WITHDRAWAL = "schedule_withdrawal", "Schedule withdrawal"
    ROLL_BACK = "roll_back", "Roll back"
    DISCARD = "discard", "Discard this draft"


def check_edit(*, user: AbstractBaseUser, version: Version) -> None:
    """Editors edit drafts (translators, translations); a submitted version is frozen."""
    policy.require(user, policy.writing(version.item, policy.EDIT), "edit drafts")
    if version.state != VersionState.DRAFT:
        raise InvalidTransition(
            f"Version {version.number} of '{version.item.slug}' is "
            f"{version.get_state_display().lower()} and frozen; only drafts can be edited. "
            "Revise it to make a new draft."
        )


def _refuse_work_in_progress(version: Version) -> None:
    """A new draft of ``version``'s item waits until no draft or review is under way."""
    if version.state == VersionState.DRAFT:
        raise InvalidTransition(
            f"Version {version.number} of '{version.item.slug}' is still a draft; edit it instead."
        )
    working = Version.objects.filter(  # the item's: a translation is an item of its own
        item_id=version.item_id, state__in=(VersionState.DRAFT, VersionState.IN_REVIEW)
    ).first()
    if working is not None:
        raise InvalidTransition(
            f"Version {working.number} of '{version.item.slug}' is already "
            f"{working.get_state_display().lower()}; finish or review that one first."
        )


def check_revise(*, user: AbstractBaseUser, version: Version) -> None:
    """Editors start a new draft from any version that is not a draft nor discarded, once
    nothing else of the item is being written or reviewed."""
    policy.require(user, policy.writing(version.item, policy.CREATE), "revise content")
    if version.item.discarded_at is not None:
        raise InvalidTransition(
            f"'{version.item.slug}' was discarded before it was ever published; "
            "create a new item instead."
        )
    if version.state == VersionState.DISCARDED:
        raise InvalidTransition(
            f"Version {version.number} of '{version.item.slug}' was discarded; "
            "revise a version that was kept instead."
        )
    _refuse_work_in_progress(version)
    if version.item.source_id is not None:
        check_source_published(version.item)


def check_source_published(translation_item) -> Version:
    """A translation's new draft translates the source's published version: there must be
    one. Returns it."""
    source = Version.objects.filter(
        item_id=translation_item.source_id, state=VersionState.PUBLISHED
    ).first()
    if source is None:
        raise InvalidTransition(
            f"'{translation_item.source.slug}' has no published version to translate; "
            "translations follow what apps are served."
        )
    return source


def check_roll_back(*, user: AbstractBaseUser, version: Version) -> None:
    """A roll-back is a new draft restoring a version that was published once."""
    policy.require(user, policy.writing(version.item, policy.ROLLBACK), "roll back content")
    if version.published_at is None:
        raise InvalidTransition(
            f"Version {version.number} of '{version.item.slug}' was never published, "
            "so there is nothing to roll back to; revise it instead."
        )
    _refuse_work_in_progress(version)
    if version.item.source_id is not None:
        check_source_published(version.item)


def check_submit(*, user: AbstractBaseUser, version: Version) -> None:
    policy.require(user, policy.writing(version.item, policy.SUBMIT), "submit drafts for review")
    require_state(version, VersionState.DRAFT, "submit")


def check_approve(*, user: AbstractBaseUser, version: Version) -> None:
    """Reviewers approve a version in review that they did not write, once each."""
    policy.require(user, policy.REVIEW, "approve versions")
    require_state(version, VersionState.IN_REVIEW, "approve")
    refuse_own_version(user, version)
    if has_approved(user, version):
        raise PermissionRefused(
            f"You have already approved version {version.number} of '{version.item.slug}'; "
            "another reviewer must give the next approval."
        )


def check_request_changes(*, user: AbstractBaseUser, version: Version) -> None:
    policy.require(user, policy.REVIEW, "request changes")
    require_state(version, VersionState.IN_REVIEW, "request changes to")
    refuse_own_version(user, version)


def check_publishable(version: Version) -> None:
    """What goes live is exactly what enough reviewers approved, and (a plan) still combines
    its components' published versions safely."""
    require_state(version, VersionState.APPROVED, "publish")
    if content_hash(version) != version.content_hash:
        raise InvalidTransition(
            f"Version {version.number} of '{version.item.slug}' no longer matches the content "
            "that was approved (its hash differs), so it cannot be published. Revise it and "
            "have the revision reviewed."
        )
    progress = approval_progress(version)
    if not progress.complete:
        raise InvalidTransition(
            f"Version {version.number} of '{version.item.slug}' has {progress.approvals} valid "
            f"approval(s) of the content it holds; {progress.required} are needed to publish it."
        )
    if version.translates_id is not None:
        check_translation_current(version)
    else:
        check_composition(version)
        check_media_ready(version)


def check_translation_current(version: Version) -> None:
    """A translation goes live only while the source version it translates is the one
    published: an older source's translation would hide what changed since."""
    source = check_source_published(version.item)
    if source.pk != version.translates_id:
        raise InvalidTransition(
            f"Version {version.number} of '{version.item.slug}' translates version "
            f"{version.translates.number} of '{source.item.slug}', but version {source.number} "
            "is published now: it is outdated. Revise it to translate what apps are served."
        )


def check_publish(*, user: AbstractBaseUser, version: Version) -> None:
    policy.require(user, policy.PUBLISH, "publish")
    check_publishable(version)


def check_schedule(*, user: AbstractBaseUser, version: Version) -> None:
    policy.require(user, policy.PUBLISH, "schedule publication")
    check_publishable(version)


def check_withdraw(*, user: AbstractBaseUser, version: Version) -> None:
    policy.require(user, policy.WITHDRAW, "withdraw content")
    require_state(version, VersionState.PUBLISHED, "withdraw")


#: The states a version can be discarded in: written but not (or no longer) under review.
DISCARDABLE_STATES = (VersionState.DRAFT, VersionState.CHANGES_REQUESTED)


def check_discard(*, user: AbstractBaseUser, version: Version) -> None:
    """A draft, or a version review sent back, can be thrown away by the editors who wrote
    it or by a reviewer; what is in review, approved or was published never is.

    The state is checked first: it costs no query, and every item page asks.
    """
    if version.state not in DISCARDABLE_STATES:
        hint = " Withdraw it to take it down." if version.state == VersionState.PUBLISHED else ""
        raise InvalidTransition(
            f"Cannot discard version {version.number} of '{version.item.slug}': it is "
            f"{version.get_state_display().lower()}, and only draft or changes requested "
            f"versions can be.{hint}"
        )
    if not _may_discard(user, version):
        raise PermissionRefused(
            f"{user} may not discard version {version.number} of '{version.item.slug}': "
            f"only the editors who wrote it or a reviewer ({policy.REVIEW}) may."
        )


def _may_discard(user: AbstractBaseUser, version: Version) -> bool:
    """Reviewers may discard any draft; editors (translators) those they wrote (part of)."""
    if not getattr(user, "is_active", False):
        return False
    if user.has_perm(policy.REVIEW):
        return True
    return user.has_perm(policy.writing(version.item, policy.EDIT)) and wrote(user, version)


#: Each action's check, in the order the buttons are shown.
CHECKS: dict[Action, Callable[..., None]] = {
    Action.EDIT: check_edit,
    Action.REVISE: check_revise,
    Action.SUBMIT: check_submit,
    Action.APPROVE: check_approve,
    Action.REQUEST_CHANGES: check_request_changes,
    Action.PUBLISH: check_publish,
    Action.SCHEDULE: check_schedule,
    Action.WITHDRAW: check_withdraw,
    Action.SCHEDULE_WITHDRAWAL: check_withdraw,
    Action.ROLL_BACK: check_roll_back,
    Action.DISCARD: check_discard,
}
