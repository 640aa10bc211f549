"""Each kind's structured details are validated with messages that name the field."""

import copy

import pytest
from django.core.exceptions import ValidationError

from content.kinds import DETAILS_SCHEMAS, Kind, validate_details
from tests.factories import DETAILS_BY_KIND


def details_errors(kind, details):
    with pytest.raises(ValidationError) as caught:
        validate_details(kind, details)
    return caught.value.message_dict["details"]


@pytest.mark.parametrize("kind", Kind.values)
def test_the_example_details_of_every_kind_are_valid(kind):
    validate_details(kind, DETAILS_BY_KIND[kind])


def test_every_kind_has_a_schema():
    assert set(DETAILS_SCHEMAS) == set(Kind.values)


def test_supplement_without_a_dose_is_refused_naming_the_dose():
    details = copy.deepcopy(DETAILS_BY_KIND[Kind.SUPPLEMENT])
    del details["dose"]
    assert details_errors(Kind.SUPPLEMENT, details) == ["details.dose: this field is required."]


def test_dose_unit_outside_the_allowed_list_is_refused_naming_the_unit():
    details = copy.deepcopy(DETAILS_BY_KIND[Kind.SUPPLEMENT])
    details["dose"]["unit"] = "kg"
    assert details_errors(Kind.SUPPLEMENT, details) == [
        "details.dose.unit: 'kg' is not allowed; choose one of mg, g, mcg, IU, ml."
    ]


def test_pranayama_with_negative_seconds_is_refused_naming_the_phase():
    details = copy.deepcopy(DETAILS_BY_KIND[Kind.PRANAYAMA])
    details["breath_pattern"]["hold_out"] = -2
    assert details_errors(Kind.PRANAYAMA, details) == [
        "details.breath_pattern.hold_out: -2 is less than the minimum of 0."
    ]


def test_unknown_key_is_refused_naming_it():
    details = copy.deepcopy(DETAILS_BY_KIND[Kind.YOGA])
    details["colour"] = "blue"
    (message,) = details_errors(Kind.YOGA, details)
    assert message.startswith("details: unknown field")
    assert "'colour' was unexpected" in message


def test_several_problems_are_all_reported():
    details = copy.deepcopy(DETAILS_BY_KIND[Kind.SUPPLEMENT])
    details["dose"]["amount"] = 0
    details["form"] = "injection"
    messages = details_errors(Kind.SUPPLEMENT, details)
    assert "details.dose.amount: 0 is less than or equal to the minimum of 0." in messages
    assert any(m.startswith("details.form: 'injection' is not allowed") for m in messages)


def test_details_that_are_not_an_object_are_refused():
    assert details_errors(Kind.DIET, ["bone broth"]) == [
        "details: ['bone broth'] is not of type 'object'."
    ]


def test_sleep_hygiene_clock_time_must_be_hh_mm():
    details = copy.deepcopy(DETAILS_BY_KIND[Kind.SLEEP_HYGIENE])
    details["time_of_day"] = "7am"
    (message,) = details_errors(Kind.SLEEP_HYGIENE, details)
    assert message.startswith("details.time_of_day: '7am' does not match")


def test_unknown_kind_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_details("tai_chi", {})
    assert "Unknown kind 'tai_chi'" in caught.value.message_dict["kind"][0]
