"""A member's limits: links, images and mentions per post for new members, the content
check every writing path calls, the posting rate, the spam hold and earning full rights."""
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from community import permissions
from community.content import rendering
from community.models import CommunitySettings, ModerationLog, Post, Thread, User

from .size import IMAGE_RE, LINK_RE, Checked, size_check


def per_post_check(author: User, *, html: str, mentions: set[str]) -> None:
    """A new member's links, images and mentions per post."""
    if not permissions.is_new_member(author):
        return
    s = CommunitySettings.get()
    for count, most, sentence in (
        (len(LINK_RE.findall(html)), s.new_member_max_links, ngettext(
            "Your post has %(count)d link; you can use at most %(most)d per post.",
            "Your post has %(count)d links; you can use at most %(most)d per post.",
            len(LINK_RE.findall(html)))),
        (len(IMAGE_RE.findall(html)), s.new_member_max_images, ngettext(
            "Your post has %(count)d image; you can use at most %(most)d per post.",
            "Your post has %(count)d images; you can use at most %(most)d per post.",
            len(IMAGE_RE.findall(html)))),
        (len(mentions), s.new_member_max_mentions, ngettext(
            "Your post has %(count)d mention; you can use at most %(most)d per post.",
            "Your post has %(count)d mentions; you can use at most %(most)d per post.",
            len(mentions))),
    ):
        if count > most:
            raise ValidationError(
                with_note(sentence % {"count": count, "most": most}), code="new_member_limit")


NEW_MEMBER_NOTE = gettext_lazy("New members have this limit until they have taken part for a "
                               "little while.")


def with_note(sentence: str) -> str:
    """``sentence`` followed by the note that new members' limits go in time."""
    return f"{sentence} {NEW_MEMBER_NOTE}"


def new_member_summary(user) -> str:
    """The new-member limits in plain words, shown before a new member writes ("" for
    everyone else), so that nobody first meets them as a refusal."""
    if not permissions.is_new_member(user):
        return ""
    s = CommunitySettings.get()
    threads = ngettext("%(count)d new thread", "%(count)d new threads",
                       s.new_member_threads_per_day) % {"count": s.new_member_threads_per_day}
    replies = ngettext("%(count)d reply", "%(count)d replies",
                       s.new_member_replies_per_day) % {"count": s.new_member_replies_per_day}
    per_post = ", ".join(phrase % {"count": n} for phrase, n in (
        (ngettext("%(count)d link", "%(count)d links", s.new_member_max_links),
         s.new_member_max_links),
        (ngettext("%(count)d image", "%(count)d images", s.new_member_max_images),
         s.new_member_max_images),
        (ngettext("%(count)d mention", "%(count)d mentions", s.new_member_max_mentions),
         s.new_member_max_mentions)))
    return gettext(
        "While you are new here: one post every %(post_interval)d seconds (a new thread every "
        "%(thread_interval)d), up to %(threads)s and %(replies)s in your first day, and at "
        "most %(per_post)s per post. These limits go once you have taken part for a little "
        "while.") % {"post_interval": s.new_member_post_interval,
                     "thread_interval": s.new_member_thread_interval, "threads": threads,
                     "replies": replies, "per_post": per_post}


def content_check(author: User, body: str, *, title: str = "", previous: str | None = None,
                  writer: User | None = None) -> Checked:
    """The one check every write of member Markdown goes through (new threads and posts,
    edits, host edits, the purpose app's texts; imports excepted): the cheap limits on the
    raw text first, then rendering, then a new member's per-post limits, then the spam
    check. Raises ``ValidationError`` with the sentence to show (the form keeps the text).

    ``author``: whose text it is (their standing decides the hold); ``writer``: who is
    writing it when that is someone else (a host editing), whose limits apply;
    ``previous``: the text being replaced, so that only new mentions are told.
    """
    from community.services.conversations import render_body

    writer = writer or author
    size_check(body)
    rendered = render_body(body, owners={author, writer})
    per_post_check(writer, html=rendered.html, mentions=rendered.mentions)
    held = hold_reason(writer, f"{title}\n{body}" if title else body,
                       first_posts=previous is None)
    mentions = set(rendered.mentions)
    if previous is not None:
        mentions -= rendering.mention_candidates(previous)
    return Checked(rendered=rendered, held=held, mentions=mentions)


def _wait_sentence(seconds: float) -> str:
    seconds = int(seconds) + 1
    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = seconds // 60 + (1 if seconds % 60 else 0)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def rate_check(author: User, *, starting_thread: bool, now=None) -> None:
    """Raise ``ValidationError`` when ``author`` is posting faster than they may: a new
    member's pause between posts and first-day counts, and every role's posts per minute
    and per hour (``CommunitySettings``; 0 is no limit). Counted from the posts table, so
    every web process agrees; call it again inside the write's transaction after
    :func:`lock_author` so that parallel requests cannot all pass it."""
    now = now or timezone.now()
    s = CommunitySettings.get()
    mine = Post.objects.filter(author=author)
    if permissions.is_new_member(author):
        _new_member_rate(author, s, mine, starting_thread=starting_thread, now=now)
    if not settings.POSTING_RATE:
        return
    if permissions.is_staff_host(author):
        windows = (
            (60, s.host_posts_per_minute, gettext("Hosts can post %(most)d times a minute")),
            (3600, s.host_posts_per_hour, gettext("Hosts can post %(most)d times an hour")))
    else:
        windows = (
            (60, s.member_posts_per_minute, gettext("Members can post %(most)d times a minute")),
            (3600, s.member_posts_per_hour, gettext("Members can post %(most)d times an hour")))
    for seconds, most, limit in windows:
        if not most:
            continue
        recent = list(mine.filter(created_at__gt=now - timedelta(seconds=seconds))
                      .order_by("-created_at").values_list("created_at", flat=True)[:most])
        if len(recent) >= most:
            wait = (recent[-1] + timedelta(seconds=seconds) - now).total_seconds()
            raise ValidationError(
                gettext("%(limit)s; you have reached that. Please wait %(wait)s: your text is "
                        "kept here.") % {"limit": limit % {"most": most},
                                         "wait": _wait_sentence(max(wait, 0))},
                code="rate_limit")


def _new_member_rate(author, s, mine, *, starting_thread: bool, now) -> None:
    last = mine.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None:
        wait = s.new_member_post_interval - (now - last).total_seconds()
        if wait > 0:
            seconds = int(wait) + 1
            raise ValidationError(with_note(ngettext(
                "Please wait %(count)d second before posting again.",
                "Please wait %(count)d seconds before posting again.", seconds)
                % {"count": seconds}), code="new_member_rate")
    if starting_thread:
        last_thread = (Thread.objects.filter(author=author).order_by("-created_at")
                       .values_list("created_at", flat=True).first())
        if last_thread is not None:
            wait = s.new_member_thread_interval - (now - last_thread).total_seconds()
            if wait > 0:
                seconds = int(wait) + 1
                raise ValidationError(with_note(ngettext(
                    "Please wait %(count)d second before starting another thread.",
                    "Please wait %(count)d seconds before starting another thread.", seconds)
                    % {"count": seconds}), code="new_member_rate")
    if author.date_joined > now - timedelta(days=1):
        if starting_thread:
            n = Thread.objects.filter(author=author).count()
            most = s.new_member_threads_per_day
            sentence = ngettext(
                "In your first day you can post %(most)d thread; you have reached that. Come "
                "back tomorrow: your draft is kept here.",
                "In your first day you can post %(most)d threads; you have reached that. Come "
                "back tomorrow: your draft is kept here.", most)
        else:
            n = mine.exclude(kind=Post.Kind.OPENING).count()
            most = s.new_member_replies_per_day
            sentence = ngettext(
                "In your first day you can post %(most)d reply; you have reached that. Come "
                "back tomorrow: your draft is kept here.",
                "In your first day you can post %(most)d replies; you have reached that. Come "
                "back tomorrow: your draft is kept here.", most)
        if n >= most:
            raise ValidationError(sentence % {"most": most}, code="new_member_day")


def refusal_status(error: ValidationError) -> int:
    """The HTTP status a refused write answers with: 429 for posting too fast or past the
    day's photo quota, else 400."""
    codes = {getattr(e, "code", None) for e in getattr(error, "error_list", [error])}
    return 429 if codes & {"rate_limit", "upload_quota"} else 400


AUTHOR_LOCK = 0x706F7374  # "post": the first key of the per-author advisory lock


def lock_author(author: User) -> None:
    """Inside the write's transaction: one post at a time per author, so that the rate
    check that follows sees every earlier post (the lock lasts until commit).

    A PostgreSQL advisory lock, not a lock on the user's row: the engagement worker writes
    threads' and then members' scores in one transaction, so a post holding its author's
    row while it waits for its thread's would deadlock with it (the soak test found it)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [AUTHOR_LOCK, author.pk])
    else:
        User.objects.select_for_update().filter(pk=author.pk).values_list("pk").first()


def hold_reason(author: User, body: str, *, first_posts: bool = True) -> str:
    """Why a post should wait for a host ("" when it can be published). ``first_posts``:
    a new member's first posts are held too (a new post, not an edit)."""
    if permissions.is_staff_host(author):
        return ""
    s = CommunitySettings.get()
    lowered = body.lower()
    for word in s.blocked():
        if word in lowered:
            return "Caught by the spam check (blocked words)."
    if (first_posts and permissions.is_new_member(author) and s.hold_first_posts
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
