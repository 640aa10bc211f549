"""The delivery API's operations: for each endpoint, the keyword arguments of
``extend_schema`` (its id, summary, parameters and responses), as ``views.py`` uses them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from .parameters import (
    CACHE_HEADERS,
    COMPONENT_SLUG,
    KIND,
    LIST_PARAMETERS,
    LOCALE_PARAMETERS,
    PAGE_SIZE,
    PLAN_SLUG,
    PROFILE,
    SYNC_TOKEN_QUERY,
    VERSION_NUMBER,
)
from .shapes import ref

PROBLEM = "application/problem+json"


def _problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ref("Problem"), description=description)


def _responses(ok: str, *, bad_request: bool, not_found: bool) -> dict[Any, OpenApiResponse]:
    """200 with the schema named ``ok``, the answers every operation may give, and 400 and 404
    where the operation can give them."""
    responses: dict[Any, OpenApiResponse] = {
        200: OpenApiResponse(response=ref(ok), description="OK"),
        304: OpenApiResponse(description="Not modified: the ETag you sent is current."),
        (401, PROBLEM): _problem("Missing, wrong or revoked API key."),
        (429, PROBLEM): _problem("Rate limit reached; see Retry-After."),
        (503, PROBLEM): _problem(
            "A dependency (the database) is unavailable, or the server cannot confirm what "
            "is published now; try again after Retry-After."
        ),
    }
    if bad_request:
        responses[(400, PROBLEM)] = _problem(
            "A parameter cannot be honoured exactly; `errors` names each."
        )
    if not_found:
        responses[(404, PROBLEM)] = _problem("Nothing published here.")
    return responses


def _operation(
    operation_id: str,
    summary: str,
    parameters: list[OpenApiParameter],
    ok: str,
    *,
    bad_request: bool,
    not_found: bool,
    description: str | None = None,
) -> dict[str, Any]:
    """The ``extend_schema`` arguments of one operation; the cache headers go with them all."""
    return {
        "operation_id": operation_id,
        "summary": summary,
        **({"description": description} if description else {}),
        "parameters": [*parameters, *LOCALE_PARAMETERS, *CACHE_HEADERS],
        # Every operation takes ``locale``, so every one may answer 400.
        "responses": _responses(ok, bad_request=True, not_found=not_found),
    }


component_list = _operation(
    "list_components",
    "Published components",
    [KIND, *LIST_PARAMETERS],
    "ComponentPage",
    bad_request=True,
    not_found=False,
    description=(
        "Every published component, in slug order, a page at a time (follow `next` and "
        "`previous`). Filter by `kind`, `goal` and words in `q`. With `profile`, components "
        "to avoid for any of its contraindications are left out and each one listed carries "
        "its `suitability`; an unknown contraindication is a 400, never ignored."
    ),
)
component_detail = _operation(
    "get_component",
    "A component's published version",
    [COMPONENT_SLUG, PROFILE],
    "Component",
    bad_request=True,
    not_found=True,
    description=(
        "The component's current published version; a 404 if it is not published (a draft "
        "or a withdrawn component is never served). With `profile`, it carries its "
        "`suitability`: ok, caution or avoid, with the reasons."
    ),
)
component_history = _operation(
    "list_component_versions",
    "A component's publication history, newest first",
    [COMPONENT_SLUG],
    "ComponentHistory",
    bad_request=False,
    not_found=True,
    description=(
        "Every version of a published component that was published, with when it was "
        "superseded and its change note; withdrawn versions are left out."
    ),
)
component_version = _operation(
    "get_component_version",
    "One version of a component as it was published",
    [COMPONENT_SLUG, VERSION_NUMBER, PROFILE],
    "Component",
    bad_request=True,
    not_found=True,
    description=(
        "An earlier (or the current) published version of a component that is published "
        "now, exactly as it was served; a 404 for a version never published or withdrawn."
    ),
)
contraindication_list = _operation(
    "list_contraindications",
    "The contraindication vocabulary",
    [],
    "ContraindicationList",
    bad_request=False,
    not_found=False,
    description=(
        "Every contraindication a `profile` may name, with its category, codes (SNOMED CT, "
        "RxNorm, ATC) and the former slugs (`aliases`) still understood."
    ),
)
goal_list = _operation(
    "list_goals",
    "The goals vocabulary",
    [],
    "GoalList",
    bad_request=False,
    not_found=False,
    description="Every goal content can be filtered by (`goal`).",
)
plan_list = _operation(
    "list_plans",
    "Published plans",
    LIST_PARAMETERS,
    "PlanPage",
    bad_request=True,
    not_found=False,
    description=(
        "Every published plan with at least one published component left, in slug order, a "
        "page at a time. With `profile`, a plan is left out only when none of its items "
        "suits; each plan's items are resolved as in the plan's own answer."
    ),
)
plan_detail = _operation(
    "get_plan",
    "A plan's published version, its items resolved",
    [PLAN_SLUG, PROFILE],
    "Plan",
    bad_request=True,
    not_found=True,
    description=(
        "The plan with each item's component in its current published version. With "
        "`profile`, items to avoid move to `removed` with the reasons and every item kept "
        "carries its `suitability`."
    ),
)
sync = _operation(
    "sync",
    "Delta sync for offline copies",
    [SYNC_TOKEN_QUERY, PAGE_SIZE],
    "SyncPage",
    bad_request=True,
    not_found=False,
    description=(
        "Without `token`: an initial sync of every published component and plan. Call again "
        "with `token=<next_token>` while `has_more` is true, and keep the last `next_token`: "
        "later calls with it return only what changed since, each item at most once, in its "
        "latest state. Tokens are signed; one not issued by this server is a 400. A token "
        "issued before the database was restored from a backup gets an initial sync with "
        "`reset` true: replace your copy with what follows."
    ),
)
locale_list = _operation(
    "list_locales",
    "The locales content is served in",
    [],
    "LocaleList",
    bad_request=False,
    not_found=False,
    description=(
        "Every locale, with its fallback chain: where an item has no current translation "
        "into a locale, the first locale of its chain that has one is served (the default "
        "locale, the language content is written in, last), and the item says so "
        "(`requested_locale`, `fallback_reason`). Structured data (kinds, numbers, "
        "contraindications and their severities, interactions, evidence, citations, "
        "schedules) is the same in every locale; only prose is translated."
    ),
)

PREVIEW_TOKEN = OpenApiParameter(
    "token",
    type={"type": "string", "format": "preview-token"},
    location=OpenApiParameter.PATH,
    description="A preview link's token, as the admin or the editorial API gave it.",
)
preview = {
    "operation_id": "get_preview",
    "summary": "A version before it is published, through a preview link",
    "description": (
        "The version a preview link was made for (a draft, a version in review or approved), "
        "in the shape of a published component or plan, with `preview` true; `profile` and "
        "`locale` work as on the published ones (a link made for one locale answers in it "
        "only). A plan's items show the components' live versions, or the drafts the link "
        "names in their place (each with `preview` true). The token is the only credential: "
        "no API key is needed, and `Authorization` is ignored. Answers are never cached "
        "(`Cache-Control: private, no-store`) and never appear in the lists or in sync. A "
        "token that expired (links last at most 24 hours), was revoked, was changed, or whose "
        "version changed since the link was made is a 403 saying why (`reason`), never the "
        "published version instead."
    ),
    "parameters": [PREVIEW_TOKEN, PROFILE, *LOCALE_PARAMETERS, *CACHE_HEADERS],
    "auth": [],
    "responses": {
        200: OpenApiResponse(response=ref("Preview"), description="OK"),
        304: OpenApiResponse(description="Not modified: the ETag you sent is current."),
        (400, PROBLEM): _problem("A parameter cannot be honoured exactly; `errors` names each."),
        (403, PROBLEM): _problem(
            "The link cannot be opened: it expired, was revoked or changed, or what it shows "
            "changed since it was made (`reason`). Ask for a new link."
        ),
        (429, PROBLEM): _problem("Rate limit reached; see Retry-After."),
        (503, PROBLEM): _problem(
            "A dependency (the database) is unavailable; try again after Retry-After."
        ),
    },
}
