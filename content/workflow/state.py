"""Shared steps of every transition: take the row lock, check the state."""

from __future__ import annotations

from content.errors import InvalidTransition
from content.models import ContentItem, Version, VersionState


def lock_version(version: Version) -> Version:
    """Re-read ``version`` under a row lock, so that concurrent actions take turns.

    Call inside a transaction. Every check after it sees the state as committed, not the
    caller's possibly stale copy.
    """
    return Version.objects.select_for_update().select_related("item").get(pk=version.pk)


def lock_item(version: Version) -> ContentItem:
    """Lock ``version``'s item: transitions that touch several of its versions take turns."""
    return ContentItem.objects.select_for_update().get(pk=version.item_id)


def require_state(version: Version, state: str, doing: str) -> None:
    if version.state != state:
        raise InvalidTransition(
            f"Cannot {doing} version {version.number} of '{version.item.slug}': it is "
            f"{version.get_state_display().lower()}, and only "
            f"{VersionState(state).label.lower()} versions can be."
        )
