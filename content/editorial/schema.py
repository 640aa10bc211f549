"""Each operation of the editorial API, for its own OpenAPI document (``openapi``): its id,
summary, request and answers, as the views' decorators."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from content.delivery.schema.shapes import ref

PROBLEM = "application/problem+json"
JSON = "application/json"


def _problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ref("EditorialProblem"), description=description)


_COMMON = {
    (400, PROBLEM): _problem(
        "The request cannot be read: malformed JSON or not an object, a bad query parameter "
        "or Idempotency-Key."
    ),
    (401, PROBLEM): _problem("No token, or a revoked, expired or unknown one."),
    (403, PROBLEM): _problem("The caller may not do this (the workflow's own refusal)."),
    (404, PROBLEM): _problem("No such item, version or entry."),
    (429, PROBLEM): _problem("The token's rate limit is reached; see Retry-After."),
    (503, PROBLEM): _problem("A dependency is unavailable; try again after Retry-After."),
}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255},
    OpenApiParameter.HEADER,
    description="Send the same key to repeat a request safely: the first answer is "
    "returned again (with Idempotent-Replayed: true), and the action is taken once.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag the draft was read with: 428 without it, 412 if it is stale.",
)


def operation(
    operation_id: str,
    summary: str,
    ok: str | None,
    *,
    status: int = 200,
    request: str | None = None,
    media_type: str = JSON,
    parameters: list[OpenApiParameter] | None = None,
    refusals: dict[int, str] | None = None,
    tag: str = "editorial",
):
    responses: dict[Any, Any] = {
        status: OpenApiResponse(response=ref(ok) if ok else None, description="OK"),
        **_COMMON,
    }
    for code, description in (refusals or {}).items():
        responses[(code, PROBLEM)] = _problem(description)
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        tags=[tag],
        request={media_type: ref(request)} if request else None,
        parameters=parameters or [],
        responses=responses,
    )


_REFUSED = {
    409: "The workflow refuses it now: `detail` says why, `version` its state.",
    422: "The request's values are not valid: `errors` names each.",
}

item_list = operation(
    "list_items",
    "Items (components and plans)",
    "ItemPage",
    parameters=[
        OpenApiParameter("kind", str, description="Only items of this kind (or plan)."),
        OpenApiParameter("q", str, description="In the slug or a version's title."),
        OpenApiParameter(
            "locale", str, description="That locale's translations (without it: sources)."
        ),
        OpenApiParameter(
            "limit", {"type": "integer", "minimum": 1, "maximum": 200}, description="At most."
        ),
        OpenApiParameter("offset", {"type": "integer", "minimum": 0}, description="Skip."),
    ],
    tag="items",
)
item_create = operation(
    "create_item",
    "Create a component or plan as its first draft",
    "Version",
    status=201,
    request="NewItem",
    parameters=[IDEMPOTENCY_KEY],
    refusals=_REFUSED,
    tag="items",
)
item_detail = operation("get_item", "An item and its versions", "ItemDetail", tag="items")
allowed_actions = operation(
    "allowed_actions", "What the caller may do with the item now", "AllowedActions", tag="items"
)
audit_log = operation("get_audit_log", "The item's audit log", "AuditLog", tag="items")
start_translation = operation(
    "start_translation",
    "Start a translation draft into a locale",
    "Version",
    status=201,
    request="TranslationRequest",
    parameters=[IDEMPOTENCY_KEY],
    refusals=_REFUSED,
    tag="translations",
)
version_list = operation("list_versions", "An item's versions", "VersionList", tag="versions")
version_detail = operation("get_version", "A version, with its ETag", "Version", tag="versions")
_EDIT_REFUSALS = {
    409: "Not a draft: only drafts are edited.",
    412: "The If-Match is stale: `current` is the draft now; nothing was saved.",
    415: "PATCH takes application/merge-patch+json.",
    422: "The content is not valid: `errors` names each field.",
    428: "Send If-Match with the draft's ETag.",
}
version_put = operation(
    "put_version",
    "Replace a draft's content",
    "Version",
    request="Content",
    parameters=[IF_MATCH],
    refusals=_EDIT_REFUSALS,
    tag="versions",
)
version_patch = operation(
    "patch_version",
    "Change a draft with a JSON merge patch",
    "Version",
    request="ContentPatch",
    media_type="application/merge-patch+json",
    parameters=[IF_MATCH],
    refusals=_EDIT_REFUSALS,
    tag="versions",
)

#: Each transition's request body and whether it answers a new draft (201).
_TRANSITIONS = {
    "submit": ("Submit a draft for review", "Empty", 200),
    "approve": ("Approve the content with the hash you reviewed", "ApproveRequest", 200),
    "request-changes": ("Send a version back with a comment", "CommentRequest", 200),
    "publish": ("Publish an approved version now", "Empty", 200),
    "schedule": ("Schedule an approved version's publication", "ScheduleRequest", 200),
    "withdraw": ("Withdraw the published version", "WithdrawalRequest", 200),
    "schedule-withdrawal": (
        "Schedule the published version's withdrawal",
        "ScheduledWithdrawalRequest",
        200,
    ),
    "roll-back": ("Start a draft from an earlier published version", "ChangeNoteRequest", 201),
    "start-draft": ("Start a new draft from this version", "ChangeNoteRequest", 201),
    "discard": ("Discard a draft or a version sent back", "ReasonRequest", 200),
}


def _decorated(decorate, method: str):
    """A class decorator: ``view`` with its handler ``method`` described by ``decorate``.
    Each view gets a handler of its own (``extend_schema`` marks the function it is given,
    and views sharing a base share its function)."""

    def apply(view):
        inherited = getattr(view, method)

        def handler(self, request, *args, **kwargs):
            return inherited(self, request, *args, **kwargs)

        handler.__doc__ = inherited.__doc__
        return type(view.__name__, (view,), {method: decorate(handler)})

    return apply


def transition(name: str):
    summary, request, status = _TRANSITIONS[name]
    decorate = operation(
        f"{name.replace('-', '_')}_version",
        summary,
        "Version",
        status=status,
        request=request,
        parameters=[IDEMPOTENCY_KEY],
        refusals=_REFUSED,
        tag="transitions",
    )
    return _decorated(decorate, "post")


preview_link = operation(
    "create_preview_link",
    "A signed, expiring preview link for apps",
    "PreviewLink",
    status=201,
    request="PreviewLinkRequest",
    refusals=_REFUSED,
    tag="preview",
)
review_queue = operation("review_queue", "Versions waiting for my review", "ReviewQueue", tag="me")
notification_list = operation(
    "list_notifications",
    "My notifications",
    "NotificationList",
    parameters=[OpenApiParameter("unread", {"type": "string", "enum": ["true", "false"]})],
    tag="me",
)
notification_read = operation(
    "read_notification", "Mark a notification read", "Notification", tag="me"
)
media_list = operation("list_media", "The picture library", "AssetList", tag="media")
media_upload = operation(
    "upload_media",
    "Upload a picture",
    "Asset",
    status=201,
    request="AssetUpload",
    media_type="multipart/form-data",
    parameters=[IDEMPOTENCY_KEY],
    refusals={422: "The file or its facts are refused: `errors` says why."},
    tag="media",
)
media_detail = operation("get_media", "A picture", "Asset", tag="media")
media_change = operation(
    "change_media",
    "Change a picture's facts, focal point or crop",
    "Asset",
    request="AssetChange",
    refusals={422: "The facts are not valid: `errors` says why."},
    tag="media",
)
locale_list = operation("list_locales", "Locales", "LocaleList", tag="vocabularies")


def vocabulary(name: str, role: str):
    singular = name.rstrip("s")
    if role == "list":
        decorate = operation(f"list_{name}", f"The {name}", "VocabularyList", tag="vocabularies")
        method = "get"
    elif role == "translate":
        decorate = operation(
            f"translate_{singular}",
            f"Write a {singular}'s name in a locale",
            "VocabularyTranslation",
            request="VocabularyTranslationRequest",
            refusals=_REFUSED,
            tag="vocabularies",
        )
        method = "put"
    else:
        decorate = operation(
            f"approve_{singular}_translation",
            f"Approve a {singular}'s translation",
            "VocabularyTranslation",
            parameters=[IDEMPOTENCY_KEY],
            refusals=_REFUSED,
            tag="vocabularies",
        )
        method = "post"
    return _decorated(decorate, method)
