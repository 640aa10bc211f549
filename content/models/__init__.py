from .audit import AUTHORING_ACTIONS, AuditAction, AuditEntry
from .content import (
    WORKING_STATES,
    ContentItem,
    EvidenceLevel,
    Version,
    VersionState,
)
from .delivery import DeliveryState, PublishedDocument, PublishedPlanItem
from .keys import DeliveryKey
from .parts import (
    Citation,
    ContraindicationLink,
    Interaction,
    InteractionSeverity,
    LinkSeverity,
    PlanItem,
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
    "DeliveryKey",
    "DeliveryState",
    "EvidenceLevel",
    "Goal",
    "Interaction",
    "InteractionSeverity",
    "LinkSeverity",
    "PlanItem",
    "PublishedDocument",
    "PublishedPlanItem",
    "ReviewerProfile",
    "Version",
    "VersionGoal",
    "VersionState",
]
