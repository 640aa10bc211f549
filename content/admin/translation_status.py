"""Where a source item's translations stand, locale by locale, and which translations are
outdated: reads only, for the item page's "Translations" panel and the lists' filters.

A locale's translation is *current* while its published version translates the source's
published version, *outdated* once the source published a newer one (apps are then served
the fallback), and *not published* when nothing of it is live.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from content.errors import DomainError
from content.models import WORKING_STATES, ContentItem, Locale, Version, VersionState
from content.workflow.checks import check_revise
from content.workflow.translations import check_translate

CURRENT, OUTDATED, MISSING = "current", "outdated", "missing"
STATUS_LABELS = {CURRENT: "Current", OUTDATED: "Outdated", MISSING: "Not published"}


def outdated_translations() -> QuerySet[Version]:
    """The published translation versions whose source version is no longer the one
    published (a newer one is, or none)."""
    return Version.objects.filter(state=VersionState.PUBLISHED, translates__isnull=False).exclude(
        translates__state=VersionState.PUBLISHED
    )


def status_of(published: Version | None, source_published: Version | None) -> str:
    """The status of a translation whose published version is ``published``."""
    if published is None:
        return MISSING
    if source_published is not None and published.translates_id == source_published.pk:
        return CURRENT
    return OUTDATED


@dataclass(frozen=True)
class LocaleRow:
    """One locale of a source item: its translation item, newest and published versions,
    status, and whether the person may start a draft of it now."""

    locale: Locale
    item: ContentItem | None
    latest: Version | None
    published: Version | None
    status: str
    may_translate: bool

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def working(self) -> Version | None:
        """The translation's version on its way to publication, if any."""
        return self.latest if self.latest and self.latest.state in WORKING_STATES else None


def _may_start(user: AbstractBaseUser, source_item: ContentItem, latest: Version | None) -> bool:
    """Whether ``start_translation`` would start a draft for ``user`` now, asked of the
    checks it runs: the translator's permission and a published source, then a revision of
    the latest translation, if there is one."""
    try:
        check_translate(user=user, source_item=source_item)
        if latest is not None:
            check_revise(user=user, version=latest)
    except DomainError:
        return False
    return True


def locale_rows(
    user: AbstractBaseUser, source_item: ContentItem, source_published: Version | None
) -> list[LocaleRow]:
    """Every locale but the default, with ``source_item``'s translation into it."""
    locales = list(Locale.objects.filter(is_default=False).order_by("code"))
    if not locales:
        return []
    items = {
        item.locale_id: item
        for item in ContentItem.objects.filter(source=source_item, discarded_at__isnull=True)
    }
    versions: dict[int, list[Version]] = {}
    kept = Version.objects.filter(item__in=list(items.values())).exclude(
        state=VersionState.DISCARDED
    )
    for version in kept.select_related("translates").order_by("-number"):
        versions.setdefault(version.item_id, []).append(version)
    rows = []
    for locale in locales:
        item = items.get(locale.pk)
        found = versions.get(item.pk, []) if item else []
        for version in found:
            version.item = item
        latest = found[0] if found else None
        published = next((v for v in found if v.state == VersionState.PUBLISHED), None)
        rows.append(
            LocaleRow(
                locale=locale,
                item=item,
                latest=latest,
                published=published,
                status=status_of(published, source_published),
                may_translate=_may_start(user, source_item, latest),
            )
        )
    return rows
