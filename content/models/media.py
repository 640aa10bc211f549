"""Pictures: uploaded assets, their renditions, and the media a version shows.

An ``Asset`` is one uploaded image, cleaned on upload (metadata stripped, turned upright)
and stored through Django's storage API; it is named by the SHA-256 of what was uploaded.
Its focal point and crop ratio decide how its renditions are cut: together they are its
``crop``, and a version's content hash covers them, so that a reviewer approves how a
picture is shown. ``Rendition`` rows are the files the job queue made of an asset for one
crop (every configured width in every format); the API only ever reads these rows, never
the storage. A ``MediaLink`` is a version's use of an asset, with its role and alt text,
frozen with the version like its other parts.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .content import Version
from .parts import VersionPart


class MediaRole(models.TextChoices):
    HERO = "hero", "Hero: the item's main picture, shown at the top"
    STEP = "step", "Step: shows one numbered step (a pose, a breath)"
    ILLUSTRATION = "illustration", "Illustration: supports the text"


class CropRatio(models.TextChoices):
    ORIGINAL = "", "The original's shape"
    SQUARE = "1:1", "1:1 (square)"
    FOUR_THREE = "4:3", "4:3"
    THREE_TWO = "3:2", "3:2"
    SIXTEEN_NINE = "16:9", "16:9 (wide)"
    THREE_FOUR = "3:4", "3:4 (portrait)"


class RenditionFormat(models.TextChoices):
    AVIF = "avif", "AVIF"
    WEBP = "webp", "WebP"
    JPEG = "jpeg", "JPEG"


_fraction = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Asset(models.Model):
    """An uploaded picture: the cleaned file, what it shows, who may be credited, and how it
    is cut (focal point and ratio)."""

    title = models.CharField(max_length=200, help_text="What the picture shows (for editors).")
    file = models.FileField(upload_to="originals/", max_length=200)
    original_name = models.CharField(max_length=255, blank=True)
    #: From the decoded image, never from the upload's name or headers.
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    #: SHA-256 of the uploaded file: the same file is in the library once.
    sha256 = models.CharField(max_length=64, unique=True)
    credit = models.CharField(max_length=300, help_text="Who made it, as they ask to be credited.")
    licence = models.CharField(
        max_length=200, help_text="e.g. CC0 1.0, CC BY 4.0, or 'own work, all rights reserved'."
    )
    #: Where the subject is, as fractions of the width and height from the top left; crops
    #: keep it in view. Unset: the centre.
    focal_x = models.FloatField(null=True, blank=True, validators=_fraction)
    focal_y = models.FloatField(null=True, blank=True, validators=_fraction)
    ratio = models.CharField(
        max_length=5,
        choices=CropRatio.choices,
        blank=True,
        help_text="Crop every rendition to this shape, around the focal point.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "picture"

    def __str__(self) -> str:
        return self.title

    @property
    def focal_point(self) -> dict[str, float] | None:
        if self.focal_x is None or self.focal_y is None:
            return None
        return {"x": self.focal_x, "y": self.focal_y}

    @property
    def crop(self) -> str:
        """How the renditions are cut now: '' (the whole picture) or
        '<ratio>@<x>,<y>' (a ratio around the focal point, or the centre)."""
        return crop_key(self.ratio, self.focal_x, self.focal_y)


def crop_key(ratio: str, focal_x: float | None, focal_y: float | None) -> str:
    """The key of a crop: '' when no ratio is set (the focal point then changes no pixel)."""
    if not ratio:
        return ""
    x = 0.5 if focal_x is None else focal_x
    y = 0.5 if focal_y is None else focal_y
    return f"{ratio}@{x:.4f},{y:.4f}"


class Rendition(models.Model):
    """One file made from an asset for one crop, width and format. Its name carries the
    SHA-256 of its bytes, so its URL can be cached for ever."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="renditions")
    crop = models.CharField(max_length=40, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=RenditionFormat.choices)
    file = models.FileField(max_length=200)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asset", "crop", "width", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "crop", "width", "format"], name="rendition_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.crop or 'whole'} {self.width}w {self.format}"


class MediaLink(VersionPart):
    """A picture a version shows: which asset, in which role (a step's number), and its alt
    text (required unless the picture is decorative)."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="media_links")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="links")
    role = models.CharField(max_length=15, choices=MediaRole.choices)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    alt = models.TextField(blank=True)
    decorative = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="media_link_order_unique")
        ]

    def __str__(self) -> str:
        step = f" {self.step}" if self.step else ""
        return f"{self.role}{step}: {self.asset}"
