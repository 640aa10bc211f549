"""The rules a version's content must meet before it is saved or submitted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from content.errors import ContentInvalid
from content.kinds import PLAN, Frequency, Slot, validate_details
from content.models import (
    ContentItem,
    Contraindication,
    EvidenceLevel,
    Goal,
    InteractionSeverity,
    LinkSeverity,
)
from content.models.parts import doi_validator, pmid_validator

from .media_rules import media_problems
from .snapshot import Content, PlanContent


def _check(errors: dict[str, list[str]], field: str, ok: bool, message: str) -> None:
    if not ok:
        errors.setdefault(field, []).append(message)


def _validator_ok(validator, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


#: The longest body an editor may write, in characters (a long article is 20,000).
MAX_BODY_CHARS = 100_000


#: PostgreSQL stores no NUL in text or JSON, and no reader means one: it is refused everywhere.
NUL = "\x00"


def _nul_refusal(where: str) -> str:
    return f"{where}: contains a NUL character (\\x00), which cannot be stored; remove it."


def _strings(value: Any, where: str):
    """Each (where, text) in ``value``: its strings, the keys of its mappings included."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(key, where)
            yield from _strings(inner, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for i, inner in enumerate(value):
            yield from _strings(inner, f"{where}[{i}]")


def plain_text(text: str, field: str) -> str:
    """``text`` (a comment, a reason, a change note) without its outer spaces, once it is
    known to hold no NUL; ``field`` names it in the refusal."""
    if NUL in text:
        refusal = _nul_refusal(field)
        raise ContentInvalid(f"The text is not valid: {refusal}", {field: [refusal]})
    return text.strip()


def _refuse_nul(content: Content) -> None:
    """No text of ``content`` may hold a NUL; checked before anything it names is looked up."""
    errors: dict[str, list[str]] = {}
    for name, value in asdict(content).items():
        for where, text in _strings(value, name):
            _check(errors, name, NUL not in text, _nul_refusal(where))
    _raise(errors)


def _common(errors: dict[str, list[str]], content: Content) -> None:
    """What components and plans alike must say: title, summary, change note, known goals;
    a body of at most ``MAX_BODY_CHARS``."""
    for name in ("title", "summary", "change_note"):
        _check(
            errors, name, bool(getattr(content, name).strip()), f"{name}: this field is required."
        )
    _check(errors, "title", len(content.title) <= 200, "title: at most 200 characters.")
    _check(
        errors,
        "body",
        len(content.body) <= MAX_BODY_CHARS,
        f"body: at most {MAX_BODY_CHARS:,} characters; it has {len(content.body):,}.",
    )
    known_goals = set(Goal.objects.filter(slug__in=content.goals).values_list("slug", flat=True))
    for slug_ in content.goals:
        _check(errors, "goals", slug_ in known_goals, f"goals: unknown goal '{slug_}'.")
    _check(errors, "goals", len(set(content.goals)) == len(content.goals), "goals: listed twice.")
    for problem in media_problems(content):
        _check(errors, "media", False, problem)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        count = sum(len(v) for v in errors.values())
        more = f" (and {count - 1} more)" if count > 1 else ""
        raise ContentInvalid(f"The content is not valid: {first}{more}", errors)


def validate_content(*, kind: str, slug: str, content: Content, draft: bool = False) -> None:
    """Raise ``ContentInvalid`` listing every problem with ``content`` for an item of ``kind``.

    A ``draft`` being saved may leave its evidence level unchosen; it is required to submit
    (health content never claims evidence by default)."""
    _refuse_nul(content)
    if isinstance(content, PlanContent):
        validate_plan_content(content)
        return
    errors: dict[str, list[str]] = {}
    _common(errors, content)
    if content.evidence_level or not draft:
        _check(
            errors,
            "evidence_level",
            bool(content.evidence_level),
            "evidence_level: choose the evidence level (A, B, C or D) before submitting.",
        )
        _check(
            errors,
            "evidence_level",
            content.evidence_level in EvidenceLevel.values or not content.evidence_level,
            f"evidence_level: {content.evidence_level!r} is not allowed; choose one of A, B, C, D.",
        )
    try:
        validate_details(kind, content.details)
    except ValidationError as exc:
        errors.setdefault("details", []).extend(exc.message_dict.get("details", exc.messages))

    wanted = [c.contraindication for c in content.contraindications]
    known = set(Contraindication.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    _check(
        errors,
        "contraindications",
        len(set(wanted)) == len(wanted),
        "contraindications: each contraindication may be linked once.",
    )
    for link in content.contraindications:
        where = f"contraindications[{link.contraindication}]"
        _check(
            errors,
            "contraindications",
            link.contraindication in known,
            f"{where}: unknown contraindication; add it to the vocabulary first.",
        )
        _check(
            errors,
            "contraindications",
            link.severity in LinkSeverity.values,
            f"{where}.severity: {link.severity!r} is not allowed; choose avoid or caution.",
        )
        _check(
            errors,
            "contraindications",
            bool(link.note.strip()),
            f"{where}.note: tell the person what to do.",
        )

    others = [i.component for i in content.interactions]
    known_items = set(ContentItem.objects.filter(slug__in=others).values_list("slug", flat=True))
    _check(
        errors,
        "interactions",
        len(set(others)) == len(others),
        "interactions: each component may be named once.",
    )
    for interaction in content.interactions:
        where = f"interactions[{interaction.component}]"
        _check(errors, "interactions", interaction.component != slug, f"{where}: not with itself.")
        _check(
            errors,
            "interactions",
            interaction.component in known_items,
            f"{where}: no component has this slug.",
        )
        _check(
            errors,
            "interactions",
            interaction.severity in InteractionSeverity.values,
            f"{where}.severity: {interaction.severity!r} is not allowed; choose avoid or separate.",
        )
        _check(errors, "interactions", bool(interaction.note.strip()), f"{where}.note: required.")

    url_ok = URLValidator(schemes=["http", "https"])
    for i, citation in enumerate(content.citations):
        where = f"citations[{i}]"
        _check(errors, "citations", bool(citation.title.strip()), f"{where}.title: required.")
        _check(
            errors,
            "citations",
            bool(citation.doi or citation.pmid or citation.url),
            f"{where}: give a DOI, a PMID or a URL so readers can find the source.",
        )
        if citation.doi:
            _check(
                errors,
                "citations",
                _validator_ok(doi_validator, citation.doi),
                f"{where}.doi: {citation.doi!r} is not a DOI (10.xxxx/...).",
            )
        if citation.pmid:
            _check(
                errors,
                "citations",
                _validator_ok(pmid_validator, citation.pmid),
                f"{where}.pmid: {citation.pmid!r} is not a PMID (digits only).",
            )
        if citation.url:
            _check(
                errors,
                "citations",
                _validator_ok(url_ok, citation.url),
                f"{where}.url: {citation.url!r} is not an http(s) URL.",
            )

    _raise(errors)


MAX_PLAN_WEEKS = 52


def validate_plan_content(content: PlanContent) -> None:
    """A plan's own rules: a duration, at least one item, and items that make sense alone.
    (How items combine is checked against published components in ``plan_rules``.)"""
    errors: dict[str, list[str]] = {}
    _common(errors, content)
    weeks = content.duration_weeks
    _check(
        errors,
        "duration_weeks",
        isinstance(weeks, int) and 1 <= weeks <= MAX_PLAN_WEEKS,
        f"duration_weeks: a whole number of weeks from 1 to {MAX_PLAN_WEEKS}.",
    )
    _check(errors, "items", bool(content.items), "items: a plan needs at least one item.")
    orders = [i.order for i in content.items]
    _check(errors, "items", len(set(orders)) == len(orders), "items: each order number once.")
    slugs = {i.component for i in content.items}
    kinds = dict(ContentItem.objects.filter(slug__in=slugs).values_list("slug", "kind"))
    for item in content.items:
        where = item.describe()
        _check(errors, "items", item.component in kinds, f"{where}: no component has this slug.")
        _check(
            errors,
            "items",
            kinds.get(item.component, "") != PLAN,
            f"{where}: a plan cannot contain another plan.",
        )
        _check(
            errors,
            "items",
            item.slot in Slot.values,
            f"{where}: slot {item.slot!r} is not allowed; choose one of {', '.join(Slot.values)}.",
        )
        _check(
            errors,
            "items",
            item.frequency in Frequency.values,
            f"{where}: frequency {item.frequency!r} is not allowed; "
            f"choose one of {', '.join(Frequency.values)}.",
        )
        _check(
            errors,
            "items",
            1 <= item.week_from <= item.week_to,
            f"{where}: weeks must run from week 1 or later, forwards.",
        )
        if isinstance(weeks, int):
            _check(
                errors,
                "items",
                item.week_to <= weeks,
                f"{where}: runs past the plan's {weeks} weeks.",
            )
    _raise(errors)
