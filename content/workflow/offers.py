"""Which workflow actions to offer a person on an item's page.

This only decides what to *show*: every action is checked again, under row locks, by the
domain function that performs it (a stale page or a crafted request gets the domain's
refusal). The conditions are the domain's own: permissions from ``policy``, four eyes from
the audit log, states from the workflow.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from content.models import WORKING_STATES, ContentItem, Version, VersionState

from . import policy


@dataclass(frozen=True)
class ItemVersions:
    """An item's versions as its page needs them."""

    working: Version | None
    published: Version | None
    latest: Version | None
    restorable: list[Version]  # published at some time and not the one live now


def item_versions(item: ContentItem) -> ItemVersions:
    versions = list(Version.objects.filter(item=item).order_by("-number"))
    working = next((v for v in versions if v.state in WORKING_STATES), None)
    published = next((v for v in versions if v.state == VersionState.PUBLISHED), None)
    restorable = [v for v in versions if v.published_at is not None and v != published]
    return ItemVersions(working, published, versions[0] if versions else None, restorable)


def offered_actions(user: AbstractBaseUser, versions: ItemVersions) -> set[str]:
    """The actions ``user`` may take on the item now."""
    may = user.has_perm
    offered: set[str] = set()
    working = versions.working
    state = working.state if working else None
    if state == VersionState.DRAFT:
        if may(policy.EDIT):
            offered.add("edit")
        if may(policy.SUBMIT):
            offered.add("submit")
    revisable = state in (None, VersionState.CHANGES_REQUESTED, VersionState.APPROVED)
    if revisable and versions.latest is not None and may(policy.CREATE):
        offered.add("start_draft")
    reviewable = state == VersionState.IN_REVIEW and may(policy.REVIEW)
    if reviewable and user.pk not in policy.authors_of(working):
        offered.add("request_changes")
        if not working.approvals.filter(reviewer=user).exists():
            offered.add("approve")
    if state == VersionState.APPROVED and may(policy.PUBLISH):
        offered.update({"publish", "schedule"})
    if versions.published is not None and may(policy.WITHDRAW):
        offered.add("withdraw")
    if (
        versions.restorable
        and may(policy.ROLLBACK)
        and state not in (VersionState.DRAFT, VersionState.IN_REVIEW)
    ):
        offered.add("roll_back")
    return offered
