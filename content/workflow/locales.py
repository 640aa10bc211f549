"""Locales and the vocabularies' translations: who may change them, and what apps are served
after (through the read model's one entry, ``projection``).

Reviewers add locales and choose their fallbacks (no chain may loop). Translators write a
vocabulary entry's name and description in a locale; a reviewer who did not write it
approves it, and only then is it served. Changing an approved translation takes it back to
unapproved: the fallback's name is served until it is approved again.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model
from django.utils import timezone

from content.delivery.projection import add_locale_documents, refresh_and_announce
from content.errors import ContentInvalid, InvalidTransition, PermissionRefused
from content.models import (
    Contraindication,
    ContraindicationTranslation,
    Goal,
    GoalTranslation,
    Locale,
    PublishedDocument,
    canonical_locale,
)
from content.models.locales import LOCALE_PATTERN

from . import policy
from .state import atomic_action
from .validation import plain_text

ADD_LOCALES = "content.add_locale"
CHANGE_LOCALES = "content.change_locale"


def _fallback(code: str | None, *, of: str | None = None) -> Locale | None:
    """The locale ``code`` names as a fallback (None: the default), refusing a loop."""
    if not code:
        return None
    found = Locale.objects.filter(code=canonical_locale(code) or code).first()
    if found is None:
        raise ContentInvalid(
            f"There is no locale '{code}' to fall back to.", {"fallback": [f"unknown '{code}'"]}
        )
    seen, step = {of}, found
    while step is not None:
        if step.code in seen:
            message = f"Falling back to '{found.code}' would loop back to '{of}'."
            raise ContentInvalid(message, {"fallback": [message]})
        seen.add(step.code)
        step = step.fallback
    return found


@atomic_action
def add_locale(
    *, user: AbstractBaseUser, code: str, name: str, fallback: str | None = None
) -> Locale:
    """Add the locale ``code``: every published item is served in it at once, falling back
    (to ``fallback``, else the default) until it is translated."""
    policy.require(user, ADD_LOCALES, "add locales")
    canonical = canonical_locale(code.strip()) or code
    if not LOCALE_PATTERN.fullmatch(canonical):
        message = f"'{code}' is not a BCP 47 language tag such as 'es' or 'pt-BR'."
        raise ContentInvalid(message, {"code": [message]})
    if Locale.objects.filter(code=canonical).exists():
        message = f"There is already a locale '{canonical}'."
        raise ContentInvalid(message, {"code": [message]})
    name = plain_text(name, "name")
    if not name:
        raise ContentInvalid("Give the language's name.", {"name": ["required"]})
    locale = Locale.objects.create(
        code=canonical, name=name, fallback=_fallback(fallback, of=canonical)
    )
    add_locale_documents(locale.code)
    return locale


@atomic_action
def change_locale(
    *, user: AbstractBaseUser, code: str, name: str, fallback: str | None = None
) -> Locale:
    """Rename the locale ``code`` or change what it falls back to; every published item is
    served in it (and the locales falling back to it) as the new chain says."""
    policy.require(user, CHANGE_LOCALES, "change locales")
    locale = Locale.objects.select_for_update().get(code=code)
    name = plain_text(name, "name")
    if not name:
        raise ContentInvalid("Give the language's name.", {"name": ["required"]})
    chosen = _fallback(fallback, of=locale.code)
    if locale.is_default and chosen is not None:
        raise InvalidTransition("The default locale falls back to nothing.")
    locale.name, locale.fallback = name, chosen
    locale.save(update_fields=["name", "fallback"])
    refresh_and_announce(
        PublishedDocument.objects.filter(live=True).values_list("item_id", flat=True).distinct()
    )
    return locale


def _translations_of(entry: Model):
    if isinstance(entry, Contraindication):
        return ContraindicationTranslation.objects.filter(contraindication=entry)
    if isinstance(entry, Goal):
        return GoalTranslation.objects.filter(goal=entry)
    raise TypeError(f"{entry!r} is not a vocabulary entry")


def _refresh_documents_naming(entry: Model) -> None:
    """Documents name contraindications (not goals): render those naming ``entry`` again."""
    if isinstance(entry, Contraindication):
        refresh_and_announce(
            PublishedDocument.objects.filter(
                live=True, version__contraindication_links__contraindication=entry
            )
            .values_list("item_id", flat=True)
            .distinct()
        )


@atomic_action
def translate_vocabulary(
    *, user: AbstractBaseUser, entry: Model, locale: str, name: str, description: str = ""
):
    """Write ``entry``'s name and description in ``locale``; it waits for a reviewer's
    approval before it is served (a change to an approved one too)."""
    policy.require(user, policy.TRANSLATE, "translate the vocabularies")
    found = Locale.objects.filter(code=locale, is_default=False).first()
    if found is None:
        raise InvalidTransition(f"There is no locale '{locale}' to translate into.")
    name, description = plain_text(name, "name"), plain_text(description, "description")
    if not name or len(name) > 200:
        raise ContentInvalid("Give the name, up to 200 characters.", {"name": ["required"]})
    existing = _translations_of(entry).select_for_update().filter(locale=found).first()
    if existing is not None and (existing.name, existing.description) == (name, description):
        return existing
    was_served = existing is not None and existing.approved
    if existing is None:
        model = (
            ContraindicationTranslation if isinstance(entry, Contraindication) else GoalTranslation
        )
        key = "contraindication" if isinstance(entry, Contraindication) else "goal"
        existing = model(locale=found, **{key: entry})
    existing.name, existing.description, existing.written_by = name, description, user
    existing.approved_by, existing.approved_at = None, None
    existing.save()
    if was_served:
        _refresh_documents_naming(entry)
    return existing


def check_approve_vocabulary_translation(*, user: AbstractBaseUser, translation) -> None:
    """Reviewers approve a vocabulary translation they did not write, once."""
    policy.require(user, policy.REVIEW, "approve translations")
    if translation.written_by_id == user.pk:
        raise PermissionRefused("You wrote this translation, so someone else must approve it.")
    if translation.approved:
        raise InvalidTransition("This translation is approved already.")


@atomic_action
def approve_vocabulary_translation(*, user: AbstractBaseUser, translation):
    """Approve ``translation`` as it says now: from then on it is served."""
    translation = type(translation).objects.select_for_update().get(pk=translation.pk)
    check_approve_vocabulary_translation(user=user, translation=translation)
    translation.approved_by, translation.approved_at = user, timezone.now()
    translation.save(update_fields=["approved_by", "approved_at"])
    entry = getattr(translation, "contraindication", None) or translation.goal
    _refresh_documents_naming(entry)
    return translation
