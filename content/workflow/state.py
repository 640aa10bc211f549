"""Shared steps of every transition: run in a transaction that survives a lost race, take
the row locks in one order, check the state, move to the next state with its audit entry."""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import OperationalError, connection, transaction
from django.db.models import Q, Subquery

from content.errors import ConcurrentChange, InvalidTransition
from content.models import ContentItem, Version, VersionState

from .audit import record

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

#: How many times an action is tried when PostgreSQL picks it as a deadlock's victim or it
#: fails a serialisation check.
ATTEMPTS = 5
_LOST_RACE = {"40P01", "40001"}  # deadlock_detected, serialization_failure


def _lost_race(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in _LOST_RACE


def atomic_action(action: Callable[P, R]) -> Callable[P, R]:
    """Run the workflow ``action`` in a transaction, and run it again (up to ``ATTEMPTS``
    times, after a short random pause) if it loses a deadlock or serialisation race; past
    that, refuse with ``ConcurrentChange``, which a person can act on.

    Each attempt starts from scratch: actions re-read what they change under their locks.
    Inside a transaction opened by the caller the action runs once: the caller's transaction
    is the one that would have to be tried again.
    """

    @functools.wraps(action)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.in_atomic_block:
            with transaction.atomic():
                return action(*args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return action(*args, **kwargs)
            except OperationalError as error:
                if not _lost_race(error):
                    raise
                logger.info("%s lost a race (attempt %d): %s", action.__name__, attempt, error)
                if attempt == ATTEMPTS:
                    raise ConcurrentChange(
                        "Someone else changed this content at the same moment, and it could "
                        "not be done after several tries. Reload the page and try again."
                    ) from error
                time.sleep(random.uniform(0, 0.02 * 2**attempt))
        raise AssertionError("unreachable")

    return run


def lock_version(version: Version) -> Version:
    """Lock ``version``'s item, then re-read ``version`` under a row lock of its own.

    Every action takes its locks in this one order (the item, then its versions), so that
    concurrent actions on one item take turns instead of deadlocking. Call inside a
    transaction. Every check after it sees the state as committed, not the caller's possibly
    stale copy.
    """
    item = lock_item(version)
    locked = Version.objects.select_for_update().get(pk=version.pk)
    locked.item = item
    return locked


def lock_item(version: Version) -> ContentItem:
    """Lock ``version``'s item: every action on the item's versions takes turns after it.

    A translation's item is locked after its source's (one query; the source is older, so
    its id is lower): a translation never goes live while its source changes under it.
    """
    source = ContentItem.objects.filter(pk=version.item_id).values("source_id")[:1]
    locked = ContentItem.objects.select_for_update().filter(
        Q(pk=version.item_id) | Q(pk=Subquery(source))
    )
    return next(item for item in locked.order_by("pk") if item.pk == version.item_id)


def require_state(version: Version, state: str, doing: str) -> None:
    if version.state != state:
        raise InvalidTransition(
            f"Cannot {doing} version {version.number} of '{version.item.slug}': it is "
            f"{version.get_state_display().lower()}, and only "
            f"{VersionState(state).label.lower()} versions can be."
        )


def transition(
    version: Version,
    *,
    to: str,
    action: str,
    actor: AbstractBaseUser | None,
    comment: str = "",
    **fields,
) -> Version:
    """Move the locked ``version`` to state ``to`` (setting ``fields`` with it), save what
    changed and append the audit entry saying that ``actor`` did ``action``. An action that
    leaves the state as it is (an approval short of the policy, a flag) only records."""
    from_state = version.state
    if to != from_state or fields:
        version.state = to
        for name, value in fields.items():
            setattr(version, name, value)
        version.save(update_fields=["state", *fields, "updated_at"])
    record(version=version, action=action, actor=actor, from_state=from_state, comment=comment)
    return version
