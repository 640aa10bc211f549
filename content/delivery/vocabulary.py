"""Reads of the vocabularies (goals, contraindications): the ids of the slugs a request names,
and the lists ``/api/v1/goals/`` and ``/api/v1/contraindications/`` serve."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from content.models import (
    Contraindication,
    ContraindicationAlias,
    ContraindicationTranslation,
    Goal,
    GoalTranslation,
)


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


def translated(translations: QuerySet, key: str, chain: tuple[str, ...]) -> dict[int, tuple]:
    """Entry id -> (name, description) approved in the first locale of ``chain`` that has
    one; nothing for the default locale (a chain of one). One query."""
    if len(chain) <= 1:
        return {}
    rows = translations.filter(approved_at__isnull=False, locale__code__in=chain).values_list(
        key, "locale__code", "name", "description"
    )
    ranked = sorted(rows, key=lambda row: -chain.index(row[1]))  # the first locale last
    return {pk: (name, description) for pk, _, name, description in ranked}


def contraindications(chain: tuple[str, ...]) -> list[dict]:
    """The contraindications, their names and descriptions in the locale whose fallback
    ``chain`` is given (codes, categories and aliases are the same in every locale)."""
    names = translated(ContraindicationTranslation.objects.all(), "contraindication_id", chain)
    found = []
    for c in Contraindication.objects.prefetch_related("aliases").order_by("slug"):
        name, description = names.get(c.pk, (c.name, c.description))
        found.append(
            {
                "slug": c.slug,
                "name": name,
                "category": c.category,
                "description": description,
                "codes": c.codes,
                "aliases": sorted(a.slug for a in c.aliases.all()),
            }
        )
    return found


def goals(chain: tuple[str, ...]) -> list[dict]:
    """The goals, their names and descriptions in the locale whose ``chain`` is given."""
    names = translated(GoalTranslation.objects.all(), "goal_id", chain)
    found = []
    for pk, slug, name, description in Goal.objects.order_by("slug").values_list(
        "pk", "slug", "name", "description"
    ):
        name, description = names.get(pk, (name, description))
        found.append({"slug": slug, "name": name, "description": description})
    return found
