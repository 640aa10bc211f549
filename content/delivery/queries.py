"""What a list or detail request selects: its parameters as parsed (``params``) with the slugs
they name looked up in the vocabularies (a goal: one query; a profile: one query). Every
problem of a request, found parsing or looking up, is answered in one 400."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from . import vocabulary
from .params import (
    GoalParameter,
    ListParams,
    Problems,
    ProfileParameter,
    read_list_params,
    read_profile,
)
from .personalisation import Profile, resolve_profile


@dataclass(frozen=True)
class ListQuery:
    """A list request, its goal and profile looked up: what ``selectors.page_of`` selects."""

    params: ListParams
    goal_id: int | None
    profile: Profile | None


def _goal_id(goal: GoalParameter | None, problems: Problems) -> int | None:
    if goal is None:
        return None
    found = vocabulary.goal_id(goal.slug) if goal.slug is not None else None
    if found is None:
        problems.refuse(
            "goal", f"unknown goal '{goal.given}'; known ones are listed at /api/v1/goals/."
        )
    return found


def _profile(given: ProfileParameter | None, problems: Problems) -> Profile | None:
    """The profile ``given``, or None (and every contraindication it names that is unknown
    refused, in the order given) if there is none or any is unknown."""
    if given is None:
        return None
    profile, unknown = resolve_profile(given.slugs)
    unknown = [*given.malformed, *unknown]
    if unknown:
        for slug in unknown:
            problems.refuse(
                "profile",
                f"unknown contraindication '{slug}'; known ones are listed at "
                "/api/v1/contraindications/.",
            )
        problems.unknown_contraindications = unknown
        return None
    return profile


def list_query(
    params: QueryDict, *, plans: bool = False, locale_refusal: str | None = None
) -> ListQuery:
    """A list request's query, raising ``ParameterProblem`` naming every bad parameter."""
    parsed = read_list_params(params, plans=plans, locale_refusal=locale_refusal)
    problems = parsed.problems
    query = ListQuery(parsed, _goal_id(parsed.goal, problems), _profile(parsed.profile, problems))
    problems.raise_any()
    return query


def detail_profile(params: QueryDict, locale_refusal: str | None = None) -> Profile | None:
    """A detail request's ``profile``, looked up (and its ``locale``'s refusal, if any);
    raises ``ParameterProblem``."""
    problems = Problems()
    problems.refuse_locale(locale_refusal)
    profile = _profile(read_profile(params, problems), problems)
    problems.raise_any()
    return profile


def refuse_locale(locale_refusal: str | None) -> None:
    """Raise the 400 of an endpoint whose only parameter is ``locale``, if it is refused."""
    problems = Problems()
    problems.refuse_locale(locale_refusal)
    problems.raise_any()
