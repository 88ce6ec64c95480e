"""What hosts do to keep the room safe: flags, the review queue, suspensions, thread tools.

Every action is one transaction, checks permission, writes an append-only
:class:`~community.models.ModerationLog` row, and tells the people concerned.
"""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from community import permissions
from community.content import limits, search_index
from community.engine import answer_order, events
from community.models import (
    CommunitySettings,
    Flag,
    ModerationLog,
    Notification,
    Post,
    QuestionRoute,
    Space,
    Suspension,
    Thread,
    ThreadFollow,
    User,
)

from . import conversations

FLAG_WEIGHTS = {"staff": 3.0, "member": 2.0, "new_member": 1.0}
DEFER_AFTER_DAYS = 90
HOSTS_ONLY = gettext_lazy("Only the host team can do that.")


def log(action: str, *, actor=None, target=None, thread_id=None, post_id=None, reason="",
        **details) -> ModerationLog:
    return ModerationLog.objects.create(
        action=action, actor_id=getattr(actor, "pk", None),
        actor_name=actor.name if actor is not None else "",
        target_user_id=getattr(target, "pk", None),
        target_name=target.name if target is not None else "",
        thread_id=thread_id, post_id=post_id, reason=reason[:300], details=details,
    )


def tell(recipient_ids, kind: str, *, actor=None, thread_id=None, post_id=None,
         message: str = "") -> None:
    """In-app notices (and, for emailed kinds, an email after commit)."""
    from community.engine.enqueue import enqueue_once
    from community.engine.notifications import as_chosen

    ids = [pk for pk in dict.fromkeys(recipient_ids) if pk]
    chosen = dict(User.objects.filter(pk__in=ids).values_list("pk", "notice_settings")
                  ) if ids else {}
    Notification.objects.bulk_create(as_chosen([
        Notification(recipient_id=pk, kind=kind, actor=actor, thread_id=thread_id,
                     post_id=post_id, message=" ".join(message.split())[:500])
        for pk in ids
    ], chosen), ignore_conflicts=True)
    if ids:
        enqueue_once("community.send_notification_emails")


def _require_host(actor) -> None:
    permissions.require(permissions.can_moderate(actor), HOSTS_ONLY)


def _status_set(post: Post, status: str, reason: str = "") -> None:
    """Change a post's visibility; a thread is hidden while its opening post is."""
    Post.objects.filter(pk=post.pk).update(status=status, held_reason=reason[:200])
    post.status, post.held_reason = status, reason[:200]
    if post.kind == Post.Kind.OPENING:
        Thread.objects.filter(pk=post.thread_id).update(
            is_hidden=status != Post.Status.PUBLISHED)
    kind = events.PostApproved if status == Post.Status.PUBLISHED else events.PostHidden
    kind.record(thread=post.thread_id, post=post, subject_user=post.author_id,
                kind=post.kind, thread_kind=post.thread.kind,
                mentions=sorted(conversations.render_body(post.body).mentions))


# Flags -------------------------------------------------------------------------------

def flag_weight(user) -> float:
    return FLAG_WEIGHTS.get(
        "staff" if permissions.is_staff_host(user) else
        "new_member" if permissions.is_new_member(user) else "member", 2.0)


def pending_weight(post: Post) -> float:
    return Flag.objects.filter(post=post, status=Flag.Status.PENDING).aggregate(
        w=Sum("weight"))["w"] or 0.0


def flag_create(*, flagger: User, post: Post, reason: str, note: str = "") -> Flag:
    """Flag ``post``; past the community's threshold it is hidden until a host reviews it."""
    permissions.require(permissions.can_flag(flagger, post),
                        permissions.why_not_flag(flagger, post))
    if reason not in Flag.Reason.values:
        raise ValidationError(gettext("Choose why you are flagging this post."))
    if reason == Flag.Reason.OTHER and not note.strip():
        raise ValidationError(gettext("Tell the hosts what is wrong with this post."))
    try:
        with transaction.atomic():
            flag = Flag.objects.create(post=post, flagger=flagger, reason=reason,
                                       note=note.strip()[:300], weight=flag_weight(flagger))
            threshold = CommunitySettings.get().flag_hide_weight
            if post.status == Post.Status.PUBLISHED and pending_weight(post) >= threshold:
                _status_set(post, Post.Status.HIDDEN, "Hidden by community flags.")
                log(ModerationLog.Action.AUTO_HIDE, target=post.author, thread_id=post.thread_id,
                    post_id=post.pk, reason="Flag weight reached the threshold.",
                    weight=pending_weight(post), threshold=threshold)
            events.FlagRaised.record(actor=flagger, thread=post.thread_id, post=post,
                                     subject_user=post.author_id, reason=reason,
                                     hidden=post.status == Post.Status.HIDDEN)
    except IntegrityError:
        raise ValidationError(gettext("You already flagged this post; a host will look at it.")) \
            from None
    return flag


def _flags_resolve(post: Post, status: str, outcome: str, actor) -> None:
    pending = Flag.objects.filter(post=post, status=Flag.Status.PENDING)
    flaggers = list(pending.values_list("flagger_id", flat=True))
    pending.update(status=status, resolved_at=timezone.now())
    tell(flaggers, Notification.Kind.FLAG_OUTCOME, actor=actor, thread_id=post.thread_id,
         post_id=post.pk, message=outcome)


# The review queue ----------------------------------------------------------------------

def review_approve(*, actor: User, post: Post) -> Post:
    _require_host(actor)
    with transaction.atomic():
        was_held = post.status == Post.Status.HELD
        if was_held and post.kind != Post.Kind.OPENING:
            Thread.objects.filter(pk=post.thread_id).update(
                post_count=F("post_count") + 1,
                answer_count=F("answer_count") + (1 if post.kind == Post.Kind.ANSWER else 0),
                last_activity_at=timezone.now(),
            )
        if post.status != Post.Status.PUBLISHED:
            _status_set(post, Post.Status.PUBLISHED)
        _flags_resolve(post, Flag.Status.DECLINED, "a host kept it", actor)
        log(ModerationLog.Action.APPROVE, actor=actor, target=post.author,
            thread_id=post.thread_id, post_id=post.pk, was_held=was_held)
        if was_held:
            tell([post.author_id], Notification.Kind.MODERATED, actor=actor,
                 thread_id=post.thread_id, post_id=post.pk,
                 message=(gettext("A host approved your post in “%(title)s”")
                          % {"title": post.thread.title}))
    limits.promote_if_earned(post.author)
    return post


def review_hide(*, actor: User, post: Post, reason: str = "") -> Post:
    _require_host(actor)
    reason = reason.strip() or gettext("It breaks the community guidelines.")
    with transaction.atomic():
        if post.status != Post.Status.HIDDEN:
            _status_set(post, Post.Status.HIDDEN, reason)
        _flags_resolve(post, Flag.Status.AGREED, "a host hid it", actor)
        log(ModerationLog.Action.HIDE, actor=actor, target=post.author,
            thread_id=post.thread_id, post_id=post.pk, reason=reason)
        tell([post.author_id], Notification.Kind.MODERATED, actor=actor,
             thread_id=post.thread_id, post_id=post.pk,
             message=(gettext("A host hid your post in “%(title)s”: %(reason)s")
                      % {"title": post.thread.title, "reason": reason}))
    return post


def review_delete(*, actor: User, post: Post, reason: str = "") -> Post:
    _require_host(actor)
    reason = reason.strip() or gettext("It breaks the community guidelines.")
    with transaction.atomic():
        conversations.post_delete(actor=actor, post=post)
        Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
        _flags_resolve(post, Flag.Status.AGREED, "a host removed it", actor)
        log(ModerationLog.Action.DELETE, actor=actor, target=post.author,
            thread_id=post.thread_id, post_id=post.pk, reason=reason)
        tell([post.author_id], Notification.Kind.MODERATED, actor=actor,
             thread_id=post.thread_id, post_id=post.pk,
             message=(gettext("A host removed your post in “%(title)s”: %(reason)s")
                      % {"title": post.thread.title, "reason": reason}))
    return post


def review_edit(*, actor: User, post: Post, body: str, reason: str = "") -> Post:
    """A host rewrites a post (a link removed, a phone number masked), visibly."""
    _require_host(actor)
    permissions.require(not post.is_deleted, gettext("A deleted post cannot be edited."))
    if body == post.body:
        return post
    # The same check as every other write; the host's own standing decides the limits.
    checked = limits.content_check(post.author, body, previous=post.body, writer=actor)
    with transaction.atomic():
        conversations.text_replace(post, body, checked, editor=actor, staff=True)
        log(ModerationLog.Action.EDIT, actor=actor, target=post.author,
            thread_id=post.thread_id, post_id=post.pk, reason=reason.strip())
    return post


def review_queue():
    """Posts waiting for a host: held, hidden, or flagged and not yet reviewed, each with
    its pending flags (``pending_flags``: why, the flagger's note, who and when)."""
    from django.db.models import Count, Exists, OuterRef, Prefetch, Q

    pending = Flag.objects.filter(post=OuterRef("pk"), status=Flag.Status.PENDING)
    return (
        Post.objects.filter(Q(~Q(status=Post.Status.PUBLISHED), is_deleted=False)
                            | Q(Exists(pending), is_deleted=False))
        .select_related("author", "thread", "thread__space")
        .annotate(flag_weight=Sum("flags__weight",
                                  filter=Q(flags__status=Flag.Status.PENDING)),
                  flag_count=Count("flags", filter=Q(flags__status=Flag.Status.PENDING)))
        .prefetch_related(Prefetch(
            "flags", to_attr="pending_flags",
            queryset=Flag.objects.filter(status=Flag.Status.PENDING).select_related("flagger")
            .order_by("created_at", "pk")))
        .order_by("created_at", "pk")
    )


def defer_stale_flags(*, now=None, days: int = DEFER_AFTER_DAYS) -> int:
    """Flags nobody reviewed in ``days`` lapse; a post they alone hid is shown again."""
    now = now or timezone.now()
    stale = Flag.objects.filter(status=Flag.Status.PENDING,
                                created_at__lt=now - timedelta(days=days))
    post_ids = set(stale.values_list("post_id", flat=True))
    with transaction.atomic():
        n = stale.update(status=Flag.Status.DEFERRED, resolved_at=now)
        for post in Post.objects.filter(pk__in=post_ids, status=Post.Status.HIDDEN,
                                        held_reason="Hidden by community flags.") \
                .select_related("thread"):
            if not Flag.objects.filter(post=post, status=Flag.Status.PENDING).exists():
                _status_set(post, Post.Status.PUBLISHED)
        if n:
            log(ModerationLog.Action.DEFER, reason=f"{n} flags older than {days} days lapsed.",
                posts=sorted(post_ids))
    return n


# Suspensions ----------------------------------------------------------------------------

def suspend(*, actor: User, user: User, reason: str, ends_at) -> Suspension:
    _require_host(actor)
    permissions.require(not permissions.is_staff_host(user),
                        gettext("Hosts and admins cannot be suspended here."))
    if not reason.strip():
        raise ValidationError(gettext("Give the member a reason: they will see it."))
    if ends_at <= timezone.now():
        raise ValidationError(gettext("The end of a suspension must be in the future."))
    with transaction.atomic():
        suspension = Suspension.objects.create(user=user, reason=reason.strip()[:300],
                                               ends_at=ends_at, created_by=actor)
        log(ModerationLog.Action.SUSPEND, actor=actor, target=user, reason=reason,
            ends_at=ends_at.isoformat())
        tell([user.pk], Notification.Kind.MODERATED, actor=actor,
             message=gettext("Your account is suspended until %(day)s: %(reason)s")
             % {"day": date_format(ends_at, "d F Y"), "reason": reason.strip()})
        events.MemberSuspended.record(actor=actor, subject_user=user,
                                      ends_at=ends_at.isoformat())
    return suspension


def unsuspend(*, actor: User, user: User) -> int:
    _require_host(actor)
    with transaction.atomic():
        n = Suspension.objects.filter(user=user, lifted_at__isnull=True,
                                      ends_at__gt=timezone.now()).update(lifted_at=timezone.now())
        if n:
            log(ModerationLog.Action.UNSUSPEND, actor=actor, target=user)
            events.MemberUnsuspended.record(actor=actor, subject_user=user)
    return n


# Thread tools ----------------------------------------------------------------------------

def _thread_event(thread: Thread, actor, what: str, **more) -> None:
    events.ThreadModerated.record(actor=actor, thread=thread, action=what, **more)


def thread_flag_set(*, actor: User, thread: Thread, field: str, value: bool) -> Thread:
    """Pin, lock or feature (``field`` is ``is_pinned``, ``is_locked`` or ``is_featured``)."""
    _require_host(actor)
    actions = {
        "is_pinned": (ModerationLog.Action.PIN, ModerationLog.Action.UNPIN),
        "is_locked": (ModerationLog.Action.LOCK, ModerationLog.Action.UNLOCK),
        "is_featured": (ModerationLog.Action.FEATURE, ModerationLog.Action.UNFEATURE),
    }
    if field not in actions:
        raise ValidationError(gettext("Unknown thread tool."))
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(**{field: value})
        setattr(thread, field, value)
        log(actions[field][0 if value else 1], actor=actor, target=thread.author,
            thread_id=thread.pk)
        _thread_event(thread, actor, field, value=value)
    return thread


def thread_close(*, actor: User, thread: Thread, reason: str) -> Thread:
    _require_host(actor)
    if not reason.strip():
        raise ValidationError(gettext("Say why the thread is closed: readers see it."))
    with transaction.atomic():
        thread.closed_reason, thread.closed_at = reason.strip()[:200], timezone.now()
        thread.save(update_fields=["closed_reason", "closed_at"])
        log(ModerationLog.Action.CLOSE, actor=actor, target=thread.author,
            thread_id=thread.pk, reason=reason)
        _thread_event(thread, actor, "close")
    return thread


def thread_reopen(*, actor: User, thread: Thread) -> Thread:
    _require_host(actor)
    with transaction.atomic():
        thread.closed_reason, thread.closed_at = "", None
        thread.save(update_fields=["closed_reason", "closed_at"])
        log(ModerationLog.Action.REOPEN, actor=actor, target=thread.author, thread_id=thread.pk)
        _thread_event(thread, actor, "reopen")
    return thread


def thread_move(*, actor: User, thread: Thread, space: Space) -> Thread:
    _require_host(actor)
    if space.pk == thread.space_id:
        return thread
    with transaction.atomic():
        old = thread.space
        Space.objects.filter(pk=old.pk, thread_count__gt=0).update(
            thread_count=F("thread_count") - 1)
        Space.objects.filter(pk=space.pk).update(thread_count=F("thread_count") + 1)
        Thread.objects.filter(pk=thread.pk).update(space=space)
        thread.space = space
        log(ModerationLog.Action.MOVE, actor=actor, target=thread.author, thread_id=thread.pk,
            reason=f"From {old.name} to {space.name}", **{"from": old.pk, "to": space.pk})
        _thread_event(thread, actor, "move")
    return thread


def thread_tags_set(*, actor: User, thread: Thread, names: list[str]) -> Thread:
    """A host changes a thread's tags (what it is filed under in search and the lists)."""
    _require_host(actor)
    with transaction.atomic():
        before = sorted(thread.tags.values_list("name", flat=True))
        thread.tags.set(conversations.tags_resolve(names))
        after = sorted(thread.tags.values_list("name", flat=True))
        if before == after:
            return thread
        search_index.posts_index(thread_ids=[thread.pk])  # tag names are in every post's
        log(ModerationLog.Action.RETAG, actor=actor, target=thread.author, thread_id=thread.pk,
            reason=f"{', '.join(before) or 'none'} → {', '.join(after) or 'none'}")
        _thread_event(thread, actor, "tags", tags=after)
    return thread


def thread_merge(*, actor: User, source: Thread, target: Thread) -> Thread:
    """Merge a duplicate question into ``target``: its posts move over (after the target's
    own, in their order), its opening post becomes a reply, followers follow the target, and
    the old address sends readers on."""
    _require_host(actor)
    if source.pk == target.pk:
        raise ValidationError(gettext("A thread cannot be merged into itself."))
    if target.merged_into_id or target.is_deleted:
        raise ValidationError(gettext("Merge into a thread that is still open to readers."))
    with transaction.atomic():
        Thread.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).count()
        start = target.posts.aggregate(m=Max("position"))["m"] or 0
        moved = list(source.posts.order_by("position"))
        # After the target's last position: the (thread, position) pair never clashes.
        for offset, post in enumerate(moved, start=1):
            kind = post.kind
            if kind == Post.Kind.OPENING or (kind == Post.Kind.ANSWER and not target.is_question):
                kind = Post.Kind.REPLY if not target.is_question else Post.Kind.ANSWER
            Post.objects.filter(pk=post.pk).update(thread=target, position=start + offset,
                                                   kind=kind)
        search_index.posts_index(post_ids=[p.pk for p in moved])  # new title, new kinds
        live = [p for p in moved if not p.is_deleted]
        # The answers now compete for one thread's votes: their "most helpful" numbers anew.
        answer_order.answers_rescore(thread_ids=[target.pk])
        answers = Post.objects.filter(thread=target, kind=Post.Kind.ANSWER,
                                      is_deleted=False).count()
        Thread.objects.filter(pk=target.pk).update(
            post_count=F("post_count") + len(live), answer_count=answers,
            last_activity_at=max([target.last_activity_at] + [p.created_at for p in live]),
        )
        for user_id, level in ThreadFollow.objects.filter(thread=source).values_list(
                "user_id", "level"):  # their level goes with them; their own on the target wins
            ThreadFollow.objects.get_or_create(user_id=user_id, thread=target,
                                               defaults={"level": level})
        QuestionRoute.objects.filter(thread=source).delete()
        Thread.objects.filter(pk=source.pk).update(
            merged_into=target, is_hidden=True, opening_post=None, accepted_answer=None,
            post_count=0, answer_count=0,
        )
        Space.objects.filter(pk=source.space_id, thread_count__gt=0).update(
            thread_count=F("thread_count") - 1)
        log(ModerationLog.Action.MERGE, actor=actor, target=source.author, thread_id=target.pk,
            reason=f"“{source.title}” merged into “{target.title}”", source=source.pk)
        _thread_event(target, actor, "merge", threads=[source.pk, target.pk],
                      members=sorted({p.author_id for p in moved}))
        tell([source.author_id], Notification.Kind.MODERATED, actor=actor, thread_id=target.pk,
             message=(gettext("A host merged your thread “%(title)s” into “%(title2)s”, where it "
                              "is already being discussed") % {"title": source.title,
                                                               "title2": target.title}))
    return target


# Hosting --------------------------------------------------------------------------------

def welcome_queue(*, days: int = 14):
    """Members who joined recently, have not posted, and nobody has welcomed yet."""
    from django.db.models import Exists, OuterRef

    return (
        User.objects.filter(
            date_joined__gte=timezone.now() - timedelta(days=days), is_active=True,
            is_host=False, is_superuser=False, is_unclaimed=False, is_former_member=False,
            welcomed_at__isnull=True,
        )
        .exclude(Exists(Post.objects.filter(author=OuterRef("pk"))))
        .order_by("-date_joined", "-pk")
    )


def welcome(*, actor: User, member: User) -> bool:
    _require_host(actor)
    with transaction.atomic():
        if not User.objects.filter(pk=member.pk, welcomed_at__isnull=True).update(
                welcomed_at=timezone.now()):
            return False
        text = CommunitySettings.get().welcome_message.replace("{name}", member.name)
        tell([member.pk], Notification.Kind.WELCOME, actor=actor, message=text)
        log(ModerationLog.Action.WELCOME, actor=actor, target=member)
    return True


def introduce(*, actor: User, thread: Thread, member: User) -> bool:
    """Point a member who knows the topic at a question, so that a peer answers it."""
    _require_host(actor)
    permissions.require(thread.is_question and not thread.is_deleted,
                        gettext("Only open questions can be introduced."))
    if (member.pk == thread.author_id or permissions.is_staff_host(member)
            or not permissions.is_member(member)):
        raise ValidationError(gettext("Introduce a member other than the asker and the host team."))
    with transaction.atomic():
        _, created = QuestionRoute.objects.get_or_create(thread=thread, member=member)
        tell([member.pk], Notification.Kind.INTRODUCED, actor=actor, thread_id=thread.pk,
             post_id=thread.opening_post_id)
        log(ModerationLog.Action.INTRODUCE, actor=actor, target=member, thread_id=thread.pk)
    return created


def sessions_end(*, actor, member, request=None) -> int:
    """End every session of ``member`` (hosts for members, admins for anyone); recorded in
    the audit trail."""
    from allauth.usersessions.models import UserSession

    from community.host import audit

    permissions.require(permissions.can_moderate(actor),
                        gettext("Only hosts end members' sessions."))
    permissions.require(permissions.can_end_sessions(actor, member),
                        gettext("Only an admin ends the sessions of a host or an admin."))
    sessions = list(UserSession.objects.filter(user=member))
    for session in sessions:
        session.end()
    audit.record("sessions_ended", request=request, user=member,
                 detail=f"{len(sessions)} ended by {actor.username}")
    return len(sessions)
