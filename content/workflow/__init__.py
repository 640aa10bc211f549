"""The domain layer: every change to content goes through these functions.

Each action checks who may do it, checks the version's state under a row lock, makes the
change and appends an audit entry, all in one transaction. The admin, the API, the
management commands and the shell all call these; nothing else writes content.
"""

from .drafts import create_component, create_plan, edit_draft, revise, roll_back
from .policy import authors_of, review_policy
from .publication import publish, publish_due, schedule_publication, withdraw
from .review import (
    approve,
    awaiting_review_by,
    request_changes,
    submit_for_review,
    valid_approvals,
)
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
    "CitationSpec",
    "InteractionSpec",
    "LinkSpec",
    "PlanContent",
    "PlanItemSpec",
    "VersionContent",
    "approve",
    "authors_of",
    "awaiting_review_by",
    "content_hash",
    "create_component",
    "create_plan",
    "edit_draft",
    "publish",
    "publish_due",
    "read_content",
    "request_changes",
    "review_policy",
    "revise",
    "roll_back",
    "schedule_publication",
    "submit_for_review",
    "valid_approvals",
    "withdraw",
]
