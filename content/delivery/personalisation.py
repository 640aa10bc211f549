"""Personalisation: an end user's profile (contraindication slugs resolved against the
vocabulary, aliases followed), how an item suits it (``suitability``), and that verdict added
to an item's rendered document (``with_suitability``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import vocabulary
from .rendering import dump


@dataclass(frozen=True)
class Profile:
    """The end user's contraindications, resolved to vocabulary ids (aliases followed)."""

    ids: frozenset[int]
    slugs: tuple[str, ...]


def resolve_profile(slugs: Sequence[str]) -> tuple[Profile, list[str]]:
    """The profile of the contraindications ``slugs`` name, and the slugs that name none (one
    query; none for no slugs)."""
    if not slugs:
        return Profile(ids=frozenset(), slugs=()), []
    known = vocabulary.contraindication_ids(slugs)
    unknown = [s for s in slugs if s not in known]
    return Profile(ids=frozenset(known.values()), slugs=tuple(slugs)), unknown


def suitability(links: list, profile: Profile) -> dict:
    """How an item suits ``profile``: ok, caution (with reasons) or avoid (with reasons).
    ``links`` are the item's stored personalisation links (``PublishedDocument.links``)."""
    reasons = [
        {"contraindication": slug, "severity": severity, "note": note}
        for contraindication_id, slug, severity, note in links
        if contraindication_id in profile.ids
    ]
    severities = {r["severity"] for r in reasons}
    status = "avoid" if "avoid" in severities else "caution" if severities else "ok"
    reasons.sort(key=lambda r: (r["severity"] != "avoid", r["contraindication"]))
    return {"status": status, "reasons": reasons}


def with_suitability(body: str, links: list, profile: Profile | None) -> str:
    """Add ``suitability`` to a rendered item without parsing it: the body is a JSON object."""
    if profile is None:
        return body
    return f'{body[:-1]},"suitability":{dump(suitability(links, profile))}}}'
