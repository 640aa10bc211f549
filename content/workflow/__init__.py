"""The domain layer: every change to content goes through these functions.

Each action locks the rows it changes, runs its check (``checks``: who may take it, on
which state, four eyes), makes the change and appends an audit entry (``state.transition``),
all in one transaction. The admin, the API, the
management commands and the shell all call these; nothing else writes content.
"""

from .approvals import (
    ApprovalProgress,
    approval_progress,
    authors_of,
    awaiting_review_by,
    valid_approvals,
    with_approval_progress,
)
from .checks import Action
from .drafts import create_component, create_plan, discard, edit_draft, revise, roll_back
from .locales import (
    add_locale,
    approve_vocabulary_translation,
    change_locale,
    translate_vocabulary,
)
from .policy import review_policy
from .publication import (
    publish,
    publish_due,
    schedule_publication,
    schedule_withdrawal,
    withdraw,
    withdraw_due,
)
from .review import approve, request_changes, submit_for_review
from .snapshot import (
    CitationSpec,
    InteractionSpec,
    LinkSpec,
    PlanContent,
    PlanItemSpec,
    TranslationContent,
    VersionContent,
    content_hash,
    read_content,
)
from .translating import start_translation
from .translations import source_text

__all__ = [
    "Action",
    "ApprovalProgress",
    "CitationSpec",
    "InteractionSpec",
    "LinkSpec",
    "PlanContent",
    "PlanItemSpec",
    "TranslationContent",
    "VersionContent",
    "add_locale",
    "approval_progress",
    "approve",
    "approve_vocabulary_translation",
    "authors_of",
    "awaiting_review_by",
    "change_locale",
    "content_hash",
    "create_component",
    "create_plan",
    "discard",
    "edit_draft",
    "publish",
    "publish_due",
    "read_content",
    "request_changes",
    "review_policy",
    "revise",
    "roll_back",
    "schedule_publication",
    "schedule_withdrawal",
    "source_text",
    "start_translation",
    "submit_for_review",
    "translate_vocabulary",
    "valid_approvals",
    "with_approval_progress",
    "withdraw",
    "withdraw_due",
]
