"""How a plan's items combine, checked against the components' published versions when the
plan is submitted and again when it is published (components can change in between)."""

from __future__ import annotations

from itertools import product

from content.errors import ContentInvalid
from content.kinds import PLAN
from content.models import Interaction, InteractionSeverity, Version, VersionState

from .snapshot import PlanContent, PlanItemSpec, read_content


def _overlap(a: PlanItemSpec, b: PlanItemSpec) -> bool:
    return a.week_from <= b.week_to and b.week_from <= a.week_to


def composition_problems(content: PlanContent) -> list[str]:
    """Every way ``content``'s items break the rules, each naming the items involved."""
    slugs = {item.component for item in content.items}
    published = dict(
        Version.objects.filter(item__slug__in=slugs, state=VersionState.PUBLISHED).values_list(
            "item__slug", "id"
        )
    )
    problems = [
        f"{item.describe()}: '{item.component}' has no published version; publish it first "
        "or take the item out."
        for item in content.items
        if item.component not in published
    ]
    # Interactions declared by either side's published version; each pair reported once.
    declared = Interaction.objects.filter(
        version_id__in=published.values(), other__slug__in=slugs
    ).values_list("version__item__slug", "other__slug", "severity", "note")
    seen: set[frozenset[str]] = set()
    for first, second, severity, note in sorted(declared):
        pair = frozenset((first, second))
        if pair in seen:
            continue
        seen.add(pair)
        ones = [i for i in content.items if i.component == first]
        others = [i for i in content.items if i.component == second]
        for a, b in product(ones, others):
            a, b = sorted((a, b), key=lambda i: i.order)
            if severity == InteractionSeverity.AVOID:
                problems.append(
                    f"{a.describe()} and {b.describe()}: '{a.component}' and '{b.component}' "
                    f"must never be in one plan. {note}"
                )
            elif a.slot == b.slot and _overlap(a, b):
                problems.append(
                    f"{a.describe()} and {b.describe()}: '{a.component}' and '{b.component}' "
                    f"must not share a time slot in the same weeks; move one to another slot. "
                    f"{note}"
                )
    return problems


def check_composition(version: Version) -> None:
    """Refuse a plan version whose items break a rule (components pass unchanged)."""
    if version.item.kind != PLAN:
        return
    problems = composition_problems(read_content(version))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ContentInvalid(
            f"Plan '{version.item.slug}' version {version.number} breaks a rule: "
            f"{problems[0]}{more}",
            {"items": problems},
        )
