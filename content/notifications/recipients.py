"""Who is told of what, asked of the workflow and its records, never re-stated here.

- Who may approve a version: whoever ``content.workflow.checks.check_approve`` lets approve
  it now (so never its authors, nor who already approved it, nor someone who is not a
  reviewer). A database query only narrows the people asked to those holding the reviewers'
  permission; the check decides.
- Who wrote a version: the audit log (``workflow.authors_of``); who approved it: its
  ``Approval`` rows; who did an action: its audit entry.
- Which plans a withdrawal flagged: the published plans using the component
  (``publication.published_plans_using``, the set the withdrawal flags) that are flagged.

Only active people are ever told anything.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from content import workflow
from content.errors import DomainError
from content.models import Approval, AuditEntry, Version
from content.workflow import policy
from content.workflow.checks import check_approve
from content.workflow.publication import published_plans_using

#: The backend whose permissions narrow the people asked (``User.objects.with_perm`` needs
#: one named when several are configured); the checks then ask every backend.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def people(ids: Iterable[int | None]) -> list[AbstractBaseUser]:
    """The active users among ``ids``, in id order."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return []
    return list(get_user_model().objects.filter(pk__in=wanted, is_active=True).order_by("pk"))


def _holding(permission: str) -> QuerySet:
    """The active people holding ``permission`` (superusers too): the ones worth asking."""
    return (
        get_user_model()
        .objects.with_perm(permission, is_active=True, backend=PERMISSION_BACKEND)
        .order_by("pk")
    )


def may_approve(version: Version) -> list[AbstractBaseUser]:
    """The people who may approve ``version`` now, as ``check_approve`` says: reviewers who
    wrote none of it and have not approved it yet (nobody once it has left review)."""
    allowed = []
    for user in _holding(policy.REVIEW):
        try:
            check_approve(user=user, version=version)
        except DomainError:
            continue
        allowed.append(user)
    return allowed


def reviewers() -> list[AbstractBaseUser]:
    """The reviewers: the people the review policy lets review (``policy.REVIEW``)."""
    allowed = []
    for user in _holding(policy.REVIEW):
        try:
            policy.require(user, policy.REVIEW, "review content")
        except DomainError:
            continue
        allowed.append(user)
    return allowed


def authors(version: Version) -> list[AbstractBaseUser]:
    """Everyone who wrote any of ``version``, as the audit log records it."""
    return people(workflow.authors_of(version))


def approvers(version: Version) -> list[AbstractBaseUser]:
    """Everyone who approved ``version`` (whatever content it held then)."""
    return people(Approval.objects.filter(version=version).values_list("reviewer_id", flat=True))


def actor_of(version: Version, action: str) -> int | None:
    """The id of who last did ``action`` to ``version`` (None: nobody, or the system)."""
    entry = AuditEntry.objects.filter(version=version, action=action).order_by("-pk").first()
    return entry.actor_id if entry else None


def plans_flagged_by(component: Version) -> list[Version]:
    """The published plans that ``component``'s withdrawal flagged for review: the plans
    using it (the ones the withdrawal flags) that are still flagged."""
    return [plan for plan in published_plans_using(component.item) if plan.item.flagged_for_review]


def plan_owners(plan: Version) -> list[AbstractBaseUser]:
    """Who owns a plan: who created the item, and who wrote its version ``plan``."""
    return people([plan.item.created_by_id, *workflow.authors_of(plan)])
