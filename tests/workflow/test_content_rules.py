"""What content must say before it is saved: each rule's refusal, with the message and the
errors field by field the editor sees; a refused draft writes nothing."""

from dataclasses import replace

import pytest

from content import workflow
from content.errors import ContentInvalid
from content.kinds import Kind
from content.workflow import CitationSpec, InteractionSpec, LinkSpec
from tests import builders
from tests.factories import ContraindicationFactory, VersionContentFactory
from tests.workflow.refusals import Refusal, assert_refused, invalid, nothing

pytestmark = pytest.mark.django_db

ITSELF = (InteractionSpec("l-tyrosine", "separate", "Itself."),)

CONTENT_RULES = {
    "a_supplement_without_a_dose_is_refused": invalid(
        kind=Kind.SUPPLEMENT,
        details={"timing": "bedtime", "form": "powder", "max_daily": {"amount": 3, "unit": "g"},
                 "with_food": "either"},
        message="The content is not valid: details.dose: this field is required.",
        errors={"details": ["details.dose: this field is required."]}),
    "unknown_contraindication_is_refused": invalid(
        contraindications=(LinkSpec("pregancy", "avoid", "Not in pregnancy."),),
        errors={"contraindications": [
            "contraindications[pregancy]: unknown contraindication; add it to the vocabulary "
            "first."]}),
    "a_link_needs_a_known_severity_and_a_note": invalid(
        given=lambda p: ContraindicationFactory(slug="pregnancy"),
        contraindications=(LinkSpec("pregnancy", "never", ""),),
        errors={"contraindications": [
            "contraindications[pregnancy].severity: 'never' is not allowed; "
            "choose avoid or caution.",
            "contraindications[pregnancy].note: tell the person what to do.",
        ]}),
    "unknown_goal_is_refused": invalid(
        goals=("slep",), errors={"goals": ["goals: unknown goal 'slep'."]}),
    "interaction_with_an_unknown_component_is_refused": invalid(
        interactions=(InteractionSpec("l-tyrosin", "separate", "Same transporter."),),
        errors={"interactions": ["interactions[l-tyrosin]: no component has this slug."]}),
    "a_component_cannot_interact_with_itself": Refusal(
        lambda p: builders.draft(p.editor, slug="l-tyrosine"),
        lambda v, p: workflow.edit_draft(
            version=v, user=p.editor, expected_edit_count=0,
            content=replace(workflow.read_content(v), interactions=ITSELF)),
        ContentInvalid,
        errors={"interactions": ["interactions[l-tyrosine]: not with itself."]}),
    "a_citation_needs_a_way_to_find_it": invalid(
        citations=(CitationSpec(title="Some paper"),),
        errors={"citations": [
            "citations[0]: give a DOI, a PMID or a URL so readers can find the source."]}),
    "malformed_citation_identifiers_are_refused": invalid(
        citations=(CitationSpec(title="A", doi="doi:10.1/x", pmid="PMID385809", url="ftp://x"),),
        errors={"citations": [
            "citations[0].doi: 'doi:10.1/x' is not a DOI (10.xxxx/...).",
            "citations[0].pmid: 'PMID385809' is not a PMID (digits only).",
            "citations[0].url: 'ftp://x' is not an http(s) URL.",
        ]}),
    "evidence_level_must_be_a_to_d": invalid(
        evidence_level="E",
        errors={"evidence_level": [
            "evidence_level: 'E' is not allowed; choose one of A, B, C, D."]}),
    "a_change_note_is_required": invalid(
        change_note=" ", errors={"change_note": ["change_note: this field is required."]}),
    "a_taken_slug_is_refused": invalid(
        given=lambda p: builders.draft(p.editor, slug="glycine-bedtime"), slug="glycine-bedtime",
        message="The slug 'glycine-bedtime' is already taken; choose another."),
    "a_malformed_slug_is_refused": invalid(
        slug="Glycine Bedtime", message="'Glycine Bedtime' is not a valid slug: use up to 100 "
        "lower-case letters, digits and single hyphens."),
    "a_slug_longer_than_100_characters_is_refused": invalid(
        slug="a" * 101, message="…is not a valid slug: use up to 100…"),
    "a_slug_ending_in_a_line_break_is_refused": invalid(
        slug="glycine-bedtime\n", message="…is not a valid slug…"),
    # PostgreSQL stores no NUL in text or JSON: refused before anything is looked up by it.
    "a_nul_in_any_text_is_refused_with_where_it_is": invalid(
        slug="glycine", title="Glycine\x00", goals=("sle\x00p",),
        details={"pose_type": "restorative", "duration_minutes": 10, "steps": ["Lie\x00 down."]},
        citations=(CitationSpec(title="A", url="https://example.org/\x00"),),
        message="The content is not valid: title: contains a NUL character (\\x00), which "
        "cannot be stored; remove it. (and 3 more)",
        errors={
            "title": ["title: contains a NUL character (\\x00), which cannot be stored; "
                      "remove it."],
            "details": ["details.steps[0]: contains a NUL character (\\x00), which cannot be "
                        "stored; remove it."],
            "goals": ["goals[0]: contains a NUL character (\\x00), which cannot be stored; "
                      "remove it."],
            "citations": ["citations[0].url: contains a NUL character (\\x00), which cannot "
                          "be stored; remove it."],
        }),
    "a_nul_in_a_plan_is_refused": Refusal(
        nothing,
        lambda _, p: builders.draft_plan(p.editor, slug="nul-plan", summary="Sleep\x00"),
        ContentInvalid, errors={"summary": [
            "summary: contains a NUL character (\\x00), which cannot be stored; remove it."]}),
    "an_unknown_kind_is_refused": Refusal(
        nothing,
        lambda _, p: workflow.create_component(
            user=p.editor, kind="tai_chi", slug="tai-chi", content=VersionContentFactory()),
        ContentInvalid, "Unknown kind 'tai_chi'; choose one of diet, supplement, yoga, pranayama, "
        "sleep_hygiene."),
}  # fmt: skip


@pytest.mark.parametrize("case", CONTENT_RULES.values(), ids=CONTENT_RULES.keys())
def test_content_that_breaks_a_rule_is_refused_and_nothing_written(case, people):
    assert_refused(case, people)
