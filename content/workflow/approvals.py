"""Four eyes, in one place: who wrote a version, who approved it, and how far its review is.

Authorship is read from the append-only audit log (it cannot be rewritten after the fact);
an approval counts only while it is bound to the content hash the version holds and was
given by someone who did not write any of it. Every path that asks (approve, publish, the
change page, the review queue, the demo loader) asks here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, F, OuterRef, QuerySet

from content.errors import PermissionRefused
from content.models import AUTHORING_ACTIONS, Approval, AuditEntry, Version

from .policy import review_policy


class ApprovalProgress(NamedTuple):
    """How many distinct reviewers validly approved a version, of how many its kind needs."""

    approvals: int
    required: int

    @property
    def complete(self) -> bool:
        return self.approvals >= self.required

    def __str__(self) -> str:
        return f"{self.approvals} of {self.required}"


def _authorship(version_id) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(version_id=version_id, action__in=AUTHORING_ACTIONS).exclude(
        actor=None
    )


def authors_of(version: Version) -> set[int]:
    """The ids of everyone who wrote any of ``version``: who created, revised or edited it."""
    return set(_authorship(version.pk).values_list("actor_id", flat=True))


def wrote(user: AbstractBaseUser, version: Version) -> bool:
    """Whether ``user`` wrote any of ``version`` (and so may never review it)."""
    return _authorship(version.pk).filter(actor_id=user.pk).exists()


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


def _counting() -> QuerySet[Approval]:
    """Every approval that counts: bound to the content hash its version holds now, and
    given by someone who wrote none of that version. The one definition of a valid one."""
    written = _authorship(OuterRef("version_id")).filter(actor_id=OuterRef("reviewer_id"))
    return Approval.objects.filter(content_hash=F("version__content_hash")).exclude(
        Exists(written)
    )


def valid_approvals(version: Version) -> QuerySet[Approval]:
    """The approvals of ``version`` that count towards its review policy, oldest first."""
    return _counting().filter(version=version).order_by("created_at", "id")


def approval_progress(version: Version) -> ApprovalProgress:
    """``version``'s valid distinct approvals and the number its kind needs."""
    return progress_of([version])[version.pk]


def progress_of(versions: Iterable[Version]) -> dict[int, ApprovalProgress]:
    """``approval_progress`` of many versions (each with its item loaded), in one query."""
    versions = list(versions)
    counts = dict(
        _counting()
        .filter(version_id__in=[v.pk for v in versions])
        .order_by()
        .values("version_id")
        .annotate(reviewers=Count("reviewer_id", distinct=True))
        .values_list("version_id", "reviewers")
    )
    return {
        v.pk: ApprovalProgress(counts.get(v.pk, 0), review_policy(v.item.kind).approvals_required)
        for v in versions
    }
