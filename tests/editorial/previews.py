"""What the preview tests share: the delivery tests' vocabulary, people and publishing, a
draft to preview, a plan with a component draft, and reading a preview's answer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from content import workflow
from content.workflow.previews import make_preview_link
from tests import builders
from tests.delivery import conftest as delivery

# The delivery tests' vocabulary, people and publishing, and their fresh rate counters.
fresh_cache, vocabulary, people, publish, publish_plan = (
    delivery.fresh_cache,
    delivery.vocabulary,
    delivery.people,
    delivery.publish,
    delivery.publish_plan,
)


def url(token: str, query: str = "") -> str:
    return f"/api/v1/preview/{token}/" + (f"?{query}" if query else "")


def link_to(version, user, **options) -> str:
    """The token of a new link to ``version`` made by ``user``."""
    return make_preview_link(user=user, version=version, **options)[1]


def refusal(response, reason: str) -> str:
    """The detail of a preview refused for ``reason``, after checking it is a 403 problem."""
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response["Cache-Control"] == "private, no-store"
    problem = response.json()
    assert (problem["status"], problem["reason"]) == (403, reason)
    return problem["detail"]


def edit_title(draft, editor, title: str) -> None:
    workflow.edit_draft(
        version=draft,
        user=editor,
        content=replace(workflow.read_content(draft), title=title),
        expected_edit_count=draft.edit_count,
    )
    draft.refresh_from_db()


@pytest.fixture
def child_pose(people, vocabulary):
    """A yoga draft, to be avoided with glaucoma and taken with care in pregnancy."""
    editor = people[0]
    return builders.draft(
        editor,
        slug="child-pose",
        kind="yoga",
        title="Child's pose (draft)",
        contraindications=(
            workflow.LinkSpec("glaucoma", "avoid", "Head below heart."),
            workflow.LinkSpec("pregnancy", "caution", "Knees wide."),
        ),
    )


@pytest.fixture
def plan_with_a_draft(people, publish, publish_plan):
    """A published plan of two components, a new draft of one of them, and a draft of the
    plan: (plan draft, component draft)."""
    editor = people[0]
    glycine = publish("glycine", kind="supplement", title="Glycine")
    legs_up = publish("legs-up", title="Legs up the wall")
    live = publish_plan(
        "sleep-reset", [(glycine.item.slug, "bedtime"), (legs_up.item.slug, "evening")]
    )
    component_draft = workflow.revise(version=glycine, user=editor)
    edit_title(component_draft, editor, "Glycine, 2 g")
    return workflow.revise(version=live, user=editor), component_draft


@pytest.fixture
def spanish(people):
    workflow.add_locale(user=people[1], code="es", name="Español")
