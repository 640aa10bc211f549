"""Starting a translation: the one action translators begin with, whatever came before."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from content.models import ContentItem, Version

from .drafts import edit_draft, revise
from .snapshot import TranslationContent
from .state import atomic_action
from .translations import (
    check_translate,
    first_translation,
    latest_translation,
    translation_item,
    translation_locale,
)


@atomic_action
def start_translation(
    *,
    item: ContentItem,
    locale: str,
    user: AbstractBaseUser,
    content: TranslationContent | None = None,
) -> Version:
    """A new draft translating ``item``'s published version into ``locale``.

    The first one starts empty (or with ``content``); later ones start from the latest
    translation, bound to the source version published now, so that the translator changes
    what the source changed (``revise``). A draft or review of the translation under way is
    refused: finish that one first.
    """
    check_translate(user=user, source_item=item)
    found = translation_locale(locale)
    # Locks in the one order: the source item, then its translation's.
    source_item = ContentItem.objects.select_for_update().get(pk=item.pk)
    target = translation_item(source_item, found, user)
    target = ContentItem.objects.select_for_update().get(pk=target.pk)
    latest = latest_translation(target)
    if latest is None:
        return first_translation(item=target, user=user, content=content)
    draft = revise(version=latest, user=user)
    if content is not None:
        draft = edit_draft(
            version=draft, user=user, content=content, expected_edit_count=draft.edit_count
        )
    return draft
