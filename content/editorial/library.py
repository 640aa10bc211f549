"""What versions refer to: the picture library (uploads, focal point and crop), the
vocabularies with their translations (written and approved through the workflow), and the
locales."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.response import Response

from content.delivery.problems import PROBLEM_TYPE_BASE
from content.media.renditions import ready, served
from content.models import (
    Asset,
    Contraindication,
    ContraindicationTranslation,
    Goal,
    GoalTranslation,
    Locale,
)
from content.workflow.locales import approve_vocabulary_translation, translate_vocabulary
from content.workflow.media import AssetFacts, change_asset, upload_asset

from . import schema
from .base import EditorialView, Refused, text_field
from .idempotency import once


def asset_json(asset: Asset, renditions: list[dict] | None = None) -> dict[str, Any]:
    return {
        "sha256": asset.sha256,
        "title": asset.title,
        "original_name": asset.original_name,
        "content_type": asset.content_type,
        "width": asset.width,
        "height": asset.height,
        "size": asset.size,
        "credit": asset.credit,
        "licence": asset.licence,
        "focal_point": asset.focal_point,
        "ratio": asset.ratio or None,
        "renditions_ready": ready(asset),
        "renditions": renditions if renditions is not None else [],
        "uploaded_at": asset.uploaded_at.isoformat(),
    }


def _number(data: dict[str, Any], name: str) -> float | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Refused(
            422,
            f"'{name}' must be a number from 0 to 1.",
            f"{PROBLEM_TYPE_BASE}invalid",
            code="invalid",
            errors={"focal_point": [f"{name}: a number from 0 to 1."]},
        ) from None


def _facts(data: dict[str, Any], asset: Asset | None = None) -> AssetFacts:
    """What the request says of a picture; for a change, what it leaves out stays."""

    def kept(name: str, default: Any = "") -> Any:
        return getattr(asset, name) if asset is not None else default

    def given(name: str, default: Any = "") -> Any:
        if name not in data:
            return kept(name, default)
        if name in ("focal_x", "focal_y"):
            return _number(data, name)
        value = data.get(name)
        return "" if value is None else value

    for name in ("title", "credit", "licence", "ratio"):
        if name in data and data[name] is not None and not isinstance(data[name], str):
            text_field(data, name)
    return AssetFacts(
        title=given("title"),
        credit=given("credit"),
        licence=given("licence"),
        focal_x=given("focal_x", None),
        focal_y=given("focal_y", None),
        ratio=given("ratio"),
    )


class MediaList(EditorialView):
    @schema.media_list
    def get(self, request):
        assets = list(Asset.objects.order_by("-uploaded_at")[:500])
        renditions = served(assets)
        return Response({"results": [asset_json(a, renditions.get(a.pk, [])) for a in assets]})

    @schema.media_upload
    def post(self, request):
        """Upload a picture: ``multipart/form-data`` with ``file`` and its facts."""
        upload = request.FILES.get("file")
        if upload is None:
            raise Refused(
                422,
                "Send the picture as the 'file' part of a multipart/form-data request.",
                f"{PROBLEM_TYPE_BASE}invalid",
                code="invalid",
                errors={"file": ["file: required."]},
            )
        facts = _facts(request.data.dict() if hasattr(request.data, "dict") else request.data)

        def perform() -> Response:
            asset = upload_asset(
                user=request.user, data=upload, original_name=upload.name or "", facts=facts
            )
            return Response(asset_json(asset), status=201)

        return once(request, self, perform)


class MediaDetail(EditorialView):
    def _asset(self, sha256: str) -> Asset:
        found = Asset.objects.filter(sha256=sha256).first()
        if found is None:
            raise exceptions.NotFound(f"No picture in the library has the SHA-256 '{sha256}'.")
        return found

    @schema.media_detail
    def get(self, request, sha256: str):
        asset = self._asset(sha256)
        return Response(asset_json(asset, served([asset]).get(asset.pk, [])))

    @schema.media_change
    def patch(self, request, sha256: str):
        """Change a picture's title, credit, licence, focal point or crop (the fields sent)."""
        asset = self._asset(sha256)
        asset = change_asset(
            user=request.user, asset=asset, facts=_facts(self.body(request), asset)
        )
        return Response(asset_json(asset, served([asset]).get(asset.pk, [])))


VOCABULARIES = {
    "contraindications": (Contraindication, ContraindicationTranslation, "contraindication"),
    "goals": (Goal, GoalTranslation, "goal"),
}


def _translation_json(translation) -> dict[str, Any]:
    return {
        "name": translation.name,
        "description": translation.description,
        "approved": translation.approved,
        "written_by": translation.written_by.get_username(),
    }


def _entry_json(entry, translations) -> dict[str, Any]:
    found = {
        "slug": entry.slug,
        "name": entry.name,
        "description": entry.description,
        "translations": {t.locale.code: _translation_json(t) for t in translations},
    }
    if isinstance(entry, Contraindication):
        found["category"] = entry.category
    return found


class VocabularyView(EditorialView):
    vocabulary = ""  # a key of VOCABULARIES

    def entry(self, slug: str):
        model, _, _ = VOCABULARIES[self.vocabulary]
        found = model.objects.filter(slug=slug).first()
        if found is None:
            raise exceptions.NotFound(f"No entry of {self.vocabulary} has the slug '{slug}'.")
        return found


class VocabularyList(VocabularyView):
    def get(self, request):
        """Every entry, with its translations (approved or waiting for a reviewer)."""
        model, translation_model, key = VOCABULARIES[self.vocabulary]
        translations: dict[int, list] = {}
        for t in translation_model.objects.select_related("written_by", "locale"):
            translations.setdefault(getattr(t, f"{key}_id"), []).append(t)
        return Response(
            {
                "results": [
                    _entry_json(entry, translations.get(entry.pk, []))
                    for entry in model.objects.order_by("slug")
                ]
            }
        )


class VocabularyTranslate(VocabularyView):
    def put(self, request, slug: str, locale: str):
        """Write the entry's name and description in ``locale``; served once a reviewer who
        did not write it approves it."""
        entry, data = self.entry(slug), self.body(request)
        translation = translate_vocabulary(
            user=request.user,
            entry=entry,
            locale=locale,
            name=text_field(data, "name", required=True),
            description=text_field(data, "description"),
        )
        return Response(_translation_json(translation))


class VocabularyApprove(VocabularyView):
    def post(self, request, slug: str, locale: str):
        """Approve the translation as it says now (a reviewer who did not write it)."""
        entry = self.entry(slug)
        _, translation_model, key = VOCABULARIES[self.vocabulary]
        translation = translation_model.objects.filter(**{key: entry}, locale__code=locale).first()
        if translation is None:
            raise exceptions.NotFound(f"'{slug}' has no translation into '{locale}' to approve.")

        def perform() -> Response:
            approved = approve_vocabulary_translation(user=request.user, translation=translation)
            return Response(_translation_json(approved))

        return once(request, self, perform)


def vocabulary_view(vocabulary: str, role: str):
    """The view of ``role`` ("list", "translate", "approve") for ``vocabulary``."""
    base = {"list": VocabularyList, "translate": VocabularyTranslate, "approve": VocabularyApprove}
    view = type(
        f"{vocabulary.title()}{base[role].__name__}", (base[role],), {"vocabulary": vocabulary}
    )
    return schema.vocabulary(vocabulary, role)(view).as_view()


class LocaleList(EditorialView):
    @schema.locale_list
    def get(self, request):
        return Response(
            {
                "results": [
                    {
                        "code": locale.code,
                        "name": locale.name,
                        "default": locale.is_default,
                        "fallback": locale.fallback.code if locale.fallback_id else None,
                    }
                    for locale in Locale.objects.select_related("fallback").order_by("code")
                ]
            }
        )
