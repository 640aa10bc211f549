"""Personal access tokens for the editorial API: each person makes their own, sees its key
once, and may revoke it (as may a superuser); revoking is final.

A token is stored only as a hash (``PersonalToken``, from djangorestframework-api-key); the
key itself is returned once, by ``create_personal_token``, and never kept. Every call made
with it acts as its owner, with the owner's rights (``content.editorial.access``).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from content.errors import ContentInvalid, PermissionRefused
from content.models import PersonalToken

from .state import atomic_action

logger = logging.getLogger(__name__)

#: How long a new token lasts unless asked otherwise, and the longest it may.
DEFAULT_DAYS = 90
MAX_DAYS = 365
#: A token's name (the model's column).
MAX_NAME = PersonalToken._meta.get_field("name").max_length
#: Live tokens (neither revoked nor expired) one person may have at a time.
MAX_LIVE = 20


class TokenState(StrEnum):
    LIVE = "live"
    EXPIRED = "expired"
    REVOKED = "revoked"


def state_of(token: PersonalToken) -> TokenState:
    """Whether ``token`` opens the editorial API now, and if not, why."""
    if token.revoked:
        return TokenState.REVOKED
    if token.has_expired:
        return TokenState.EXPIRED
    return TokenState.LIVE


def has_access(user: AbstractBaseUser) -> bool:
    """Whether ``user`` may use the editorial API and make tokens: anyone active with access
    to the admin (what they may then do is each action's check)."""
    return bool(user.is_active and user.is_staff)


def live_tokens_of(user: AbstractBaseUser) -> QuerySet[PersonalToken]:
    """``user``'s tokens that open the editorial API now."""
    now = timezone.now()
    return PersonalToken.objects.filter(user_id=user.pk, revoked=False).filter(
        Q(expiry_date=None) | Q(expiry_date__gt=now)
    )


def check_create_personal_token(*, user: AbstractBaseUser) -> None:
    """Refuse unless ``user`` may make a token for themselves: anyone active with access to
    the admin, below ``MAX_LIVE`` live tokens."""
    if not has_access(user):
        raise PermissionRefused(
            "Only people with access to the admin can make personal access tokens."
        )
    live = live_tokens_of(user).count()
    if live >= MAX_LIVE:
        raise ContentInvalid(
            f"You have {live} live tokens, the most one person may have. Revoke one you no "
            "longer use, then make the new one."
        )


def _checked_name(name: str) -> tuple[str, list[str]]:
    name = (name or "").strip()
    if not name:
        return name, ["Give the token a name, to know it again in your list ('Import script')."]
    if len(name) > MAX_NAME:
        return name, [f"A token's name is at most {MAX_NAME} characters; this one has {len(name)}."]
    return name, []


def _checked_days(days: object) -> list[str]:
    if isinstance(days, bool) or not isinstance(days, int):
        return [f"Say in how many days the token expires: a whole number from 1 to {MAX_DAYS}."]
    if not 1 <= days <= MAX_DAYS:
        return [f"A token lasts from 1 to {MAX_DAYS} days; {days} is out of that range."]
    return []


@atomic_action
def create_personal_token(
    *, user: AbstractBaseUser, name: str, expires_in_days: int = DEFAULT_DAYS
) -> tuple[PersonalToken, str]:
    """Make a token for ``user`` named ``name`` (trimmed) that expires in ``expires_in_days``
    days, and return it with its key: the only time the key exists outside the caller's
    hands (the table keeps its hash)."""
    name, name_errors = _checked_name(name)
    errors = {
        field: problems
        for field, problems in (
            ("name", name_errors),
            ("expires_in_days", _checked_days(expires_in_days)),
        )
        if problems
    }
    if errors:
        raise ContentInvalid(" ".join(p for problems in errors.values() for p in problems), errors)
    # One person's tokens are made one at a time, so that two at once cannot pass the limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    check_create_personal_token(user=user)
    expiry = timezone.now() + timedelta(days=expires_in_days)
    token, key = PersonalToken.objects.create_key(name=name, user=user, expiry_date=expiry)
    logger.info(
        "Personal access token %s (%r) made by %s, expires %s",
        token.prefix,
        name,
        user.get_username(),
        f"{expiry:%Y-%m-%d %H:%M} UTC",
    )
    return token, key


def check_revoke_personal_token(*, user: AbstractBaseUser, token: PersonalToken) -> None:
    """Refuse unless ``user`` may revoke ``token``: its owner, or a superuser."""
    if not user.is_active or (token.user_id != user.pk and not user.is_superuser):
        raise PermissionRefused(
            "Only the person a token belongs to (or a superuser) can revoke it; "
            "this one is not yours."
        )


@atomic_action
def revoke_personal_token(*, user: AbstractBaseUser, token: PersonalToken) -> PersonalToken:
    """Revoke ``token`` for good: from the next call on, it opens nothing. Revoking a token
    already revoked changes nothing."""
    check_revoke_personal_token(user=user, token=token)
    locked = PersonalToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked:
        return locked
    locked.revoked = True
    locked.save(update_fields=["revoked"])
    logger.info(
        "Personal access token %s (%r) of %s revoked by %s",
        locked.prefix,
        locked.name,
        locked.user.get_username(),
        user.get_username(),
    )
    return locked
