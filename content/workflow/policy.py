"""Who may do what, and the per-kind review policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from content.errors import PermissionRefused


@dataclass(frozen=True)
class ReviewPolicy:
    approvals_required: int
    review_cycle_days: int


def review_policy(kind: str) -> ReviewPolicy:
    """Return how many distinct approvals ``kind`` needs and how often it is re-reviewed."""
    merged = {**settings.REVIEW_POLICY_DEFAULT, **settings.REVIEW_POLICY.get(kind, {})}
    return ReviewPolicy(
        approvals_required=int(merged["approvals_required"]),
        review_cycle_days=int(merged["review_cycle_days"]),
    )


# Permission codenames (app ``content``) behind each workflow action.
EDIT = "content.change_version"
CREATE = "content.add_version"
SUBMIT = "content.submit_version"
REVIEW = "content.review_version"
PUBLISH = "content.publish_version"
WITHDRAW = "content.withdraw_version"
ROLLBACK = "content.rollback_version"


def require(user: AbstractBaseUser, permission: str, doing: str) -> None:
    """Refuse unless ``user`` is active and holds ``permission``."""
    if not getattr(user, "is_active", False) or not user.has_perm(permission):
        role = "a reviewer" if permission in {REVIEW, PUBLISH, WITHDRAW} else "an editor"
        raise PermissionRefused(
            f"{user} may not {doing}: that needs {role}'s permission ({permission})."
        )
