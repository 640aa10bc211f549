"""What a version links to: goals, contraindications, interactions and citations.

Each part belongs to one version and shares its immutability: once the version is
submitted, its parts can be neither added, changed nor removed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from content.errors import FrozenVersionError
from content.kinds import Frequency, Slot

from .content import ContentItem, Version, VersionState
from .vocabulary import Contraindication, Goal


def _refuse_frozen(version_ids) -> None:
    frozen = Version.objects.filter(pk__in=set(version_ids)).exclude(state=VersionState.DRAFT)
    if frozen.exists():
        v = frozen.select_related("item").first()
        raise FrozenVersionError(
            f"Version {v.number} of '{v.item.slug}' was submitted and is frozen; "
            "make a new version to change what it links to."
        )


class VersionPartQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse_frozen(self.values_list("version_id", flat=True))
        return super().update(**kwargs)

    def delete(self):
        _refuse_frozen(self.values_list("version_id", flat=True))
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        _refuse_frozen(o.version_id for o in objs)
        return super().bulk_create(objs, *args, **kwargs)


class VersionPart(models.Model):
    """Base of everything that belongs to exactly one version and is frozen with it."""

    version: models.ForeignKey

    objects = VersionPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        _refuse_frozen([self.version_id])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_frozen([self.version_id])
        return super().delete(*args, **kwargs)


class VersionGoal(VersionPart):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "goal"], name="version_goal_unique")
        ]

    def __str__(self) -> str:
        return self.goal.slug


class LinkSeverity(models.TextChoices):
    AVOID = "avoid", "Avoid: never show it to a person who has this"
    CAUTION = "caution", "Caution: show it with the note as a warning"


class ContraindicationLink(VersionPart):
    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="contraindication_links"
    )
    contraindication = models.ForeignKey(
        Contraindication, on_delete=models.PROTECT, related_name="links"
    )
    severity = models.CharField(max_length=10, choices=LinkSeverity.choices)
    note = models.TextField(help_text="What the person should know, in plain words.")

    class Meta:
        ordering = ["contraindication__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "contraindication"], name="contraindication_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.severity} {self.contraindication.slug}"


class InteractionSeverity(models.TextChoices):
    AVOID = "avoid", "Avoid: never in one plan"
    SEPARATE = "separate", "Separate: never in the same time slot"


class Interaction(VersionPart):
    """This version interacts with another component (whichever of its versions is current)."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="interactions")
    other = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(max_length=10, choices=InteractionSeverity.choices)
    note = models.TextField()

    class Meta:
        ordering = ["other__slug"]
        constraints = [
            models.UniqueConstraint(fields=["version", "other"], name="interaction_unique")
        ]

    def __str__(self) -> str:
        return f"{self.severity} with {self.other.slug}"

    def clean(self) -> None:
        if self.version_id and self.other_id and self.version.item_id == self.other_id:
            raise ValidationError({"other": "A component cannot interact with itself."})


doi_validator = RegexValidator(r"^10\.\d{4,9}/\S+$", "A DOI looks like 10.1111/j.1479-8425.2007.")
pmid_validator = RegexValidator(r"^[1-9][0-9]{0,8}$", "A PMID is a number, e.g. 385809.")


class Citation(VersionPart):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="citations")
    title = models.CharField(max_length=500)
    doi = models.CharField(max_length=200, blank=True, validators=[doi_validator])
    pmid = models.CharField(max_length=12, blank=True, validators=[pmid_validator])
    url = models.URLField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not (self.doi or self.pmid or self.url):
            raise ValidationError(
                "Give the citation a DOI, a PMID or a URL so readers can find it."
            )


class PlanItem(VersionPart):
    """One scheduled component of a plan version: when in the day, which weeks, how often."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="plan_items")
    component = models.ForeignKey(ContentItem, on_delete=models.PROTECT, related_name="+")
    slot = models.CharField(max_length=10, choices=Slot.choices)
    week_from = models.PositiveSmallIntegerField()
    week_to = models.PositiveSmallIntegerField()
    frequency = models.CharField(max_length=15, choices=Frequency.choices)
    order = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="plan_item_order_unique"),
            models.CheckConstraint(
                condition=models.Q(week_from__gte=1) & models.Q(week_to__gte=models.F("week_from")),
                name="plan_item_weeks_ordered",
            ),
        ]

    def __str__(self) -> str:
        weeks = f"weeks {self.week_from}-{self.week_to}"
        return f"{self.order}. {self.component.slug} ({self.slot}, {weeks})"
