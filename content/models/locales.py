"""Locales and the translations of the vocabularies.

A locale is a BCP 47 language tag (``en``, ``es``, ``pt-BR``) with the locale it falls back
to; following ``fallback`` from any locale ends at the default locale, the language every
item is written in. Structured safety data is never translated: only prose is, in
translation versions (``Version.translates``) and, for the vocabularies' names and
descriptions, in the two tables here, each served once a reviewer who did not write it
approved it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

#: A BCP 47 tag as this service accepts it: a language of 2 or 3 letters, an optional script
#: of 4 letters and an optional region of 2 letters or 3 digits ("en", "pt-BR", "zh-Hant-TW").
LOCALE_PATTERN = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?")
_PARTS = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?")


def canonical_locale(tag: str) -> str | None:
    """``tag`` in its canonical case ("PT-br" -> "pt-BR"), or None if it is not one of the
    tags this service accepts."""
    if not _PARTS.fullmatch(tag):
        return None
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(out)


def validate_locale_code(value: str) -> None:
    if not LOCALE_PATTERN.fullmatch(value or ""):
        raise ValidationError(
            f"'{value}' is not a language tag this service accepts: give a BCP 47 tag such "
            "as 'es', 'pt-BR' or 'zh-Hant-TW' (language in lower case, region in upper case)."
        )


class Locale(models.Model):
    """A language content is served in, and the locale served when an item has no current
    translation in it."""

    code = models.CharField(
        max_length=20, unique=True, validators=[validate_locale_code], help_text="BCP 47 tag."
    )
    name = models.CharField(max_length=100, help_text="The language's name, e.g. 'Español'.")
    fallback = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Served where this locale has no current translation. Empty: the default.",
    )
    is_default = models.BooleanField(
        default=False, editable=False, help_text="The language content is written in."
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_locale",
            ),
            models.CheckConstraint(
                condition=models.Q(is_default=False) | models.Q(fallback=None),
                name="default_locale_has_no_fallback",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


DEFAULT_LOCALE = ("en", "English")


def ensure_default_locale(*, apps=None, using: str = "default", **_kwargs) -> None:
    """The default locale (English), if there is none: after every migrate, and after a
    test database is flushed (a ``post_migrate`` receiver, like ``ensure_delivery_state``)."""
    if apps is None:
        from django.apps import apps
    try:
        model = apps.get_model("content", "Locale")
    except LookupError:  # migrated back to before the table existed
        return
    locales = model.objects.using(using)
    if not locales.filter(is_default=True).exists():
        code, name = DEFAULT_LOCALE
        locales.update_or_create(code=code, defaults={"name": name, "is_default": True})


class VocabularyTranslation(models.Model):
    """A vocabulary entry's name and description in one locale: served once a reviewer who
    did not write it approved what it says now."""

    locale = models.ForeignKey(Locale, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} ({self.locale_id})"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class ContraindicationTranslation(VocabularyTranslation):
    contraindication = models.ForeignKey(
        "content.Contraindication", on_delete=models.CASCADE, related_name="translations"
    )

    class Meta:
        ordering = ["contraindication__slug", "locale__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["contraindication", "locale"], name="one_contraindication_translation"
            ),
        ]


class GoalTranslation(VocabularyTranslation):
    goal = models.ForeignKey("content.Goal", on_delete=models.CASCADE, related_name="translations")

    class Meta:
        ordering = ["goal__slug", "locale__code"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "locale"], name="one_goal_translation"),
        ]
