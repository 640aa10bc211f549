"""Plan composition: a plan is stored with its items naming their components by item id, and
served with each component's live document in place (personalised with a profile)."""

from __future__ import annotations

from collections.abc import Iterable

from . import selectors
from .personalisation import Profile, suitability
from .rendering import dump
from .selectors import LiveComponent, PageRow, SyncRow


def compose_plans(rows: list[PageRow], profile: Profile | None, locale: str) -> list[str]:
    """Each plan's body with its items resolved to the components' live documents.

    Items whose component is no longer published are left out (the plan is flagged for
    review). With a profile, items to avoid are moved to ``removed`` with the reasons, and
    every item kept carries its ``suitability``. One query for all the plans' components.
    """
    components = plan_components(rows, locale)
    return [compose_plan(row.body, row.plan_items, components, profile)[0] for row in rows]


def plan_components(plans: Iterable[PageRow | SyncRow], locale: str) -> dict[int, LiveComponent]:
    """The live documents in ``locale`` of the components the ``plans`` use (one query)."""
    return selectors.live_components_by_item(
        {component_id for plan in plans for component_id, _ in plan.plan_items}, locale
    )


def compose_plan(
    body: str, items: list, components: dict[int, LiveComponent], profile: Profile | None
) -> tuple[str, int]:
    """One plan's answer (see ``compose_plans``) and how many items it kept."""
    kept, removed = [], []
    for component_id, rest in items:
        found = components.get(component_id)
        if found is None:
            continue
        if profile is None:
            kept.append(f'{{"component":{found.body},{rest}')
            continue
        fit = suitability(found.links, profile)
        if fit["status"] == "avoid":
            removed.append(
                {"component": found.slug, "title": found.title, "reasons": fit["reasons"]}
            )
        else:
            kept.append(f'{{"component":{found.body},{rest[:-1]},"suitability":{dump(fit)}}}')
    tail = f',"removed":{dump(removed)}' if profile is not None else ""
    return f'{body[:-1]},"items":[{",".join(kept)}]{tail}}}', len(kept)
