"""Which workflow actions to offer a person on an item's page: those whose check passes.

This only decides what to *show*: every action runs its check again, under row locks, when
it is taken (a stale page or a crafted request gets the domain's refusal).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from content.errors import DomainError
from content.models import WORKING_STATES, ContentItem, Version, VersionState

from .checks import CHECKS, Action


@dataclass(frozen=True)
class ItemVersions:
    """An item's versions as its page needs them."""

    working: Version | None
    published: Version | None
    latest: Version | None  # the newest version that was not discarded
    restorable: list[Version]  # published at some time and not the one live now

    def target(self, action: Action) -> Version | None:
        """The version ``action`` applies to on this page: the working version unless said
        otherwise (editing, submitting, reviewing, publishing and discarding it)."""
        if action in (Action.WITHDRAW, Action.SCHEDULE_WITHDRAWAL):
            return self.published
        if action == Action.REVISE:
            return self.latest
        if action == Action.ROLL_BACK:
            return self.restorable[0] if self.restorable else None
        return self.working


def item_versions(item: ContentItem, versions: list[Version] | None = None) -> ItemVersions:
    """``item``'s versions as its page needs them (``versions``: all of them, already read,
    as a list of many items prefetches them)."""
    if versions is None:
        versions = list(Version.objects.filter(item=item))
    versions = sorted(versions, key=lambda v: -v.number)
    for version in versions:
        version.item = item
    working = next((v for v in versions if v.state in WORKING_STATES), None)
    published = next((v for v in versions if v.state == VersionState.PUBLISHED), None)
    # A discarded draft is never shown nor revised: a new draft starts from what was kept.
    latest = next((v for v in versions if v.state != VersionState.DISCARDED), None)
    restorable = [v for v in versions if v.published_at is not None and v != published]
    return ItemVersions(working, published, latest, restorable)


def offered_actions(user: AbstractBaseUser, versions: ItemVersions) -> list[Action]:
    """The actions ``user`` may take on the item now, in the order of ``Action``."""
    offered = []
    for action, check in CHECKS.items():
        version = versions.target(action)
        if version is None:
            continue
        try:
            check(user=user, version=version)
        except DomainError:
            continue
        offered.append(action)
    return offered
