"""Plans go through the same workflow as components, and their composition rules hold at
submission and again at publication."""

from dataclasses import replace

import pytest
from django.db import IntegrityError, connection, transaction

from content import workflow
from content.errors import ContentInvalid, FrozenVersionError, PermissionRefused
from content.kinds import Kind
from content.models import AuditEntry, ContentItem, PlanItem, Version
from content.workflow import InteractionSpec
from tests import builders
from tests.factories import PlanContentFactory, plan_item

pytestmark = pytest.mark.django_db

LAT1 = "Both use the LAT1 transporter into the brain (Pardridge 1979)."


@pytest.fixture
def precursors(editor, reviewer, second_reviewer):
    """L-tyrosine and L-tryptophan published, tryptophan declaring the 'separate' interaction."""
    tyrosine = builders.published(
        editor, reviewer, second_reviewer, slug="l-tyrosine", kind=Kind.SUPPLEMENT
    )
    tryptophan = builders.published(
        editor,
        reviewer,
        second_reviewer,
        slug="l-tryptophan",
        kind=Kind.SUPPLEMENT,
        interactions=(InteractionSpec("l-tyrosine", "separate", LAT1),),
    )
    return tyrosine, tryptophan


def submit_plan(editor, *items, slug="precursor-balance"):
    """Draft a plan of ``items`` and submit it."""
    return builders.plan_in_review(editor, slug=slug, items=items)


def refusal(editor, *items):
    with pytest.raises(ContentInvalid) as caught:
        submit_plan(editor, *items)
    return caught.value


def test_a_plan_goes_through_the_same_workflow(editor, reviewer, precursors):
    content = PlanContentFactory(
        items=[plan_item("l-tyrosine", "morning", 1), plan_item("l-tryptophan", "bedtime", 2)]
    )
    draft = workflow.create_plan(user=editor, slug="precursor-balance", content=content)
    submitted = workflow.submit_for_review(version=draft, user=editor)
    assert len(submitted.content_hash) == 64
    approved = workflow.approve(version=submitted, user=reviewer, seen_hash=submitted.content_hash)
    live = workflow.publish(version=approved, user=reviewer)
    assert live.state == "published"
    assert workflow.read_content(live) == content
    actions = list(AuditEntry.objects.filter(version=live).values_list("action", flat=True))
    assert actions == ["create", "submit", "approve", "publish"]


def test_four_eyes_applies_to_plans(superuser, precursors):
    submitted = submit_plan(superuser, plan_item("l-tyrosine", "morning", 1))
    with pytest.raises(PermissionRefused) as caught:
        workflow.approve(version=submitted, user=superuser, seen_hash=submitted.content_hash)
    assert str(caught.value) == (
        "You wrote version 1 of 'precursor-balance', so someone else must review it."
    )


def test_the_hash_covers_the_items(editor, precursors):
    draft = builders.draft_plan(editor, slug="p", items=[plan_item("l-tyrosine", "morning", 1)])
    before = workflow.content_hash(draft)
    moved = replace(workflow.read_content(draft), items=(plan_item("l-tyrosine", "midday", 1),))
    workflow.edit_draft(version=draft, user=editor, content=moved, expected_edit_count=0)
    assert workflow.content_hash(draft) != before


def test_tryptophan_and_tyrosine_at_bedtime_together_are_refused(editor, precursors):
    error = refusal(
        editor, plan_item("l-tyrosine", "bedtime", 1), plan_item("l-tryptophan", "bedtime", 2)
    )
    assert error.errors["items"] == [
        "item 1 (l-tyrosine, bedtime, weeks 1-4) and item 2 (l-tryptophan, bedtime, weeks 1-4): "
        "'l-tyrosine' and 'l-tryptophan' must not share a time slot in the same weeks; "
        f"move one to another slot. {LAT1}"
    ]
    assert str(error).startswith("Plan 'precursor-balance' version 1 breaks a rule: item 1")
    # Nothing was submitted.
    assert Version.objects.get(item__slug="precursor-balance").state == "draft"


def test_tyrosine_in_the_morning_and_tryptophan_at_bedtime_pass(editor, precursors):
    submitted = submit_plan(
        editor, plan_item("l-tyrosine", "morning", 1), plan_item("l-tryptophan", "bedtime", 2)
    )
    assert submitted.state == "in_review"


def test_the_same_slot_in_weeks_that_do_not_overlap_passes(editor, precursors):
    submitted = submit_plan(
        editor,
        plan_item("l-tyrosine", "evening", 1, weeks=(1, 2)),
        plan_item("l-tryptophan", "evening", 2, weeks=(3, 4)),
    )
    assert submitted.state == "in_review"


def test_an_avoid_interaction_is_refused_anywhere_in_the_plan(editor, reviewer, second_reviewer):
    builders.published(editor, reviewer, second_reviewer, slug="5-htp", kind=Kind.SUPPLEMENT)
    builders.published(
        editor,
        reviewer,
        second_reviewer,
        slug="st-johns-wort",
        kind=Kind.SUPPLEMENT,
        interactions=(InteractionSpec("5-htp", "avoid", "Serotonin syndrome risk."),),
    )
    error = refusal(
        editor,
        plan_item("5-htp", "bedtime", 1, weeks=(1, 2)),
        plan_item("st-johns-wort", "morning", 2, weeks=(3, 4)),
    )
    assert error.errors["items"] == [
        "item 1 (5-htp, bedtime, weeks 1-2) and item 2 (st-johns-wort, morning, weeks 3-4): "
        "'5-htp' and 'st-johns-wort' must never be in one plan. Serotonin syndrome risk."
    ]


def test_every_item_needs_a_published_component(editor, precursors):
    builders.draft(editor, slug="magnesium-glycinate", kind=Kind.SUPPLEMENT)
    error = refusal(
        editor,
        plan_item("l-tyrosine", "morning", 1),
        plan_item("magnesium-glycinate", "evening", 2),
    )
    assert error.errors["items"] == [
        "item 2 (magnesium-glycinate, evening, weeks 1-4): 'magnesium-glycinate' has no "
        "published version; publish it first or take the item out."
    ]


def test_weeks_must_fit_the_plan(editor, precursors):
    with pytest.raises(ContentInvalid) as caught:
        builders.draft_plan(
            editor,
            slug="p",
            duration_weeks=4,
            items=[plan_item("l-tyrosine", "morning", 1, weeks=(3, 6))],
        )
    assert caught.value.errors["items"] == [
        "item 1 (l-tyrosine, morning, weeks 3-6): runs past the plan's 4 weeks."
    ]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ((), "items: a plan needs at least one item."),
        (
            (plan_item("l-tyrosine", "morning", 1, weeks=(3, 2)),),
            "item 1 (l-tyrosine, morning, weeks 3-2): weeks must run from week 1 or later, "
            "forwards.",
        ),
        (
            (plan_item("l-tyrosine", "noon", 1),),
            "item 1 (l-tyrosine, noon, weeks 1-4): slot 'noon' is not allowed; choose one of "
            "morning, midday, evening, bedtime, anytime.",
        ),
        (
            (plan_item("l-tyrosine", "morning", 1), plan_item("l-tryptophan", "evening", 1)),
            "items: each order number once.",
        ),
        (
            (plan_item("no-such-thing", "morning", 1),),
            "item 1 (no-such-thing, morning, weeks 1-4): no component has this slug.",
        ),
    ],
)
def test_malformed_items_are_refused(editor, precursors, items, message):
    with pytest.raises(ContentInvalid) as caught:
        builders.draft_plan(editor, slug="p", items=items)
    assert message in caught.value.errors["items"]


def test_a_plan_cannot_contain_a_plan(editor, reviewer, precursors):
    builders.published_plan(
        editor, reviewer, slug="inner", items=[plan_item("l-tyrosine", "morning", 1)]
    )
    with pytest.raises(ContentInvalid) as caught:
        builders.draft_plan(editor, slug="outer", items=[plan_item("inner", "morning", 1)])
    assert caught.value.errors["items"] == [
        "item 1 (inner, morning, weeks 1-4): a plan cannot contain another plan."
    ]


def test_rules_are_checked_again_at_publication(editor, reviewer, second_reviewer, precursors):
    tyrosine, _ = precursors
    approved = builders.approved_plan(
        editor, reviewer, slug="precursor-balance", items=[plan_item("l-tyrosine", "morning", 1)]
    )
    workflow.withdraw(version=tyrosine, user=reviewer, reason="Checking the dose.")
    with pytest.raises(ContentInvalid) as caught:
        workflow.publish(version=approved, user=reviewer)
    assert caught.value.errors["items"] == [
        "item 1 (l-tyrosine, morning, weeks 1-4): 'l-tyrosine' has no published version; "
        "publish it first or take the item out."
    ]
    assert Version.objects.get(pk=approved.pk).state == "approved"


def test_an_interaction_published_after_approval_stops_the_plan(
    editor, reviewer, second_reviewer, precursors
):
    _, tryptophan = precursors
    builders.published(editor, reviewer, second_reviewer, slug="melatonin", kind=Kind.SUPPLEMENT)
    approved = builders.approved_plan(
        editor,
        reviewer,
        slug="precursor-balance",
        items=[plan_item("l-tryptophan", "bedtime", 1), plan_item("melatonin", "bedtime", 2)],
    )
    builders.republished(
        tryptophan,
        editor,
        reviewer,
        second_reviewer,
        interactions=(
            InteractionSpec("l-tyrosine", "separate", LAT1),
            InteractionSpec("melatonin", "separate", "Both sedate; stagger them."),
        ),
    )
    with pytest.raises(ContentInvalid) as caught:
        workflow.publish(version=approved, user=reviewer)
    assert "must not share a time slot" in caught.value.errors["items"][0]


def test_withdrawing_a_component_flags_the_plans_that_use_it(editor, reviewer, precursors):
    tyrosine, _ = precursors
    live = builders.published_plan(
        editor,
        reviewer,
        slug="precursor-balance",
        items=[plan_item("l-tyrosine", "morning", 1), plan_item("l-tryptophan", "bedtime", 2)],
    )
    workflow.withdraw(version=tyrosine, user=reviewer, reason="New safety signal.")
    plan = ContentItem.objects.get(slug="precursor-balance")
    assert plan.flagged_for_review == "Component 'l-tyrosine' was withdrawn: New safety signal."
    entry = AuditEntry.objects.filter(version=live).last()
    assert (entry.action, entry.actor, entry.from_state, entry.to_state) == (
        "flag",
        reviewer,
        "published",
        "published",
    )
    assert entry.comment.endswith("The plan is served without it until it is revised.")
    # A revised plan, once published, clears the flag.
    builders.republished(live, editor, reviewer, items=(plan_item("l-tryptophan", "bedtime", 1),))
    assert ContentItem.objects.get(slug="precursor-balance").flagged_for_review == ""


def test_the_items_of_a_submitted_plan_are_frozen(editor, precursors):
    submitted = submit_plan(editor, plan_item("l-tyrosine", "morning", 1))
    with pytest.raises(FrozenVersionError):
        PlanItem.objects.filter(version=submitted).update(slot="bedtime")


@pytest.mark.postgres_only
def test_raw_sql_cannot_change_a_frozen_plan(editor, precursors):
    submitted = submit_plan(editor, plan_item("l-tyrosine", "morning", 1))
    for sql in [
        "UPDATE content_planitem SET slot = 'bedtime' WHERE version_id = %s",
        "UPDATE content_version SET duration_weeks = 9 WHERE id = %s",
    ]:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [submitted.pk])
