"""Loading a read pack into the database through the workflow, and the ``Report`` of a load.

Vocabulary entries are saved as rows (after the model's own checks); every component and
plan goes through the workflow functions only (create, edit, submit, approve, publish,
revise, withdraw): this module never writes content itself. Each version is approved by the
team's reviewers, one after another, until ``approval_progress`` says its review is complete.

Locales and translations are loaded by ``translating``, a translation right after the
version it translates is published. The pictures new items show are put in the library by
``uploading`` before the first draft names one.

Loading is idempotent and never overrides people: a vocabulary entry, component or plan
whose slug is already in the database (or, for contraindications, is an alias of one) is
left exactly as it is, and so are its translations. The whole pack loads in one
transaction: all of it or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from content.events.tasks import handlers_skipped
from content.kinds import PLAN
from content.models import ContentItem, Contraindication, ContraindicationAlias, Goal, Version
from content.workflow import (
    PlanContent,
    VersionContent,
    create_component,
    create_plan,
    edit_draft,
    revise,
    withdraw,
)

from .accounts import Team
from .files import PackError
from .items import PackItem
from .pack import Pack
from .reviewing import refusal_names, review_and_publish
from .translating import PendingTranslations, load_locales, load_vocabulary_translations
from .uploading import library_pictures

#: Called with each item, the number of a version of it and that version, once published.
AfterPublish = Callable[[PackItem, int, Version], None]


@dataclass
class Report:
    """What a load did: slugs created and slugs left alone, per section."""

    created: dict[str, list[str]] = field(default_factory=dict)
    kept: dict[str, list[str]] = field(default_factory=dict)

    def note(self, section: str, slug: str, *, created: bool) -> None:
        target = self.created if created else self.kept
        target.setdefault(section, []).append(slug)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


# --- Vocabulary -------------------------------------------------------------------------


def _slugs(model: type[models.Model]) -> set[str]:
    return set(model.objects.values_list("slug", flat=True))


def _save_vocabulary(model: type[models.Model], entry: dict[str, Any]) -> None:
    row = model(**entry)
    try:
        row.full_clean()
    except ValidationError as exc:
        raise PackError(f"vocabulary.yaml, {entry['slug']}: {exc.messages[0]}") from None
    row.save()


def _load_vocabulary(pack: Pack, report: Report) -> None:
    # A contraindication renamed since keeps its former slug as an alias: taken too.
    contraindications = _slugs(Contraindication) | _slugs(ContraindicationAlias)
    sections = (
        ("contraindications", Contraindication, pack.contraindications, contraindications),
        ("goals", Goal, pack.goals, _slugs(Goal)),
    )
    for section, model, entries, taken in sections:
        for entry in entries:
            new = entry["slug"] not in taken
            if new:
                _save_vocabulary(model, entry)
            report.note(section, entry["slug"], created=new)


# --- Components and plans ---------------------------------------------------------------


def _renamed_slugs() -> dict[str, str]:
    """Former contraindication slugs and what they are called now."""
    return dict(ContraindicationAlias.objects.values_list("slug", "contraindication__slug"))


def _content(
    item: PackItem, data: dict[str, Any], renamed: dict[str, str], pictures: dict[str, str]
):
    """What version ``data`` of ``item`` says, as the workflow takes it: pictures named by
    their SHA-256 (``pictures``, by name), contraindications by their current slugs."""
    media = [
        {**{k: v for k, v in entry.items() if k != "picture"}, "asset": pictures[entry["picture"]]}
        for entry in data.get("media", ())
    ]
    if item.kind == PLAN:
        return PlanContent.build(**{**data, "media": media})
    links = [
        {
            **link,
            "contraindication": renamed.get(link["contraindication"], link["contraindication"]),
        }
        for link in data.get("contraindications", ())
    ]
    return VersionContent.build(**{**data, "contraindications": links, "media": media})


def _edit(version: Version, team: Team, content) -> Version:
    return edit_draft(
        version=version, user=team.editor, content=content, expected_edit_count=version.edit_count
    )


def _review_and_publish(version: Version, item: PackItem, team: Team, number: int) -> Version:
    where = f"{item.source}, version {number}"
    return review_and_publish(version, author=team.editor, team=team, where=where)


def _load_pictures(pack: Pack, team: Team, report: Report) -> dict[str, str]:
    """Put the pictures the pack's new items show in the library, before a draft names one;
    return their SHA-256 by name."""
    items = pack.components + pack.plans
    existing = set(
        ContentItem.objects.filter(slug__in=[item.slug for item in items]).values_list(
            "slug", flat=True
        )
    )
    shown = (
        entry["picture"]
        for item in items
        if item.slug not in existing
        for data in item.versions
        for entry in data.get("media", ())
    )
    pictures: dict[str, str] = {}
    for name, (sha256, uploaded) in library_pictures(shown, team).items():
        pictures[name] = sha256
        report.note("pictures", name, created=uploaded)
    return pictures


def _load_items(
    items: list[PackItem],
    team: Team,
    report: Report,
    section: str,
    after_publish: AfterPublish,
    pictures: dict[str, str],
) -> None:
    slugs = [item.slug for item in items]
    existing = set(ContentItem.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    new = [item for item in items if item.slug not in existing]
    for item in items:
        report.note(section, item.slug, created=item.slug not in existing)
    renamed = _renamed_slugs()

    # Components name each other in interactions, and a draft can only name a component that
    # exists: every new item gets its first draft before any draft names one created later.
    drafts: dict[str, Version] = {}
    deferred: dict[str, VersionContent] = {}
    for item in new:
        content = _content(item, item.versions[0], renamed, pictures)
        with refusal_names(f"{item.source}, version 1"):
            if item.kind == PLAN:
                drafts[item.slug] = create_plan(user=team.editor, slug=item.slug, content=content)
                continue
            known = existing | set(drafts)
            opening = content
            if any(i.component not in known for i in content.interactions):
                named = tuple(i for i in content.interactions if i.component in known)
                opening = replace(content, interactions=named)
                deferred[item.slug] = content
            drafts[item.slug] = create_component(
                user=team.editor, kind=item.kind, slug=item.slug, content=opening
            )

    for item in new:
        version = drafts[item.slug]
        with refusal_names(f"{item.source}, version 1"):
            if item.slug in deferred:
                version = _edit(version, team, deferred[item.slug])
            version = _review_and_publish(version, item, team, 1)
        after_publish(item, 1, version)
        for number, data in enumerate(item.versions[1:], start=2):
            content = _content(item, data, renamed, pictures)
            with refusal_names(f"{item.source}, version {number}"):
                version = revise(version=version, user=team.editor, change_note=content.change_note)
                version = _review_and_publish(_edit(version, team, content), item, team, number)
            after_publish(item, number, version)
        if item.withdraw_reason:
            with refusal_names(f"{item.source}, version {len(item.versions)}"):
                withdraw(version=version, user=team.reviewers[0], reason=item.withdraw_reason)


@transaction.atomic
def load_pack(pack: Pack, team: Team) -> Report:
    """Load what of ``pack`` is not in the database yet, through the workflow."""
    report = Report()
    with handlers_skipped():  # webhooks hear of it; nobody is notified of the demo's loading
        _load_vocabulary(pack, report)
        for code, created in load_locales(pack, team):
            report.note("locales", code, created=created)
        for key, created in load_vocabulary_translations(pack, team, report.created):
            report.note("vocabulary translations", key, created=created)
        # A translation is published right after the version it translates, so that a later
        # version of its source leaves it outdated, as it would be in life.
        translations = PendingTranslations(pack, team)
        pictures = _load_pictures(pack, team, report)
        for section, items in (("components", pack.components), ("plans", pack.plans)):
            _load_items(items, team, report, section, translations.after_publish, pictures)
        for key, created in translations.outcome():
            report.note("translations", key, created=created)
    return report
