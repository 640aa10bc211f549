"""Translations: a source version's prose in another locale, written by translators and
reviewed like any change.

A translation is an item of its own (``ContentItem.source`` and ``locale``), so its versions
go through the same workflow as the source's: draft, submit, approval by someone who did not
write it (``policy.item_policy``), publish, withdraw, the audit log, frozen once submitted.
Each version is bound to the source version it translates (``Version.translates``) and that
version's hash; it is served only while that source version is the published one
(``checks.check_translation_current``, and the read model's choice of fallback).

What a translation may say is the source's prose only (``source_text``): title, summary,
body, the text fields of the details (``kinds.translatable_fields``) and the notes of the
source's contraindication links, interactions and plan items. Everything else is the
source's, in every locale.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max

from content.errors import ContentInvalid, InvalidTransition
from content.kinds import translatable_fields
from content.models import (
    AuditAction,
    ContentItem,
    ContraindicationLink,
    Interaction,
    Locale,
    MediaLink,
    PlanItem,
    Version,
    VersionState,
    canonical_locale,
)

from . import policy
from .audit import record
from .checks import check_source_published
from .snapshot import TranslationContent
from .validation import MAX_BODY_CHARS, _check, _raise, validate_content

#: The notes a translation translates, by the kind of part they belong to.
NOTE_PARTS = ("contraindications", "interactions", "items", "media")


def source_text(source: Version) -> dict[str, Any]:
    """What a translation of ``source`` translates, as ``source`` says it: the shape a
    ``TranslationContent`` fills (notes only of parts that have one)."""
    details = source.details or {}
    notes = {
        "contraindications": dict(
            ContraindicationLink.objects.filter(version=source)
            .exclude(note="")
            .order_by("contraindication__slug")
            .values_list("contraindication__slug", "note")
        ),
        "interactions": dict(
            Interaction.objects.filter(version=source)
            .exclude(note="")
            .order_by("other__slug")
            .values_list("other__slug", "note")
        ),
        "items": {
            str(order): note
            for order, note in PlanItem.objects.filter(version=source)
            .exclude(note="")
            .order_by("order")
            .values_list("order", "note")
        },
        # The alt text of each picture that has one (a decorative picture has none).
        "media": {
            str(order): alt
            for order, alt in MediaLink.objects.filter(version=source, decorative=False)
            .exclude(alt="")
            .order_by("order")
            .values_list("order", "alt")
        },
    }
    return {
        "title": source.title,
        "summary": source.summary,
        "body": source.body,
        "details": {
            name: details[name] for name in translatable_fields(source.item.kind) if name in details
        },
        "notes": {part: found for part, found in notes.items() if found},
    }


def _same_shape(given: Any, wanted: Any) -> bool:
    """``given`` translates ``wanted``: a text for a text, a list of as many texts."""
    if isinstance(wanted, str):
        return isinstance(given, str)
    return (
        isinstance(wanted, list)
        and isinstance(given, list)
        and len(given) == len(wanted)
        and all(isinstance(text, str) for text in given)
    )


def _filled(value: Any) -> bool:
    texts = value if isinstance(value, list) else [value]
    return all(isinstance(text, str) and text.strip() for text in texts)


def validate_translation(source: Version, content: TranslationContent, *, draft: bool) -> None:
    """Raise ``ContentInvalid`` listing every problem of ``content`` as a translation of
    ``source`` (``translation_errors``)."""
    _raise(translation_errors(source_text(source), content, draft=draft))


def translation_errors(
    wanted: dict[str, Any], content: TranslationContent, *, draft: bool
) -> dict[str, list[str]]:
    """Every problem of ``content`` as a translation of a source that says ``wanted`` (as
    ``source_text`` gives it), by field: nothing the source does not say as prose; once
    submitted (not ``draft``), every text the source has translated, so that no caution
    stays untranslated."""
    errors: dict[str, list[str]] = {}
    for name in ("title", "summary", "change_note"):
        _check(
            errors,
            name,
            draft or bool(getattr(content, name).strip()),
            f"{name}: this field is required.",
        )
    _check(errors, "title", len(content.title) <= 200, "title: at most 200 characters.")
    _check(errors, "summary", len(content.summary) <= 1000, "summary: at most 1,000 characters.")
    _check(
        errors, "body", len(content.body) <= MAX_BODY_CHARS, f"body: at most {MAX_BODY_CHARS:,}."
    )
    _check(
        errors,
        "body",
        draft or bool(content.body.strip()) or not wanted["body"].strip(),
        "body: translate the source's body.",
    )
    details = content.details if isinstance(content.details, dict) else {}
    _check(errors, "details", isinstance(content.details, dict), "details: a mapping of fields.")
    for name, value in details.items():
        where = f"details.{name}"
        if name not in wanted["details"]:
            _check(errors, "details", False, f"{where}: not a text field of the source.")
        elif not _same_shape(value, wanted["details"][name]):
            count = len(wanted["details"][name]) if isinstance(wanted["details"][name], list) else 0
            shape = f"a list of {count} texts, as the source has" if count else "a text"
            _check(errors, "details", False, f"{where}: give {shape}.")
        elif not draft:
            _check(errors, "details", _filled(value), f"{where}: every text is required.")
    if not draft:
        for name in wanted["details"]:
            _check(errors, "details", name in details, f"details.{name}: translate it.")
    notes = content.notes if isinstance(content.notes, dict) else {}
    _check(errors, "notes", isinstance(content.notes, dict), "notes: a mapping of parts.")
    for part, given in notes.items():
        if part not in NOTE_PARTS or not isinstance(given, dict):
            _check(errors, "notes", False, f"notes.{part}: not a part with notes.")
            continue
        source_notes = wanted["notes"].get(part, {})
        for key, text in given.items():
            where = f"notes.{part}[{key}]"
            _check(errors, "notes", key in source_notes, f"{where}: the source has no such note.")
            _check(errors, "notes", isinstance(text, str), f"{where}: give a text.")
    if not draft:
        for part, source_notes in wanted["notes"].items():
            for key in source_notes:
                text = notes.get(part, {}).get(key) if isinstance(notes.get(part), dict) else None
                _check(
                    errors,
                    "notes",
                    isinstance(text, str) and bool(text.strip()),
                    f"notes.{part}[{key}]: translate this note.",
                )
    return errors


def validate_version_content(version: Version, content, *, draft: bool = False) -> None:
    """Validate what ``version`` is to say: a translation against its source version, any
    other content against its kind's rules."""
    if isinstance(content, TranslationContent):
        if version.translates_id is None:
            raise ContentInvalid(
                "This version is not a translation; give its content, not a translation's.", {}
            )
        validate_translation(version.translates, content, draft=draft)
        return
    if version.translates_id is not None:
        raise ContentInvalid("A translation says only prose: give a translation's content.", {})
    validate_content(kind=version.item.kind, slug=version.item.slug, content=content, draft=draft)


def translation_locale(code: str) -> Locale:
    found = Locale.objects.filter(code=canonical_locale(code) or code).first()
    if found is None:
        raise InvalidTransition(f"There is no locale '{code}'; a reviewer adds locales first.")
    if found.is_default:
        raise InvalidTransition(
            f"'{found.code}' is the language content is written in: edit the content itself."
        )
    return found


def translation_item(source_item: ContentItem, locale: Locale, user) -> ContentItem:
    """The item of ``source_item``'s translations into ``locale``, made the first time."""
    found = ContentItem.objects.filter(source=source_item, locale=locale).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ContentItem.objects.create(
                kind=source_item.kind,
                slug=f"{source_item.slug}@{locale.code}",
                source=source_item,
                locale=locale,
                created_by=user,
            )
    except IntegrityError:  # made at the same moment by someone else
        return ContentItem.objects.get(source=source_item, locale=locale)


def check_translate(*, user: AbstractBaseUser, source_item: ContentItem) -> None:
    """Translators translate a source item that has a published version."""
    policy.require(user, policy.TRANSLATE, "translate content")
    if source_item.source_id is not None:
        raise InvalidTransition(f"'{source_item.slug}' is a translation; translate its source.")
    if source_item.discarded_at is not None:
        raise InvalidTransition(
            f"'{source_item.slug}' was discarded; there is nothing to translate."
        )
    if not Version.objects.filter(item=source_item, state=VersionState.PUBLISHED).exists():
        raise InvalidTransition(
            f"'{source_item.slug}' has no published version to translate; "
            "translations follow what apps are served."
        )


def first_translation(
    *, item: ContentItem, user: AbstractBaseUser, content: TranslationContent | None
) -> Version:
    """A first version of the translation ``item`` (locked, with none kept: none yet, or
    only discarded ones), translating its source's published version: ``content`` if given,
    else nothing yet."""
    source = check_source_published(item)
    content = content or TranslationContent(
        title="", summary="", change_note=f"Translation of version {source.number}."
    )
    number = (Version.objects.filter(item=item).aggregate(n=Max("number"))["n"] or 0) + 1
    draft = Version(
        item=item,
        number=number,
        created_by=user,
        translates=source,
        source_hash=source.content_hash,
    )
    validate_version_content(draft, content, draft=True)
    write_translation(draft, content)
    record(
        version=draft,
        action=AuditAction.CREATE,
        actor=user,
        from_state="",
        comment=f"Translation of version {source.number} into {item.locale.code}.",
    )
    return draft


def write_translation(version: Version, content: TranslationContent) -> None:
    """Write ``content`` into the translation draft ``version``."""
    version.title = content.title
    version.summary = content.summary
    version.body = content.body
    version.change_note = content.change_note
    version.details = content.details
    version.notes = content.notes
    version.save()


def latest_translation(item: ContentItem) -> Version | None:
    """The newest version of the translation ``item`` that was not discarded."""
    return (
        Version.objects.filter(item=item)
        .exclude(state=VersionState.DISCARDED)
        .order_by("-number")
        .first()
    )
