"""Reading and checking one component's or plan's file of the demo pack.

``read_item`` reads ``components/<slug>.yaml`` or ``plans/<slug>.yaml`` into a ``PackItem``:
its versions in order, each complete (a later version lists only what it changes).
Anything that is not what the loader expects is a ``PackError`` naming the file and the
field. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.kinds import PLAN, Kind

from .files import PackError, check_keys, load_yaml
from .pictures import PICTURES

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
    "media",
}
PLAN_FIELDS = {
    "title",
    "summary",
    "body",
    "change_note",
    "duration_weeks",
    "goals",
    "items",
    "media",
}
#: The fields of a version that a first version may leave out.
OPTIONAL_FIELDS = {"body", "interactions", "contraindications", "citations", "media"}
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
    # A picture the pack draws (content/demo/pictures.py), by its name there.
    "media": ({"picture", "role", "step", "alt", "decorative"}, {"picture", "role"}),
}


@dataclass
class PackItem:
    """One component or plan of the pack: its versions in order, each complete."""

    source: str
    slug: str
    kind: str
    versions: list[dict[str, Any]]
    withdraw_reason: str = ""


def read_item(path: Path, *, plan: bool) -> PackItem:
    data = load_yaml(path)
    where = f"{path.parent.name}/{path.name}"
    top = {"slug", "versions", "withdraw"} | (set() if plan else {"kind"})
    check_keys(where, data, top, top - {"withdraw"})
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
        check_keys(
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
                check_keys(f"{where}, version {number}, {name} {n}", entry, fields, needed)
        for n, entry in enumerate(given.get("media", []), start=1):
            if not isinstance(entry["picture"], str) or entry["picture"] not in PICTURES:
                raise PackError(
                    f"{where}, version {number}, media {n}: the pack draws no picture "
                    f"{entry['picture']!r}; content/demo/pictures.py draws "
                    f"{', '.join(PICTURES)}."
                )
        # A later version lists what it changes; everything else carries over.
        versions.append({**(versions[-1] if versions else {}), **given})
    reason = ""
    if "withdraw" in data:
        check_keys(f"{where}, withdraw", data["withdraw"], {"reason"}, {"reason"})
        reason = str(data["withdraw"]["reason"]).strip()
    return PackItem(
        source=where, slug=data["slug"], kind=kind, versions=versions, withdraw_reason=reason
    )
