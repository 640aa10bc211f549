"""The translation form: one field per text the source version says as prose, and nothing
else (numbers, choices, links and schedules are the source's, in every locale).

Its fields are made from ``workflow.source_text`` of the source version the draft
translates: a list of texts (a yoga pose's steps) gets exactly as many fields as the source
has entries, a note one field per part that has one. Each field is paired with the source's
text, so the page shows them side by side. Every rule is the domain's: the form only turns
what was typed into a ``TranslationContent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms import BoundField

from content.kinds import PLAN
from content.models import Version
from content.workflow import TranslationContent, source_text
from content.workflow.validation import MAX_BODY_CHARS

from .forms import checked_body
from .translation_lines import NoteLabels, detail_title, note_labels, ordered_notes

LINE = forms.TextInput(attrs={"size": 60})
BOX = forms.Textarea(attrs={"rows": 3, "cols": 60})


@dataclass(frozen=True)
class Pair:
    """One text of the source beside its translation: the field's ``name``, its label, the
    source's text, the translation's (as stored), whether it is a box of lines, and for a
    picture's alt text the picture's thumbnail."""

    name: str
    label: str
    source: str
    translation: str
    multiline: bool = False
    thumbnail: str = ""


def _entry(values: Any, index: int) -> str:
    """The translation's ``index``-th entry of a list, or nothing if it has none there."""
    if isinstance(values, list) and index < len(values) and isinstance(values[index], str):
        return values[index]
    return ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def translation_pairs(
    source: Version, translation: dict[str, Any] | None, labels: NoteLabels | None = None
) -> tuple[list[Pair], dict[str, Any]]:
    """The pairs of ``source``'s prose and ``translation`` (a ``translation_text``, None for
    an empty one), title first, the body and change note last; and the source's text."""
    wanted = source_text(source)
    given = translation or {}
    details, notes = given.get("details") or {}, given.get("notes") or {}
    kind = source.item.kind
    labels = labels or note_labels([wanted], plan=source if kind == PLAN else None, pictures=source)
    pairs = [
        Pair("title", "Title", wanted["title"], _text(given.get("title"))),
        Pair("summary", "Summary", wanted["summary"], _text(given.get("summary")), True),
    ]
    for name, value in wanted["details"].items():
        title = detail_title(kind, name)
        if isinstance(value, list):
            given_list = details.get(name)
            pairs += [
                Pair(f"details__{name}__{i}", f"{title} {i + 1}", entry, _entry(given_list, i))
                for i, entry in enumerate(value)
            ]
        else:
            pairs.append(Pair(f"details__{name}", title, value, _text(details.get(name))))
    for part, key, note in ordered_notes(wanted["notes"]):
        given_note = (notes.get(part) or {}).get(key) if isinstance(notes.get(part), dict) else ""
        pairs.append(
            Pair(
                f"notes__{part}__{key}",
                labels.label(part, key),
                note,
                _text(given_note),
                True,
                labels.thumbnails.get(key, "") if part == "media" else "",
            )
        )
    pairs.append(Pair("body", "Body", wanted["body"], _text(given.get("body")), True))
    return pairs, wanted


class TranslationForm(forms.Form):
    """What a translator types: a field per pair, the change note, the edit count."""

    change_note = forms.CharField(
        required=False,
        widget=BOX,
        help_text="What changed in this translation, and why (required to submit).",
    )
    edit_count = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, source: Version, draft: Version | None = None):
        translation = None
        if draft is not None:
            translation = {
                "title": draft.title,
                "summary": draft.summary,
                "body": draft.body,
                "details": draft.details,
                "notes": draft.notes,
            }
        self.pairs, self.wanted = translation_pairs(source, translation)
        initial = {pair.name: pair.translation for pair in self.pairs}
        if draft is not None:
            initial.update(change_note=draft.change_note, edit_count=draft.edit_count)
        super().__init__(data, initial=initial)
        for pair in self.pairs:
            self.fields[pair.name] = self._field(pair)
        # The pairs first, in their order; then the change note and the edit count.
        self.order_fields([pair.name for pair in self.pairs])

    @staticmethod
    def _field(pair: Pair) -> forms.Field:
        if pair.name == "body":
            return forms.CharField(
                required=False,
                label=pair.label,
                strip=False,
                widget=forms.Textarea(
                    attrs={"rows": 16, "cols": 60, "data-max-length": MAX_BODY_CHARS}
                ),
                help_text=f"Markdown, up to {MAX_BODY_CHARS:,} characters, as the source's.",
            )
        if pair.name == "title":
            return forms.CharField(required=False, label=pair.label, max_length=200, widget=LINE)
        return forms.CharField(
            required=False, label=pair.label, widget=BOX if pair.multiline else LINE
        )

    @property
    def rows(self) -> list[tuple[Pair, BoundField]]:
        """Each pair with its field, for the page."""
        return [(pair, self[pair.name]) for pair in self.pairs]

    def clean_body(self) -> str:
        return checked_body(self.cleaned_data["body"])

    def typed_body(self) -> str:
        return self["body"].value() or ""

    def saved_edit_count(self) -> int:
        """The edit count the page was loaded with (cleaned)."""
        return self.cleaned_data.get("edit_count") or 0

    def content(self) -> TranslationContent:
        """What was typed, in the shape the domain takes: every text of the source, lists as
        long as the source's."""
        data = self.cleaned_data
        details: dict[str, Any] = {}
        for name, value in self.wanted["details"].items():
            if isinstance(value, list):
                details[name] = [data[f"details__{name}__{i}"] for i in range(len(value))]
            else:
                details[name] = data[f"details__{name}"]
        notes = {
            part: {key: data[f"notes__{part}__{key}"] for key in found}
            for part, found in self.wanted["notes"].items()
        }
        return TranslationContent(
            title=data["title"],
            summary=data["summary"],
            change_note=data["change_note"],
            body=data["body"],
            details=details,
            notes=notes,
        )
