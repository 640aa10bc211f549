"""Four eyes, in one place: who wrote a version, who approved it, and how far its review is.

Authorship is read from the append-only audit log (it cannot be rewritten after the fact);
an approval counts only while it is bound to the content hash the version holds and was
given by someone who did not write any of it. Every path that asks (approve, publish, the
change page, the review queue, the demo loader) asks here.
"""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from content.errors import PermissionRefused
from content.models import AUTHORING_ACTIONS, Approval, AuditEntry, Version, VersionState

from . import policy


class ApprovalProgress(NamedTuple):
    """How many distinct reviewers validly approved a version, of how many its kind needs."""

    approvals: int
    required: int

    @property
    def complete(self) -> bool:
        return self.approvals >= self.required

    def __str__(self) -> str:
        return f"{self.approvals} of {self.required}"


def _authorship() -> QuerySet[AuditEntry]:
    """The audit entries of people writing (creating, editing, revising, rolling back)."""
    return AuditEntry.objects.filter(action__in=AUTHORING_ACTIONS).exclude(actor=None)


def authors_of(version: Version) -> set[int]:
    """The ids of everyone who wrote any of ``version``."""
    return set(_authorship().filter(version=version).values_list("actor_id", flat=True))


def wrote(user: AbstractBaseUser, version: Version) -> bool:
    """Whether ``user`` wrote any of ``version`` (and so may never review it)."""
    return _authorship().filter(version=version, actor_id=user.pk).exists()


def has_approved(user: AbstractBaseUser, version: Version) -> bool:
    """Whether ``user`` has already approved ``version`` (whatever content it held then)."""
    return Approval.objects.filter(version=version, reviewer_id=user.pk).exists()


def refuse_own_version(user: AbstractBaseUser, version: Version) -> None:
    """Four eyes: nobody reviews a version they wrote, whatever their permissions."""
    if wrote(user, version):
        raise PermissionRefused(
            f"You wrote version {version.number} of '{version.item.slug}', "
            "so someone else must review it."
        )


def awaiting_review_by(user: AbstractBaseUser) -> QuerySet[Version]:
    """Versions in review that ``user`` may review now, oldest submission first: never one
    they wrote, nor one they have already approved."""
    if not user.has_perm(policy.REVIEW):
        return Version.objects.none()
    return (
        Version.objects.filter(state=VersionState.IN_REVIEW)
        .exclude(pk__in=_authorship().filter(actor=user).values("version_id"))
        .exclude(approvals__reviewer=user)
        .select_related("item", "created_by")
        .order_by("submitted_at", "pk")
    )


def _counting() -> QuerySet[Approval]:
    """Every approval that counts: bound to the content hash its version holds now, and given
    by someone who wrote none of that version. The one definition of a valid approval."""
    written = _authorship().filter(
        version_id=OuterRef("version_id"), actor_id=OuterRef("reviewer_id")
    )
    return Approval.objects.filter(content_hash=F("version__content_hash")).exclude(Exists(written))


def valid_approvals(version: Version) -> QuerySet[Approval]:
    """The approvals of ``version`` that count towards its review policy, oldest first."""
    return _counting().filter(version=version).order_by("created_at", "id")


#: The annotation ``with_approval_progress`` adds: the version's valid distinct approvals.
_COUNTED = "valid_approval_count"


def with_approval_progress(versions: QuerySet[Version]) -> QuerySet[Version]:
    """``versions`` with their valid approvals counted in the same query, so that a list of
    them (the review queue) costs no query per row for ``approval_progress``."""
    counted = (
        _counting()
        .filter(version_id=OuterRef("pk"))
        .order_by()
        .values("version_id")
        .annotate(reviewers=Count("reviewer_id", distinct=True))
        .values("reviewers")
    )
    return versions.annotate(**{_COUNTED: Coalesce(Subquery(counted), 0)})


def approval_progress(version: Version) -> ApprovalProgress:
    """``version``'s valid distinct approvals, and how many its kind needs."""
    count = getattr(version, _COUNTED, None)
    if count is None:
        count = _counting().filter(version=version).values("reviewer_id").distinct().count()
    return ApprovalProgress(count, policy.item_policy(version.item).approvals_required)
