"""Reading the pack's locales and translations, and checking each translation against the
version of the pack it translates (``demo/README.md`` documents the layout).

``locales.yaml`` lists the locales the pack adds; ``translations/<code>/`` holds, for each,
``vocabulary.yaml`` (names and descriptions of contraindications and goals) and
``components/<slug>.yaml`` and ``plans/<slug>.yaml``: one translation of one version of the
pack's item of that slug, prose only. Whatever does not fit its source (an unknown slug or
version, a text field the source does not have, a list of another length, a note missing or
one the source does not have) is a ``PackError`` naming the file and the field, before
anything is loaded; the workflow checks each translation again as it is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.kinds import translatable_fields
from content.models.locales import LOCALE_PATTERN
from content.workflow.snapshot import TranslationContent
from content.workflow.translations import translation_errors

from .files import PackError, check_keys, load_yaml
from .items import PackItem

LOCALE_FIELDS = ({"code", "name", "fallback"}, {"code", "name"})
TRANSLATION_FIELDS = {"translates", "change_note", "title", "summary", "body", "details", "notes"}
VOCABULARY_TRANSLATION_FIELDS = ({"slug", "name", "description"}, {"slug", "name"})
#: The parts of a version whose notes a translation translates, and what names each note
#: (and ``media``: each picture's alt text, named by its place, 1 for the first).
NOTE_PARTS = {
    "contraindications": "contraindication",
    "interactions": "component",
    "items": "order",
}
#: What ``translations/<code>/`` may hold.
LOCALE_ENTRIES = {"vocabulary.yaml", "components", "plans"}


@dataclass
class PackTranslation:
    """One translation file: the prose of version ``translates`` of ``item`` in ``locale``
    (``content``: title, summary, change_note, body, details, notes, as the workflow's
    ``TranslationContent`` takes them)."""

    source: str
    locale: str
    item: PackItem
    translates: int
    content: dict[str, Any]


@dataclass
class PackVocabularyTranslation:
    """A contraindication's or goal's name and description in ``locale``."""

    source: str
    locale: str
    section: str  # "contraindications" or "goals"
    slug: str
    name: str
    description: str


def source_text(item: PackItem, number: int) -> dict[str, Any]:
    """What a translation of version ``number`` of ``item`` translates, as the pack says it:
    the shape of the workflow's ``source_text`` (notes only of parts that have one)."""
    version = item.versions[number - 1]
    details = version.get("details") or {}
    notes = {
        part: {
            str(entry[key]): entry["note"]
            for entry in version.get(part, ())
            if isinstance(entry.get("note"), str) and entry["note"].strip()
        }
        for part, key in NOTE_PARTS.items()
    }
    # A picture's alt text, by the picture's place in the list (a decorative one has none).
    notes["media"] = {
        str(order): entry["alt"]
        for order, entry in enumerate(version.get("media", ()), start=1)
        if not entry.get("decorative")
        and isinstance(entry.get("alt"), str)
        and entry["alt"].strip()
    }
    return {
        "title": version.get("title", ""),
        "summary": version.get("summary", ""),
        "body": version.get("body") or "",
        "details": {
            name: details[name] for name in translatable_fields(item.kind) if name in details
        },
        "notes": {part: found for part, found in notes.items() if found},
    }


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _translation_problems(content: dict[str, Any], wanted: dict[str, Any]) -> list[str]:
    """What the workflow would refuse in ``content`` as a translation of a source that says
    ``wanted``: its own rule (``translation_errors``), asked before anything is loaded."""
    texts = ("title", "summary", "change_note", "body")
    problems = [f"{name}: give a text." for name in texts if not isinstance(content[name], str)]
    if problems:
        return problems
    errors = translation_errors(wanted, TranslationContent(**content), draft=False)
    return [message for messages in errors.values() for message in messages]


def _read_translation(path: Path, locale: str, items: dict[str, PackItem]) -> PackTranslation:
    folder = path.parent.name
    where = f"translations/{locale}/{folder}/{path.name}"
    item = items.get(path.stem)
    noun = folder.removesuffix("s")
    if item is None:
        raise PackError(
            f"{where}: the pack has no {noun} '{path.stem}' ({folder}/{path.stem}.yaml) to "
            "translate; name the file after its slug."
        )
    data = load_yaml(path)
    check_keys(where, data, TRANSLATION_FIELDS, {"translates", "change_note", "title", "summary"})
    number = data["translates"]
    if not isinstance(number, int) or not 1 <= number <= len(item.versions):
        raise PackError(
            f"{where}: translates: {item.source} has versions 1 to {len(item.versions)}; "
            f"there is no version {number!r}."
        )
    notes = data.get("notes") or {}
    if isinstance(notes, dict):  # YAML reads a plan item's order as a number
        notes = {
            part: {str(key): text for key, text in found.items()}
            if isinstance(found, dict)
            else found
            for part, found in notes.items()
            if found
        }
    content = {
        "title": data["title"],
        "summary": data["summary"],
        "change_note": data["change_note"],
        "body": data.get("body", ""),
        "details": data.get("details") or {},
        "notes": notes,
    }
    problems = _translation_problems(content, source_text(item, number))
    if problems:
        raise PackError(f"{where} (version {number} of {item.source}): {' '.join(problems)}")
    return PackTranslation(where, locale, item, number, content)


def _read_vocabulary_translations(
    path: Path, locale: str, vocabulary: dict[str, dict[str, dict[str, Any]]]
) -> list[PackVocabularyTranslation]:
    where = f"translations/{locale}/vocabulary.yaml"
    data = load_yaml(path)
    check_keys(where, data, set(vocabulary), set())
    found: list[PackVocabularyTranslation] = []
    for section, entries in data.items():
        if not isinstance(entries, list):
            raise PackError(f"{where}: '{section}' must be a list.")
        seen: set[str] = set()
        for entry in entries:
            check_keys(f"{where}, {section}", entry, *VOCABULARY_TRANSLATION_FIELDS)
            slug, place = entry["slug"], f"{where}, {section}, {entry['slug']}"
            english = vocabulary[section].get(slug)
            if english is None:
                raise PackError(f"{place}: vocabulary.yaml has no such entry in '{section}'.")
            if slug in seen:
                raise PackError(f"{place}: translated twice.")
            seen.add(slug)
            description = entry.get("description") or ""
            if not _text(entry["name"]) or not isinstance(description, str):
                raise PackError(f"{place}: give the name and description as texts.")
            if str(english.get("description") or "").strip() and not description.strip():
                raise PackError(
                    f"{place}: translate the description too, as vocabulary.yaml has one."
                )
            found.append(
                PackVocabularyTranslation(where, locale, section, slug, entry["name"], description)
            )
    return found


def read_locales(directory: Path) -> list[dict[str, Any]]:
    """The locales ``locales.yaml`` lists, in order (none if there is no such file)."""
    path = directory / "locales.yaml"
    if not path.exists():
        return []
    data = load_yaml(path)
    check_keys("locales.yaml", data, {"locales"}, {"locales"})
    if not isinstance(data["locales"], list):
        raise PackError("locales.yaml: 'locales' must be a list.")
    codes: list[str] = []
    for entry in data["locales"]:
        check_keys("locales.yaml", entry, *LOCALE_FIELDS)
        code, fallback = entry["code"], entry.get("fallback")
        if not isinstance(code, str) or not LOCALE_PATTERN.fullmatch(code):
            raise PackError(
                f"locales.yaml: {code!r} is not a BCP 47 tag as the service writes them "
                "('es', 'pt-BR')."
            )
        if code in codes:
            raise PackError(f"locales.yaml: '{code}' is listed twice.")
        if fallback is not None and fallback not in codes:
            raise PackError(
                f"locales.yaml, {code}: its fallback {fallback!r} must be listed before it "
                "(leave it out to fall back to the default locale)."
            )
        codes.append(code)
    return data["locales"]


def read_translations(
    directory: Path,
    locales: list[dict[str, Any]],
    items: dict[str, dict[str, PackItem]],
    vocabulary: dict[str, dict[str, dict[str, Any]]],
) -> tuple[list[PackTranslation], list[PackVocabularyTranslation]]:
    """The translations under ``translations/``, each checked against its source: ``items``
    are the pack's components and plans by folder and slug, ``vocabulary`` its entries by
    section and slug."""
    root = directory / "translations"
    if not root.is_dir():
        return [], []
    codes = [entry["code"] for entry in locales]
    translations: list[PackTranslation] = []
    vocabulary_translations: list[PackVocabularyTranslation] = []
    for folder in sorted(root.iterdir()):
        if folder.name not in codes:
            raise PackError(
                f"translations/{folder.name}: not a locale of locales.yaml "
                f"({', '.join(codes) or 'none listed'})."
            )
        unknown = sorted({path.name for path in folder.iterdir()} - LOCALE_ENTRIES)
        if unknown:
            raise PackError(
                f"translations/{folder.name}: unknown {', '.join(unknown)}; it holds "
                "vocabulary.yaml, components/ and plans/."
            )
        if (folder / "vocabulary.yaml").exists():
            vocabulary_translations += _read_vocabulary_translations(
                folder / "vocabulary.yaml", folder.name, vocabulary
            )
        for kind_folder in ("components", "plans"):
            for path in sorted((folder / kind_folder).glob("*.yaml")):
                translations.append(_read_translation(path, folder.name, items[kind_folder]))
    return translations, vocabulary_translations
