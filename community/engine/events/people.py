"""Community's kinds about people: joining, invitations, profiles, notice settings,
welcomes, claims and suspensions."""
from __future__ import annotations

from .declaring import Kind, Payload, declare, optional


@declare(Kind.MEMBER_JOINED, ids=("actor",))
class MemberJoined(Payload):
    pass


@declare(Kind.INVITE_SENT, ids=("actor",))
class InviteSent(Payload):
    invitation: int
    mailed: bool


@declare(Kind.INVITE_JOINED, ids=("actor", "subject_user"))
class InviteJoined(Payload):
    invitation: int


@declare(Kind.PROFILE_UPDATED, ids=("actor",))
class ProfileUpdated(Payload):
    pass


@declare(Kind.ACCOUNT_DELETED, ids=("threads", "members"))
class AccountDeleted(Payload):
    """The threads the member wrote in and the former-member account are rescored."""

    deleted_account: int
    removed_posts: bool


@declare(Kind.NOTICE_SETTINGS_CHANGED, ids=("actor",))
class NoticeSettingsChanged(Payload):
    """A member's choice of which notices they get, on the site and by email (their
    settings page, or an email's unsubscribe link)."""

    changed: list[str]  # the settings rows, and "email", "digest" or "routing", changed


@declare(Kind.NOTICE_LEVEL_SET, ids=("actor", "thread"))
class NoticeLevelSet(Payload):
    """A member set their notification level of a thread (the ``thread`` column) or a
    space (``space``); ``level`` "normal" with no row left means back to the default."""

    level: str  # ThreadFollow.Level or SpaceFollow.Level
    space: int | None = optional()


@declare(Kind.NOTICES_PAUSED, ids=("actor",))
class NoticesPaused(Payload):
    """A member paused their notifications (no email, no push) until ``until`` (ISO)."""

    until: str


@declare(Kind.NOTICES_RESUMED, ids=("actor",))
class NoticesResumed(Payload):
    """A member ended their pause before its end (``early``) or it was cleared."""

    early: bool = True


NOTICE_LEVEL_KINDS = (NoticeLevelSet, NoticesPaused, NoticesResumed)


@declare(Kind.WELCOME_DONE, ids=("actor",))
class WelcomeDone(Payload):
    """A new member finished the first-visit welcome, or skipped it (``outcome``)."""

    outcome: str  # "finished" or "skipped"


@declare(Kind.MEMBER_CLAIMED, ids=("actor",))
class MemberClaimed(Payload):
    """An imported account claimed by its person (their name shows as claimed)."""


@declare(Kind.MEMBER_SUSPENDED, ids=("actor", "subject_user"))
class MemberSuspended(Payload):
    ends_at: str  # ISO date and time


@declare(Kind.MEMBER_UNSUSPENDED, ids=("actor", "subject_user"))
class MemberUnsuspended(Payload):
    pass
