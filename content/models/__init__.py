from .audit import AUTHORING_ACTIONS, AuditAction, AuditEntry
from .content import (
    WORKING_STATES,
    ContentItem,
    EvidenceLevel,
    Version,
    VersionState,
)
from .parts import (
    Citation,
    ContraindicationLink,
    Interaction,
    InteractionSeverity,
    LinkSeverity,
    VersionGoal,
)
from .reviews import Approval, ReviewerProfile
from .vocabulary import (
    Contraindication,
    ContraindicationAlias,
    ContraindicationCategory,
    Goal,
)

__all__ = [
    "AUTHORING_ACTIONS",
    "WORKING_STATES",
    "Approval",
    "AuditAction",
    "AuditEntry",
    "Citation",
    "ContentItem",
    "Contraindication",
    "ContraindicationAlias",
    "ContraindicationCategory",
    "ContraindicationLink",
    "EvidenceLevel",
    "Goal",
    "Interaction",
    "InteractionSeverity",
    "LinkSeverity",
    "ReviewerProfile",
    "Version",
    "VersionGoal",
    "VersionState",
]
