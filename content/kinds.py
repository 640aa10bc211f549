"""The five kinds of plan component and the shape of each kind's structured details.

Each kind's details are described once, here, as a JSON Schema (the subset that is also
valid OpenAPI 3 and that django-jsonform renders as a form). Validation, the admin form,
the OpenAPI document and the demo loader all read these definitions.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from jsonschema import Draft202012Validator


class Kind(models.TextChoices):
    DIET = "diet", "Diet"
    SUPPLEMENT = "supplement", "Supplement"
    YOGA = "yoga", "Yoga"
    PRANAYAMA = "pranayama", "Pranayama"
    SLEEP_HYGIENE = "sleep_hygiene", "Sleep hygiene"


#: The kind of a plan's identity. Plans share the workflow with components but are not one
#: of the component kinds.
PLAN = "plan"
ITEM_KINDS = [*Kind.choices, (PLAN, "Plan")]


class Frequency(models.TextChoices):
    """How often a plan item is done within its weeks."""

    DAILY = "daily", "Daily"
    WEEKDAYS = "weekdays", "Weekdays"
    WEEKLY = "weekly", "Weekly"
    TWICE_WEEKLY = "twice_weekly", "Twice a week"
    AS_NEEDED = "as_needed", "As needed"


class Slot(models.TextChoices):
    """A time of day, used by component timing and by plan items."""

    MORNING = "morning", "Morning"
    MIDDAY = "midday", "Midday"
    EVENING = "evening", "Evening"
    BEDTIME = "bedtime", "Bedtime"
    ANYTIME = "anytime", "Any time"


SLOTS = [value for value, _ in Slot.choices]
LEVELS = ["beginner", "intermediate", "advanced"]
DOSE_UNITS = ["mg", "g", "mcg", "IU", "ml"]
SUPPLEMENT_FORMS = ["capsule", "tablet", "powder", "liquid", "softgel", "gummy"]
WITH_FOOD = ["with_food", "without_food", "either"]


#: The keyword that marks a details field as prose: translations translate it; every other
#: field (numbers, enumerations, clock times) is structured data, the same in every locale.
TRANSLATABLE = "x-translatable"


def _text(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "string",
        "title": title,
        "minLength": 1,
        "maxLength": 500,
        TRANSLATABLE: True,
        **extra,
    }


def _text_list(title: str, *, min_items: int = 0, multiline: bool = False) -> dict[str, Any]:
    """A list of texts of up to 500 characters each. ``multiline``: the admin form shows each
    as a box of several lines (django-jsonform's ``widget`` keyword, which validation ignores)
    instead of one line, for sentences such as steps."""
    item: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 500}
    if multiline:
        item["widget"] = "textarea"
    return {
        "type": "array",
        "title": title,
        "items": item,
        "minItems": min_items,
        "maxItems": 50,
        TRANSLATABLE: True,
    }


def _amount(title: str) -> dict[str, Any]:
    return {
        "type": "object",
        "title": title,
        "properties": {
            "amount": {"type": "number", "title": "Amount", "exclusiveMinimum": 0},
            "unit": {"type": "string", "title": "Unit", "enum": DOSE_UNITS},
        },
        "required": ["amount", "unit"],
        "additionalProperties": False,
    }


def _seconds(title: str, minimum: int) -> dict[str, Any]:
    return {"type": "integer", "title": title, "minimum": minimum, "maximum": 120}


def _object(title: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "title": title,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


DETAILS_SCHEMAS: dict[str, dict[str, Any]] = {
    Kind.DIET: _object(
        "Diet details",
        {
            "foods": _text_list("Foods", min_items=1),
            "servings": _text("Servings (e.g. '1 mug, 250 ml')"),
            "timing": {"type": "string", "title": "Timing", "enum": SLOTS},
            "key_nutrients": _text_list("Key nutrients", min_items=1),
        },
        ["foods", "servings", "timing", "key_nutrients"],
    ),
    Kind.SUPPLEMENT: _object(
        "Supplement details",
        {
            "dose": _amount("Dose"),
            "timing": {"type": "string", "title": "Timing", "enum": SLOTS},
            "form": {"type": "string", "title": "Form", "enum": SUPPLEMENT_FORMS},
            "max_daily": _amount("Maximum daily amount"),
            "with_food": {"type": "string", "title": "Take with food", "enum": WITH_FOOD},
        },
        ["dose", "timing", "form", "max_daily", "with_food"],
    ),
    Kind.YOGA: _object(
        "Yoga details",
        {
            "steps": _text_list("Steps", min_items=1, multiline=True),
            "duration_minutes": {
                "type": "number",
                "title": "Duration (minutes)",
                "exclusiveMinimum": 0,
                "maximum": 180,
            },
            "level": {"type": "string", "title": "Level", "enum": LEVELS},
            "props": _text_list("Props"),
        },
        ["steps", "duration_minutes", "level", "props"],
    ),
    Kind.PRANAYAMA: _object(
        "Pranayama details",
        {
            "breath_pattern": _object(
                "Breath pattern (seconds)",
                {
                    "inhale": _seconds("Inhale", 1),
                    "hold_in": _seconds("Hold after inhale", 0),
                    "exhale": _seconds("Exhale", 1),
                    "hold_out": _seconds("Hold after exhale", 0),
                },
                ["inhale", "hold_in", "exhale", "hold_out"],
            ),
            "rounds": {"type": "integer", "title": "Rounds", "minimum": 1, "maximum": 500},
            "duration_minutes": {
                "type": "number",
                "title": "Duration (minutes)",
                "exclusiveMinimum": 0,
                "maximum": 120,
            },
            "level": {"type": "string", "title": "Level", "enum": LEVELS},
        },
        ["breath_pattern", "rounds", "duration_minutes", "level"],
    ),
    Kind.SLEEP_HYGIENE: _object(
        "Sleep hygiene details",
        {
            "timing": {"type": "string", "title": "Timing", "enum": SLOTS},
            "time_of_day": {
                "type": "string",
                "title": "Clock time (HH:MM, optional)",
                "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            },
            "steps": _text_list("Steps", min_items=1, multiline=True),
        },
        ["timing", "steps"],
    ),
}

#: One valid example of each kind's details: for tests, the benchmark and documentation.
EXAMPLE_DETAILS: dict[str, dict[str, Any]] = {
    Kind.DIET: {
        "foods": ["bone broth", "gelatin"],
        "servings": "1 mug (250 ml)",
        "timing": "evening",
        "key_nutrients": ["glycine"],
    },
    Kind.SUPPLEMENT: {
        "dose": {"amount": 3, "unit": "g"},
        "timing": "bedtime",
        "form": "powder",
        "max_daily": {"amount": 3, "unit": "g"},
        "with_food": "either",
    },
    Kind.YOGA: {
        "steps": ["Sit side-on to a wall", "Swing the legs up", "Rest the arms"],
        "duration_minutes": 10,
        "level": "beginner",
        "props": ["bolster"],
    },
    Kind.PRANAYAMA: {
        "breath_pattern": {"inhale": 4, "hold_in": 7, "exhale": 8, "hold_out": 0},
        "rounds": 4,
        "duration_minutes": 3,
        "level": "beginner",
    },
    Kind.SLEEP_HYGIENE: {
        "timing": "morning",
        "time_of_day": "07:00",
        "steps": ["Get up at the same time every day"],
    },
}


def translatable_fields(kind: str) -> list[str]:
    """The details fields of ``kind`` that are prose (texts or lists of texts), in schema
    order: what a translation of a ``kind`` item translates. All are top-level fields."""
    properties = DETAILS_SCHEMAS.get(kind, {}).get("properties", {})
    return [name for name, schema in properties.items() if schema.get(TRANSLATABLE)]


_VALIDATORS = {kind: Draft202012Validator(schema) for kind, schema in DETAILS_SCHEMAS.items()}


def details_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema of the details of ``kind``."""
    try:
        return DETAILS_SCHEMAS[kind]
    except KeyError:
        raise ValidationError(
            {"kind": f"Unknown kind '{kind}'; choose one of {', '.join(Kind.values)}."}
        ) from None


def _describe(error) -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    where = f"details.{path}" if path else "details"
    if error.validator == "required":
        missing = error.message.split("'")[1]
        where = f"{where}.{missing}"
        return f"{where}: this field is required."
    if error.validator == "additionalProperties":
        return f"{where}: {error.message.replace('Additional properties', 'unknown field')}."
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"{where}: {error.instance!r} is not allowed; choose one of {allowed}."
    return f"{where}: {error.message}."


def validate_details(kind: str, details: Any) -> None:
    """Raise ``ValidationError`` naming each offending field if ``details`` do not fit ``kind``."""
    schema_validator = _VALIDATORS.get(kind)
    if schema_validator is None:
        details_schema(kind)  # raises the unknown-kind error
    errors = sorted(schema_validator.iter_errors(details), key=lambda e: list(e.absolute_path))
    if errors:
        raise ValidationError({"details": [_describe(e) for e in errors]})


#: Keywords only the admin's form (django-jsonform) reads; the OpenAPI document leaves them out.
FORM_KEYWORDS = {"widget"}


def without_form_keywords(schema: Any) -> Any:
    """``schema`` without the form's own keywords (property names are kept, whatever they are)."""
    if isinstance(schema, list):
        return [without_form_keywords(value) for value in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: (
            {name: without_form_keywords(sub) for name, sub in value.items()}
            if key == "properties"
            else without_form_keywords(value)
        )
        for key, value in schema.items()
        if key not in FORM_KEYWORDS
    }
