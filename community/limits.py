"""New-member limits and spam checks (trust level 0, in the spirit of Discourse's).

A new member may post, with a few links, images and mentions per post, a few threads and
replies in their first day and a pause between posts; every number is a field of
:class:`~community.models.CommunitySettings`, edited in the admin. A member earns full
rights with ``full_rights_posts`` published posts and ``full_rights_days`` days of
membership. Limits refuse with a message (the form keeps the text); spam checks do not
refuse but hold the post in the review queue.
"""
import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from community import permissions
from community.models import CommunitySettings, ModerationLog, Post, Thread, User

LINK_RE = re.compile(r"<a\s", re.I)
IMAGE_RE = re.compile(r"<img\s", re.I)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def check(author: User, *, starting_thread: bool, html: str, mentions: set[str],
          now=None) -> None:
    """Raise ``ValidationError`` with a clear sentence when a new member is at a limit."""
    if not permissions.is_new_member(author):
        return
    now = now or timezone.now()
    s = CommunitySettings.get()
    limit_note = " New members have this limit until they have taken part for a little while."
    for count, most, word in (
        (len(LINK_RE.findall(html)), s.new_member_max_links, "link"),
        (len(IMAGE_RE.findall(html)), s.new_member_max_images, "image"),
        (len(mentions), s.new_member_max_mentions, "mention"),
    ):
        if count > most:
            raise ValidationError(
                f"Your post has {_plural(count, word)}; you can use at most {most} per post."
                + limit_note, code="new_member_limit")
    mine = Post.objects.filter(author=author)
    last = mine.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None:
        wait = s.new_member_post_interval - (now - last).total_seconds()
        if wait > 0:
            raise ValidationError(
                f"Please wait {int(wait) + 1} seconds before posting again." + limit_note,
                code="new_member_rate")
    if starting_thread:
        last_thread = (Thread.objects.filter(author=author).order_by("-created_at")
                       .values_list("created_at", flat=True).first())
        if last_thread is not None:
            wait = s.new_member_thread_interval - (now - last_thread).total_seconds()
            if wait > 0:
                raise ValidationError(
                    f"Please wait {int(wait) + 1} seconds before starting another thread."
                    + limit_note, code="new_member_rate")
    if author.date_joined > now - timedelta(days=1):
        if starting_thread:
            n = Thread.objects.filter(author=author).count()
            most, what = s.new_member_threads_per_day, "threads"
        else:
            n = mine.exclude(kind=Post.Kind.OPENING).count()
            most, what = s.new_member_replies_per_day, "replies"
        if n >= most:
            raise ValidationError(
                f"In your first day you can post {most} {what}; you have reached that. "
                "Come back tomorrow: your draft is kept here.", code="new_member_day")


def hold_reason(author: User, body: str) -> str:
    """Why a new post should wait for a host ("" when it can be published)."""
    if permissions.is_staff_host(author):
        return ""
    s = CommunitySettings.get()
    lowered = body.lower()
    for word in s.blocked():
        if word in lowered:
            return "Caught by the spam check (blocked words)."
    if (permissions.is_new_member(author) and s.hold_first_posts
            and Post.objects.filter(author=author).count() < s.hold_first_posts):
        return "A new member's first post waits for approval."
    return ""


def progress(user: User) -> dict | None:
    """How far a new member is from full rights (None for everyone else)."""
    if not permissions.is_new_member(user):
        return None
    s = CommunitySettings.get()
    posts = Post.objects.filter(author=user, is_deleted=False,
                                status=Post.Status.PUBLISHED).count()
    days = (timezone.now() - user.date_joined).days
    return {"posts": min(posts, s.full_rights_posts), "posts_needed": s.full_rights_posts,
            "days": min(days, s.full_rights_days), "days_needed": s.full_rights_days}


def promote_if_earned(user: User) -> bool:
    """Give a new member full rights once they have taken part enough."""
    p = progress(user)
    if p is None or p["posts"] < p["posts_needed"] or p["days"] < p["days_needed"]:
        return False
    User.objects.filter(pk=user.pk).update(trust_level=User.Trust.MEMBER)
    user.trust_level = User.Trust.MEMBER
    ModerationLog.objects.create(
        action=ModerationLog.Action.PROMOTE, target_user_id=user.pk, target_name=user.name,
        reason="Took part enough to earn full rights.")
    return True


# Invitations: every address is a mail we send in the member's name, with their note.

TEXT_LINK_RE = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/:?#]|\b))",
    re.I)


def invitations_left(inviter: User, now=None) -> int:
    """How many more invitations ``inviter`` may send today (in the last 24 hours)."""
    from community.models import Invitation

    s = CommunitySettings.get()
    most = (s.new_member_invitations_per_day if permissions.is_new_member(inviter)
            else s.invitations_per_day)
    since = (now or timezone.now()) - timedelta(days=1)
    sent = Invitation.objects.filter(inviter=inviter, kind=Invitation.Kind.EMAIL,
                                     created_at__gte=since).count()
    return max(most - sent, 0)


def check_invitations(inviter: User, *, count: int, message: str, now=None) -> None:
    """Raise ``ValidationError`` with a clear sentence when ``count`` invitations with
    ``message`` may not be sent: a blocked word in the note, a link in a new member's note,
    more invitations than are left today. Hosts have no limits."""
    if permissions.is_staff_host(inviter):
        return
    s = CommunitySettings.get()
    lowered = message.lower()
    if any(word in lowered for word in s.blocked()):
        raise ValidationError(
            "Your note contains a word this community does not allow. Change the note, or "
            "send the invitations without one.", code="blocked_word")
    if permissions.is_new_member(inviter) and TEXT_LINK_RE.search(message):
        raise ValidationError(
            "New members cannot put links or web addresses in an invitation note. Your "
            "friends get a link to join with the invitation.", code="new_member_limit")
    left = invitations_left(inviter, now)
    if count > left:
        raise ValidationError(
            f"You can send {_plural(left, 'more invitation')} today and these are {count}. "
            + ("New members can send a few a day until they have taken part for a little "
               "while." if permissions.is_new_member(inviter) else "Try again tomorrow."),
            code="invitations_per_day")
