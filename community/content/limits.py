"""New-member limits and spam checks (trust level 0, in the spirit of Discourse's).

A new member may post, with a few links, images and mentions per post, a few threads and
replies in their first day and a pause between posts; every number is a field of
:class:`~community.models.CommunitySettings`, edited in the admin. A member earns full
rights with ``full_rights_posts`` published posts and ``full_rights_days`` days of
membership. Limits refuse with a message (the form keeps the text); spam checks do not
refuse but hold the post in the review queue.
"""
import re
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from community import permissions
from community.content import rendering
from community.models import CommunitySettings, ModerationLog, Post, Thread, User

LINK_RE = re.compile(r"<a\s", re.I)
IMAGE_RE = re.compile(r"<img\s", re.I)

# What one body may hold, for everyone: these bound what rendering a post can cost.
# markdown-it looks for the end of every ``[`` (a link label) token by token, up to its
# ``]`` or the end of the paragraph: 20,000 characters of unclosed ``![`` took 1.2 s, and
# 500 ``[`` before a run of ``<a`` 2 s. So the label scans a body would need are counted
# first (linear, on the text markdown-it parses inline: code blocks and fences are not),
# along with emphasis markers and backtick runs, whose matching also costs.
BODY_MAX = 20000
MAX_LINES = 1000  # each line costs the block pass; so does each table cell ("|")
MAX_PIPES = 2000
MAX_BRACKETS = 1000  # "[" outside code: links and images
MAX_LABEL_SCAN = 25_000  # tokens markdown-it would step over looking for "]"
MAX_EMPHASIS = 2000
MAX_BACKTICK_RUNS = 1000
MAX_HANDLES = 50
TOO_COMPLEX = gettext_lazy("Your post has too much markup for us to show (%(what)s). Put "
                           "listings and logs in a code block (between lines of ```).")

# Where markdown-it's text rule stops: each is at least one step of a label scan.
_STEP = re.compile(r"\\.|[\n!#$%&*+\-:<=>@\[\]^_`{}~]", re.S)
_BACKTICKS = re.compile(r"`+")


@dataclass
class Checked:
    """A body that passed :func:`content_check`."""

    rendered: rendering.Rendered
    held: str = ""  # why it waits for a host ("" when it can be published)
    mentions: set[str] = field(default_factory=set)  # who to tell: new mentions only


@cache
def _blocks():
    """markdown-it's block pass alone (linear time): which text is inline markup, which is
    code."""
    from markdown_it import MarkdownIt

    return MarkdownIt("js-default").disable("inline")


def _label_scan(inline: str) -> int:
    """How many steps markdown-it's link-label search would take in one paragraph: for
    each ``[``, the steps to the ``]`` that closes it (to the end when none does)."""
    steps, cost, open_at = 0, 0, []
    for match in _STEP.finditer(inline):
        steps += 1
        mark = match.group()
        if mark == "[":
            open_at.append(steps)
        elif mark == "]" and open_at:
            cost += steps - open_at.pop()
    return cost + sum(steps - start for start in open_at)


def size_check(body: str) -> None:
    """Refuse, before any rendering, a body too long or with so many of the constructs
    that make rendering expensive that no real post has them."""
    if len(body) > BODY_MAX:
        raise ValidationError(
            gettext("Your post has %(count)s characters; the most is %(most)s.")
            % {"count": f"{len(body):,}", "most": f"{BODY_MAX:,}"}, code="too_long")
    lines = body.count("\n") + 1
    if lines > MAX_LINES:
        raise ValidationError(
            gettext("Your post has %(count)s lines; the most is %(most)s. Share a long log or "
                    "listing as a link instead.")
            % {"count": f"{lines:,}", "most": f"{MAX_LINES:,}"}, code="too_long")
    if body.count("|") > MAX_PIPES:
        raise ValidationError(_too_complex(gettext("%(count)s table cells"), body.count("|")),
                              code="too_complex")
    inline = [tok.content for tok in _blocks().parse(body) if tok.type == "inline"]
    brackets = sum(text.count("[") for text in inline)
    if brackets > MAX_BRACKETS:
        raise ValidationError(_too_complex(gettext("%(count)s square brackets"), brackets),
                              code="too_complex")
    if sum(_label_scan(text) for text in inline) > MAX_LABEL_SCAN:
        raise ValidationError(TOO_COMPLEX % {"what": gettext("square brackets that never close")},
                              code="too_complex")
    emphasis = sum(text.count(ch) for text in inline for ch in "*_~")
    if emphasis > MAX_EMPHASIS:
        raise ValidationError(_too_complex(gettext("%(count)s *, _ and ~ marks"), emphasis),
                              code="too_complex")
    runs = sum(len(_BACKTICKS.findall(text)) for text in inline)
    if runs > MAX_BACKTICK_RUNS:
        raise ValidationError(_too_complex(gettext("%(count)s backticks"), runs),
                              code="too_complex")
    handles = len(rendering.mention_candidates(body))
    if handles > MAX_HANDLES:
        raise ValidationError(
            gettext("Your post mentions %(count)d @handles; the most is %(most)d.")
            % {"count": handles, "most": MAX_HANDLES}, code="too_complex")


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


def _too_complex(what: str, count: int) -> str:
    """``TOO_COMPLEX`` naming ``what`` (a sentence part holding ``%(count)s``)."""
    return TOO_COMPLEX % {"what": what % {"count": f"{count:,}"}}


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
            gettext("Your note contains a word this community does not allow. Change the note, or "
                    "send the invitations without one."), code="blocked_word")
    if permissions.is_new_member(inviter) and TEXT_LINK_RE.search(message):
        raise ValidationError(
            gettext("New members cannot put links or web addresses in an invitation note. Your "
                    "friends get a link to join with the invitation."), code="new_member_limit")
    left = invitations_left(inviter, now)
    if count > left:
        sentence = ngettext(
            "You can send %(left)d more invitation today and these are %(count)d.",
            "You can send %(left)d more invitations today and these are %(count)d.", left,
        ) % {"left": left, "count": count}
        advice = (gettext("New members can send a few a day until they have taken part for a "
                          "little while.") if permissions.is_new_member(inviter)
                  else gettext("Try again tomorrow."))
        raise ValidationError(f"{sentence} {advice}", code="invitations_per_day")


# Collections: a title and a short plain-text description, a few per member, a bounded
# number of threads and posts in each. Blocked words refuse (a collection is not held for
# review: it shows only what is already published); a new member's description has no links.


def collection_check(owner: User, *, title: str, description: str, creating: bool) -> None:
    """Raise ``ValidationError`` with the sentence to show when ``owner`` may not save a
    collection with this title and description (``creating``: a new one, counted against
    the member's limit)."""
    from community.models.collections import DESCRIPTION_MAX, TITLE_MAX, Collection

    title = title.strip()
    if not title:
        raise ValidationError(gettext("Give the collection a title."), code="required")
    if len(title) > TITLE_MAX:
        raise ValidationError(
            gettext("The title has %(count)d characters; the most is %(most)d.")
            % {"count": len(title), "most": TITLE_MAX}, code="too_long")
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            gettext("The description has %(count)s characters; the most is %(most)d.")
            % {"count": f"{len(description):,}", "most": DESCRIPTION_MAX}, code="too_long")
    if not permissions.is_staff_host(owner):
        lowered = f"{title}\n{description}".lower()
        if any(word in lowered for word in CommunitySettings.get().blocked()):
            raise ValidationError(gettext("The title or description contains a word this community "
                                          "does not allow."), code="blocked_word")
        if permissions.is_new_member(owner) and TEXT_LINK_RE.search(description):
            raise ValidationError(with_note(gettext(
                "New members cannot put links or web addresses in a collection's description.")),
                code="new_member_limit")
    if creating:
        new = permissions.is_new_member(owner)
        most = settings.COLLECTIONS_PER_NEW_MEMBER if new else settings.COLLECTIONS_PER_MEMBER
        if Collection.objects.live().filter(owner=owner).count() >= most:
            sentence = ngettext("You have %(count)d collection, the most you can keep.",
                                "You have %(count)d collections, the most you can keep.",
                                most) % {"count": most}
            raise ValidationError(
                with_note(sentence) if new
                else f"{sentence} {gettext('Delete one to start another.')}",
                code="new_member_limit" if new else "too_many")


def collection_item_check(collection) -> None:
    """Refuse one more item in a full collection."""
    most = settings.COLLECTION_ITEMS_MAX
    if collection.items.count() >= most:
        raise ValidationError(ngettext(
            "“%(title)s” holds %(count)d item, the most a collection can hold. Remove one, or "
            "start another collection.",
            "“%(title)s” holds %(count)d items, the most a collection can hold. Remove one, or "
            "start another collection.", most) % {"title": collection.title, "count": most},
            code="too_many")


def moment_check(*, title: str, brief: str, opens_at, closes_at) -> None:
    """A moment's text and times: a title, a brief, and a close after the opening."""
    from community.models.moments import BRIEF_MAX, TITLE_MAX

    if not title:
        raise ValidationError(gettext("Give the moment a title."), code="title")
    if len(title) > TITLE_MAX:
        raise ValidationError(gettext("Keep the title under %(most)d characters.")
                              % {"most": TITLE_MAX}, code="title")
    if not brief:
        raise ValidationError(gettext("Say in a line or two what you are asking members for."),
                              code="brief")
    if len(brief) > BRIEF_MAX:
        raise ValidationError(gettext("Keep the brief under %(most)d characters.")
                              % {"most": BRIEF_MAX}, code="brief")
    if closes_at <= opens_at:
        raise ValidationError(gettext("The moment must close after it opens."), code="times")


def moment_entry_check(moment, *, photo: bool, text: str) -> None:
    """What an entry must hold for its moment's kind of answer (the body itself then goes
    through :func:`content_check` with every post)."""
    from community.models.moments import CAPTION_MAX, STORY_MAX

    if moment.answer == "photo" and not photo:
        raise ValidationError(gettext("This moment asks for a photo: choose one to send."),
                              code="photo_required")
    if moment.answer == "story" and photo:
        raise ValidationError(gettext("This moment asks for a story, not a photo."),
                              code="no_photo")
    if not photo and not text:
        raise ValidationError(gettext("Write your story before sending it."), code="story_required")
    limit = CAPTION_MAX if photo else STORY_MAX
    if len(text) > limit:
        sentence = (gettext("Keep the caption under %(most)d characters (it has %(count)d).")
                    if photo else
                    gettext("Keep the story under %(most)d characters (it has %(count)d)."))
        raise ValidationError(sentence % {"most": limit, "count": len(text)}, code="too_long")
