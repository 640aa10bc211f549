from .audit import AUTHORING_ACTIONS, AuditAction, AuditEntry
from .content import (
    WORKING_STATES,
    ContentItem,
    EvidenceLevel,
    Version,
    VersionState,
)
from .delivery import DeliveryChange, PublishedDocument, PublishedPlanItem
from .editorial import IdempotentRequest, PersonalToken, PreviewLink
from .events import (
    DeliveryStatus,
    Event,
    EventType,
    PeriodicRun,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from .generations import DeliveryState, DeliveryStateMissing, bump_generation
from .keys import DeliveryKey
from .locales import (
    ContraindicationTranslation,
    GoalTranslation,
    Locale,
    canonical_locale,
)
from .media import Asset, CropRatio, MediaLink, MediaRole, Rendition, RenditionFormat
from .notifications import (
    DEFAULT_DELIVERY,
    Delivery,
    DigestRun,
    Notification,
    NotificationKind,
    NotificationPreference,
)
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
    "DEFAULT_DELIVERY",
    "WORKING_STATES",
    "Approval",
    "Asset",
    "AuditAction",
    "AuditEntry",
    "Citation",
    "Component",
    "ContentItem",
    "Contraindication",
    "ContraindicationAlias",
    "ContraindicationCategory",
    "ContraindicationLink",
    "ContraindicationTranslation",
    "CropRatio",
    "Delivery",
    "DeliveryChange",
    "DeliveryKey",
    "DeliveryState",
    "DeliveryStateMissing",
    "DeliveryStatus",
    "DigestRun",
    "Event",
    "EventType",
    "EvidenceLevel",
    "Goal",
    "GoalTranslation",
    "IdempotentRequest",
    "Interaction",
    "InteractionSeverity",
    "LinkSeverity",
    "Locale",
    "MediaLink",
    "MediaRole",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "PeriodicRun",
    "PersonalToken",
    "Plan",
    "PlanItem",
    "PreviewLink",
    "PublishedDocument",
    "PublishedPlanItem",
    "Rendition",
    "RenditionFormat",
    "ReviewQueueEntry",
    "ReviewerProfile",
    "Version",
    "VersionGoal",
    "VersionState",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "bump_generation",
    "canonical_locale",
]
