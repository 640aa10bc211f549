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
    VersionContent,
    content_hash,
    read_content,
)

__all__ = [
    "Action",
    "ApprovalProgress",
    "CitationSpec",
    "InteractionSpec",
    "LinkSpec",
    "PlanContent",
    "PlanItemSpec",
    "VersionContent",
    "approval_progress",
    "approve",
    "authors_of",
    "awaiting_review_by",
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
    "submit_for_review",
    "valid_approvals",
    "with_approval_progress",
    "withdraw",
    "withdraw_due",
]
