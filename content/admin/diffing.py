"""What a version says as readable lines, for the read-only view and the side-by-side diff."""

from __future__ import annotations

import difflib
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from content.workflow import PlanContent, VersionContent


def _flatten(prefix: str, value: Any) -> list[str]:
    if isinstance(value, dict):
        return [line for key, v in value.items() for line in _flatten(f"{prefix}.{key}", v)]
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return [f"{prefix}: {', '.join(str(v) for v in value)}"]
        return [line for n, v in enumerate(value, 1) for line in _flatten(f"{prefix} {n}", v)]
    return [f"{prefix}: {value}"]


def content_lines(content: VersionContent | PlanContent) -> list[str]:
    """Everything ``content`` says, one fact per line, in a stable order."""
    lines = [
        f"Title: {content.title}",
        f"Summary: {content.summary}",
        f"Goals: {', '.join(content.goals) or '(none)'}",
    ]
    if isinstance(content, PlanContent):
        lines.append(f"Duration: {content.duration_weeks} weeks")
        lines += [
            f"Item {i.order}: {i.component}, {i.slot}, weeks {i.week_from}-{i.week_to}, "
            f"{i.frequency}" + (f". {i.note}" if i.note else "")
            for i in sorted(content.items, key=lambda i: i.order)
        ]
    else:
        lines.append(f"Evidence level: {content.evidence_level}")
        lines += _flatten("Details", content.details)  # "Details.dose.amount: 3"
        lines += [
            f"Contraindication {link.contraindication}: {link.severity}. {link.note}"
            for link in content.contraindications
        ]
        lines += [
            f"Interaction with {i.component}: {i.severity}. {i.note}" for i in content.interactions
        ]
        lines += [
            f"Citation {n}: {c.title}"
            + "".join(
                f" [{k} {v}]" for k, v in (("DOI", c.doi), ("PMID", c.pmid), ("URL", c.url)) if v
            )
            for n, c in enumerate(content.citations, 1)
        ]
    lines.append(f"Change note: {content.change_note}")
    lines.append("Body:")
    lines += content.body.splitlines()
    return lines


def side_by_side(old, new, old_label: str, new_label: str) -> SafeString:
    """An HTML table of the two versions side by side, changes highlighted (difflib escapes
    the text it puts in the table). ``old`` may be None: a first version against nothing."""
    old_lines = content_lines(old) if old is not None else []
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        old_lines, content_lines(new), escape(old_label), escape(new_label)
    )
    return mark_safe(table)
