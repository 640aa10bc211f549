"""The JSON shapes of the editorial API, for its OpenAPI document: what it answers and what
each request takes, written from ``representations`` and the workflow's content values."""

from __future__ import annotations

from content.delivery.schema.shapes import (
    NULLABLE_STRING,
    POSITIVE_INTEGER,
    STRING,
    TIMESTAMP,
    array,
    enum,
    nullable,
    obj,
    ref,
)
from content.kinds import PLAN, Kind
from content.models import AuditAction, VersionState

INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
OBJECT = {"type": "object", "additionalProperties": True}
NULLABLE_INTEGER = {"type": ["integer", "null"]}
TEXT_MAP = {"type": "object", "additionalProperties": STRING}


def _content(properties: dict, optional: dict) -> dict:
    schema = obj(properties, optional)
    schema["additionalProperties"] = False
    return schema


COMPONENTS: dict[str, dict] = {
    "EditorialProblem": {
        "description": "RFC 9457 problem details: the domain's message, why (`code`), the "
        "fields to correct (`errors`) and the version's state now (`version`).",
        **obj(
            {"type": STRING, "title": STRING, "status": INTEGER, "detail": STRING},
            {
                "code": STRING,
                "errors": {"type": "object", "additionalProperties": array(STRING)},
                "version": {"type": "object"},
                "current": {"type": "object"},
            },
        ),
    },
    "ComponentContent": _content(
        {"title": STRING, "summary": STRING, "change_note": STRING, "evidence_level": STRING},
        {
            "details": OBJECT,
            "body": STRING,
            "goals": array(STRING),
            "contraindications": array(
                obj({"contraindication": STRING, "severity": STRING, "note": STRING})
            ),
            "interactions": array(obj({"component": STRING, "severity": STRING, "note": STRING})),
            "citations": array(
                obj({"title": STRING}, {"doi": STRING, "pmid": STRING, "url": STRING})
            ),
            "media": array(ref("MediaSpec")),
        },
    ),
    "PlanContent": _content(
        {"title": STRING, "summary": STRING, "change_note": STRING, "duration_weeks": INTEGER},
        {
            "body": STRING,
            "goals": array(STRING),
            "items": array(
                obj(
                    {
                        "component": STRING,
                        "slot": STRING,
                        "week_from": INTEGER,
                        "week_to": INTEGER,
                        "frequency": STRING,
                        "order": INTEGER,
                    },
                    {"note": STRING},
                )
            ),
            "media": array(ref("MediaSpec")),
        },
    ),
    "TranslationContent": _content(
        {"title": STRING, "summary": STRING, "change_note": STRING},
        {
            "body": STRING,
            "details": OBJECT,
            "notes": {"type": "object", "additionalProperties": TEXT_MAP},
        },
    ),
    "MediaSpec": obj(
        {"asset": STRING, "role": enum("hero", "step", "illustration")},
        {"alt": STRING, "step": NULLABLE_INTEGER, "decorative": BOOLEAN},
    ),
    "Content": {"oneOf": [ref("ComponentContent"), ref("PlanContent"), ref("TranslationContent")]},
    "ContentPatch": {
        "type": "object",
        "additionalProperties": True,
        "description": "A JSON merge patch (RFC 7396) of the draft's content: the fields to "
        "change, with lists whole; null removes an optional field.",
    },
    "NewItem": obj(
        {"kind": enum(*Kind.values, PLAN), "slug": STRING, "content": ref("Content")},
    ),
    "VersionSummary": obj(
        {
            "number": POSITIVE_INTEGER,
            "state": enum(*VersionState.values),
            "content_hash": NULLABLE_STRING,
            "edit_count": INTEGER,
            "created_at": TIMESTAMP,
            "submitted_at": nullable("date-time"),
            "published_at": nullable("date-time"),
            "publish_at": nullable("date-time"),
            "withdraw_at": nullable("date-time"),
        }
    ),
    "Version": {
        "allOf": [
            ref("VersionSummary"),
            obj(
                {
                    "item": STRING,
                    "kind": STRING,
                    "source": NULLABLE_STRING,
                    "locale": NULLABLE_STRING,
                    "based_on": NULLABLE_INTEGER,
                    "translates": NULLABLE_INTEGER,
                    "approvals": obj({"given": INTEGER, "required": INTEGER}),
                    "content": ref("Content"),
                }
            ),
        ]
    },
    "Item": obj(
        {
            "slug": STRING,
            "kind": STRING,
            "source": NULLABLE_STRING,
            "locale": NULLABLE_STRING,
            "created_at": TIMESTAMP,
            "discarded": BOOLEAN,
            "flagged_for_review": NULLABLE_STRING,
            "working_version": NULLABLE_INTEGER,
            "published_version": NULLABLE_INTEGER,
        }
    ),
    "ItemPage": obj({"results": array(ref("Item")), "more": BOOLEAN}),
    "ItemDetail": {
        "allOf": [
            ref("Item"),
            obj({"versions": array(ref("VersionSummary")), "translations": array(STRING)}),
        ]
    },
    "VersionList": obj({"item": STRING, "versions": array(ref("VersionSummary"))}),
    "AllowedActions": obj(
        {
            "item": STRING,
            "actions": array(
                obj(
                    {
                        "action": STRING,
                        "label": STRING,
                        "version": POSITIVE_INTEGER,
                        "method": enum("POST", "PATCH"),
                        "href": STRING,
                    },
                    {"etag": STRING},
                )
            ),
        }
    ),
    "AuditLog": obj(
        {
            "item": STRING,
            "entries": array(
                obj(
                    {
                        "at": TIMESTAMP,
                        "actor": NULLABLE_STRING,
                        "action": enum(*AuditAction.values),
                        "version": POSITIVE_INTEGER,
                        "content_hash": NULLABLE_STRING,
                        "from_state": NULLABLE_STRING,
                        "to_state": STRING,
                        "comment": STRING,
                    }
                )
            ),
        }
    ),
    "ApproveRequest": obj({"content_hash": STRING}, {"comment": STRING}),
    "CommentRequest": obj({"comment": STRING}),
    "ReasonRequest": obj({}, {"reason": STRING}),
    "ScheduleRequest": obj({"at": TIMESTAMP}),
    "WithdrawalRequest": obj({"reason": STRING}),
    "ScheduledWithdrawalRequest": obj({"at": TIMESTAMP, "reason": STRING}),
    "ChangeNoteRequest": obj({}, {"change_note": STRING}),
    "Empty": obj({}),
    "TranslationRequest": obj({}, {"content": ref("TranslationContent")}),
    "ReviewQueue": obj(
        {
            "results": array(
                {
                    "allOf": [
                        ref("VersionSummary"),
                        obj(
                            {
                                "item": STRING,
                                "kind": STRING,
                                "locale": NULLABLE_STRING,
                                "title": STRING,
                                "approvals": INTEGER,
                            }
                        ),
                    ]
                }
            )
        }
    ),
    "Notification": obj(
        {
            "id": INTEGER,
            "kind": STRING,
            "title": STRING,
            "link": STRING,
            "item": NULLABLE_STRING,
            "created_at": TIMESTAMP,
            "read": BOOLEAN,
        }
    ),
    "NotificationList": obj({"results": array(ref("Notification"))}),
    "Asset": obj(
        {
            "sha256": STRING,
            "title": STRING,
            "original_name": STRING,
            "content_type": STRING,
            "width": INTEGER,
            "height": INTEGER,
            "size": INTEGER,
            "credit": STRING,
            "licence": STRING,
            "focal_point": {"type": ["object", "null"]},
            "ratio": NULLABLE_STRING,
            "renditions_ready": BOOLEAN,
            "renditions": array(OBJECT),
            "uploaded_at": TIMESTAMP,
        }
    ),
    "AssetList": obj({"results": array(ref("Asset"))}),
    "AssetUpload": obj(
        {
            "file": {"type": "string", "format": "binary"},
            "title": STRING,
            "credit": STRING,
            "licence": STRING,
        },
        {"focal_x": {"type": "number"}, "focal_y": {"type": "number"}, "ratio": STRING},
    ),
    "AssetChange": obj(
        {},
        {
            "title": STRING,
            "credit": STRING,
            "licence": STRING,
            "focal_x": {"type": ["number", "null"]},
            "focal_y": {"type": ["number", "null"]},
            "ratio": STRING,
        },
    ),
    "VocabularyTranslation": obj(
        {"name": STRING, "description": STRING, "approved": BOOLEAN, "written_by": STRING}
    ),
    "VocabularyTranslationRequest": obj({"name": STRING}, {"description": STRING}),
    "VocabularyList": obj(
        {
            "results": array(
                obj(
                    {
                        "slug": STRING,
                        "name": STRING,
                        "description": STRING,
                        "translations": {
                            "type": "object",
                            "additionalProperties": ref("VocabularyTranslation"),
                        },
                    },
                    {"category": STRING},
                )
            )
        }
    ),
    "LocaleList": obj(
        {
            "results": array(
                obj(
                    {
                        "code": STRING,
                        "name": STRING,
                        "default": BOOLEAN,
                        "fallback": NULLABLE_STRING,
                    }
                )
            )
        }
    ),
    "PreviewLinkRequest": obj(
        {},
        {
            "locale": STRING,
            "expires_in_minutes": {"type": "integer", "minimum": 1, "maximum": 1440},
            "drafts": array(STRING),
        },
    ),
    "PreviewLink": obj(
        {
            "id": STRING,
            "url": STRING,
            "token": STRING,
            "expires_at": TIMESTAMP,
            "locale": NULLABLE_STRING,
        }
    ),
}
