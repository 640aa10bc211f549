import pytest
from django.core.cache import cache

from content.workflow import LinkSpec
from tests import builders
from tests.factories import (
    ContraindicationFactory,
    EditorFactory,
    GoalFactory,
    ReviewerFactory,
    plan_item,
)


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
    """Publish a plan through the workflow: ``publish_plan("slug", [(component, slot), ...])``,
    each item daily for the whole plan, noted "Note <order>."."""
    editor, reviewer, _ = people

    def _publish(slug, items, *, duration=4, goals=(), title="Sleep reset"):
        return builders.published_plan(
            editor,
            reviewer,
            slug=slug,
            title=title,
            duration_weeks=duration,
            goals=goals,
            items=[
                plan_item(component, slot, order, weeks=(1, duration), note=f"Note {order}.")
                for order, (component, slot) in enumerate(items, start=1)
            ],
        )

    return _publish
