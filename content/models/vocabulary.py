"""Controlled vocabularies: contraindications (the safety core) and goals.

The API serves their names and slugs, so any change to these tables, however it is made
(admin, queryset update or delete, shell, SQL), bumps the delivery generation in the same
transaction: a database trigger (migration 0010), not code in ``save()``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z",
    "Use lower-case letters, digits and single hyphens, e.g. 'kidney-disease'.",
)


class ContraindicationCategory(models.TextChoices):
    CONDITION = "condition", "Condition"
    MEDICATION = "medication", "Medication"
    LIFE_STAGE = "life-stage", "Life stage"
    PROCEDURE = "procedure", "Procedure"


KNOWN_CODE_SYSTEMS = {
    "http://snomed.info/sct": "SNOMED CT",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
    "http://www.whocc.no/atc": "ATC",
}


def validate_codes(value: object) -> None:
    """Codes are a list of ``{"system": <URI>, "code": <text>}`` with a known system."""
    if not isinstance(value, list):
        raise ValidationError("Codes must be a list of {system, code} pairs.")
    for i, entry in enumerate(value):
        if not isinstance(entry, dict) or set(entry) != {"system", "code"}:
            raise ValidationError(f"codes[{i}]: give exactly 'system' and 'code'.")
        if entry["system"] not in KNOWN_CODE_SYSTEMS:
            known = ", ".join(KNOWN_CODE_SYSTEMS)
            raise ValidationError(
                f"codes[{i}].system: unknown system {entry['system']!r}; use one of {known}."
            )
        if not isinstance(entry["code"], str) or not entry["code"].strip():
            raise ValidationError(f"codes[{i}].code: give the code as non-empty text.")


class Contraindication(models.Model):
    """Something about a person that makes some content unsafe or worth a warning."""

    slug = models.SlugField(max_length=64, unique=True, validators=[slug_validator])
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=ContraindicationCategory.choices)
    description = models.TextField(blank=True)
    codes = models.JSONField(default=list, blank=True, validators=[validate_codes])

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class ContraindicationAlias(models.Model):
    """A former slug of a contraindication, still understood so that renaming never fails open."""

    slug = models.SlugField(max_length=64, unique=True, validators=[slug_validator])
    contraindication = models.ForeignKey(
        Contraindication, on_delete=models.CASCADE, related_name="aliases"
    )

    class Meta:
        verbose_name_plural = "contraindication aliases"

    def __str__(self) -> str:
        return f"{self.slug} -> {self.contraindication.slug}"

    def clean(self) -> None:
        if Contraindication.objects.filter(slug=self.slug).exists():
            raise ValidationError({"slug": f"'{self.slug}' is already a contraindication's slug."})


class Goal(models.Model):
    """What a component or plan is for: sleep, anxiety, stress, ..."""

    slug = models.SlugField(max_length=64, unique=True, validators=[slug_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name
