from .audit import AuditRecord
from .collections import Collection, CollectionFollow, CollectionItem
from .commerce import Ownership, PendingOwnership, Product, ProductImage, PurchaseDelivery
from .conversations import (
    Notification,
    Post,
    PostRevision,
    QuestionRoute,
    SearchWord,
    Space,
    SpaceFollow,
    Tag,
    TagFollow,
    TagSynonym,
    Thread,
    ThreadFollow,
    Vote,
)
from .drafts import Draft
from .events import EngagementEvent
from .imports import ImportedObject
from .invitations import Invitation
from .listening import PostSignal, SearchMiss
from .mail_in import InboundMail
from .media import PostImage
from .moderation import CommunitySettings, Flag, ModerationLog, Suspension
from .moments import Moment, MomentEntry
from .push import PushMessage, PushSubscription
from .strategy import Initiative
from .tokens import AccessToken
from .users import User
from .webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "AccessToken",
    "AuditRecord",
    "Collection",
    "CollectionFollow",
    "CollectionItem",
    "CommunitySettings",
    "Ownership",
    "PendingOwnership",
    "Product",
    "ProductImage",
    "PurchaseDelivery",
    "Draft",
    "Flag",
    "ImportedObject",
    "InboundMail",
    "Initiative",
    "ModerationLog",
    "Moment",
    "MomentEntry",
    "Suspension",
    "EngagementEvent",
    "Invitation",
    "Notification",
    "Post",
    "PostImage",
    "PostRevision",
    "PostSignal",
    "PushMessage",
    "PushSubscription",
    "QuestionRoute",
    "SearchMiss",
    "SearchWord",
    "Space",
    "SpaceFollow",
    "Tag",
    "TagFollow",
    "TagSynonym",
    "Thread",
    "ThreadFollow",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "Vote",
]
