"""The translation screens of ``ItemAdmin``: "Translate into <locale>" on a source item's
page, and a translation item's page, where the source version it translates is shown,
rendered, beside the form of its translatable fields (or beside the translation, once it is
no longer a draft), with what changed in the source since the translation it was revised
from.

Every change goes through ``content.workflow`` (``start_translation``, ``edit_draft`` and the
workflow buttons of ``actions``); these views collect input and say what the domain said.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from content import workflow
from content.errors import DomainError
from content.models import WORKING_STATES, ContentItem, Locale, Version, VersionState
from content.workflow.checks import check_translation_current

from .preview import body_preview
from .translation_forms import TranslationForm, translation_pairs
from .translation_lines import source_changes, translation_text
from .translation_status import locale_rows

#: The states in which a translation version is on its way to apps or served by them: an
#: outdated one says so.
_WATCHED = (*WORKING_STATES, VersionState.PUBLISHED)


class TranslationViews:
    """The translation pages of ``ItemAdmin`` (which gives ``_item``, ``_url``)."""

    def translate_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Start a draft translating the source item into the posted locale (its first, or
        the next one, bound to the source's published version), and open it."""
        item = self._item(request, object_id)
        back = HttpResponseRedirect(self._url("change", item.pk))
        if request.method != "POST":
            return back
        try:
            draft = workflow.start_translation(
                item=item, locale=request.POST.get("locale", ""), user=request.user
            )
        except DomainError as exc:
            messages.error(request, str(exc))
            return back
        messages.success(
            request,
            f"Version {draft.number} of the {draft.item.locale.name} translation is a new "
            f"draft translating version {draft.translates.number}: write it beside the source.",
        )
        return HttpResponseRedirect(self._url("change", draft.item_id))

    def source_translations(self, request: HttpRequest, item: ContentItem, versions) -> dict:
        """The "Translations" panel of a source item's page."""
        return {
            "translations": locale_rows(request.user, item, versions.published),
            "translate_url": self._url("translate", item.pk),
        }

    @staticmethod
    def translation_forms(draft: Version, data=None) -> TranslationForm:
        """The form of the translation draft ``draft``: what it says, or what was posted."""
        if data is not None:
            return TranslationForm(data, source=draft.translates)
        return TranslationForm(source=draft.translates, draft=draft)

    def translation_context(
        self, item: ContentItem, shown: Version | None, forms: TranslationForm | None
    ) -> dict[str, Any]:
        """What a translation item's page shows besides the workflow: the source version
        translated, the pairs of texts, whether it is outdated, and what changed in the source
        since the translation this version was revised from."""
        source_item = item.source
        translating = shown.translates if shown else None
        context: dict[str, Any] = {
            "source_item": source_item,
            "source_url": self._url("change", source_item.pk),
            "locale": item.locale,
            "default_locale": Locale.objects.filter(is_default=True).first(),
            "translating": translating,
            "source_preview": body_preview(translating.body) if translating else None,
            "outdated": None,
            "source_changes": None,
            "pairs": [],
        }
        if shown is None:
            return context
        if forms is None:
            context["pairs"] = translation_pairs(translating, translation_text(shown))[0]
        if shown.state in _WATCHED:
            try:
                check_translation_current(shown)
            except DomainError as exc:
                context["outdated"] = str(exc)
        earlier = shown.based_on
        if earlier is not None and earlier.translates_id not in (None, shown.translates_id):
            context["source_changes"] = source_changes(earlier.translates, translating)
            context["rebase_help"] = (
                f"Version {shown.number} starts from version {earlier.number}, which "
                f"translated source version {earlier.translates.number}; it translates source "
                f"version {translating.number}. Translate what changed."
            )
        return context
