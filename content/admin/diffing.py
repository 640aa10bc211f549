"""What a version says as readable lines, and two versions side by side with what changed.

``content_lines`` writes a version's content one fact per line (one line per list item, per
step, per line of the body), labelled as an editor knows it: the titles of the kind's
details schema and the labels of choices. The read-only view shows those lines;
``side_by_side`` compares two versions' lines and marks the words that changed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from content.kinds import DETAILS_SCHEMAS, DOSE_UNITS, SLOTS, Frequency, Slot
from content.models import Contraindication, EvidenceLevel, InteractionSeverity, LinkSeverity
from content.workflow import PlanContent, PlanItemSpec, VersionContent

from . import pictures

NONE = "(none)"
#: Between a nested detail's titles, a single right-pointing angle quote: "Dose \u203a Amount".
NESTED = " \u203a "
#: Labels of the schemas' enums that have them. The schemas give enums no titles, so other
#: values are humanised ("with_food": "With food"), except units, which are symbols ("mg").
ENUM_LABELS: dict[tuple[str, ...], dict[str, str]] = {tuple(SLOTS): dict(Slot.choices)}
VERBATIM_ENUMS = {tuple(DOSE_UNITS)}


# --- Content as lines ---


def content_lines(
    content: VersionContent | PlanContent,
    *,
    contraindication_names: Mapping[str, str] | None = None,
    asset_titles: Mapping[str, str] | None = None,
) -> list[str]:
    """Everything ``content`` says, one fact per line, in a stable order, with human labels.

    Contraindications are named by their vocabulary name and slug, pictures by their title in
    the library; ``contraindication_names`` (slug: name) and ``asset_titles`` (SHA-256: title)
    save the queries that look them up."""
    lines = [
        f"Title: {content.title}",
        f"Summary: {content.summary}",
        f"Goals: {', '.join(content.goals) or NONE}",
    ]
    if isinstance(content, PlanContent):
        lines.append(f"Duration: {content.duration_weeks} weeks")
        lines += [_plan_item_line(i) for i in sorted(content.items, key=lambda i: i.order)]
    else:
        if contraindication_names is None:
            contraindication_names = _contraindication_names([content])
        lines += _component_lines(content, contraindication_names)
    if asset_titles is None:
        asset_titles = pictures.asset_titles(content.media)
    lines += pictures.picture_lines(content.media, asset_titles)
    lines.append(f"Change note: {content.change_note}")
    body = content.body.splitlines()
    lines += ["Body:", *body] if body else [f"Body: {NONE}"]
    return lines


def _component_lines(content: VersionContent, names: Mapping[str, str]) -> list[str]:
    lines = [f"Evidence level: {_label(EvidenceLevel, content.evidence_level) or '(not chosen)'}"]
    lines += _detail_lines(_schema_of(content.details), content.details, ())
    for link in content.contraindications:
        name = names.get(link.contraindication)
        named = f"{name} ({link.contraindication})" if name else link.contraindication
        severity = _short_label(LinkSeverity, link.severity)
        lines.append(f"Contraindication {named}: {_sentences(severity, link.note)}")
    for i in content.interactions:
        severity = _short_label(InteractionSeverity, i.severity)
        lines.append(f"Interaction with {i.component}: {_sentences(severity, i.note)}")
    for n, c in enumerate(content.citations, 1):
        sources = [
            f"{name} {v}" for name, v in (("DOI", c.doi), ("PMID", c.pmid), ("URL", c.url)) if v
        ]
        lines.append(f"Citation {n}: " + " · ".join([c.title, *sources]))
    return lines


def _plan_item_line(item: PlanItemSpec) -> str:
    return (
        f"Plan item {item.order}: {item.component}, {_label(Slot, item.slot)}, "
        f"weeks {item.week_from}-{item.week_to}, {_label(Frequency, item.frequency)}"
        + (f". {item.note}" if item.note else "")
    )


def _schema_of(details: Mapping[str, Any]) -> dict[str, Any]:
    """The details schema of the kind ``details`` are of (content does not carry its kind):
    the one that names all their fields, with the fewest of its own left unused."""
    keys = set(details)
    return min(
        DETAILS_SCHEMAS.values(),
        key=lambda schema: (
            len(keys - set(schema["properties"])),
            len(set(schema["properties"]) - keys),
        ),
    )


def _detail_lines(schema: Mapping[str, Any], value: Any, titles: tuple[str, ...]) -> list[str]:
    """``value`` as lines labelled with the titles of ``schema`` and its parents: an object's
    fields in the schema's order, a list's items one per line ("Steps 2: ...")."""
    label = NESTED.join(titles) or "Details"
    if isinstance(value, dict):
        if not value:
            return [f"{label}: {NONE}"]
        fields = schema.get("properties", {})
        keys = [k for k in fields if k in value] + [k for k in value if k not in fields]
        return [
            line
            for key in keys
            for line in _detail_lines(
                fields.get(key, {}), value[key], (*titles, _title(fields.get(key, {}), key))
            )
        ]
    if isinstance(value, list):
        if not value:
            return [f"{label}: {NONE}"]
        item_schema, last = schema.get("items", {}), titles[-1] if titles else "Details"
        return [
            line
            for n, item in enumerate(value, 1)
            for line in _detail_lines(item_schema, item, (*titles[:-1], f"{last} {n}"))
        ]
    return [f"{label}: {_detail_value(schema, value)}"]


def _title(schema: Mapping[str, Any], key: str) -> str:
    return schema.get("title") or _humanised(key)


def _detail_value(schema: Mapping[str, Any], value: Any) -> str:
    if value is None or value == "":
        return NONE
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    enum = tuple(schema.get("enum", ()))
    if not enum or not isinstance(value, str) or enum in VERBATIM_ENUMS:
        return str(value)
    return ENUM_LABELS.get(enum, {}).get(value) or _humanised(value)


def _humanised(key: str) -> str:
    text = key.replace("_", " ")
    return text[:1].upper() + text[1:]


def _label(choices: type[models.TextChoices], value: str) -> str:
    """The label of ``value`` among ``choices`` ("C: expert opinion"), or the value itself."""
    return dict(choices.choices).get(value, value)


def _short_label(choices: type[models.TextChoices], value: str) -> str:
    """The label before its explanation: "Avoid" of "Avoid: never in one plan"."""
    return _label(choices, value).partition(":")[0]


def _sentences(*parts: str) -> str:
    return ". ".join(part for part in parts if part)


def _contraindication_names(contents: Iterable[VersionContent | PlanContent]) -> dict[str, str]:
    """The vocabulary names of the contraindications the contents link to: one query, or none
    when they link to none."""
    slugs = {
        link.contraindication
        for content in contents
        for link in getattr(content, "contraindications", ())
    }
    if not slugs:
        return {}
    return dict(Contraindication.objects.filter(slug__in=slugs).values_list("slug", "name"))


# --- Two versions side by side ---


@dataclass(frozen=True)
class Row:
    """One row of the comparison: ``change`` is equal, changed, added or removed; a side
    without a line has no number and empty HTML."""

    change: str
    old_number: int | None
    old_html: str
    new_number: int | None
    new_html: str


def side_by_side(old, new, old_label: str, new_label: str) -> SafeString:
    """An HTML table of the two versions' lines side by side: equal, changed (the changed
    words marked with ``<del>`` and ``<ins>``), added and removed rows. All text is escaped.
    ``old`` may be None: a first version against nothing."""
    contents = [c for c in (old, new) if c is not None]
    names = _contraindication_names(contents)
    titles = pictures.asset_titles(m for c in contents for m in c.media)
    old_lines = (
        content_lines(old, contraindication_names=names, asset_titles=titles)
        if old is not None
        else []
    )
    new_lines = content_lines(new, contraindication_names=names, asset_titles=titles)
    return lines_side_by_side(old_lines, new_lines, old_label, new_label)


def lines_side_by_side(
    old_lines: list[str], new_lines: list[str], old_label: str, new_label: str
) -> SafeString:
    """The HTML table of ``side_by_side`` for any two lists of lines (a translation's prose,
    a source's text)."""
    rows = diff_rows(old_lines, new_lines)
    return format_html(
        '<table class="diff"><colgroup><col class="line-number"><col>'
        '<col class="line-number"><col></colgroup>'
        '<thead><tr><th colspan="2" scope="col">{}</th><th colspan="2" scope="col">{}</th>'
        "</tr></thead><tbody>{}</tbody></table>",
        old_label,
        new_label,
        format_html_join(
            "",
            '<tr class="{}"><td class="line-number">{}</td><td class="old">{}</td>'
            '<td class="line-number">{}</td><td class="new">{}</td></tr>',
            (
                (r.change, r.old_number or "", r.old_html, r.new_number or "", r.new_html)
                for r in rows
            ),
        ),
    )


def diff_rows(old_lines: list[str], new_lines: list[str]) -> Iterator[Row]:
    """The rows comparing two lists of lines, in order."""
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                yield Row("equal", i + 1, escape(old_lines[i]), j + 1, escape(new_lines[j]))
        else:
            yield from _changed_block(old_lines, range(i1, i2), new_lines, range(j1, j2))


def _changed_block(
    old_lines: list[str], olds: range, new_lines: list[str], news: range
) -> Iterator[Row]:
    """The rows of a block where the lines differ: each old line is a changed row with the
    next new line that states the same fact, or else a removed row; new lines left over are
    added rows."""
    next_new = news.start
    for i in olds:
        match = next(
            (j for j in range(next_new, news.stop) if _same_fact(old_lines[i], new_lines[j])), None
        )
        if match is None:
            yield Row("removed", i + 1, escape(old_lines[i]), None, "")
            continue
        for j in range(next_new, match):
            yield Row("added", None, "", j + 1, escape(new_lines[j]))
        old_html, new_html = marked_words(old_lines[i], new_lines[match])
        yield Row("changed", i + 1, old_html, match + 1, new_html)
        next_new = match + 1
    for j in range(next_new, news.stop):
        yield Row("added", None, "", j + 1, escape(new_lines[j]))


def _same_fact(old: str, new: str) -> bool:
    """Whether two lines say the same thing, changed: they have the same label ("Steps 2")
    or share at least half their words."""
    label = old.partition(": ")[0]
    if ": " in old and new.startswith(f"{label}: "):
        return True
    words = difflib.SequenceMatcher(None, _WORD.findall(old), _WORD.findall(new), autojunk=False)
    return words.ratio() >= 0.5


#: Words, runs of white space, and single other characters: what a change is made of.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+|[^\w\s]")


def marked_words(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both lines escaped, the words only in ``old`` in ``<del>``, those only in ``new`` in
    ``<ins>``."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    old_html, new_html = [], []
    for tag, i1, i2, j1, j2 in _joined_changes(opcodes, a):
        old_text, new_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            old_html.append(escape(old_text))
            new_html.append(escape(new_text))
            continue
        old_html.append(_marked("del", old_text))
        new_html.append(_marked("ins", new_text))
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def _marked(tag: str, text: str) -> SafeString:
    """``text`` escaped in a ``tag`` element, the white space around it left outside."""
    words = text.strip()
    if not words:
        return escape(text)
    start = text.index(words)
    return format_html("{}<{}>{}</{}>{}", text[:start], tag, words, tag, text[start + len(words) :])


def _joined_changes(opcodes: list[tuple], a: list[str]) -> list[tuple]:
    """``opcodes`` with changes that only white space separates joined into one, so that
    "slowly and gently" replaced reads as one change, not three."""
    tags = [op[0] for op in opcodes]
    for k in range(1, len(opcodes) - 1):
        tag, i1, i2, j1, j2 = opcodes[k]
        if tag == "equal" and "".join(a[i1:i2]).isspace() and tags[k - 1] != "equal" != tags[k + 1]:
            tags[k] = "replace"
    joined: list[tuple] = []
    for tag, (_, i1, i2, j1, j2) in zip(tags, opcodes, strict=True):
        if joined and tag != "equal" and joined[-1][0] != "equal":
            _, start_i, _, start_j, _ = joined[-1]
            joined[-1] = ("replace", start_i, i2, start_j, j2)
        else:
            joined.append((tag, i1, i2, j1, j2))
    return joined
