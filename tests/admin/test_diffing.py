"""How a version reads in the admin, line by line, and how two versions compare side by side:
human labels from the kinds' schemas, one line per list item, changed words marked, all
text escaped."""

from __future__ import annotations

import re

import pytest

from content import workflow
from content.admin.diffing import content_lines, side_by_side
from content.kinds import EXAMPLE_DETAILS, Kind
from content.workflow import VersionContent
from tests import builders
from tests.factories import (
    ContraindicationFactory,
    PlanContentFactory,
    VersionContentFactory,
    plan_item,
)

pytestmark = pytest.mark.django_db


def rows(table: str) -> list[tuple[str, str, str]]:
    """Each row of a comparison as (change, old cell's HTML, new cell's HTML)."""
    return re.findall(
        r'<tr class="(\w+)">.*?<td class="old">(.*?)</td>.*?<td class="new">(.*?)</td></tr>',
        table,
    )


def yoga(*, title: str = "Legs up the wall", details=None, **content) -> VersionContent:
    """A yoga component's content, its example details updated with ``details``."""
    return VersionContentFactory(
        kind=Kind.YOGA,
        title=title,
        details={**EXAMPLE_DETAILS[Kind.YOGA], **(details or {})},
        **content,
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            Kind.DIET,
            [
                "Foods 1: bone broth",
                "Foods 2: gelatin",
                "Servings (e.g. '1 mug, 250 ml'): 1 mug (250 ml)",
                "Timing: Evening",
                "Key nutrients 1: glycine",
            ],
        ),
        (
            Kind.SUPPLEMENT,
            [
                "Dose \u203a Amount: 3",
                "Dose \u203a Unit: g",
                "Timing: Bedtime",
                "Form: Powder",
                "Maximum daily amount \u203a Amount: 3",
                "Maximum daily amount \u203a Unit: g",
                "Take with food: Either",
            ],
        ),
        (
            Kind.YOGA,
            [
                "Steps 1: Sit side-on to a wall",
                "Steps 2: Swing the legs up",
                "Steps 3: Rest the arms",
                "Duration (minutes): 10",
                "Level: Beginner",
                "Props 1: bolster",
            ],
        ),
        (
            Kind.PRANAYAMA,
            [
                "Breath pattern (seconds) \u203a Inhale: 4",
                "Breath pattern (seconds) \u203a Hold after inhale: 7",
                "Breath pattern (seconds) \u203a Exhale: 8",
                "Breath pattern (seconds) \u203a Hold after exhale: 0",
                "Rounds: 4",
                "Duration (minutes): 3",
                "Level: Beginner",
            ],
        ),
        (
            Kind.SLEEP_HYGIENE,
            [
                "Timing: Morning",
                "Clock time (HH:MM, optional): 07:00",
                "Steps 1: Get up at the same time every day",
            ],
        ),
    ],
)
def test_each_kinds_details_read_with_the_titles_of_its_schema(editor, kind, expected):
    version = builders.draft(editor, kind=kind, evidence_level="C")
    lines = content_lines(workflow.read_content(version))
    details = lines[lines.index("Evidence level: C: expert opinion") + 1 :][: len(expected)]
    assert details == expected
    assert not [line for line in lines if line.startswith("Details")]


def test_each_step_is_its_own_line_even_when_steps_hold_commas():
    content = yoga(
        details={"steps": ["Lie down, knees bent", "Breathe in, slowly, through the nose"]}
    )
    lines = content_lines(content)
    assert "Steps 1: Lie down, knees bent" in lines
    assert "Steps 2: Breathe in, slowly, through the nose" in lines


def test_choices_read_as_their_labels():
    ContraindicationFactory(slug="pregnancy", name="Pregnancy")
    supplement = VersionContentFactory(
        kind=Kind.SUPPLEMENT,
        evidence_level="A",
        details={**EXAMPLE_DETAILS[Kind.SUPPLEMENT], "with_food": "with_food"},
        contraindications=[
            {"contraindication": "pregnancy", "severity": "avoid", "note": "Not studied."},
            {"contraindication": "unlisted", "severity": "caution", "note": ""},
        ],
        interactions=[{"component": "iron", "severity": "separate", "note": "Take apart."}],
    )
    lines = content_lines(supplement)
    assert "Evidence level: A: high-quality RCT or meta-analysis" in lines
    assert "Take with food: With food" in lines
    assert "Contraindication Pregnancy (pregnancy): Avoid. Not studied." in lines
    assert "Contraindication unlisted: Caution" in lines
    assert "Interaction with iron: Separate. Take apart." in lines

    plan = PlanContentFactory(
        items=[plan_item("magnesium", "evening", 1, frequency="twice_weekly", note="At dinner")]
    )
    assert "Plan item 1: magnesium, Evening, weeks 1-4, Twice a week. At dinner" in (
        content_lines(plan)
    )


def test_a_field_the_schema_does_not_title_reads_as_its_humanised_key():
    lines = content_lines(yoga(details={"warm_up": "Roll the shoulders"}))
    assert "Warm up: Roll the shoulders" in lines


def test_a_changed_step_is_one_changed_row_with_the_changed_words_marked():
    old = yoga(details={"steps": ["Sit side-on to a wall", "Swing the legs up", "Rest the arms"]})
    new = yoga(
        details={"steps": ["Sit side-on to a wall", "Swing both legs up slowly", "Rest the arms"]}
    )
    changed = [row for row in rows(side_by_side(old, new, "Old", "New")) if row[0] != "equal"]
    assert changed == [
        (
            "changed",
            "Steps 2: Swing <del>the</del> legs up",
            "Steps 2: Swing <ins>both</ins> legs up <ins>slowly</ins>",
        )
    ]


def test_words_changed_next_to_each_other_are_marked_as_one_change():
    old = yoga(details={"steps": ["Rest the arms", "Sit quietly"]})
    new = yoga(details={"steps": ["Rest the arms", "Lie down"]})
    changed = [row for row in rows(side_by_side(old, new, "Old", "New")) if row[0] == "changed"]
    assert changed == [
        ("changed", "Steps 2: <del>Sit quietly</del>", "Steps 2: <ins>Lie down</ins>")
    ]


def test_added_and_removed_lines_are_marked():
    old = yoga(details={"props": ["bolster"]})
    new = yoga(details={"props": ["bolster", "blanket"]}, citations=())
    changes = [row for row in rows(side_by_side(old, new, "Old", "New")) if row[0] != "equal"]
    assert ("added", "", "Props 2: blanket") in changes
    assert (
        "removed",
        "Citation 1: Yamadera et al. 2007, Sleep and Biological Rhythms \u00b7 "
        "DOI 10.1111/j.1479-8425.2007.00262.x",
        "",
    ) in changes
    assert len(changes) == 2


def test_a_first_version_compares_as_all_lines_added():
    new = yoga()
    table = side_by_side(None, new, "Nothing (new item)", "Version 1")
    assert {change for change, _, _ in rows(table)} == {"added"}
    assert len(rows(table)) == len(content_lines(new))
    assert '<th colspan="2" scope="col">Nothing (new item)</th>' in table


def test_html_in_content_and_labels_is_escaped():
    old = yoga(title="Legs <b>up</b> the wall")
    new = yoga(title="Legs up the wall <script>alert(1)</script>", body="<img src=x>")
    table = side_by_side(old, new, "<i>Version 1</i>", "Version 2")
    assert (
        "<script>" not in table
        and "<img" not in table
        and "<i>" not in table
        and "<b>" not in table
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert "&lt;img src=x&gt;" in table
    assert "&lt;i&gt;Version 1&lt;/i&gt;" in table
    (title,) = [row for row in rows(table) if row[1].startswith("Title:")]
    assert title[0] == "changed" and "&lt;b&gt;" in title[1]


def test_a_comparison_looks_contraindication_names_up_once(django_assert_num_queries):
    ContraindicationFactory(slug="pregnancy", name="Pregnancy")
    link = {"contraindication": "pregnancy", "severity": "avoid", "note": "Not studied."}
    old = yoga(contraindications=[link])
    new = yoga(contraindications=[{**link, "note": "Ask."}])
    with django_assert_num_queries(1):
        table = side_by_side(old, new, "Old", "New")
    assert "Contraindication Pregnancy (pregnancy): Avoid. <del>Not studied</del>." in table
    with django_assert_num_queries(0):
        side_by_side(None, yoga(), "Nothing (new item)", "Version 1")
