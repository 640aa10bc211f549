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


def review_policy(kind: str, locale: str | None = None) -> ReviewPolicy:
    """Return how many distinct approvals ``kind`` needs and how often it is re-reviewed;
    with ``locale``, those of a translation of ``kind`` into it (settings
    ``TRANSLATION_REVIEW_POLICY``: by "locale:kind", then "locale", then "kind"; one
    reviewer unless set)."""
    if locale is None:
        merged = {**settings.REVIEW_POLICY_DEFAULT, **settings.REVIEW_POLICY.get(kind, {})}
    else:
        policies = settings.TRANSLATION_REVIEW_POLICY
        merged = {
            **settings.REVIEW_POLICY_DEFAULT,
            "approvals_required": 1,
            **policies.get(kind, {}),
            **policies.get(locale, {}),
            **policies.get(f"{locale}:{kind}", {}),
        }
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
TRANSLATE = "content.translate_version"
UPLOAD = "content.add_asset"
CHANGE_ASSET = "content.change_asset"


def item_policy(item) -> ReviewPolicy:
    """The review policy of ``item``: its kind's, or a translation's into its locale."""
    if item.source_id is None:
        return review_policy(item.kind)
    return review_policy(item.kind, item.locale.code)


def writing(item, permission: str) -> str:
    """The permission writing ``item`` needs where ``permission`` is the editors' (edit,
    create, submit, roll back): a translation's writers are translators."""
    return TRANSLATE if item.source_id is not None else permission


def require(user: AbstractBaseUser, permission: str, doing: str) -> None:
    """Refuse unless ``user`` is active and holds ``permission``."""
    if not getattr(user, "is_active", False) or not user.has_perm(permission):
        role = (
            "a reviewer"
            if permission in {REVIEW, PUBLISH, WITHDRAW}
            else "a translator"
            if permission == TRANSLATE
            else "an editor"
        )
        raise PermissionRefused(
            f"{user} may not {doing}: that needs {role}'s permission ({permission})."
        )
