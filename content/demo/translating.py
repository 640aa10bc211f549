"""Loading the pack's locales and translations through the workflow.

The first demo reviewer adds each locale the pack lists. The demo translator writes each
translation; a demo reviewer, never its writer, approves it, and the first reviewer
publishes it. A translation comes with what it translates: a vocabulary entry's with the
entry, when the load creates it; a component's or plan's right after the version it
translates is published, when the load creates the item (so that a later version of the
pack leaves it outdated, as it would be in life). What was in the database before the load
is left as it is, translations included.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from content.models import Contraindication, ContraindicationAlias, Goal, Locale, Version
from content.workflow import (
    TranslationContent,
    add_locale,
    approve_vocabulary_translation,
    start_translation,
    translate_vocabulary,
)

from .accounts import Team
from .files import PackError
from .items import PackItem
from .pack import Pack
from .reviewing import refusal_names, review_and_publish
from .translations import PackTranslation

VOCABULARY_MODELS = {"contraindications": Contraindication, "goals": Goal}


def _translator(team: Team, where: str) -> AbstractBaseUser:
    if team.translator is None:
        raise PackError(f"{where}: the pack has translations, and the team no translator.")
    return team.translator


#: What a load did, by key (a locale's code, "goals/sleep@es", "nadi-shodhana@es"), and
#: whether it was created (else it was left as it is).
Outcome = list[tuple[str, bool]]


def load_locales(pack: Pack, team: Team) -> Outcome:
    """Add the locales of ``locales.yaml`` that are not in the database yet."""
    outcome: Outcome = []
    existing = dict(Locale.objects.values_list("code", "is_default"))
    for entry in pack.locales:
        code = entry["code"]
        if existing.get(code):
            raise PackError(
                f"locales.yaml, {code}: '{code}' is the default locale, the language the pack "
                "is written in; list only the locales it is translated into."
            )
        if code not in existing:
            with refusal_names(f"locales.yaml, {code}"):
                add_locale(
                    user=team.reviewers[0],
                    code=code,
                    name=entry["name"],
                    fallback=entry.get("fallback"),
                )
        outcome.append((code, code not in existing))
    return outcome


def load_vocabulary_translations(
    pack: Pack, team: Team, new_entries: dict[str, list[str]]
) -> Outcome:
    """Translate the vocabulary entries this load created (``new_entries``: slugs by
    section), each approved by a reviewer."""
    outcome: Outcome = []
    for entry in pack.vocabulary_translations:
        key = f"{entry.section}/{entry.slug}@{entry.locale}"
        new = entry.slug in new_entries.get(entry.section, ())
        if new:
            where = f"{entry.source}, {entry.section}, {entry.slug}"
            vocabulary = VOCABULARY_MODELS[entry.section].objects.get(slug=entry.slug)
            with refusal_names(where):
                translation = translate_vocabulary(
                    user=_translator(team, where),
                    entry=vocabulary,
                    locale=entry.locale,
                    name=entry.name,
                    description=entry.description,
                )
                approve_vocabulary_translation(user=team.reviewers[0], translation=translation)
        outcome.append((key, new))
    return outcome


class PendingTranslations:
    """The pack's translations of components and plans, each published as soon as the
    version it translates is (``after_publish``, called by the loader)."""

    def __init__(self, pack: Pack, team: Team) -> None:
        self.team = team
        self.waiting: dict[tuple[str, int], list[PackTranslation]] = {}
        for translation in pack.translations:
            key = (translation.item.slug, translation.translates)
            self.waiting.setdefault(key, []).append(translation)
        self.loaded: list[PackTranslation] = []
        # The pack's items link a contraindication renamed since by its former slug.
        self.renamed = dict(
            ContraindicationAlias.objects.values_list("slug", "contraindication__slug")
        )

    def after_publish(self, item: PackItem, number: int, version: Version) -> None:
        """Publish the translations of version ``number`` of ``item``, just published."""
        for translation in self.waiting.pop((item.slug, number), []):
            with refusal_names(f"{translation.source} (version {number} of {item.source})"):
                self._publish(translation, version)
            self.loaded.append(translation)

    def _publish(self, translation: PackTranslation, source: Version) -> None:
        translator = _translator(self.team, translation.source)
        data = translation.content
        notes = {
            part: (
                {self.renamed.get(slug, slug): note for slug, note in found.items()}
                if part == "contraindications"
                else found
            )
            for part, found in data["notes"].items()
        }
        version = start_translation(
            item=source.item,
            locale=translation.locale,
            user=translator,
            content=TranslationContent(**{**data, "notes": notes}),
        )
        review_and_publish(version, author=translator, team=self.team, where=translation.source)

    def outcome(self) -> Outcome:
        """Each translation loaded, and those left alone: their items were already in the
        database."""
        left = [translation for waiting in self.waiting.values() for translation in waiting]
        return [
            (f"{translation.item.slug}@{translation.locale}", created)
            for translations, created in ((self.loaded, True), (left, False))
            for translation in translations
        ]
