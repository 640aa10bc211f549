"""Which prose each locale serves of a published version: its current translation into the
locale, or else the first locale of its fallback chain that has one, or the source's own.

A translation is current while the source version it translates is the published one; an
older source's translation is never served (the fallback is, saying why). Structured data
is always the source's. Reads only; ``projection`` stores what comes of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from content.models import ContraindicationTranslation, Locale, Version, VersionState

from .vocabulary import translated

NOT_TRANSLATED = "not-translated"
TRANSLATION_OUTDATED = "translation-outdated"


class LocaleTable(NamedTuple):
    """The locales: the default's code, each code's chain (itself, its fallbacks in order,
    the default last) and each code's name."""

    default: str
    chains: dict[str, tuple[str, ...]]
    names: dict[str, str]

    def fallbacks(self, code: str) -> list[str]:
        return list(self.chains[code][1:])


def locale_table() -> LocaleTable:
    """The locales and their fallback chains (one query)."""
    rows = list(Locale.objects.values_list("code", "name", "fallback__code", "is_default"))
    default = next((code for code, _, _, is_default in rows if is_default), "en")
    parent = {code: fallback for code, _, fallback, _ in rows}
    chains = {}
    for code, *_ in rows:
        chain = [code]
        while (following := parent.get(chain[-1])) and following not in chain:
            chain.append(following)
        if chain[-1] != default:
            chain.append(default)
        chains[code] = tuple(chain)
    return LocaleTable(default, chains, {code: name for code, name, _, _ in rows})


@dataclass(frozen=True)
class Localised:
    """A published version's prose in one locale: the locale asked (``locale``), the one
    the prose is in (``served``), the translation it comes from (None: the source's), why
    it falls back (None if it does not), and the asked locale's chain: vocabulary names are
    the vocabulary's in that locale, as ``/contraindications/`` lists them there, whichever
    locale the item's own prose falls back to."""

    locale: str
    served: str
    translation: Version | None = None
    reason: str | None = None
    chain: tuple[str, ...] = field(default=())

    def marks(self) -> dict[str, str]:
        """What a document says of its locale: ``locale``, and where it falls back,
        ``requested_locale`` and ``fallback_reason``."""
        if self.reason is None:
            return {"locale": self.served}
        return {
            "locale": self.served,
            "requested_locale": self.locale,
            "fallback_reason": self.reason,
        }

    def notes(self, part: str) -> dict[str, str]:
        """The translated notes of ``part`` ("contraindications", "interactions", "items")."""
        if self.translation is None:
            return {}
        found = (self.translation.notes or {}).get(part)
        return found if isinstance(found, dict) else {}

    def text(self, name: str, source_value: Any) -> Any:
        """The translation's ``name`` (title, summary, body), or the source's."""
        if self.translation is None:
            return source_value
        return getattr(self.translation, name) or source_value

    def details(self, source_details: dict) -> dict:
        """The source's details with the translation's text fields in place."""
        if self.translation is None:
            return source_details
        translated = self.translation.details or {}
        return {
            name: translated.get(name, value) if name in translated else value
            for name, value in source_details.items()
        }


def published_translations(source_item_ids: Iterable[int]) -> dict[int, dict[str, Version]]:
    """The published translation versions of the items ``source_item_ids``: item id ->
    locale code -> version (one query)."""
    found: dict[int, dict[str, Version]] = {}
    rows = Version.objects.filter(
        item__source_id__in=list(source_item_ids), state=VersionState.PUBLISHED
    ).select_related("item__locale")
    for version in rows:
        found.setdefault(version.item.source_id, {})[version.item.locale.code] = version
    return found


def localise(
    source: Version, locale: str, table: LocaleTable, translations: dict[str, Version]
) -> Localised:
    """What ``locale`` serves of the published ``source`` version, given its item's
    published ``translations`` (locale code -> version)."""
    chain = table.chains.get(locale, (locale, table.default))
    for code in chain:
        translation = translations.get(code)
        current = translation is not None and translation.translates_id == source.pk
        if code == table.default or current:
            reason = None
            if code != locale:
                asked = translations.get(locale)
                reason = TRANSLATION_OUTDATED if asked is not None else NOT_TRANSLATED
            return Localised(
                locale=locale,
                served=code,
                translation=translation if current and code != table.default else None,
                reason=reason,
                chain=chain,
            )
    raise AssertionError("every chain ends with the default locale")


def contraindication_names(ids: Iterable[int], localised: Localised) -> dict[int, str]:
    """The approved names of the contraindications ``ids`` in ``localised``'s locale or its
    fallbacks (one query; none for the default locale)."""
    found = translated(
        ContraindicationTranslation.objects.filter(contraindication_id__in=list(ids)),
        "contraindication_id",
        localised.chain,
    )
    return {pk: name for pk, (name, _) in found.items()}


def with_marks(document: dict[str, Any], marks: dict[str, str]) -> dict[str, Any]:
    """``document`` saying ``marks`` (``Localised.marks``) after its ``version``, in place of
    any it said."""
    pairs = [
        (key, value)
        for key, value in document.items()
        if key not in ("locale", "requested_locale", "fallback_reason")
    ]
    position = next((n + 1 for n, (key, _) in enumerate(pairs) if key == "version"), len(pairs))
    return dict(pairs[:position] + list(marks.items()) + pairs[position:])
