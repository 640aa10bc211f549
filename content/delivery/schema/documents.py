"""The documents the delivery API serves, as OpenAPI component schemas (what docs/api.md
promises, each kind's ``details`` shape taken from ``content.kinds``), and the hook that adds
them to the generated schema."""

from __future__ import annotations

from drf_spectacular.hooks import postprocess_schema_enums

from content.kinds import DETAILS_SCHEMAS, SLOTS, Frequency, Kind, without_form_keywords
from content.models import ContraindicationCategory, MediaRole, RenditionFormat

from .shapes import (
    DISCLAIMER,
    NULLABLE_STRING,
    POSITIVE_INTEGER,
    STRING,
    TIMESTAMP,
    Schema,
    answer,
    array,
    const,
    described,
    enum,
    nullable,
    obj,
    page,
    ref,
    tagged_union,
)

LOCALE_CODE = described(
    STRING, "A BCP 47 code of a locale listed at /api/v1/locales/ (e.g. 'es', 'pt-BR')."
)
#: What every item says of its locale: the one its prose is in; where that is not the one
#: asked for, the one asked for and why it falls back.
LOCALE_MARKS = {"locale": LOCALE_CODE}
FALLBACK_MARKS = {
    "requested_locale": described(
        LOCALE_CODE, "The locale asked for, when the prose is in another (a fallback)."
    ),
    "fallback_reason": described(
        enum("not-translated", "translation-outdated"),
        "Why the prose is in a fallback locale: no published translation into the locale "
        "asked for, or only one of an older version of this item (never served).",
    ),
}

SUITABILITY_REASON = obj(
    {"contraindication": STRING, "severity": enum("avoid", "caution"), "note": STRING}
)


_ROLE_NAMES = {role: f"Media{role.capitalize()}" for role in MediaRole.values}
_ROLE_DESCRIPTIONS = {
    "hero": "The item's main picture, shown at the top of it; at most one per item.",
    "step": "Shows one numbered step of the item (a pose, a breath); `step` is its number.",
    "illustration": "A picture that supports the text.",
}
_RENDITION = obj(
    {
        "width": POSITIVE_INTEGER,
        "height": POSITIVE_INTEGER,
        "format": enum(*RenditionFormat.values),
        "url": described(
            {"type": "string", "format": "uri"},
            "Never changes content (it carries the hash of the file): cache it for ever.",
        ),
    }
)


def _media_variant(role: str) -> Schema:
    step = (
        described(POSITIVE_INTEGER, "The number of the step it shows.")
        if role == "step"
        else described({"type": "null"}, "Only step pictures have a number.")
    )
    return described(
        obj(
            {
                "role": const(role),
                "step": step,
                "alt": described(
                    STRING,
                    "What the picture shows, in the item's locale, for screen readers and "
                    "when it cannot load; empty when decorative.",
                ),
                "decorative": described(
                    {"type": "boolean"}, "True: adds nothing to the text; give it an empty alt."
                ),
                "width": described(POSITIVE_INTEGER, "The picture's width as cut, in pixels."),
                "height": described(POSITIVE_INTEGER, "The picture's height as cut, in pixels."),
                "focal_point": described(
                    {
                        "oneOf": [
                            obj({"x": {"type": "number"}, "y": {"type": "number"}}),
                            {"type": "null"},
                        ]
                    },
                    "Where the subject is, as fractions of the width and height from the top "
                    "left: keep it in view when cropping further. Null: the centre.",
                ),
                "credit": described(STRING, "Who made it; show it where the licence asks."),
                "licence": STRING,
                "renditions": described(
                    array(_RENDITION),
                    "The same picture in every width and format made: the best format first "
                    "(AVIF, WebP, JPEG), narrow to wide within each.",
                ),
            }
        ),
        _ROLE_DESCRIPTIONS[role],
    )


_MEDIA = described(
    array(tagged_union("role", _ROLE_NAMES)),
    "The item's pictures, in the order they are shown; each reviewed with its alt text.",
)


def _kind_name(kind: str, prefix: str = "") -> str:
    return f"{prefix}Component" + "".join(part.capitalize() for part in kind.split("_"))


_PREVIEW = {  # what a preview says of itself, and of each draft it shows in a plan
    "preview": described(
        {"type": "boolean", "const": True},
        "A preview of a version that may not be published (yet): show it only to the people "
        "the link was given to, and never keep it as published content.",
    )
}
_UNPUBLISHED = described(nullable("date-time"), "Null while the version is not published.")


def _component_variant(kind: str, *, preview: bool = False) -> Schema:
    return obj(
        {
            "type": const("component"),
            "slug": STRING,
            "kind": const(kind),
            "version": POSITIVE_INTEGER,
            **LOCALE_MARKS,
            "title": STRING,
            "summary": STRING,
            "body_markdown": STRING,
            "body_html": described(STRING, "Sanitised HTML rendered from the body."),
            "details": without_form_keywords(DETAILS_SCHEMAS[kind]),
            "goals": array(STRING),
            "contraindications": array(
                obj(
                    {
                        "slug": STRING,
                        "name": STRING,
                        "severity": enum("avoid", "caution"),
                        "note": STRING,
                    }
                )
            ),
            "interactions": array(
                obj({"component": STRING, "severity": enum("avoid", "separate"), "note": STRING})
            ),
            "citations": array(
                obj(
                    {
                        "title": STRING,
                        "doi": NULLABLE_STRING,
                        "pmid": NULLABLE_STRING,
                        "url": NULLABLE_STRING,
                    }
                )
            ),
            "evidence_level": enum("A", "B", "C", "D"),
            "media": _MEDIA,
            "review": ref("Review"),
            "published_at": _UNPUBLISHED if preview else TIMESTAMP,
            **(_PREVIEW if preview else {}),
        },
        optional={
            **FALLBACK_MARKS,
            "suitability": ref("Suitability"),
            "disclaimer": DISCLAIMER,  # when the component is the whole answer
        },
    )


_PLAN_OPTIONAL = {
    **FALLBACK_MARKS,
    "disclaimer": DISCLAIMER,
    "removed": array(
        obj({"component": STRING, "title": STRING, "reasons": array(SUITABILITY_REASON)})
    ),
}
_PREVIEW_ITEM_COMPONENT = described(
    {"oneOf": [ref("Component"), ref("PreviewComponent")]},
    "The component's live version, or the draft the preview link shows in its place "
    "(`preview` true).",
)


def _plan(*, preview: bool = False) -> Schema:
    item = obj(
        {
            "component": _PREVIEW_ITEM_COMPONENT if preview else ref("Component"),
            "slot": enum(*SLOTS),
            "weeks": obj({"from": POSITIVE_INTEGER, "to": POSITIVE_INTEGER}),
            "frequency": enum(*Frequency.values),
            "order": {"type": "integer"},
            "note": STRING,
        },
        optional={"suitability": ref("Suitability")},
    )
    return obj(
        {
            "type": const("plan"),
            "slug": STRING,
            "version": POSITIVE_INTEGER,
            **LOCALE_MARKS,
            "title": STRING,
            "summary": STRING,
            "body_markdown": STRING,
            "body_html": STRING,
            "goals": array(STRING),
            "duration_weeks": POSITIVE_INTEGER,
            "items": array(item),
            "media": _MEDIA,
            "review": ref("Review"),
            "published_at": _UNPUBLISHED if preview else TIMESTAMP,
            **(_PREVIEW if preview else {}),
        },
        optional=_PLAN_OPTIONAL,
    )


def _sync_change(action: str, more: Schema | None = None) -> Schema:
    """One entry of a sync page: what changed (``type`` and ``slug``) and the ``action``."""
    return obj(
        {"type": enum("component", "plan"), "slug": STRING, "action": const(action), **(more or {})}
    )


_SYNC_PAGE = answer(
    {
        "changes": described(
            array(tagged_union("action", {"upsert": "SyncUpsert", "delete": "SyncDelete"})),
            "Each item at most once, in its state now: an upsert with the full item, or a "
            "delete when it is no longer served (withdrawn, or a plan none of whose components "
            "is published).",
        ),
        "next_token": described(
            STRING, "Send it as `token` next time; keep the last one you received."
        ),
        "has_more": described(
            {"type": "boolean"}, "True: call again at once with `next_token` for the rest."
        ),
        "reset": described(
            {"type": "boolean"},
            "True: your token was issued before the database was restored from a backup and "
            "cannot be continued. This page starts an initial sync: replace your offline copy "
            "with it and the pages that follow.",
        ),
    }
)


COMPONENTS: dict[str, Schema] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        **obj(
            {"type": STRING, "title": STRING, "status": {"type": "integer"}, "detail": STRING},
            optional={
                "errors": array(obj({"parameter": STRING, "detail": STRING})),
                "unknown_contraindications": array(STRING),
                "reason": described(
                    enum("invalid", "expired", "revoked", "changed"),
                    "Why a preview link was refused (403): see `detail`.",
                ),
            },
        ),
    },
    "Suitability": obj(
        {"status": enum("ok", "caution", "avoid"), "reasons": array(SUITABILITY_REASON)}
    ),
    "Review": obj(
        {
            "reviewed_at": nullable("date-time"),
            "reviewers": array(obj({"name": STRING, "credentials": STRING})),
            "next_review_due": nullable("date"),
        }
    ),
    **{_ROLE_NAMES[role]: _media_variant(role) for role in MediaRole.values},
    **{_kind_name(kind): _component_variant(kind) for kind in Kind.values},
    "Component": described(
        tagged_union("kind", {kind: _kind_name(kind) for kind in Kind.values}),
        "A published component. `details` has the shape of its `kind`. "
        "`suitability` is present only when a `profile` was given.",
    ),
    "ComponentPage": page("Component"),
    "Plan": described(
        _plan(),
        "A published plan, its items resolved to the components' current published "
        "versions. With a `profile`, each item carries `suitability` and the items to "
        "avoid are listed under `removed` instead.",
    ),
    "PlanPage": page("Plan"),
    "ComponentHistory": answer(
        {
            "slug": STRING,
            "locale": described(LOCALE_CODE, "The locale the versions are served in."),
            "results": array(
                obj(
                    {
                        "version": POSITIVE_INTEGER,
                        "published_at": TIMESTAMP,
                        "superseded_at": nullable("date-time"),
                        "change_note": STRING,
                    }
                )
            ),
        }
    ),
    "ContraindicationList": answer(
        {
            "results": array(
                obj(
                    {
                        "slug": STRING,
                        "name": STRING,
                        "category": enum(*ContraindicationCategory.values),
                        "description": STRING,
                        "codes": array(obj({"system": STRING, "code": STRING})),
                        "aliases": array(STRING),
                    }
                )
            )
        }
    ),
    "GoalList": answer(
        {"results": array(obj({"slug": STRING, "name": STRING, "description": STRING}))}
    ),
    "LocaleList": answer(
        {
            "results": array(
                obj(
                    {
                        "code": LOCALE_CODE,
                        "name": STRING,
                        "fallbacks": described(
                            array(STRING),
                            "Where an item has no current translation into this locale, the "
                            "locales tried in turn; the default locale is last.",
                        ),
                        "default": described(
                            {"type": "boolean"}, "The language content is written in."
                        ),
                    }
                )
            )
        }
    ),
    "SyncUpsert": _sync_change(
        "upsert",
        {
            "data": described(
                {"oneOf": [ref("Component"), ref("Plan")]},
                "The full item, exactly as its detail endpoint serves it without a profile.",
            )
        },
    ),
    "SyncDelete": _sync_change("delete"),
    "SyncPage": _SYNC_PAGE,
    **{_kind_name(kind, "Preview"): _component_variant(kind, preview=True) for kind in Kind.values},
    "PreviewComponent": described(
        tagged_union("kind", {kind: _kind_name(kind, "Preview") for kind in Kind.values}),
        "A component's version shown by a preview link: `preview` true, `published_at` null "
        "while it is not published.",
    ),
    "PreviewPlan": described(
        _plan(preview=True),
        "A plan's version shown by a preview link; each item's component live or a named draft.",
    ),
    "Preview": described(
        {"oneOf": [ref("PreviewComponent"), ref("PreviewPlan")], "required": ["disclaimer"]},
        "What a preview link shows: one version, in the shape of a published component or plan.",
    ),
}


def delivery_only(endpoints):
    """Preprocessing hook: the delivery document describes the delivery API only (the
    editorial API under /api/manage/ has its own)."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith("/api/manage/")]


def add_components(result, generator, request, public):
    """Postprocessing hook: add the hand-written components, then let spectacular tidy enums."""
    result = postprocess_schema_enums(result, generator, request=request, public=public)
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    return result
