"""Notifications: who hears about what, in the app and by email, and the digest.

Fan-out runs inside the engagement engine's batch (``engagement._apply``), so it happens
exactly once per event in effect; the ``one_notice_per_cause`` constraint makes a second
delivery a no-op. Emails are sent afterwards by a task that picks notices not yet emailed
(``SELECT ... FOR UPDATE SKIP LOCKED``, marks ``emailed_at``), so a lost message only delays
them until the next sweep. Every email carries a one-click unsubscribe link and the
``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers (RFC 8058); one about a thread
carries the member's signed reply address for it in ``Reply-To`` while ``MAIL_IN_DOMAIN``
is set (``engine.mail_in``).

Who is told:
- a new answer: the asker (ANSWER); a reply to a post: that post's author (REPLY); either
  one: everybody following the thread (REPLY); ``@handle``: the member mentioned (MENTION);
- a new thread: members following its space (NEW_THREAD) and those mentioned;
- an accepted answer: its author (ACCEPTED); a like or helpful vote: the post's author;
- an addition to a public collection: its followers (CURATED); someone else's post or
  thread added: its author (COLLECTED), once a day at most (the service decides, in
  ``CollectionItemAdded.author_told``); an entry to a moment featured: its author
  (FEATURED);
- never the person who acted, never deleted or former members; one notice per person per
  event, the most specific kind winning (mention > answer > reply; collected > curated);
- only as each member chose for that kind of notice, on the site and by email
  (``notice_settings``).
"""
from collections.abc import Callable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q, TextChoices
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from community.engine import notice_levels, notice_settings, notice_words, push
from community.engine.events import (
    Addressed,
    CollectionItemAdded,
    Mentioning,
    MomentEntryFeatured,
    VoteCast,
    data_of,
)
from community.engine.mail_in.address import reply_address
from community.engine.notice_words import describe, describe_group, isolated
from community.models import (
    EngagementEvent,
    Notification,
    Post,
    User,
    Vote,
)
from community.models.conversations import NOTICE_KINDS

__all__ = ["describe", "describe_group", "isolated"]  # how notices read: notice_words

Kind = Notification.Kind
EVENT = EngagementEvent.Kind

# Community's notices that are emailed; other apps' are added by ``register_notices``.
EMAILED_KINDS = frozenset({Kind.REPLY, Kind.ANSWER, Kind.ACCEPTED, Kind.MENTION,
                           Kind.NEW_THREAD, Kind.ROUTED, Kind.MODERATED, Kind.WELCOME,
                           Kind.INTRODUCED})
# One notice per person and post, the most telling: an answer that @mentions the asker
# tells them their question was answered.
PRIORITY = [Kind.ANSWER, Kind.MENTION, Kind.REPLY, Kind.NEW_THREAD]
EMAIL_BATCH = 100
UNSUBSCRIBE_SALT = "community.unsubscribe"


# The notices other apps register (``register_notices``): how each reads, and which are
# emailed. Filled from the apps' ``ready()`` in every process, never changed afterwards.
_EMAILED: set[str] = set()


def _message(notice: Notification) -> str:
    return notice.message


def register_notices(choices: type[TextChoices], *,
                     text: Callable[[Notification], str] = _message,
                     emailed: bool = True) -> None:
    """Add an app's notification kinds (from its ``AppConfig.ready()``): ``text`` says a
    notice of them in the inbox and in its email (by default the sentence the event's writer
    gave, ``Addressed.message``); ``emailed`` notices go out by email as they happen."""
    NOTICE_KINDS.register(choices)
    for kind in choices:
        notice_words.TEXTS[kind] = text
        if emailed:
            _EMAILED.add(kind)
        notice_settings.register(kind, kind.label, emailed=emailed)


def emailed_kinds() -> frozenset[str]:
    """Every notification kind that is emailed: community's and the registered ones."""
    return EMAILED_KINDS | _EMAILED


def mailable_kinds() -> frozenset[str]:
    """Every kind a member may get by email: those emailed by default and those a member
    can choose to (``notice_settings``)."""
    return emailed_kinds() | notice_settings.emailable_kinds()


class Topic:
    """What an unsubscribe link turns off: one kind of notice by email (``kind:<row>``, a
    row of ``notice_settings``, what each notice's email links to), or one of these (the
    links in mails sent before there were rows say "notifications": every notice email)."""

    KIND = "kind:"
    MUTE = "mute:"  # ``mute:<thread id>``: that thread, Muted (``notice_levels``)
    NOTIFICATIONS = "notifications"
    DIGEST = "digest"
    ROUTING = "routing"
    LISTENING = "listening"
    FIELDS = {NOTIFICATIONS: "email_notifications", DIGEST: "digest", ROUTING: "accepts_routing",
              LISTENING: "listening_digest"}
    LABELS = {
        NOTIFICATIONS: "emails about replies, answers and mentions",
        DIGEST: "the activity digest",
        ROUTING: "requests to help with questions",
        LISTENING: "the weekly “what members care about” digest",
    }


def read_in_thread(user, thread_id: int) -> int:
    """The member has opened the thread: its notices are read (the bell counts down on the
    same page). No query when they have nothing unread, as on most pages."""
    if not user.is_authenticated or not user.standing["unread"]:
        return 0
    count = Notification.objects.filter(recipient=user, thread_id=thread_id,
                                        read_at__isnull=True).update(read_at=timezone.now())
    user.standing["unread"] = max(0, user.standing["unread"] - count)  # read once a request
    return count


def unsubscribe_token(user_id: int, topic: str) -> str:
    return signing.dumps({"u": user_id, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[User, str]:
    """The member and topic of a token; raises ``signing.BadSignature`` (or ``ValueError``)."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    topic = data.get("t")
    if topic_label(topic) is None:
        raise ValueError("unknown topic")
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise ValueError("no such member")
    return user, topic


def topic_label(topic) -> str | None:
    """What the unsubscribe link of ``topic`` stops, or None for no such topic."""
    if isinstance(topic, str) and topic.startswith(Topic.KIND):
        row = notice_settings.row_by_key(topic.removeprefix(Topic.KIND))
        return f"emails about {row.label[0].lower()}{row.label[1:]}" if row else None
    if isinstance(topic, str) and topic.startswith(Topic.MUTE):
        return ("notifications from this thread (mute it)"
                if topic.removeprefix(Topic.MUTE).isdigit() else None)
    return Topic.LABELS.get(topic)


def topic_of(kind: str) -> str:
    """The unsubscribe topic of an email about a notice of ``kind``."""
    row = notice_settings.row_of(kind)
    return Topic.KIND + row.key if row else Topic.NOTIFICATIONS


def unsubscribe_apply(user: User, topic: str) -> None:
    from community.services.users import notice_settings_save

    if topic.startswith(Topic.KIND):
        notice_settings_save(actor=user, rows={topic.removeprefix(Topic.KIND): {"email": False}})
        return
    if topic.startswith(Topic.MUTE):
        from community.services.notice_levels import thread_mute_by_link

        thread_mute_by_link(actor=user, thread_id=int(topic.removeprefix(Topic.MUTE)))
        return
    field = Topic.FIELDS[topic]
    notice_settings_save(actor=user, fields={
        field: User.Digest.NONE if topic == Topic.DIGEST else False})


def as_chosen(notices: list[Notification], settings: dict[int, dict]) -> list[Notification]:
    """``notices`` as their recipients chose (``settings``: ``User.notice_settings`` by
    recipient id): a kind off on the site and by email (and by push, or with no device to
    push to) is dropped; off on the site only, the notice is kept for its email or push,
    born read and out of the inbox."""
    now = timezone.now()
    kept = []
    pushers = None  # members with a push device (``engine.push``), asked for when needed
    for notice in notices:
        chosen = settings.get(notice.recipient_id)
        site = notice_settings.wants(chosen, notice.kind, "site")
        if not site and not notice_settings.wants(chosen, notice.kind, "email"):
            if not notice_settings.wants(chosen, notice.kind, "push"):
                continue
            if pushers is None:
                pushers = push.members_with_devices(n.recipient_id for n in notices)
            if notice.recipient_id not in pushers:
                continue
        if not site:
            notice.on_site, notice.read_at = False, now
        kept.append(notice)
    return kept


class _Lookups:
    """What a batch of events needs, fetched in a handful of queries for the whole batch."""

    POST_EVENTS = (EVENT.POST_CREATED, EVENT.THREAD_CREATED, EVENT.POST_EDITED,
                   EVENT.POST_APPROVED)

    def __init__(self, events: list[EngagementEvent]):
        post_ids = {e.post_id for e in events if e.kind in self.POST_EVENTS and e.post_id}
        self.posts = {
            p.pk: p for p in Post.objects.select_related("thread", "parent").filter(
                pk__in=post_ids, is_deleted=False, thread__is_deleted=False,
                status=Post.Status.PUBLISHED)
        } if post_ids else {}
        # Every thread and space level of the batch's threads (``notice_levels``): who
        # watches, who muted; the same queries for one watcher or ten thousand.
        self.levels = notice_levels.Levels(
            {p.thread_id: p.thread.space_id for p in self.posts.values()},
            more_threads={e.thread_id for e in events})
        handles = {h for e in events if isinstance(data := data_of(e), Mentioning)
                   for h in data.mentions or []}
        # Events carry lower-cased handles; members may have capitals in theirs.
        self.handles = dict(
            User.objects.annotate(handle=Lower("username")).filter(handle__in=handles)
            .values_list("handle", "pk")
        ) if handles else {}


def _post_recipients(event: EngagementEvent, post: Post, look: _Lookups) -> dict[int, str]:
    thread = post.thread
    chosen: dict[int, str] = {}

    def offer(user_id, kind):
        if user_id and user_id != event.actor_id:
            current = chosen.get(user_id)
            if current is None or PRIORITY.index(kind) < PRIORITY.index(current):
                chosen[user_id] = kind

    created = event.kind == EVENT.POST_CREATED or (
        event.kind == EVENT.POST_APPROVED and post.kind != Post.Kind.OPENING)
    opened = event.kind == EVENT.THREAD_CREATED or (
        event.kind == EVENT.POST_APPROVED and post.kind == Post.Kind.OPENING)
    if created:
        for user_id in look.levels.watchers(thread.pk):
            offer(user_id, Kind.REPLY)
        if post.kind == Post.Kind.ANSWER:
            offer(thread.author_id, Kind.ANSWER)
        elif post.parent_id:
            offer(post.parent.author_id, Kind.REPLY)
    elif opened:
        for user_id in look.levels.new_thread_watchers(thread.pk):
            offer(user_id, Kind.NEW_THREAD)
    data = data_of(event)
    for handle in (data.mentions or []) if isinstance(data, Mentioning) else []:
        if handle in look.handles:
            offer(look.handles[handle], Kind.MENTION)
    return chosen


def _recipients(event: EngagementEvent, look: _Lookups) -> dict[int, str]:
    if event.kind in _Lookups.POST_EVENTS:
        post = look.posts.get(event.post_id)
        return _post_recipients(event, post, look) if post is not None else {}
    data = data_of(event)
    if event.kind == EVENT.ANSWER_ACCEPTED:
        if event.subject_user_id and event.subject_user_id != event.actor_id:
            return {event.subject_user_id: Kind.ACCEPTED}
    elif isinstance(data, Addressed):
        # The app that wrote the event names who hears of it (a project's followers), and
        # its kind names the notice they get.
        return {pk: data.NOTICE for pk in data.notify or [] if pk != event.actor_id}
    elif isinstance(data, MomentEntryFeatured):  # its author hears of it, not of unfeaturing
        if data.featured and event.subject_user_id and event.subject_user_id != event.actor_id:
            return {event.subject_user_id: Kind.FEATURED}
    elif isinstance(data, CollectionItemAdded):
        chosen = {pk: Kind.CURATED for pk in data.followers or [] if pk != event.actor_id}
        if data.author_told and event.subject_user_id and (
                event.subject_user_id != event.actor_id):
            chosen[event.subject_user_id] = Kind.COLLECTED
        return chosen
    elif (isinstance(data, VoteCast) and event.subject_user_id
          and event.subject_user_id != event.actor_id):
        return {event.subject_user_id: Kind.HELPFUL if data.vote == Vote.Kind.HELPFUL
                else Kind.LIKE}
    return {}


def notices_for_events(events: list[EngagementEvent]) -> list[Notification]:
    """The notices ``events`` cause (not saved), in a constant number of queries."""
    look = _Lookups(events)
    wanted = [(event, _recipients(event, look)) for event in events]
    everyone = {pk for _, recipients in wanted for pk in recipients}
    if not everyone:
        return []
    live = dict(
        User.objects.filter(pk__in=everyone, is_active=True, is_former_member=False)
        .values_list("pk", "notice_settings")
    )
    notices = []
    for event, recipients in wanted:
        message, url = _said(event)
        # A muted thread (or a thread of a muted space) tells nothing but what is fixed.
        notices += [Notification(recipient_id=user_id, kind=kind, actor_id=event.actor_id,
                                 thread_id=event.thread_id, post_id=event.post_id,
                                 message=message, url=url)
                    for user_id, kind in recipients.items() if user_id in live and (
                        notice_settings.fixed(kind)
                        or not look.levels.muted(user_id, event.thread_id))]
    return as_chosen(notices, live)


def _said(event: EngagementEvent) -> tuple[str, str]:
    """The sentence and link the writer of an addressed event gave its notices."""
    data = data_of(event)
    if isinstance(data, CollectionItemAdded):  # the collection's title, and a link to it
        return str(data.title or "")[:500], reverse("collection", args=[data.collection])
    if not isinstance(data, Addressed):
        return "", ""
    return str(data.message or "")[:500], str(data.url or "")[:300]


def fan_out(events: list[EngagementEvent]) -> int:
    """Create the notices for ``events`` (inside the engine's transaction)."""
    notices = notices_for_events(events)
    Notification.objects.bulk_create(notices, ignore_conflicts=True)
    return len(notices)


# Email -------------------------------------------------------------------------------

def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _verified(user_ids) -> set[int]:
    return set(
        EmailAddress.objects.filter(user_id__in=user_ids, verified=True, primary=True)
        .values_list("user_id", flat=True)
    )


def send_pending_emails(*, kinds=None, limit: int = EMAIL_BATCH) -> int:
    """Email notices not emailed yet (each once); returns how many notices were handled
    (sent, or skipped because the member does not want or cannot receive mail)."""
    from community.emails import language_of, send_templated

    kinds = set(kinds or mailable_kinds())
    since = timezone.now() - timedelta(days=2)  # older ones wait for the digest instead
    with transaction.atomic():
        notices = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "actor", "thread")
            .filter(emailed_at__isnull=True, created_at__gte=since, kind__in=kinds)
            .order_by("pk")[:limit]
        )
        verified = _verified([n.recipient_id for n in notices])
        now = timezone.now()
        for notice in notices:
            recipient = notice.recipient
            topic = topic_of(notice.kind)
            wants = (recipient.email_notifications
                     and not notice_settings.is_snoozed(recipient, now)
                     and notice_settings.wants(recipient.notice_settings, notice.kind, "email")
                     and (recipient.accepts_routing or notice.kind != Kind.ROUTED))
            notice.emailed_at = now
            if not (wants and recipient.email and recipient.pk in verified
                    and recipient.is_active):
                continue
            unsubscribe = _absolute(reverse("unsubscribe",
                                            args=[unsubscribe_token(recipient.pk, topic)]))
            # An owner's ask links straight into the thread (a signed link, ``owner_ask``).
            open_url = _absolute(notice.url if notice.kind == Kind.ROUTED and notice.url
                                 else reverse("notification_open", args=[notice.pk]))
            headers = {"List-Unsubscribe": f"<{unsubscribe}>",
                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
            # About a thread: answering the email posts in it (``engine.mail_in``).
            reply_to = notice.thread_id and reply_address(member_id=recipient.pk,
                                                          thread_id=notice.thread_id)
            if reply_to:
                headers["Reply-To"] = reply_to
            mute_url = notice.thread_id and _absolute(reverse("unsubscribe", args=[
                unsubscribe_token(recipient.pk, f"{Topic.MUTE}{notice.thread_id}")]))
            send_templated(
                to=recipient.email,
                template="notice",
                context={"notice": notice, "recipient": recipient, "open_url": open_url,
                         "unsubscribe_url": unsubscribe, "reply_by_email": bool(reply_to),
                         "mute_url": mute_url or "",
                         "unsubscribe_label": topic_label(topic)},
                headers=headers, language=language_of(recipient),
            )
        Notification.objects.bulk_update(notices, ["emailed_at"])
    return len(notices)


# Digest ------------------------------------------------------------------------------

DIGEST_PERIOD = {User.Digest.DAILY: timedelta(days=1), User.Digest.WEEKLY: timedelta(days=7)}


def digest_due(now=None) -> list[int]:
    now = now or timezone.now()
    due = Q()
    for choice, period in DIGEST_PERIOD.items():
        due |= Q(digest=choice) & (Q(last_digest_at__isnull=True)
                                   | Q(last_digest_at__lte=now - period))
    # A paused member gets none; the first one after the pause covers it (from the last).
    return list(User.objects.filter(due, is_active=True).exclude(email=None)
                .exclude(notices_paused_until__gt=now).values_list("pk", flat=True))


def digest_send(user_id: int, now=None) -> bool:
    """Send ``user_id`` one digest of unread notices since the last one; idempotent."""
    from community.emails import language_of, send_templated

    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if (user is None or user.digest not in DIGEST_PERIOD
                or notice_settings.is_snoozed(user, now)):
            return False
        period = DIGEST_PERIOD[user.digest]
        if user.last_digest_at and user.last_digest_at > now - period:
            return False
        notices = list(
            Notification.objects.select_related("actor", "thread")
            .filter(recipient=user, read_at__isnull=True, digested_at__isnull=True,
                    created_at__gte=user.last_digest_at or now - period)
            .order_by("-created_at")[:50]
        )
        user.last_digest_at = now
        user.save(update_fields=["last_digest_at"])
        if not notices or not user.email or user.pk not in _verified([user.pk]):
            return False
        unsubscribe = _absolute(reverse("unsubscribe",
                                        args=[unsubscribe_token(user.pk, Topic.DIGEST)]))
        send_templated(
            to=user.email,
            template="activity_digest",
            context={"recipient": user, "notices": notices, "period": user.get_digest_display(),
                     "inbox_url": _absolute(reverse("notifications")),
                     "unsubscribe_url": unsubscribe,
                     "unsubscribe_label": Topic.LABELS[Topic.DIGEST]},
            headers={"List-Unsubscribe": f"<{unsubscribe}>",
                     "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            language=language_of(user),
        )
        Notification.objects.filter(pk__in=[n.pk for n in notices]).update(digested_at=now)
    return True


def send_due_digests() -> int:
    return sum(digest_send(user_id) for user_id in digest_due())
