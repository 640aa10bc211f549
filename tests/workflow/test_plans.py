"""Plans go through the same workflow as components, and their composition rules hold at
submission and again at publication."""

from dataclasses import replace

import pytest
from django.db import IntegrityError, connection, transaction

from content import workflow
from content.errors import ContentInvalid, FrozenVersionError, PermissionRefused
from content.kinds import Kind
from content.models import AuditEntry, ContentItem, PlanItem, Version
from content.workflow import InteractionSpec, PlanContent, PlanItemSpec
from tests import builders

pytestmark = pytest.mark.django_db

LAT1 = "Both use the LAT1 transporter into the brain (Pardridge 1979)."


def item(component, slot, order, weeks=(1, 4), frequency="daily", note=""):
    return PlanItemSpec(component, slot, weeks[0], weeks[1], frequency, order, note)


def plan_content(*items, duration=4, **fields):
    return PlanContent.build(
        title=fields.pop("title", "Precursor balancing"),
        summary="Tyrosine in the morning, tryptophan in the evening.",
        change_note="First version.",
        duration_weeks=duration,
        items=items,
        **fields,
    )


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


def submit_plan(editor, content, slug="precursor-balance"):
    draft = workflow.create_plan(user=editor, slug=slug, content=content)
    return workflow.submit_for_review(version=draft, user=editor)


def refusal(editor, content, slug="precursor-balance"):
    with pytest.raises(ContentInvalid) as caught:
        submit_plan(editor, content, slug)
    return caught.value


def test_a_plan_goes_through_the_same_workflow(editor, reviewer, precursors):
    content = plan_content(item("l-tyrosine", "morning", 1), item("l-tryptophan", "bedtime", 2))
    submitted = submit_plan(editor, content)
    assert len(submitted.content_hash) == 64
    approved = workflow.approve(version=submitted, user=reviewer, seen_hash=submitted.content_hash)
    live = workflow.publish(version=approved, user=reviewer)
    assert live.state == "published"
    assert workflow.read_content(live) == content
    actions = list(AuditEntry.objects.filter(version=live).values_list("action", flat=True))
    assert actions == ["create", "submit", "approve", "publish"]


def test_four_eyes_applies_to_plans(superuser, precursors):
    submitted = submit_plan(superuser, plan_content(item("l-tyrosine", "morning", 1)))
    with pytest.raises(PermissionRefused) as caught:
        workflow.approve(version=submitted, user=superuser, seen_hash=submitted.content_hash)
    assert str(caught.value) == (
        "You wrote version 1 of 'precursor-balance', so someone else must review it."
    )


def test_the_hash_covers_the_items(editor, precursors):
    draft = workflow.create_plan(
        user=editor, slug="p", content=plan_content(item("l-tyrosine", "morning", 1))
    )
    before = workflow.content_hash(draft)
    moved = plan_content(item("l-tyrosine", "midday", 1))
    workflow.edit_draft(version=draft, user=editor, content=moved, expected_edit_count=0)
    assert workflow.content_hash(draft) != before


def test_tryptophan_and_tyrosine_at_bedtime_together_are_refused(editor, precursors):
    error = refusal(
        editor,
        plan_content(item("l-tyrosine", "bedtime", 1), item("l-tryptophan", "bedtime", 2)),
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
    content = plan_content(item("l-tyrosine", "morning", 1), item("l-tryptophan", "bedtime", 2))
    assert submit_plan(editor, content).state == "in_review"


def test_the_same_slot_in_weeks_that_do_not_overlap_passes(editor, precursors):
    content = plan_content(
        item("l-tyrosine", "evening", 1, weeks=(1, 2)),
        item("l-tryptophan", "evening", 2, weeks=(3, 4)),
    )
    assert submit_plan(editor, content).state == "in_review"


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
        plan_content(
            item("5-htp", "bedtime", 1, weeks=(1, 2)),
            item("st-johns-wort", "morning", 2, weeks=(3, 4)),
        ),
    )
    assert error.errors["items"] == [
        "item 1 (5-htp, bedtime, weeks 1-2) and item 2 (st-johns-wort, morning, weeks 3-4): "
        "'5-htp' and 'st-johns-wort' must never be in one plan. Serotonin syndrome risk."
    ]


def test_every_item_needs_a_published_component(editor, precursors):
    builders.draft(editor, slug="magnesium-glycinate", kind=Kind.SUPPLEMENT)
    error = refusal(
        editor,
        plan_content(item("l-tyrosine", "morning", 1), item("magnesium-glycinate", "evening", 2)),
    )
    assert error.errors["items"] == [
        "item 2 (magnesium-glycinate, evening, weeks 1-4): 'magnesium-glycinate' has no "
        "published version; publish it first or take the item out."
    ]


def test_weeks_must_fit_the_plan(editor, precursors):
    with pytest.raises(ContentInvalid) as caught:
        workflow.create_plan(
            user=editor,
            slug="p",
            content=plan_content(item("l-tyrosine", "morning", 1, weeks=(3, 6)), duration=4),
        )
    assert caught.value.errors["items"] == [
        "item 1 (l-tyrosine, morning, weeks 3-6): runs past the plan's 4 weeks."
    ]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ((), "items: a plan needs at least one item."),
        (
            (item("l-tyrosine", "morning", 1, weeks=(3, 2)),),
            "item 1 (l-tyrosine, morning, weeks 3-2): weeks must run from week 1 or later, "
            "forwards.",
        ),
        (
            (item("l-tyrosine", "noon", 1),),
            "item 1 (l-tyrosine, noon, weeks 1-4): slot 'noon' is not allowed; choose one of "
            "morning, midday, evening, bedtime, anytime.",
        ),
        (
            (item("l-tyrosine", "morning", 1), item("l-tryptophan", "evening", 1)),
            "items: each order number once.",
        ),
        (
            (item("no-such-thing", "morning", 1),),
            "item 1 (no-such-thing, morning, weeks 1-4): no component has this slug.",
        ),
    ],
)
def test_malformed_items_are_refused(editor, precursors, items, message):
    with pytest.raises(ContentInvalid) as caught:
        workflow.create_plan(user=editor, slug="p", content=plan_content(*items))
    assert message in caught.value.errors["items"]


def test_a_plan_cannot_contain_a_plan(editor, reviewer, precursors):
    inner = submit_plan(editor, plan_content(item("l-tyrosine", "morning", 1)), slug="inner")
    workflow.publish(
        version=workflow.approve(version=inner, user=reviewer, seen_hash=inner.content_hash),
        user=reviewer,
    )
    with pytest.raises(ContentInvalid) as caught:
        workflow.create_plan(
            user=editor, slug="outer", content=plan_content(item("inner", "morning", 1))
        )
    assert caught.value.errors["items"] == [
        "item 1 (inner, morning, weeks 1-4): a plan cannot contain another plan."
    ]


def test_rules_are_checked_again_at_publication(editor, reviewer, second_reviewer, precursors):
    tyrosine, _ = precursors
    submitted = submit_plan(editor, plan_content(item("l-tyrosine", "morning", 1)))
    approved = workflow.approve(version=submitted, user=reviewer, seen_hash=submitted.content_hash)
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
    submitted = submit_plan(
        editor, plan_content(item("l-tryptophan", "bedtime", 1), item("melatonin", "bedtime", 2))
    )
    approved = workflow.approve(version=submitted, user=reviewer, seen_hash=submitted.content_hash)
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
    content = plan_content(item("l-tyrosine", "morning", 1), item("l-tryptophan", "bedtime", 2))
    submitted = submit_plan(editor, content)
    live = workflow.publish(
        version=workflow.approve(
            version=submitted, user=reviewer, seen_hash=submitted.content_hash
        ),
        user=reviewer,
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
    draft = workflow.revise(version=live, user=editor)
    draft = workflow.edit_draft(
        version=draft,
        user=editor,
        content=replace(workflow.read_content(draft), items=(item("l-tryptophan", "bedtime", 1),)),
        expected_edit_count=0,
    )
    submitted = workflow.submit_for_review(version=draft, user=editor)
    workflow.publish(
        version=workflow.approve(
            version=submitted, user=reviewer, seen_hash=submitted.content_hash
        ),
        user=reviewer,
    )
    assert ContentItem.objects.get(slug="precursor-balance").flagged_for_review == ""


def test_the_items_of_a_submitted_plan_are_frozen(editor, precursors):
    submitted = submit_plan(editor, plan_content(item("l-tyrosine", "morning", 1)))
    with pytest.raises(FrozenVersionError):
        PlanItem.objects.filter(version=submitted).update(slot="bedtime")


@pytest.mark.postgres_only
def test_raw_sql_cannot_change_a_frozen_plan(editor, precursors):
    submitted = submit_plan(editor, plan_content(item("l-tyrosine", "morning", 1)))
    for sql in [
        "UPDATE content_planitem SET slot = 'bedtime' WHERE version_id = %s",
        "UPDATE content_version SET duration_weeks = 9 WHERE id = %s",
    ]:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [submitted.pk])
