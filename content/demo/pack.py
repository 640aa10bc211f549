"""Reading and checking the demo pack (``demo/README.md`` documents the layout).

``read_pack`` reads ``vocabulary.yaml``, ``components/*.yaml`` and ``plans/*.yaml``
(``items``) into a ``Pack``, with the locales and translations (``translations``). Anything
that is not what the loader expects is a ``PackError`` naming the file and the field.
Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import check_keys, load_yaml
from .items import PackItem, read_item
from .translations import (
    PackTranslation,
    PackVocabularyTranslation,
    read_locales,
    read_translations,
)

#: The pack's folder: ``demo/`` at the top of the checkout (beside ``content/``).
PACK_DIR = Path(__file__).resolve().parents[2] / "demo"

#: The sections of ``vocabulary.yaml``: the fields of an entry, and those it must have.
VOCABULARY_FIELDS = {
    "contraindications": (
        {"slug", "name", "category", "description", "codes"},
        {"slug", "name", "category"},
    ),
    "goals": ({"slug", "name", "description"}, {"slug", "name"}),
}


@dataclass
class Pack:
    contraindications: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    components: list[PackItem]
    plans: list[PackItem]
    locales: list[dict[str, Any]] = field(default_factory=list)
    translations: list[PackTranslation] = field(default_factory=list)
    vocabulary_translations: list[PackVocabularyTranslation] = field(default_factory=list)


def read_pack(directory: Path = PACK_DIR) -> Pack:
    """Read and check the pack's layout (``demo/README.md`` documents it)."""
    vocabulary = load_yaml(directory / "vocabulary.yaml")
    sections = set(VOCABULARY_FIELDS)
    check_keys("vocabulary.yaml", vocabulary, sections, sections)
    for section, (fields, needed) in VOCABULARY_FIELDS.items():
        for entry in vocabulary[section]:
            check_keys(f"vocabulary.yaml, {entry.get('slug')}", entry, fields, needed)
    components = [
        read_item(path, plan=False) for path in sorted((directory / "components").glob("*.yaml"))
    ]
    plans = [read_item(path, plan=True) for path in sorted((directory / "plans").glob("*.yaml"))]
    locales = read_locales(directory)
    translations, vocabulary_translations = read_translations(
        directory,
        locales,
        items={
            "components": {item.slug: item for item in components},
            "plans": {item.slug: item for item in plans},
        },
        vocabulary={
            section: {entry["slug"]: entry for entry in vocabulary[section]}
            for section in VOCABULARY_FIELDS
        },
    )
    return Pack(
        contraindications=vocabulary["contraindications"],
        goals=vocabulary["goals"],
        components=components,
        plans=plans,
        locales=locales,
        translations=translations,
        vocabulary_translations=vocabulary_translations,
    )
