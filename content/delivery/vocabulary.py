"""Reads of the vocabularies (goals, contraindications): the ids of the slugs a request names,
and the lists ``/api/v1/goals/`` and ``/api/v1/contraindications/`` serve."""

from __future__ import annotations

from collections.abc import Sequence

from content.models import Contraindication, ContraindicationAlias, Goal


def goal_id(slug: str) -> int | None:
    """The id of the goal ``slug`` (one query), or None if there is none."""
    return Goal.objects.filter(slug=slug).values_list("id", flat=True).first()


def contraindication_ids(slugs: Sequence[str]) -> dict[str, int]:
    """Slug -> contraindication id for those of ``slugs`` that name one, by its slug or an
    alias (one query)."""
    rows = (
        Contraindication.objects.filter(slug__in=slugs)
        .order_by()
        .values_list("slug", "id")
        .union(
            ContraindicationAlias.objects.filter(slug__in=slugs)
            .order_by()
            .values_list("slug", "contraindication_id")
        )
    )
    return dict(rows)


def contraindications() -> list[dict]:
    return [
        {
            "slug": c.slug,
            "name": c.name,
            "category": c.category,
            "description": c.description,
            "codes": c.codes,
            "aliases": sorted(a.slug for a in c.aliases.all()),
        }
        for c in Contraindication.objects.prefetch_related("aliases").order_by("slug")
    ]


def goals() -> list[dict]:
    return list(Goal.objects.order_by("slug").values("slug", "name", "description"))
