"""Schemathesis against the editorial API's own OpenAPI document, served by a live server
over real HTTP, each call authenticated with a person's personal access token.

The stateful test follows the document's links the way people work: an editor creates an
item, edits it (If-Match from the ETag) and submits it; a reviewer who did not write it
approves the content hash the submission answered (a second reviewer where the kind needs
two), and a reviewer publishes it. The stateless test sends every operation a bounded number
of generated requests. Either way no answer may be a server error, and every answer must be
one the document lists, with the content type, headers and body it describes; data the
document calls invalid must be refused, and no operation may work without a token.
"""

from __future__ import annotations

import io
import itertools
import json
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from PIL import Image
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from content.editorial.representations import content_json
from content.kinds import PLAN, Kind
from content.models import AuditEntry, IdempotentRequest, PersonalToken, Version
from tests.factories import (
    EditorFactory,
    GoalFactory,
    PlanContentFactory,
    ReviewerFactory,
    VersionContentFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

CONFIG = {
    # One seed: every run sends the same requests, so a red build is reproducible.
    "seed": 20261122,
    "checks": {
        "enabled": True,
        # The document cannot say which content the workflow accepts (a kind's details, a
        # known goal, a state that allows the action): valid-looking data may be refused.
        "positive_data_acceptance": {"enabled": False},
    },
    "phases": {
        # Examples and fuzzing, positive and negative; the coverage phase's hundreds of
        # boundary cases per operation would take minutes (tests/delivery/test_fuzz.py runs
        # them for the delivery API).
        "coverage": {"enabled": False},
        # Only the document's own links: links inferred from the shapes of answers send
        # values where they do not belong, and every such step is a 404.
        "stateful": {"inference": {"algorithms": []}},
    },
    "generation": {"mode": "all"},
}
#: Operations a reviewer calls (besides approving vocabulary translations); every other one
#: is called by the editor.
REVIEWING = {
    "approve_version",
    "publish_version",
    "request_changes_version",
    "schedule_version",
    "withdraw_version",
    "schedule_withdrawal_version",
}
#: The operations the links join, from creation to publication.
LINKED = [
    "create_item",
    "get_version",
    "patch_version",
    "submit_version",
    "approve_version",
    "publish_version",
]


PROBLEM = "application/problem+json"


def _answer(method: str, url: str, **kwargs) -> tuple[int, str]:
    """The status and body of one request, its connection closed: a response kept alive
    (by a failing test's traceback) would keep the live server's thread, and its database
    connection, waiting for the next request on it."""
    with requests.request(method, url, timeout=30, **kwargs) as answer:
        return answer.status_code, answer.text


def _served_document(live_server) -> dict:
    url = f"{live_server.url}/api/manage/v1/schema/"
    status, body = _answer("GET", url, headers={"Accept": "application/json"})
    assert status == 200, body
    return json.loads(body)


def _reads_a_request(operation: dict) -> bool:
    """Whether the operation takes a body or an Idempotency-Key, which may be unreadable."""
    headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
    return "requestBody" in operation or "Idempotency-Key" in headers


def _token(user) -> str:
    _, key = PersonalToken.objects.create_key(
        name="Schemathesis", user=user, requests_per_minute=10**6
    )
    return key


def _operation_id(case) -> str:
    return case.operation.definition.raw.get("operationId", "")


class Tokens:
    """Whose token each call sends, by operation id: a reviewer's for reviewing operations
    (the two reviewers in turn on one version, for kinds that need two approvals), the
    editor's for the rest."""

    def __init__(self) -> None:
        self.editor = _token(EditorFactory(is_staff=True))
        self.reviewers = [_token(ReviewerFactory(is_staff=True)) for _ in range(2)]
        self.approvals: Counter = Counter()

    def for_case(self, case) -> str:
        operation_id = _operation_id(case)
        if operation_id not in REVIEWING and not operation_id.startswith("approve_"):
            return self.editor
        if operation_id != "approve_version":
            return self.reviewers[0]
        path = case.path_parameters or {}
        version = (path.get("slug"), path.get("number"))
        self.approvals[version] += 1
        return self.reviewers[(self.approvals[version] - 1) % 2]


@pytest.fixture
def editorial_schema(live_server):
    """The served editorial document, each generated call carrying the right person's token."""
    for goal in ("sleep", "stress"):
        GoalFactory(slug=goal)
    tokens = Tokens()
    document = _served_document(live_server)
    schema = schemathesis.openapi.from_dict(
        document, config=SchemathesisConfig.from_dict({**CONFIG, "base-url": live_server.url})
    )

    @schema.auth(refresh_interval=None)
    class PersonalTokens:
        def get(self, case, context):
            return tokens.for_case(case)

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


_slugs = itertools.count(1)


def _valid_new_item(generated) -> dict:
    """A new item of the generated kind (if any), with content the workflow accepts and a
    slug no other case has."""
    kind = generated.get("kind") if isinstance(generated, dict) else None
    if kind not in {*Kind.values, PLAN}:
        kind = Kind.YOGA
    if kind == PLAN:
        content = PlanContentFactory()
    else:
        content = VersionContentFactory(kind=kind, goals=("sleep",))
    return {"kind": kind, "slug": f"fuzzed-{next(_slugs)}", "content": content_json(content)}


def test_links_take_items_from_creation_to_publication_by_other_people(editorial_schema):
    """create -> get, patch (If-Match) -> submit -> approve (not the author) -> publish."""

    class Workflow(editorial_schema.include(operation_id=LINKED).as_state_machine()):
        def setup(self):
            # Each scenario starts afresh: Hypothesis replays scenarios, and an
            # Idempotency-Key kept from another one would answer that one's answer.
            IdempotentRequest.objects.all().delete()

        def before_call(self, case):
            # Generated content rarely passes the workflow's rules (the kind's details, known
            # goals): valid creations give the links something to follow. Negative cases
            # keep their invalid bodies.
            if _operation_id(case) == "create_item" and not case.meta.is_negative_at(
                ParameterLocation.BODY
            ):
                case.body = _valid_new_item(case.body)

    Workflow.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=8,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )

    # The links were followed to the end, and by the right people: every published
    # version was approved by reviewers other than the one who submitted it.
    published = Version.objects.filter(published_at__isnull=False).select_related("item")
    assert published.exists(), "no scenario got as far as publishing"
    for version in published:
        entries = AuditEntry.objects.filter(item=version.item, version_number=version.number)
        submitted_by = set(entries.filter(action="submit").values_list("actor", flat=True))
        approved_by = set(entries.filter(action="approve").values_list("actor", flat=True))
        assert approved_by and not approved_by & submitted_by


schema = schemathesis.pytest.from_fixture("editorial_schema")


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case):
    case.call_and_validate()


def test_the_document_lists_the_400_for_an_unreadable_request(live_server):
    """Found by schemathesis: a 400 the document did not list."""
    editor = _token(EditorFactory(is_staff=True))

    status, body = _answer(
        "POST",
        f"{live_server.url}/api/manage/v1/items/",
        json={"kind": "yoga", "slug": "a-long-key", "content": {}},
        headers={"Authorization": f"Bearer {editor}", "Idempotency-Key": "k" * 256},
    )

    assert status == 400, body
    unlisted = sorted(
        operation["operationId"]
        for operations in _served_document(live_server)["paths"].values()
        for operation in operations.values()
        if _reads_a_request(operation) and "400" not in operation["responses"]
    )
    assert unlisted == []


def test_an_upload_sent_with_an_idempotency_key_is_answered(live_server):
    """Found by schemathesis: a multipart body was read twice (a 500)."""
    editor = _token(EditorFactory(is_staff=True))
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(picture, "PNG")

    status, body = _answer(
        "POST",
        f"{live_server.url}/api/manage/v1/media/",
        data={"title": "A teal square", "credit": "Tests", "licence": "CC0"},
        files={"file": ("teal.png", picture.getvalue(), "image/png")},
        headers={"Authorization": f"Bearer {editor}", "Idempotency-Key": "upload-1"},
    )

    assert status == 201, body
