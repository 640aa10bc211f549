"""A translation's prose as readable lines, and what changed in the source a translation
follows.

A translation says only prose: title, summary, the details' text fields, the notes of the
source's parts and the body (``workflow.source_text`` gives the same shape of a source
version). ``prose_lines`` writes such a text one fact per line, in the kind's labels, so
that two translation versions, or the two source versions a rebased draft moved between,
can be compared with the diff of ``diffing``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from content.kinds import DETAILS_SCHEMAS, translatable_fields
from content.models import Contraindication, MediaLink, PlanItem, Version
from content.workflow import source_text
from content.workflow.translations import NOTE_PARTS

from .diffing import NONE, lines_side_by_side
from .pictures import picture_name, thumbnails


@dataclass(frozen=True)
class NoteLabels:
    """How the notes of a source's parts are named: contraindications by their vocabulary
    name (slug: name), plan items by their component when known (order: slug), pictures'
    alt texts by the picture's place and role (order: "Picture 2 (step 1)"), with its
    thumbnail's address when made (order: URL)."""

    names: Mapping[str, str] = field(default_factory=dict)
    components: Mapping[str, str] = field(default_factory=dict)
    pictures: Mapping[str, str] = field(default_factory=dict)
    thumbnails: Mapping[str, str] = field(default_factory=dict)

    def label(self, part: str, key: str) -> str:
        if part == "contraindications":
            name = self.names.get(key)
            return f"Note on {name} ({key})" if name else f"Note on {key}"
        if part == "interactions":
            return f"Note on the interaction with {key}"
        if part == "media":
            return f"{self.pictures.get(key) or f'Picture {key}'}: alt text"
        component = self.components.get(key)
        return f"Note on plan item {key}" + (f" ({component})" if component else "")


def note_labels(
    texts: Iterable[Mapping[str, Any]],
    plan: Version | None = None,
    pictures: Version | None = None,
) -> NoteLabels:
    """The labels of the notes ``texts`` hold (one query if any names a contraindication;
    one more with ``plan``, the source plan version whose items' components to name; two
    more with ``pictures``, the source version whose pictures to name, if any text has an
    alt text)."""
    texts = list(texts)
    slugs = {slug for text in texts for slug in text.get("notes", {}).get("contraindications", {})}
    names = (
        dict(Contraindication.objects.filter(slug__in=slugs).values_list("slug", "name"))
        if slugs
        else {}
    )
    components = {}
    if plan is not None:
        rows = PlanItem.objects.filter(version=plan).values_list("order", "component__slug")
        components = {str(order): slug for order, slug in rows}
    named, thumbs = {}, {}
    if pictures is not None and any(text.get("notes", {}).get("media") for text in texts):
        links = list(MediaLink.objects.filter(version=pictures).select_related("asset"))
        made = thumbnails(link.asset for link in links)
        for link in links:
            named[str(link.order)] = picture_name(link.order, link.role, link.step)
            if made.get(link.asset_id):
                thumbs[str(link.order)] = made[link.asset_id].url
    return NoteLabels(names, components, named, thumbs)


def ordered_notes(notes: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """``notes`` as (part, key, note), parts in their fixed order, keys sorted (plan items
    by number)."""
    found = []
    for part in NOTE_PARTS:
        given = notes.get(part)
        if not isinstance(given, dict):
            continue
        keys = sorted(given, key=lambda k: (int(k), k) if str(k).isdigit() else (0, k))
        found += [(part, key, given[key]) for key in keys]
    return found


def detail_title(kind: str, name: str) -> str:
    """The title the kind's schema gives the details field ``name``."""
    schema = DETAILS_SCHEMAS.get(kind, {}).get("properties", {}).get(name, {})
    return schema.get("title") or name.replace("_", " ").capitalize()


def translation_text(version: Version) -> dict[str, Any]:
    """What the translation ``version`` says, in the shape of ``source_text`` plus its
    change note."""
    return {
        "title": version.title,
        "summary": version.summary,
        "body": version.body,
        "details": version.details if isinstance(version.details, dict) else {},
        "notes": version.notes if isinstance(version.notes, dict) else {},
        "change_note": version.change_note,
    }


def prose_lines(kind: str, text: Mapping[str, Any], labels: NoteLabels) -> list[str]:
    """Everything ``text`` says, one fact per line: each item of a list (a step) and each
    line of the body its own line, labelled as the kind's schema names it."""
    lines = [f"Title: {text['title']}", f"Summary: {text['summary']}"]
    details = text.get("details", {})
    fields = translatable_fields(kind)
    for name in [*[f for f in fields if f in details], *[f for f in details if f not in fields]]:
        title, value = detail_title(kind, name), details[name]
        if isinstance(value, list):
            entries = [f"{title} {n}: {entry}" for n, entry in enumerate(value, 1)]
            lines += entries or [f"{title}: {NONE}"]
        else:
            lines.append(f"{title}: {value}")
    lines += [
        f"{labels.label(part, key)}: {note}"
        for part, key, note in ordered_notes(text.get("notes", {}))
    ]
    if "change_note" in text:
        lines.append(f"Change note: {text['change_note']}")
    body = str(text.get("body", "")).splitlines()
    return lines + (["Body:", *body] if body else [f"Body: {NONE}"])


def source_changes(old: Version, new: Version) -> SafeString:
    """The source's prose side by side: what changed from ``old`` (the source version an
    earlier translation translated) to ``new`` (the one a later translation translates)."""
    kind = new.item.kind
    texts = [source_text(old), source_text(new)]
    labels = note_labels(texts, pictures=new)
    return lines_side_by_side(
        prose_lines(kind, texts[0], labels),
        prose_lines(kind, texts[1], labels),
        f"Source version {old.number}",
        f"Source version {new.number}",
    )


def translation_diff(a: Version | None, b: Version) -> SafeString:
    """Two versions of a translation side by side (``a`` None: against nothing)."""
    kind = b.item.kind
    texts = [translation_text(v) for v in (a, b) if v is not None]
    labels = note_labels(texts, pictures=b.translates)
    old_lines = prose_lines(kind, texts[0], labels) if a is not None else []
    return lines_side_by_side(
        old_lines,
        prose_lines(kind, texts[-1], labels),
        f"Version {a.number} ({a.get_state_display().lower()})" if a else "Nothing (new item)",
        f"Version {b.number} ({b.get_state_display().lower()})",
    )
