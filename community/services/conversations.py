"""Starting threads and writing posts.

Each public function checks permission, writes in one transaction, bumps counters with
``F()`` and appends the ``EngagementEvent`` that the engagement engine processes.
"""
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

from community import permissions, words
from community.commerce import owners
from community.content import limits, rendering, search_index
from community.content import tags as tag_names
from community.engine import answer_order, events
from community.models import (
    Post,
    PostRevision,
    Product,
    Space,
    SpaceFollow,
    Tag,
    TagFollow,
    TagSynonym,
    Thread,
    ThreadFollow,
    Vote,
)
from community.models import User as UserModel

from . import drafts, media
from .users import ACCOUNT_CONTENT_HANDLERS

MAX_TAGS = 5
REMOVED_HTML = "<p><em>This post was removed by its author.</em></p>"
DELETE_REFUSAL = gettext_lazy("You can only delete your own posts.")


def author_role_of(user) -> str:
    """Staff, partner or member (:func:`community.words.role_of`)."""
    return words.role_of(user)


def existing_handles(candidates: set[str]) -> set[str]:
    """Which of the lower-cased ``candidates`` are handles of members (one query)."""
    return set(
        UserModel.objects.annotate(handle=Lower("username"))
        .filter(handle__in=candidates, is_active=True, is_former_member=False)
        .values_list("handle", flat=True)
    )


def render_body(body: str, *, owners=()) -> rendering.Rendered:
    """``body`` as stored HTML: mentions of existing members, and the photos it names that
    are in a post already or were uploaded by one of ``owners`` (its author, a host editing
    it) and wait for one (``services.media``)."""
    return rendering.render(body, existing_handles=existing_handles,
                            uploads=media.uploads_for(owners))


def render_stored(body: str, body_format: str) -> rendering.Rendered:
    """A stored body rendered again: imported HTML sanitised, our markdown rendered."""
    return rendering.sanitize_html(body) if body_format == "html" else render_body(body)


def tags_resolve(names: Iterable[str]) -> list[Tag]:
    """Tags for a thread's typed names (at most ``MAX_TAGS``): synonyms map to their tag,
    unknown names become new tags; markup or mixed alphabets are refused
    (``ValidationError``, ``content.tags``)."""
    names = list(names)
    if refusal := tag_names.problems(names):
        raise ValidationError(refusal, code="tag")
    slugs = list(dict.fromkeys(s for s in (tag_names.tag_name(n) for n in names) if s))[:MAX_TAGS]
    by_slug = tags_by_slug(slugs)
    return list(dict.fromkeys(by_slug[s] for s in slugs if s in by_slug))


def tags_by_slug(names: Iterable[str]) -> dict[str, Tag]:
    """Every typed name's tag, keyed by its normal form (``content.tags.tag_name``), however
    many there are (an importer resolves a whole batch of threads' tags in one call)."""
    slugs = list(dict.fromkeys(s for s in (tag_names.tag_name(n) for n in names) if s))
    synonyms = dict(
        TagSynonym.objects.filter(name__in=slugs).values_list("name", "tag__name")
    )
    wanted = list(dict.fromkeys(synonyms.get(s, s) for s in slugs))
    existing = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    missing = [Tag(name=n) for n in wanted if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    return {s: existing[synonyms.get(s, s)] for s in slugs if synonyms.get(s, s) in existing}


def _update_search_vector(thread_id: int) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from community.content.search import VECTOR_SQL

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE community_thread SET search_vector = {VECTOR_SQL} "  # noqa: S608  # nosec B608
                       "WHERE id = %s", [thread_id])


def thread_create(*, author: UserModel, space: Space, kind: str, title: str, body: str,
                  tags: Iterable[str] = (), created_at=None, hold: str = "",
                  draft_place: str | None = None, product: Product | None = None) -> Thread:
    """Open a thread with its first post. ``created_at`` is for imports and the demo;
    ``hold``: a reason to send it to the review queue whatever the author's standing;
    ``draft_place``: the composer's place the text was written in, whose draft is sent with
    it (``ask:<kind>`` unless another app's page wrote it; empty: none); ``product``: the
    product a question is about (asked from its page): it goes to the product's space when
    it has one, and carries the product's tag."""
    if product is not None:
        if kind != Thread.Kind.QUESTION:
            raise ValidationError(gettext("Only a question is asked about a product."),
                                  code="product")
        space = product.space or space
        if product.tag_id:
            tags = [product.tag.name, *tags]
    permissions.require(permissions.can_start_thread(author, kind),
                        lambda: permissions.why_not_start(author, kind))
    now = created_at or timezone.now()
    live = created_at is None  # imports and the demo bring their own dates and no limits
    if live:
        limits.rate_check(author, starting_thread=True, now=now)  # cheap, before rendering
        checked = limits.content_check(author, body, title=title)
        rendered, held = checked.rendered, hold or checked.held
    else:
        rendered, held = render_body(body, owners=[author]), hold
    role = author_role_of(author)
    with transaction.atomic():
        if live:  # again, under the author's lock: parallel requests see each other
            limits.lock_author(author)
            limits.rate_check(author, starting_thread=True)
        thread = Thread.objects.create(
            space=space,
            kind=kind,
            title=title.strip(),
            slug=slugify(title)[:80] or "thread",
            author=author,
            author_is_staff=role == Post.Role.STAFF,
            created_at=now,
            last_activity_at=now,
            post_count=1,
            search_body=rendered.text[:20000],
            is_hidden=bool(held),
            product=product,
        )
        post = Post.objects.create(
            thread=thread,
            kind=Post.Kind.OPENING,
            author=author,
            author_role=role,
            position=1,
            body=body,
            body_html=rendered.html,
            render_version=rendered.version,
            created_at=now,
            status=Post.Status.HELD if held else Post.Status.PUBLISHED,
            held_reason=held,
        )
        thread.opening_post = post
        thread.save(update_fields=["opening_post"])
        photos = media.images_attach(post, owners=[author])
        if tags:
            thread.tags.set(tags_resolve(tags))
        ThreadFollow.objects.get_or_create(user=author, thread=thread)
        Space.objects.filter(pk=space.pk).update(thread_count=F("thread_count") + 1)
        _update_search_vector(thread.pk)
        search_index.posts_index(post_ids=[post.pk])
        events.ThreadCreated.record(
            actor=author, thread=thread, post=post,
            kind=kind, space=space.pk, mentions=sorted(rendered.mentions), held=bool(held),
            photos=photos or None, owners_asked=product.pk if product is not None else None,
            at=created_at,
        )
        if live:
            drafts.draft_discard(member=author, place=f"ask:{kind}" if draft_place is None
                                 else draft_place)
    if not held and created_at is None:
        limits.promote_if_earned(author)
    return thread


def post_create(*, author: UserModel, thread: Thread, body: str, parent: Post | None = None,
                created_at=None, moment: int | None = None) -> Post:
    """Reply in ``thread``: an answer to a question, or a reply (to ``parent`` if given),
    which sends the author's draft for the thread (``reply:<thread>``). ``moment``: the post
    is an entry to that moment (``services.moments.entry_create``), written in the moment's
    own form, not the thread's composer: the draft stays."""
    permissions.require(permissions.can_reply(author, thread),
                        lambda: permissions.why_not(author, thread))
    if parent is not None and parent.thread_id != thread.pk:
        parent = None
    permissions.require(parent is None or permissions.can_see_post(author, parent, thread),
                        gettext("You cannot reply to that post: it was deleted or is not shown."))
    kind = Post.Kind.ANSWER if thread.is_question and parent is None else Post.Kind.REPLY
    now = created_at or timezone.now()
    live = created_at is None  # imports and the demo bring their own dates and no limits
    if live:
        limits.rate_check(author, starting_thread=False, now=now)  # cheap, before rendering
        checked = limits.content_check(author, body)
        rendered, held = checked.rendered, checked.held
    else:
        rendered, held = render_body(body, owners=[author]), ""
    with transaction.atomic():
        if live:  # again, under the author's lock (taken before the thread's, always)
            limits.lock_author(author)
            limits.rate_check(author, starting_thread=False)
        # Lock the thread row: positions are numbered in order, one writer at a time.
        locked = Thread.objects.select_for_update().only("pk").get(pk=thread.pk)
        position = (locked.posts.aggregate(m=Max("position"))["m"] or 0) + 1
        post = Post.objects.create(
            thread=thread,
            kind=kind,
            author=author,
            author_role=author_role_of(author),
            parent=parent,
            position=position,
            body=body,
            body_html=rendered.html,
            render_version=rendered.version,
            created_at=now,
            status=Post.Status.HELD if held else Post.Status.PUBLISHED,
            held_reason=held,
        )
        photos = media.images_attach(post, owners=[author])
        if not held:  # a held post counts once a host approves it
            Thread.objects.filter(pk=thread.pk).update(
                post_count=F("post_count") + 1,
                answer_count=F("answer_count") + (1 if kind == Post.Kind.ANSWER else 0),
                last_activity_at=now,
            )
        ThreadFollow.objects.get_or_create(user=author, thread=thread)
        search_index.posts_index(post_ids=[post.pk])
        events.PostCreated.record(
            actor=author, subject_user=parent.author_id if parent else thread.author_id,
            thread=thread, post=post,
            kind=kind, mentions=sorted(rendered.mentions), held=bool(held), moment=moment,
            photos=photos or None,
            owner=owners.owned_product_answered(thread, author.pk)
            if kind == Post.Kind.ANSWER else None, at=created_at,
        )
        if live and moment is None:
            drafts.draft_discard(member=author, place=f"reply:{thread.pk}")
    if not held and created_at is None:
        limits.promote_if_earned(author)
    return post


def answer_accept(*, actor: UserModel, answer: Post) -> Thread:
    """Mark ``answer`` as the one that solved its question (replacing any earlier choice)."""
    thread = answer.thread
    permissions.require(
        permissions.can_accept_answer(actor, thread),
        gettext("Only the person who asked, or a host, can accept an answer."),
    )
    permissions.require(
        answer.kind == Post.Kind.ANSWER and not answer.is_deleted,
        gettext("Only an answer can be accepted."),
    )
    with transaction.atomic():
        now = timezone.now()
        Thread.objects.filter(pk=thread.pk).update(accepted_answer=answer, accepted_at=now)
        thread.accepted_answer, thread.accepted_at = answer, now
        events.AnswerAccepted.record(actor=actor, subject_user=answer.author_id, thread=thread,
                                     post=answer)
    return thread


def vote_cast(*, voter: UserModel, post: Post, kind: str) -> bool:
    """Add ``voter``'s like or helpful vote; False when it was already there."""
    permissions.require(permissions.can_vote(voter, post),
                        lambda: permissions.why_not_vote(voter, post))
    permissions.require(
        kind == Vote.Kind.LIKE or post.kind == Post.Kind.ANSWER,
        gettext("Only answers can be marked helpful."),
    )
    counter = "helpful_count" if kind == Vote.Kind.HELPFUL else "like_count"
    with transaction.atomic():
        vote, created = Vote.objects.get_or_create(post=post, voter=voter, kind=kind)
        if not created:
            return False
        Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
        if kind == Vote.Kind.HELPFUL:  # the thread's "most helpful" order
            answer_order.vote_counted(post, change=1, cast_at=vote.created_at)
        if kind == Vote.Kind.LIKE:
            Thread.objects.filter(pk=post.thread_id).update(like_count=F("like_count") + 1)
        events.VoteCast.record(actor=voter, subject_user=post.author_id, thread=post.thread_id,
                               post=post, vote=kind)
    return True


def answer_unaccept(*, actor: UserModel, thread: Thread, answer: Post | None = None) -> Thread:
    """No accepted answer any more; with ``answer``, only if that one is the accepted one (a
    repeated "Unaccept", a stale page, must not touch a later choice)."""
    permissions.require(
        permissions.can_accept_answer(actor, thread),
        gettext("Only the person who asked, or a host, can change the accepted answer."),
    )
    if answer is not None and thread.accepted_answer_id != answer.pk:
        return thread
    with transaction.atomic():
        previous = thread.accepted_answer_id
        Thread.objects.filter(pk=thread.pk).update(accepted_answer=None, accepted_at=None)
        thread.accepted_answer, thread.accepted_at = None, None
        if previous:
            events.AnswerUnaccepted.record(actor=actor, thread=thread, post=previous)
    return thread


def vote_withdraw(*, voter: UserModel, post: Post, kind: str) -> bool:
    """Undo ``voter``'s vote; False when there was none. Who may vote may withdraw: not a
    suspended member, not on a post they can no longer see."""
    permissions.require(permissions.can_vote(voter, post),
                        lambda: permissions.why_not_vote(voter, post))
    counter = "helpful_count" if kind == Vote.Kind.HELPFUL else "like_count"
    with transaction.atomic():
        vote = Vote.objects.filter(post=post, voter=voter, kind=kind).only("created_at").first()
        if vote is None:
            return False
        vote.delete()
        Post.objects.filter(pk=post.pk, **{f"{counter}__gt": 0}).update(
            **{counter: F(counter) - 1}
        )
        if kind == Vote.Kind.HELPFUL:
            answer_order.vote_counted(post, change=-1, cast_at=vote.created_at)
        if kind == Vote.Kind.LIKE:
            Thread.objects.filter(pk=post.thread_id, like_count__gt=0).update(
                like_count=F("like_count") - 1
            )
        events.VoteWithdrawn.record(actor=voter, subject_user=post.author_id,
                                    thread=post.thread_id, post=post, vote=kind)
    return True


def post_edit(*, actor: UserModel, post: Post, body: str) -> Post:
    """Change a post's text, keeping the previous text as a revision (staff can read it).

    The new text passes the same check as a new post (``limits.content_check``): limits
    refuse it, the spam check sends the post back to the review queue, and only mentions
    the edit adds are told. The editor's draft of the edit (``edit:<post>``) goes with it."""
    permissions.require(permissions.can_edit_post(actor, post),
                        lambda: permissions.why_not_edit_post(actor, post))
    if body == post.body:
        drafts.draft_discard(member=actor, place=f"edit:{post.pk}")
        return post
    checked = limits.content_check(actor, body, previous=post.body)
    with transaction.atomic():
        text_replace(post, body, checked, editor=actor)
        drafts.draft_discard(member=actor, place=f"edit:{post.pk}")
    return post


def text_replace(post: Post, body: str, checked: "limits.Checked", *, editor: UserModel,
                 staff: bool = False) -> None:
    """Store a checked new text for ``post`` (inside the caller's transaction): the old one
    kept as a revision, the search index of the post (and the thread's search text for an
    opening post), a published post held
    again when the spam check caught the new text."""
    rendered = checked.rendered
    PostRevision.objects.create(post=post, body=post.body, edited_by=editor)
    post.body, post.body_html, post.render_version = body, rendered.html, rendered.version
    post.body_format = "markdown"
    post.edited_at = timezone.now()
    fields = ["body", "body_html", "render_version", "edited_at", "body_format"]
    if staff:
        post.staff_edited_at = post.edited_at
        fields.append("staff_edited_at")
    newly_held = bool(checked.held) and post.status == Post.Status.PUBLISHED
    if newly_held:
        post.status, post.held_reason = Post.Status.HELD, checked.held[:200]
        fields += ["status", "held_reason"]
    post.save(update_fields=fields)
    # The photos of the post's author, or of the host rewriting it, that the text shows.
    taken = media.images_attach(post, owners={post.author_id, editor.pk})
    if newly_held:  # out of the thread until a host approves it (which counts it again)
        if post.kind == Post.Kind.OPENING:
            Thread.objects.filter(pk=post.thread_id).update(is_hidden=True)
        else:
            Thread.objects.filter(pk=post.thread_id, post_count__gt=0).update(
                post_count=F("post_count") - 1,
                answer_count=F("answer_count") - (1 if post.kind == Post.Kind.ANSWER else 0))
    if post.kind == Post.Kind.OPENING:
        Thread.objects.filter(pk=post.thread_id).update(search_body=rendered.text[:20000])
        _update_search_vector(post.thread_id)
    search_index.posts_index(post_ids=[post.pk])
    events.PostEdited.record(actor=editor, subject_user=post.author_id, thread=post.thread_id,
                             post=post, mentions=sorted(checked.mentions), held=newly_held,
                             staff=staff, photos=media.photos_first(post, taken=taken))


def post_delete(*, actor: UserModel, post: Post) -> Post:
    """Soft delete: the text is hidden, the place in the thread (and replies to it) stays."""
    permissions.require(permissions.can_delete_post(actor, post), DELETE_REFUSAL)
    if post.is_deleted:
        return post
    with transaction.atomic():
        post.is_deleted, post.deleted_at = True, timezone.now()
        post.save(update_fields=["is_deleted", "deleted_at"])
        updates = {}
        if post.kind == Post.Kind.ANSWER:
            updates["answer_count"] = F("answer_count") - 1
        Thread.objects.filter(pk=post.thread_id).update(post_count=F("post_count") - 1, **updates)
        if post.kind == Post.Kind.OPENING:
            Thread.objects.filter(pk=post.thread_id).update(is_deleted=True)
            Space.objects.filter(pk=post.thread.space_id, thread_count__gt=0).update(
                thread_count=F("thread_count") - 1
            )
        Thread.objects.filter(pk=post.thread_id, accepted_answer=post).update(
            accepted_answer=None
        )
        events.PostDeleted.record(actor=actor, thread=post.thread_id, post=post,
                                  kind=post.kind)
    return post


def follow_set(*, user: UserModel, model, follow: bool, what: str, target: dict,
               recorded: dict) -> bool:
    """Add or remove ``user``'s ``model`` row for ``target`` (a thread, a space, a project)
    and record ``Followed`` with ``recorded`` when it changed; True when it did."""
    permissions.require(permissions.is_member(user), (gettext("Sign in to follow %(what)s.")
                                                      % {"what": what}))
    with transaction.atomic():
        if follow:
            row, changed = model.objects.get_or_create(user=user, **target)
            following = getattr(model, "FOLLOWING", None)  # a level of notices (threads,
            if following and row.level not in following:  # spaces): a mute is followed anew
                row.level = model._meta.get_field("level").default
                row.save(update_fields=["level"])
                changed = True
        else:
            changed = model.objects.filter(user=user, **target).delete()[0] > 0
        if changed:
            events.Followed.record(actor=user, follow=follow, **recorded)
    return changed


def thread_follow_set(*, user: UserModel, thread: Thread, follow: bool) -> bool:
    return follow_set(user=user, model=ThreadFollow, follow=follow, what="threads",
                      target={"thread": thread}, recorded={"thread": thread})


def space_follow_set(*, user: UserModel, space: Space, follow: bool) -> bool:
    return follow_set(user=user, model=SpaceFollow, follow=follow, what="spaces",
                      target={"space": space}, recorded={"space": space.pk})


def tag_follow_set(*, user: UserModel, tag: Tag, follow: bool) -> bool:
    """Follow or unfollow a tag: its threads come first on the member's home page."""
    return follow_set(user=user, model=TagFollow, follow=follow, what="tags",
                      target={"tag": tag}, recorded={"tag": tag.pk})


def _content_on_account_delete(*, user, former_member, remove_posts: bool) -> None:
    """Keep every thread and everybody else's posts when a member leaves.

    Their posts move to the "Former member" account; with ``remove_posts`` their text (and
    its edit history) is removed too, leaving a marker so that replies still make sense.
    """
    posts = Post.objects.filter(author=user)
    if remove_posts:
        PostRevision.objects.filter(post__author=user).delete()
        posts.update(
            author=former_member,
            body="",
            body_html=REMOVED_HTML,
            is_deleted=True,
            deleted_at=timezone.now(),
        )
        Thread.objects.filter(author=user).update(author=former_member, search_body="")
    else:
        posts.update(author=former_member)
        Thread.objects.filter(author=user).update(author=former_member)


ACCOUNT_CONTENT_HANDLERS.append(_content_on_account_delete)
