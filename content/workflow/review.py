"""Review: submit a draft, approve it, or send it back with changes requested."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from content.errors import InvalidTransition, PermissionRefused
from content.models import (
    AUTHORING_ACTIONS,
    Approval,
    AuditAction,
    AuditEntry,
    Version,
    VersionState,
)

from . import policy
from .audit import record
from .composition import check_composition
from .snapshot import content_hash, read_content
from .state import atomic_action, lock_version, require_state
from .validation import validate_content


@atomic_action
def submit_for_review(*, version: Version, user: AbstractBaseUser) -> Version:
    """Freeze the draft ``version``, record its content hash and send it to the reviewers."""
    policy.require(user, policy.SUBMIT, "submit drafts for review")
    version = lock_version(version)
    require_state(version, VersionState.DRAFT, "submit")
    content = read_content(version)
    validate_content(kind=version.item.kind, slug=version.item.slug, content=content)
    check_composition(version)
    version.content_hash = content_hash(version, content)
    version.state = VersionState.IN_REVIEW
    version.submitted_at = timezone.now()
    version.save(update_fields=["content_hash", "state", "submitted_at", "updated_at"])
    record(version=version, action=AuditAction.SUBMIT, actor=user, from_state=VersionState.DRAFT)
    return version


def valid_approvals(version: Version):
    """Approvals of ``version`` that count: bound to its hash, by someone who did not write it."""
    return Approval.objects.filter(version=version, content_hash=version.content_hash).exclude(
        reviewer_id__in=policy.authors_of(version)
    )


@atomic_action
def approve(
    *, version: Version, user: AbstractBaseUser, seen_hash: str, comment: str = ""
) -> Version:
    """Record ``user``'s approval of the content with hash ``seen_hash``.

    Once the kind's number of distinct reviewers have approved, the version is approved.
    """
    policy.require(user, policy.REVIEW, "approve versions")
    version = lock_version(version)
    require_state(version, VersionState.IN_REVIEW, "approve")
    policy.refuse_own_version(user, version)
    if seen_hash != version.content_hash:
        raise InvalidTransition(
            f"The version you reviewed (hash {seen_hash[:12]}) is not the one in review "
            f"(hash {version.content_hash[:12]}); reload it and review what is there now."
        )
    if Approval.objects.filter(version=version, reviewer=user).exists():
        raise PermissionRefused(
            f"You have already approved version {version.number} of '{version.item.slug}'; "
            "another reviewer must give the next approval."
        )
    now = timezone.now()
    Approval.objects.create(
        version=version, reviewer=user, content_hash=seen_hash, comment=comment, created_at=now
    )
    required = policy.review_policy(version.item.kind).approvals_required
    count = valid_approvals(version).values("reviewer").distinct().count()
    if count >= required:
        version.state = VersionState.APPROVED
        version.approved_at = now
        version.save(update_fields=["state", "approved_at", "updated_at"])
    note = f"Approval {count} of {required}." + (f" {comment}" if comment else "")
    record(
        version=version,
        action=AuditAction.APPROVE,
        actor=user,
        from_state=VersionState.IN_REVIEW,
        comment=note,
    )
    return version


@atomic_action
def request_changes(*, version: Version, user: AbstractBaseUser, comment: str) -> Version:
    """Send ``version`` back to its editors with ``comment`` saying what to change."""
    policy.require(user, policy.REVIEW, "request changes")
    if not comment.strip():
        raise InvalidTransition(
            "Say what should change: requesting changes needs a comment for the editor."
        )
    version = lock_version(version)
    require_state(version, VersionState.IN_REVIEW, "request changes to")
    policy.refuse_own_version(user, version)
    version.state = VersionState.CHANGES_REQUESTED
    version.save(update_fields=["state", "updated_at"])
    record(
        version=version,
        action=AuditAction.REQUEST_CHANGES,
        actor=user,
        from_state=VersionState.IN_REVIEW,
        comment=comment.strip(),
    )
    return version


def awaiting_review_by(user: AbstractBaseUser):
    """Versions in review that ``user`` may review now, oldest submission first: never one
    they wrote (four eyes, from the audit log), nor one they have already approved."""
    if not user.has_perm(policy.REVIEW):
        return Version.objects.none()
    written = AuditEntry.objects.filter(actor=user, action__in=AUTHORING_ACTIONS)
    return (
        Version.objects.filter(state=VersionState.IN_REVIEW)
        .exclude(pk__in=written.values("version_id"))
        .exclude(approvals__reviewer=user)
        .select_related("item", "created_by")
        .order_by("submitted_at", "pk")
    )
