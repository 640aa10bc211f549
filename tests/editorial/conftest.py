"""People with personal access tokens, and a client that calls the editorial API as one of
them, through Django's whole request stack."""

from __future__ import annotations

import json
from dataclasses import asdict
from types import SimpleNamespace

import pytest
from django.test import Client

from content.models import PersonalToken
from tests.editorial.previews import (  # noqa: F401  (fixtures of the preview tests)
    child_pose,
    fresh_cache,
    people,
    plan_with_a_draft,
    publish,
    publish_plan,
    spanish,
    vocabulary,
)
from tests.factories import (
    EditorFactory,
    ReviewerFactory,
    SuperuserFactory,
    TranslatorFactory,
    VersionContentFactory,
)

BASE = "/api/manage/v1"


class Api:
    """Calls as the person whose ``token`` it sends; answers with their JSON decoded."""

    def __init__(self, token: str | None) -> None:
        self.token = token
        self.client = Client()

    def call(
        self, method: str, path: str, body=None, *, content_type="application/json", **headers
    ):
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        url = path if path.startswith("/") else f"{BASE}/{path}"
        data = json.dumps(body) if body is not None and not isinstance(body, str | bytes) else body
        response = self.client.generic(
            method, url, data or "", content_type=content_type, headers=headers
        )
        response.json_body = json.loads(response.content) if response.content else None
        return response

    def get(self, path, **headers):
        return self.call("GET", path, **headers)

    def post(self, path, body=None, **headers):
        return self.call("POST", path, body if body is not None else {}, **headers)

    def patch(self, path, body, **headers):
        return self.call(
            "PATCH", path, body, content_type="application/merge-patch+json", **headers
        )

    def put(self, path, body, **headers):
        return self.call("PUT", path, body, **headers)


def token_for(user, **kwargs) -> str:
    _, key = PersonalToken.objects.create_key(name="tests", user=user, **kwargs)
    return key


@pytest.fixture
def staff(db):
    return SimpleNamespace(
        editor=EditorFactory(is_staff=True),
        other_editor=EditorFactory(is_staff=True),
        reviewer=ReviewerFactory(is_staff=True),
        second_reviewer=ReviewerFactory(is_staff=True),
        translator=TranslatorFactory(is_staff=True),
        superuser=SuperuserFactory(),
    )


@pytest.fixture
def api(staff):
    """``api.editor``, ``api.reviewer``, ...: a client for each person, with their token."""
    return SimpleNamespace(**{name: Api(token_for(user)) for name, user in vars(staff).items()})


def component_json(**overrides) -> dict:
    """A valid component's content as JSON (a yoga pose: one approval is enough)."""
    data = json.loads(json.dumps(asdict(VersionContentFactory(kind="yoga"))))
    return {**data, **overrides}
