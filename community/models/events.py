"""The engagement event log: the source of truth that workers consume.

Every write appends one row here in the same transaction as the fact it describes, so a lost
queue message loses nothing: a periodic sweep applies every row whose ``processed_at`` is
still empty, and applying is idempotent by event id.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import KindRegistry


def event_kind_choices() -> list[tuple[str, str]]:
    """Every registered event kind (the field's ``choices``, read when they are asked for)."""
    return EVENT_KINDS.choices()


class EngagementEvent(models.Model):
    class Kind(models.TextChoices):
        MEMBER_JOINED = "member_joined", _("Member joined")
        INVITE_SENT = "invite_sent", _("Invite sent")
        INVITE_JOINED = "invite_joined", _("Invite joined")
        PROFILE_UPDATED = "profile_updated", _("Profile updated")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")
        MEMBER_CLAIMED = "member_claimed", _("Imported account claimed")
        MEMBER_SUSPENDED = "member_suspended", _("Member suspended")
        MEMBER_UNSUSPENDED = "member_unsuspended", _("Suspension lifted")
        THREAD_CREATED = "thread_created", _("Thread created")
        POST_CREATED = "post_created", _("Post created")
        POST_EDITED = "post_edited", _("Post edited")
        POST_DELETED = "post_deleted", _("Post deleted")
        POST_APPROVED = "post_approved", _("Post approved after review")
        POST_HIDDEN = "post_hidden", _("Post hidden for review")
        THREAD_MODERATED = "thread_moderated", _("Thread moved, merged, closed or pinned")
        ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
        ANSWER_UNACCEPTED = "answer_unaccepted", _("Answer unaccepted")
        VOTE_CAST = "vote_cast", _("Vote cast")
        VOTE_WITHDRAWN = "vote_withdrawn", _("Vote withdrawn")
        FOLLOWED = "followed", _("Followed")
        ANSWER_ORDER_CHOSEN = "answer_order_chosen", _("Order of answers chosen")
        NOTICE_SETTINGS_CHANGED = "notice_settings_changed", _("Notification settings changed")
        NOTICE_LEVEL_SET = "notice_level_set", _("Notification level of a thread or space set")
        NOTICES_PAUSED = "notices_paused", _("Notifications paused")
        NOTICES_RESUMED = "notices_resumed", _("Notification pause ended")
        WELCOME_DONE = "welcome_done", _("First-visit welcome finished or skipped")
        COLLECTION_CREATED = "collection_created", _("Collection created")
        COLLECTION_EDITED = "collection_edited", _("Collection edited, deleted or restored")
        COLLECTION_ITEM_ADDED = "collection_item_added", _("Added to a collection")
        COLLECTION_ITEM_REMOVED = "collection_item_removed", _("Removed from a collection")
        COLLECTION_REORDERED = "collection_reordered", _("Collection reordered")
        COLLECTION_FEATURED = "collection_featured", _("Collection featured or unfeatured")
        MOMENT_CREATED = "moment_created", _("Moment started")
        MOMENT_EDITED = "moment_edited", _("Moment edited or closed")
        MOMENT_ENTRY_FEATURED = "moment_entry_featured", _("Moment entry featured or unfeatured")
        PRODUCT_CREATED = "product_created", _("Product added to the catalogue")
        PRODUCT_EDITED = "product_edited", _("Product edited, pictured or moved in its family")
        PRODUCTS_IMPORTED = "products_imported", _("Products imported from the shop's feed")
        TOUCH_DECIDED = "touch_decided", _("Human-touch post answered, set aside or put back")
        OWNERSHIP_DECLARED = "ownership_declared", _("Ownership of a product declared")
        OWNERSHIP_VERIFIED = (
            "ownership_verified", _("Ownership of a product verified by a purchase"))
        OWNERSHIP_REMOVED = "ownership_removed", _("Ownership of a product removed")
        OWNERSHIP_PENDING = "ownership_pending", _("A purchase kept for an address with no account")
        INITIATIVE_SAVED = (
            "initiative_saved", _("Initiative recorded, changed, deleted or restored"))
        FLAG_RAISED = "flag_raised", _("Post flagged for the hosts")
        WEBHOOK_SAVED = "webhook_saved", _("Webhook endpoint added, changed, disabled or deleted")
        WEBHOOK_PINGED = "webhook_pinged", _("Test ping sent to a webhook endpoint")
        TOKEN_CREATED = "token_created", _("API access token created")
        TOKEN_REVOKED = "token_revoked", _("API access token revoked")
        APP_SAVED = "app_saved", _("Third-party app registered or removed")
        APP_AUTHORISED = "app_authorised", _("Third-party app authorised by a member")
        APP_REVOKED = "app_revoked", _("Third-party app's access revoked by a member")
        MAIL_POSTED = "mail_posted", _("Reply by email posted")
        MAIL_REFUSED = "mail_refused", _("Reply by email refused")
        PUSH_SUBSCRIBED = "push_subscribed", _("Push notifications turned on for a device")
        PUSH_REMOVED = "push_removed", _("A device's push notifications turned off")

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
    # When the fact happened: now, or the date a write brought (the demo's history).
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
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
