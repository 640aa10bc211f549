"""What a version says, as one value: read from the database, written to a draft, hashed.

``VersionContent`` names linked things by their stable slugs, so the same value is what
an editor writes, what the hash covers and what a revision copies.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from content.kinds import PLAN
from content.models import (
    Asset,
    Citation,
    ContraindicationLink,
    Interaction,
    MediaLink,
    PlanItem,
    Version,
    VersionGoal,
)


@dataclass(frozen=True)
class LinkSpec:
    contraindication: str
    severity: str
    note: str


@dataclass(frozen=True)
class InteractionSpec:
    component: str
    severity: str
    note: str


@dataclass(frozen=True)
class CitationSpec:
    title: str
    doi: str = ""
    pmid: str = ""
    url: str = ""


@dataclass(frozen=True)
class MediaSpec:
    """A picture a version shows: the asset (by the SHA-256 it was uploaded with), its role
    (a step's number), and what it shows in words, unless it is decorative."""

    asset: str
    role: str
    alt: str = ""
    step: int | None = None
    decorative: bool = False


@dataclass(frozen=True)
class VersionContent:
    """Everything a component version says; submitting freezes it and hashes it."""

    title: str
    summary: str
    change_note: str
    evidence_level: str
    details: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    goals: tuple[str, ...] = ()
    contraindications: tuple[LinkSpec, ...] = ()
    interactions: tuple[InteractionSpec, ...] = ()
    citations: tuple[CitationSpec, ...] = ()
    media: tuple[MediaSpec, ...] = ()

    @classmethod
    def build(cls, **data: Any) -> VersionContent:
        """Build from plain data (dicts and lists), as a loader or a test writes it."""
        return cls(
            **_built(
                data,
                contraindications=LinkSpec,
                interactions=InteractionSpec,
                citations=CitationSpec,
                media=MediaSpec,
            )
        )


@dataclass(frozen=True)
class PlanItemSpec:
    component: str
    slot: str
    week_from: int
    week_to: int
    frequency: str
    order: int
    note: str = ""

    def describe(self) -> str:
        """How an error message names this item: 'item 2 (l-tyrosine, morning, weeks 1-4)'."""
        return (
            f"item {self.order} ({self.component}, {self.slot}, "
            f"weeks {self.week_from}-{self.week_to})"
        )


@dataclass(frozen=True)
class PlanContent:
    """Everything a plan version says: its schedule of components, goals and duration."""

    title: str
    summary: str
    change_note: str
    duration_weeks: int
    body: str = ""
    goals: tuple[str, ...] = ()
    items: tuple[PlanItemSpec, ...] = ()
    media: tuple[MediaSpec, ...] = ()

    @classmethod
    def build(cls, **data: Any) -> PlanContent:
        """Build from plain data (dicts and lists), as a loader or a test writes it."""
        return cls(**_built(data, items=PlanItemSpec, media=MediaSpec))


def _built(data: dict[str, Any], **specs: type) -> dict[str, Any]:
    """``data`` with its goals as a tuple and each list named in ``specs`` as a tuple of that
    spec (dicts turned into it, specs kept)."""
    built = {**data, "goals": tuple(data.get("goals", ()))}
    for name, spec in specs.items():
        built[name] = tuple(
            entry if isinstance(entry, spec) else spec(**entry) for entry in data.get(name, ())
        )
    return built


@dataclass(frozen=True)
class TranslationContent:
    """Everything a translation version says: the source's prose in its locale. ``details``
    holds the details' text fields (``kinds.translatable_fields``); ``notes`` the notes of
    the source's parts: ``{"contraindications": {slug: note}, "interactions": {slug: note},
    "items": {"<order>": note}, "media": {"<order>": alt text}}``. Numbers, enumerations,
    links, schedules and pictures are the source's: a translation cannot say them."""

    title: str
    summary: str
    change_note: str
    body: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)


Content = VersionContent | PlanContent | TranslationContent


def read_content(version: Version) -> Content:
    """Return what ``version`` says, as stored."""
    if version.translates_id is not None:
        return TranslationContent(
            title=version.title,
            summary=version.summary,
            change_note=version.change_note,
            body=version.body,
            details=version.details,
            notes=version.notes,
        )
    if version.item.kind == PLAN:
        return _read_plan(version)
    goals = VersionGoal.objects.filter(version=version).values_list("goal__slug", flat=True)
    links = ContraindicationLink.objects.filter(version=version).values_list(
        "contraindication__slug", "severity", "note"
    )
    interactions = Interaction.objects.filter(version=version).values_list(
        "other__slug", "severity", "note"
    )
    citations = Citation.objects.filter(version=version).values_list("title", "doi", "pmid", "url")
    return VersionContent(
        title=version.title,
        summary=version.summary,
        change_note=version.change_note,
        evidence_level=version.evidence_level,
        details=version.details,
        body=version.body,
        goals=tuple(sorted(goals)),
        contraindications=tuple(LinkSpec(*row) for row in sorted(links)),
        interactions=tuple(InteractionSpec(*row) for row in sorted(interactions)),
        citations=tuple(CitationSpec(*row) for row in citations),
        media=read_media(version),
    )


def read_media(version: Version) -> tuple[MediaSpec, ...]:
    """The pictures ``version`` shows, in order."""
    rows = MediaLink.objects.filter(version=version).order_by("order")
    return tuple(
        MediaSpec(asset=sha, role=role, alt=alt, step=step, decorative=decorative)
        for sha, role, alt, step, decorative in rows.values_list(
            "asset__sha256", "role", "alt", "step", "decorative"
        )
    )


def _read_plan(version: Version) -> PlanContent:
    goals = VersionGoal.objects.filter(version=version).values_list("goal__slug", flat=True)
    items = PlanItem.objects.filter(version=version).order_by("order")
    return PlanContent(
        title=version.title,
        summary=version.summary,
        change_note=version.change_note,
        duration_weeks=version.duration_weeks,
        body=version.body,
        goals=tuple(sorted(goals)),
        items=tuple(
            PlanItemSpec(*row)
            for row in items.values_list(
                "component__slug", "slot", "week_from", "week_to", "frequency", "order", "note"
            )
        ),
        media=read_media(version),
    )


def canonical_payload(version: Version, content: Content) -> dict[str, Any]:
    """The identity and content of a version in a fixed order, ready to hash."""
    data = asdict(content)
    identity = {"kind": version.item.kind, "slug": version.item.slug, "number": version.number}
    if isinstance(content, TranslationContent):
        # Bound to the source version it translates, and to what that version says.
        source = {"translates": version.translates_id, "source_hash": version.source_hash}
        return {**identity, **source, **data}
    data["goals"] = sorted(data["goals"])
    _media_payload(data)
    if isinstance(content, PlanContent):
        data["items"] = sorted(data["items"], key=lambda i: i["order"])
    else:
        data["contraindications"] = sorted(
            data["contraindications"], key=lambda c: c["contraindication"]
        )
        data["interactions"] = sorted(data["interactions"], key=lambda i: i["component"])
    return {**identity, **data}


def _media_payload(data: dict[str, Any]) -> None:
    """Bind each picture to how it is cut (its asset's crop and focal point), so that a
    changed crop needs a new approval; a version without pictures hashes as it always did."""
    media = data.pop("media")
    if not media:
        return
    assets = Asset.objects.in_bulk([m["asset"] for m in media], field_name="sha256")
    for entry in media:
        asset = assets.get(entry["asset"])
        entry["crop"] = asset.crop if asset else None
        entry["focal_point"] = asset.focal_point if asset else None
    data["media"] = media


def content_hash(version: Version, content: Content | None = None) -> str:
    """SHA-256 over everything ``version`` says (its stored content unless one is given)."""
    if content is None:
        content = read_content(version)
    payload = canonical_payload(version, content)
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
