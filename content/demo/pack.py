"""Reading and checking the demo pack's files (``demo/README.md`` documents the layout).

``read_pack`` reads ``vocabulary.yaml``, ``components/*.yaml`` and ``plans/*.yaml`` into a
``Pack``; ``PackItem`` is one component or plan with its versions, each complete. Anything
that is not what the loader expects is a ``PackError`` naming the file and the field. Nothing
here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from content.kinds import PLAN, Kind

#: The pack's folder: ``demo/`` at the top of the checkout (beside ``content/``).
PACK_DIR = Path(__file__).resolve().parents[2] / "demo"

COMPONENT_FIELDS = {
    "title",
    "summary",
    "body",
    "change_note",
    "evidence_level",
    "details",
    "goals",
    "contraindications",
    "interactions",
    "citations",
}
PLAN_FIELDS = {"title", "summary", "body", "change_note", "duration_weeks", "goals", "items"}
#: The fields of a version that a first version may leave out.
OPTIONAL_FIELDS = {"body", "interactions", "contraindications", "citations"}
#: The fields of each entry of a version's lists, and those an entry must have.
LIST_FIELDS = {
    "contraindications": (
        {"contraindication", "severity", "note"},
        {"contraindication", "severity", "note"},
    ),
    "interactions": ({"component", "severity", "note"}, {"component", "severity", "note"}),
    "citations": ({"title", "doi", "pmid", "url"}, {"title"}),
    "items": (
        {"order", "component", "slot", "week_from", "week_to", "frequency", "note"},
        {"order", "component", "slot", "week_from", "week_to", "frequency"},
    ),
}
#: The sections of ``vocabulary.yaml``: the fields of an entry, and those it must have.
VOCABULARY_FIELDS = {
    "contraindications": (
        {"slug", "name", "category", "description", "codes"},
        {"slug", "name", "category"},
    ),
    "goals": ({"slug", "name", "description"}, {"slug", "name"}),
}


class PackError(Exception):
    """The pack's files are not what the loader expects; the message names file and field."""


@dataclass
class PackItem:
    """One component or plan of the pack: its versions in order, each complete."""

    source: str
    slug: str
    kind: str
    versions: list[dict[str, Any]]
    withdraw_reason: str = ""


@dataclass
class Pack:
    contraindications: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    components: list[PackItem]
    plans: list[PackItem]


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PackError(f"{path.name}: not valid YAML: {exc}") from None


def _check_keys(where: str, data: Any, allowed: set[str], required: set[str]) -> None:
    if not isinstance(data, dict):
        raise PackError(f"{where}: expected a mapping of fields, got {type(data).__name__}.")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise PackError(f"{where}: unknown field(s) {', '.join(unknown)}.")
    missing = sorted(required - set(data))
    if missing:
        raise PackError(f"{where}: missing field(s) {', '.join(missing)}.")


def _read_item(path: Path, *, plan: bool) -> PackItem:
    data = _load_yaml(path)
    where = f"{path.parent.name}/{path.name}"
    top = {"slug", "versions", "withdraw"} | (set() if plan else {"kind"})
    _check_keys(where, data, top, top - {"withdraw"})
    if data["slug"] != path.stem:
        raise PackError(f"{where}: the slug {data['slug']!r} must match the file name.")
    kind = PLAN if plan else data["kind"]
    if not plan and kind not in Kind.values:
        raise PackError(f"{where}: unknown kind {kind!r}; choose one of {', '.join(Kind.values)}.")
    if not isinstance(data["versions"], list) or not data["versions"]:
        raise PackError(f"{where}: 'versions' must list at least one version.")
    allowed = PLAN_FIELDS if plan else COMPONENT_FIELDS
    versions: list[dict[str, Any]] = []
    for number, given in enumerate(data["versions"], start=1):
        _check_keys(
            f"{where}, version {number}",
            given,
            allowed,
            allowed - OPTIONAL_FIELDS if number == 1 else {"change_note"},
        )
        for name, (fields, needed) in LIST_FIELDS.items():
            entries = given.get(name, [])
            if not isinstance(entries, list):
                raise PackError(f"{where}, version {number}: '{name}' must be a list.")
            for n, entry in enumerate(entries, start=1):
                _check_keys(f"{where}, version {number}, {name} {n}", entry, fields, needed)
        # A later version lists what it changes; everything else carries over.
        versions.append({**(versions[-1] if versions else {}), **given})
    reason = ""
    if "withdraw" in data:
        _check_keys(f"{where}, withdraw", data["withdraw"], {"reason"}, {"reason"})
        reason = str(data["withdraw"]["reason"]).strip()
    return PackItem(
        source=where, slug=data["slug"], kind=kind, versions=versions, withdraw_reason=reason
    )


def read_pack(directory: Path = PACK_DIR) -> Pack:
    """Read and check the pack's layout (``demo/README.md`` documents it)."""
    vocabulary = _load_yaml(directory / "vocabulary.yaml")
    sections = set(VOCABULARY_FIELDS)
    _check_keys("vocabulary.yaml", vocabulary, sections, sections)
    for section, (fields, needed) in VOCABULARY_FIELDS.items():
        for entry in vocabulary[section]:
            _check_keys(f"vocabulary.yaml, {entry.get('slug')}", entry, fields, needed)
    return Pack(
        contraindications=vocabulary["contraindications"],
        goals=vocabulary["goals"],
        components=[
            _read_item(path, plan=False)
            for path in sorted((directory / "components").glob("*.yaml"))
        ],
        plans=[
            _read_item(path, plan=True) for path in sorted((directory / "plans").glob("*.yaml"))
        ],
    )
