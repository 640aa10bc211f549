from .audit import AUTHORING_ACTIONS, AuditAction, AuditEntry
from .content import (
    WORKING_STATES,
    ContentItem,
    EvidenceLevel,
    Version,
    VersionState,
)
from .delivery import DeliveryChange, PublishedDocument, PublishedPlanItem
from .generations import DeliveryState, DeliveryStateMissing, bump_generation
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
from .screens import Component, Plan, ReviewQueueEntry
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
    "Component",
    "ContentItem",
    "Contraindication",
    "ContraindicationAlias",
    "ContraindicationCategory",
    "ContraindicationLink",
    "DeliveryChange",
    "DeliveryKey",
    "DeliveryState",
    "DeliveryStateMissing",
    "EvidenceLevel",
    "Goal",
    "Interaction",
    "InteractionSeverity",
    "LinkSeverity",
    "Plan",
    "PlanItem",
    "PublishedDocument",
    "PublishedPlanItem",
    "ReviewQueueEntry",
    "ReviewerProfile",
    "Version",
    "VersionGoal",
    "VersionState",
    "bump_generation",
]
