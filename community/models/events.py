"""The engagement event log: the source of truth that workers consume.

Every write appends one row here in the same transaction as the fact it describes, so a lost
queue message loses nothing: a periodic sweep applies every row whose ``processed_at`` is
still empty, and applying is idempotent by event id.
"""
from django.conf import settings
from django.db import models


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
        # Shared purpose (the purpose app): collaboration and contribution.
        PURPOSE_REVISED = "purpose_revised", "Shared purpose revised"
        PROJECT_EDITED = "project_edited", "Project details, roles, needs or voting changed"
        PROJECT_PROPOSED = "project_proposed", "Project proposed"
        PROJECT_STATUS = "project_status", "Project status changed"
        PROJECT_JOINED = "project_joined", "Joined a project"
        PROJECT_LEFT = "project_left", "Left a project"
        PLEDGED = "pledged", "Pledged to a need"
        PLEDGE_WITHDRAWN = "pledge_withdrawn", "Pledge withdrawn"
        PROJECT_UPDATE = "project_update", "Project update posted"
        CONTRIBUTED = "contributed", "Contribution submitted"
        CONTRIBUTION_EDITED = "contribution_edited", "Contribution edited"
        CONTRIBUTION_VOTED = "contribution_voted", "Voted for a contribution"
        CONTRIBUTION_UNVOTED = "contribution_unvoted", "Vote for a contribution withdrawn"
        CONTRIBUTION_WON = "contribution_won", "Contribution won"
        # Partners (the partners app).
        PARTNER_APPLIED = "partner_applied", "Organisation applied to be a partner"
        PARTNER_DECIDED = "partner_decided", "Partner application verified or declined"
        ORGANISATION_EDITED = "organisation_edited", "Partner organisation's page edited"
        PARTNER_JOINED = "partner_joined", "Joined a partner organisation"
        PARTNER_LEFT = "partner_left", "Left or removed from a partner organisation"
        PARTNER_PUBLISHED = "partner_published", "Partner content published"
        COAUTHOR_INVITED = "coauthor_invited", "Invited to co-author partner content"
        COAUTHOR_ACCEPTED = "coauthor_accepted", "Co-authorship accepted"

    kind = models.CharField(max_length=40, choices=Kind.choices)
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
