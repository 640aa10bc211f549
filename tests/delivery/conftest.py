import pytest
from django.core.cache import cache

from content import workflow
from content.workflow import LinkSpec, PlanContent, PlanItemSpec
from tests import builders
from tests.factories import ContraindicationFactory, EditorFactory, GoalFactory, ReviewerFactory


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache: start every test with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def vocabulary(db):
    return {
        "pregnancy": ContraindicationFactory(slug="pregnancy", name="Pregnancy"),
        "ssri": ContraindicationFactory(slug="ssri", name="SSRI antidepressants"),
        "glaucoma": ContraindicationFactory(slug="glaucoma", name="Glaucoma"),
        "sleep": GoalFactory(slug="sleep", name="Sleep"),
        "stress": GoalFactory(slug="stress", name="Stress"),
    }


@pytest.fixture
def people(db):
    return EditorFactory(), ReviewerFactory(), ReviewerFactory()


@pytest.fixture
def publish(people, vocabulary):
    """Publish a component through the workflow: ``publish("slug", kind=..., avoid=[...], ...)``."""
    editor, reviewer, second = people

    def _publish(slug, *, kind="yoga", avoid=(), caution=(), goals=(), **content):
        links = tuple(LinkSpec(s, "avoid", f"Not with {s}.") for s in avoid) + tuple(
            LinkSpec(s, "caution", f"Careful with {s}.") for s in caution
        )
        return builders.published(
            editor,
            reviewer,
            second,
            slug=slug,
            kind=kind,
            contraindications=links,
            goals=tuple(goals),
            **content,
        )

    return _publish


@pytest.fixture
def publish_plan(people):
    editor, reviewer, _ = people

    def _publish(slug, items, *, duration=4, goals=(), title="Sleep reset"):
        content = PlanContent.build(
            title=title,
            summary="A gentle four-week plan.",
            change_note="First version.",
            duration_weeks=duration,
            goals=goals,
            items=[
                PlanItemSpec(component, slot, 1, duration, "daily", order, f"Note {order}.")
                for order, (component, slot) in enumerate(items, start=1)
            ],
        )
        draft = workflow.create_plan(user=editor, slug=slug, content=content)
        submitted = workflow.submit_for_review(version=draft, user=editor)
        approved = builders.approve_fully(submitted, reviewer)
        return workflow.publish(version=approved, user=reviewer)

    return _publish
