"""Versions as the editorial API shows them, and content as it accepts it: the workflow's
own values (``VersionContent``, ``PlanContent``, ``TranslationContent``) in JSON, each field
checked for its type here so that the domain sees only well-formed values."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any

from content.errors import ContentInvalid
from content.kinds import PLAN
from content.models import ContentItem, Version
from content.workflow.approvals import approval_progress
from content.workflow.snapshot import (
    Content,
    PlanContent,
    TranslationContent,
    VersionContent,
    read_content,
)
from content.workflow.translations import source_text


def content_class(item: ContentItem) -> type[Content]:
    """What a version of ``item`` says: a translation's prose, a plan or a component."""
    if item.source_id is not None:
        return TranslationContent
    return PlanContent if item.kind == PLAN else VersionContent


def content_json(content: Content) -> dict[str, Any]:
    """``content`` as JSON values (its tuples as lists)."""
    return json.loads(json.dumps(dataclasses.asdict(content)))


class _Refusals:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path.split(".")[0].split("[")[0], []).append(f"{path}: {message}")


_NAMES = {str: "a string", int: "a whole number", bool: "true or false", dict: "an object"}


def _checked(value: Any, hint: Any, path: str, refusals: _Refusals) -> Any:
    """``value`` as the field typed ``hint`` takes it (lists as tuples, objects as specs), or
    None after noting why it cannot be."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        return _checked(value, next(a for a in args if a is not type(None)), path, refusals)
    if origin is tuple:
        if not isinstance(value, list):
            refusals.add(path, "must be a list.")
            return None
        return tuple(_checked(v, args[0], f"{path}[{n}]", refusals) for n, v in enumerate(value))
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            refusals.add(path, "must be an object.")
        return value
    if dataclasses.is_dataclass(hint):
        return _spec(hint, value, path, refusals)
    if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
        refusals.add(path, "must be a whole number.")
    elif hint in (str, bool) and not isinstance(value, hint):
        refusals.add(path, f"must be {_NAMES[hint]}.")
    return value


def _spec(cls: type, data: Any, path: str, refusals: _Refusals) -> Any:
    if not isinstance(data, dict):
        refusals.add(path or "content", "must be an object.")
        return None
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    prefix = f"{path}." if path else ""
    for name in sorted(set(data) - set(fields)):
        refusals.add(f"{prefix}{name}", f"is not a field here; the fields are {', '.join(fields)}.")
    values = {}
    for name, field in fields.items():
        if name not in data:
            required = field.default is dataclasses.MISSING and (
                field.default_factory is dataclasses.MISSING
            )
            if required:
                refusals.add(f"{prefix}{name}", "is required.")
            continue
        values[name] = _checked(data[name], hints[name], f"{prefix}{name}", refusals)
    if refusals.errors:
        return None
    return cls(**values)


def parse_content(cls: type[Content], data: Any) -> Content:
    """``data`` (decoded JSON) as ``cls``, or ``ContentInvalid`` naming every field that is
    missing, unknown or of the wrong type."""
    refusals = _Refusals()
    content = _spec(cls, data, "", refusals)
    if refusals.errors:
        count = sum(len(v) for v in refusals.errors.values())
        raise ContentInvalid(
            f"The content cannot be read: {count} field(s) to correct.", refusals.errors
        )
    return content


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON Merge Patch: ``patch`` applied to ``target``."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def etag(version: Version) -> str:
    """A draft's ETag: its edit count (every saved edit adds one), per version."""
    return f'"{version.pk}-{version.edit_count}"'


def version_summary(version: Version) -> dict[str, Any]:
    return {
        "number": version.number,
        "state": version.state,
        "content_hash": version.content_hash or None,
        "edit_count": version.edit_count,
        "created_at": version.created_at.isoformat(),
        "submitted_at": version.submitted_at.isoformat() if version.submitted_at else None,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "publish_at": version.publish_at.isoformat() if version.publish_at else None,
        "withdraw_at": version.withdraw_at.isoformat() if version.withdraw_at else None,
    }


def version_json(version: Version) -> dict[str, Any]:
    """A version whole: where it is in the workflow, its approvals and what it says."""
    item = version.item
    progress = approval_progress(version)
    return {
        "item": item.slug,
        "kind": item.kind,
        "source": item.source.slug if item.source_id else None,
        "locale": item.locale.code if item.locale_id else None,
        **version_summary(version),
        "based_on": version.based_on.number if version.based_on_id else None,
        "translates": version.translates.number if version.translates_id else None,
        "approvals": {"given": progress.approvals, "required": progress.required},
        "content": content_json(read_content(version)),
        # A translation: what it translates, as the source version says it.
        **({"source_text": source_text(version.translates)} if version.translates_id else {}),
    }
