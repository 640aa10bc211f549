"""How each person wants to be told of each kind of news: at once, in a daily digest, or
not at all (``DEFAULT_DELIVERY`` for a kind they have not chosen for)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from content.models import DEFAULT_DELIVERY, Delivery, NotificationKind, NotificationPreference


def deliveries(users: Iterable[AbstractBaseUser], kind: str) -> dict[int, str]:
    """How each of ``users`` wants to be told of ``kind``, by user id (one query)."""
    ids = [user.pk for user in users]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {user_id: chosen.get(user_id, DEFAULT_DELIVERY) for user_id in ids}


def preferences_of(user: AbstractBaseUser) -> dict[str, str]:
    """``user``'s choice for every kind of news, in the order of ``NotificationKind``."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "delivery")
    )
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in NotificationKind.values}


def set_preferences(user: AbstractBaseUser, choices: Mapping[str, str]) -> None:
    """Record ``user``'s ``choices`` (kind -> delivery); kinds left out keep theirs."""
    for kind, delivery in choices.items():
        if kind not in NotificationKind.values or delivery not in Delivery.values:
            raise ValueError(f"Unknown kind or delivery: {kind!r}, {delivery!r}.")
    with transaction.atomic():
        for kind, delivery in choices.items():
            NotificationPreference.objects.update_or_create(
                user_id=user.pk, kind=kind, defaults={"delivery": delivery}
            )
