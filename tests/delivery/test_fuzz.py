"""Schemathesis against the OpenAPI document the running server serves, over real HTTP, with the
demo content published in the database and API keys required, as in production.

Every check schemathesis has is on: no 5xx, status codes, content types, headers and bodies
as the schema says, data the schema calls invalid refused with a 4xx, data it calls valid
accepted, authentication not ignored, unsupported methods refused. Values that only the
server's state makes valid (a contraindication or goal slug of the vocabulary, a cursor or
token this server issued) carry formats of their own in the schema; generated valid data
draws them from what the server really serves.
"""

from __future__ import annotations

import io
from collections import defaultdict
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import schemathesis
from django.contrib.auth.models import User
from django.core.management import call_command
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from content import workflow
from content.kinds import PLAN
from content.models import (
    WORKING_STATES,
    ContentItem,
    Contraindication,
    ContraindicationAlias,
    DeliveryKey,
    Goal,
    Locale,
    Version,
)
from content.workflow.previews import make_preview_link
from tests import builders
from tests.openapi import DELIVERY_PATHS

pytestmark = pytest.mark.django_db(transaction=True)

CONFIG = {
    # One seed: every run sends the same requests, so a red build is reproducible.
    "seed": 20261121,
    "checks": {"enabled": True},
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
    },
    "generation": {"mode": "all", "max-examples": 60},
}


def _issued(session: requests.Session, url: str, field: str, **params) -> str:
    answer = session.get(url, params=params, timeout=10)
    assert answer.status_code == 200, answer.text
    value = answer.json()[field]
    assert value, f"{url} issued no {field}"
    return value


def _casings(slugs: list[str]) -> st.SearchStrategy[str]:
    """A known slug as apps may send it: any case, with spaces around (docs/api.md allows both)."""
    return st.builds(
        lambda slug, upper, pad: f"{' ' * pad}{slug.upper() if upper else slug}{' ' * pad}",
        st.sampled_from(slugs),
        st.booleans(),
        st.integers(0, 2),
    )


def _demo_history(editor, reviewers) -> None:
    """What a demo that has been running a while also has: a second published version of one
    component (so /versions/ has history) and a withdrawn one (so sync sends a delete)."""
    live = Version.objects.filter(item__slug="glycine-bedtime", state="published").get()
    draft = workflow.revise(version=live, user=editor)
    submitted = workflow.submit_for_review(version=draft, user=editor)
    workflow.publish(version=builders.approve_fully(submitted, *reviewers), user=reviewers[0])
    gone = Version.objects.filter(item__slug="caffeine-cutoff", state="published").get()
    workflow.withdraw(version=gone, user=reviewers[0], reason="Fuzzing a withdrawal.")


def _preview_tokens(editor) -> list[str]:
    """Tokens of preview links to a new draft of a component and of a plan naming it."""
    component = Version.objects.get(item__slug="l-tyrosine-morning", state="published")
    draft = workflow.revise(version=component, user=editor)
    plan = Version.objects.get(item__slug="precursor-balance-day", state="published")
    plan_draft = workflow.revise(version=plan, user=editor)
    assert Version.objects.filter(state__in=WORKING_STATES).count() == 2
    return [
        make_preview_link(user=editor, version=draft)[1],
        make_preview_link(user=editor, version=plan_draft, drafts=[draft])[1],
    ]


@pytest.fixture
def served_schema(live_server, settings):
    """The served schema of a server holding the demo content, with a key to read it."""
    settings.DELIVERY_ALLOW_ANONYMOUS = False
    call_command("load_demo", stdout=io.StringIO())
    editor = User.objects.get(username="editor")
    reviewers = (User.objects.get(username="reviewer"), User.objects.get(username="reviewer2"))
    _demo_history(editor, reviewers)
    _, key = DeliveryKey.objects.create_key(name="Fuzzer", requests_per_minute=10**6)
    auth = {"Authorization": f"Api-Key {key}"}

    session = requests.Session()
    session.headers.update(auth)
    base = live_server.url
    next_links = [
        _issued(session, f"{base}{path}", "next", page_size=1)
        for path in ("/api/v1/components/", "/api/v1/plans/")
    ]
    cursors = [parse_qs(urlsplit(link).query)["cursor"][0] for link in next_links]
    tokens = [
        _issued(session, f"{base}/api/v1/sync/", "next_token"),
        _issued(session, f"{base}/api/v1/sync/", "next_token", page_size=3),
    ]
    items = ContentItem.objects.order_by("slug")
    components = list(items.exclude(kind=PLAN).values_list("slug", flat=True))
    plans = list(items.filter(kind=PLAN).values_list("slug", flat=True))
    contraindications = [
        *Contraindication.objects.values_list("slug", flat=True),
        *ContraindicationAlias.objects.values_list("slug", flat=True),
    ]
    schemathesis.openapi.format("contraindication-slug", _casings(contraindications))
    schemathesis.openapi.format(
        "goal-slug", st.sampled_from(sorted(Goal.objects.values_list("slug", flat=True)))
    )
    for kind, slugs in (("component", components), ("plan", plans)):
        schemathesis.openapi.format(f"{kind}-slug", st.sampled_from(slugs))
    schemathesis.openapi.format("cursor", st.sampled_from(cursors))
    schemathesis.openapi.format("sync-token", st.sampled_from(tokens))
    schemathesis.openapi.format("preview-token", st.sampled_from(_preview_tokens(editor)))
    schemathesis.openapi.format(
        "locale", _casings(list(Locale.objects.values_list("code", flat=True)))
    )

    config = SchemathesisConfig.from_dict(
        {**CONFIG, "auth": {"openapi": {"ApiKey": {"api_key": auth["Authorization"]}}}}
    )
    yield schemathesis.openapi.from_url(f"{base}/api/schema/", config=config, headers=auth)

    # The fuzzing reached the content, not only the refusals: every operation answered with
    # content, and every one that takes parameters besides ``locale`` refused some (those
    # with ``locale`` only are refused in tests/translations/test_delivery.py).
    never_ok = sorted(op for op in ANSWERED if 200 not in ANSWERED[op])
    never_refused = sorted(
        op for op in ANSWERED if op not in ONLY_LOCALE and 400 not in ANSWERED[op]
    )
    assert (never_ok, never_refused) == ([], [])
    assert len(ANSWERED) == len(DELIVERY_PATHS)


#: Status codes each operation answered with during the run.
ANSWERED: dict[str, set[int]] = defaultdict(set)
#: The operations whose only query parameter is ``locale``.
ONLY_LOCALE = {
    "GET /api/v1/contraindications/",
    "GET /api/v1/goals/",
    "GET /api/v1/locales/",
    "GET /api/v1/components/{slug}/versions/",
}

schema = schemathesis.pytest.from_fixture("served_schema")


@schema.parametrize()
def test_every_operation_keeps_its_contract(case):
    response = case.call_and_validate()
    ANSWERED[case.operation.label].add(response.status_code)
