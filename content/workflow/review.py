"""Review: submit a draft, approve it, or send it back with changes requested."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from content.errors import InvalidTransition
from content.events import content_event
from content.models import Approval, AuditAction, EventType, Version, VersionState

from .approvals import approval_progress
from .checks import check_approve, check_request_changes, check_submit
from .composition import check_composition
from .snapshot import content_hash, read_content
from .state import atomic_action, lock_version, transition
from .translations import validate_version_content
from .validation import plain_text


@atomic_action
def submit_for_review(*, version: Version, user: AbstractBaseUser) -> Version:
    """Freeze the draft ``version``, record its content hash and send it to the reviewers."""
    version = lock_version(version)
    check_submit(user=user, version=version)
    content = read_content(version)
    validate_version_content(version, content)
    if version.translates_id is None:
        check_composition(version)
    transition(
        version,
        to=VersionState.IN_REVIEW,
        action=AuditAction.SUBMIT,
        actor=user,
        content_hash=content_hash(version, content),
        submitted_at=timezone.now(),
    )
    content_event(EventType.SUBMITTED, version)
    return version


@atomic_action
def approve(
    *, version: Version, user: AbstractBaseUser, seen_hash: str, comment: str = ""
) -> Version:
    """Record ``user``'s approval of the content with hash ``seen_hash``.

    Once the kind's number of distinct reviewers have approved, the version is approved.
    """
    version = lock_version(version)
    check_approve(user=user, version=version)
    comment = plain_text(comment, "comment")
    if seen_hash != version.content_hash:
        raise InvalidTransition(
            f"The version you reviewed (hash {seen_hash[:12]}) is not the one in review "
            f"(hash {version.content_hash[:12]}); reload it and review what is there now."
        )
    now = timezone.now()
    Approval.objects.create(
        version=version, reviewer=user, content_hash=seen_hash, comment=comment, created_at=now
    )
    progress = approval_progress(version)
    note = f"Approval {progress}." + (f" {comment}" if comment else "")
    if not progress.complete:
        return transition(
            version, to=VersionState.IN_REVIEW, action=AuditAction.APPROVE, actor=user, comment=note
        )
    transition(
        version,
        to=VersionState.APPROVED,
        action=AuditAction.APPROVE,
        actor=user,
        comment=note,
        approved_at=now,
    )
    content_event(EventType.APPROVED, version)
    return version


@atomic_action
def request_changes(*, version: Version, user: AbstractBaseUser, comment: str) -> Version:
    """Send ``version`` back to its editors with ``comment`` saying what to change."""
    version = lock_version(version)
    check_request_changes(user=user, version=version)
    comment = plain_text(comment, "comment")
    if not comment:
        raise InvalidTransition(
            "Say what should change: requesting changes needs a comment for the editor."
        )
    transition(
        version,
        to=VersionState.CHANGES_REQUESTED,
        action=AuditAction.REQUEST_CHANGES,
        actor=user,
        comment=comment,
    )
    content_event(EventType.CHANGES_REQUESTED, version)
    return version
