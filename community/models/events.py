"""The engagement event log: the source of truth that workers consume.

Every write appends one row here in the same transaction as the fact it describes, so a lost
queue message loses nothing: a periodic sweep applies every row whose ``processed_at`` is
still empty, and applying is idempotent by event id.
"""
from django.conf import settings
from django.db import models

from .kinds import KindRegistry


def event_kind_choices() -> list[tuple[str, str]]:
    """Every registered event kind (the field's ``choices``, read when they are asked for)."""
    return EVENT_KINDS.choices()


class EngagementEvent(models.Model):
    class Kind(models.TextChoices):
        MEMBER_JOINED = "member_joined", "Member joined"
        INVITE_SENT = "invite_sent", "Invite sent"
        INVITE_JOINED = "invite_joined", "Invite joined"
        PROFILE_UPDATED = "profile_updated", "Profile updated"
        ACCOUNT_DELETED = "account_deleted", "Account deleted"
        MEMBER_CLAIMED = "member_claimed", "Imported account claimed"
        MEMBER_SUSPENDED = "member_suspended", "Member suspended"
        MEMBER_UNSUSPENDED = "member_unsuspended", "Suspension lifted"
        THREAD_CREATED = "thread_created", "Thread created"
        POST_CREATED = "post_created", "Post created"
        POST_EDITED = "post_edited", "Post edited"
        POST_DELETED = "post_deleted", "Post deleted"
        POST_APPROVED = "post_approved", "Post approved after review"
        POST_HIDDEN = "post_hidden", "Post hidden for review"
        THREAD_MODERATED = "thread_moderated", "Thread moved, merged, closed or pinned"
        ANSWER_ACCEPTED = "answer_accepted", "Answer accepted"
        ANSWER_UNACCEPTED = "answer_unaccepted", "Answer unaccepted"
        VOTE_CAST = "vote_cast", "Vote cast"
        VOTE_WITHDRAWN = "vote_withdrawn", "Vote withdrawn"
        FOLLOWED = "followed", "Followed"
        ANSWER_ORDER_CHOSEN = "answer_order_chosen", "Order of answers chosen"
        NOTICE_SETTINGS_CHANGED = "notice_settings_changed", "Notification settings changed"
        WELCOME_DONE = "welcome_done", "First-visit welcome finished or skipped"
        COLLECTION_CREATED = "collection_created", "Collection created"
        COLLECTION_EDITED = "collection_edited", "Collection edited, deleted or restored"
        COLLECTION_ITEM_ADDED = "collection_item_added", "Added to a collection"
        COLLECTION_ITEM_REMOVED = "collection_item_removed", "Removed from a collection"
        COLLECTION_REORDERED = "collection_reordered", "Collection reordered"
        COLLECTION_FEATURED = "collection_featured", "Collection featured or unfeatured"
        MOMENT_CREATED = "moment_created", "Moment started"
        MOMENT_EDITED = "moment_edited", "Moment edited or closed"
        MOMENT_ENTRY_FEATURED = "moment_entry_featured", "Moment entry featured or unfeatured"
        PRODUCT_CREATED = "product_created", "Product added to the catalogue"
        PRODUCT_EDITED = "product_edited", "Product edited, pictured or moved in its family"
        PRODUCTS_IMPORTED = "products_imported", "Products imported from the shop's feed"
        TOUCH_DECIDED = "touch_decided", "Human-touch post answered, set aside or put back"
        OWNERSHIP_DECLARED = "ownership_declared", "Ownership of a product declared"
        OWNERSHIP_VERIFIED = "ownership_verified", "Ownership of a product verified by a purchase"
        OWNERSHIP_REMOVED = "ownership_removed", "Ownership of a product removed"
        OWNERSHIP_PENDING = "ownership_pending", "A purchase kept for an address with no account"
        INITIATIVE_SAVED = "initiative_saved", "Initiative recorded, changed, deleted or restored"
        FLAG_RAISED = "flag_raised", "Post flagged for the hosts"
        WEBHOOK_SAVED = "webhook_saved", "Webhook endpoint added, changed, disabled or deleted"
        WEBHOOK_PINGED = "webhook_pinged", "Test ping sent to a webhook endpoint"
        TOKEN_CREATED = "token_created", "API access token created"
        TOKEN_REVOKED = "token_revoked", "API access token revoked"
        APP_SAVED = "app_saved", "Third-party app registered or removed"
        APP_AUTHORISED = "app_authorised", "Third-party app authorised by a member"
        APP_REVOKED = "app_revoked", "Third-party app's access revoked by a member"
        MAIL_POSTED = "mail_posted", "Reply by email posted"
        MAIL_REFUSED = "mail_refused", "Reply by email refused"

    # Community's kinds above; purpose's and partners' from their apps (``EVENT_KINDS``).
    kind = models.CharField(max_length=40, choices=event_kind_choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagement_events",
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    thread_id = models.BigIntegerField(null=True, blank=True)
    post_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(processed_at__isnull=True),
                name="event_pending_idx",
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


# The kinds an event row may have: community's here, each other app's from its ``ready()``
# (``community.engine.events.register_kinds``).
EVENT_KINDS = KindRegistry("event kind", EngagementEvent.Kind)
