"""Moments: a host starts one, members answer it, hosts feature the picks.

A moment's thread is opened by the host through ``conversations.thread_create`` (its cover
photo is shown in the opening post, so it is that post's image and never an orphan); each
entry is a post in that thread written through ``conversations.post_create``, so it takes
the same path as every post: the size limits, new-member limits, the spam hold and review
queue, its ``post_created`` event (naming the moment: the engagement mix counts it as
content). Photos go through ``media.image_upload``: re-encoded, stripped, at every size.
A host may tie a moment to a project or a partner (``moment_tie_set``): the tie belongs to
the app that offers it (``community.moment_ties``), which writes and records it.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from community import moment_ties, permissions
from community.content import limits
from community.engine import events
from community.models import Moment, MomentEntry, PostImage, Space, Thread, User

from . import conversations, media

HOST_REFUSAL = gettext_lazy("Only the host team starts, changes and closes moments.")


def _opening_body(brief: str, cover: PostImage | None) -> str:
    return f"{cover.markdown}\n\n{brief}" if cover else brief


def moment_create(*, host: User, space: Space, title: str, brief: str, opens_at, closes_at,
                  answer: str = Moment.Answer.BOTH, cover_upload=None,
                  cover_alt: str = "", tie: str = moment_ties.NOT_TIED) -> Moment:
    """Start a moment; its thread opens in ``space`` with the brief (and the cover), tied
    to what ``tie`` names (``moment_ties``: ``project:12``), if anything."""
    permissions.require(permissions.can_host_moment(host), HOST_REFUSAL)
    title, brief = title.strip(), brief.strip()
    limits.moment_check(title=title, brief=brief, opens_at=opens_at, closes_at=closes_at)
    if answer not in Moment.Answer.values:
        raise ValidationError(gettext("Choose the kind of answer the moment asks for."),
                              code="answer")
    cover = (media.image_upload(uploader=host, upload=cover_upload, alt_text=cover_alt)
             if cover_upload else None)
    with transaction.atomic():
        thread = conversations.thread_create(
            author=host, space=space, kind=Thread.Kind.ANNOUNCEMENT, title=title,
            body=_opening_body(brief, cover), draft_place="")
        moment = Moment.objects.create(
            title=title, brief=brief, space=space, thread=thread, cover=cover,
            answer=answer, opens_at=opens_at, closes_at=closes_at, created_by=host)
        events.MomentCreated.record(actor=host, thread=thread, moment=moment.pk)
        if tie:
            moment_tie_set(host=host, moment=moment, tie=tie)
    return moment


def moment_edit(*, host: User, moment: Moment, title: str, brief: str, opens_at, closes_at,
                answer: str, tie: str | None = None) -> Moment:
    """Change a moment's words, times or kind of answer (the thread's title and opening
    post follow, through the post edit path) and, unless ``tie`` is None, what it is tied
    to (empty: nothing)."""
    permissions.require(permissions.can_host_moment(host, moment), HOST_REFUSAL)
    title, brief = title.strip(), brief.strip()
    limits.moment_check(title=title, brief=brief, opens_at=opens_at, closes_at=closes_at)
    if answer not in Moment.Answer.values:
        raise ValidationError(gettext("Choose the kind of answer the moment asks for."),
                              code="answer")
    with transaction.atomic():
        thread = moment.thread
        if brief != moment.brief:  # any host may change the team's brief: the same check
            opening = thread.opening_post
            body = _opening_body(brief, moment.cover)
            checked = limits.content_check(opening.author, body, previous=opening.body,
                                           writer=host)
            conversations.text_replace(opening, body, checked, editor=host)
        if title != thread.title:
            Thread.objects.filter(pk=thread.pk).update(title=title)
        moment.title, moment.brief, moment.answer = title, brief, answer
        moment.opens_at, moment.closes_at = opens_at, closes_at
        moment.save(update_fields=["title", "brief", "answer", "opens_at", "closes_at"])
        events.MomentEdited.record(actor=host, thread=thread, moment=moment.pk,
                                   action="edited")
        if tie is not None:
            moment_tie_set(host=host, moment=moment, tie=tie)
    return moment


TIE_REFUSAL = gettext_lazy("Choose a project or a partner from the list.")


def moment_tie_set(*, host: User, moment: Moment, tie: str) -> bool:
    """Tie ``moment`` to what ``tie`` names (``project:12``, ``partner:3``; empty: untie).
    A moment has one tie at most, so any other goes; each change is recorded by the app that
    owns the tie, as its event. False when nothing changed."""
    permissions.require(permissions.can_host_moment(host, moment), HOST_REFUSAL)
    try:
        chosen = moment_ties.parse(tie)
    except ValueError:
        raise ValidationError(TIE_REFUSAL, code="tie") from None
    if chosen is not None:
        owner, pk = chosen
        if pk not in {row_pk for row_pk, _ in owner.choices(moment)}:
            raise ValidationError(TIE_REFUSAL, code="tie")
    changed = False
    with transaction.atomic():
        for each in moment_ties.providers():
            if chosen is None or each.key != chosen[0].key:
                changed |= bool(each.untie(host=host, moment=moment))
        if chosen is not None:
            changed |= bool(chosen[0].tie(host=host, moment=moment, pk=chosen[1]))
    return changed


def moment_close(*, host: User, moment: Moment, now=None) -> bool:
    """Close an open (or upcoming) moment now; False when it was closed already."""
    permissions.require(permissions.can_host_moment(host, moment), HOST_REFUSAL)
    now = now or timezone.now()
    if moment.state(now) == "closed":
        return False
    with transaction.atomic():
        moment.closes_at = now
        if moment.opens_at >= now:
            moment.opens_at = now - timezone.timedelta(seconds=1)
        moment.save(update_fields=["opens_at", "closes_at"])
        events.MomentEdited.record(actor=host, thread=moment.thread_id, moment=moment.pk,
                                   action="closed")
    return True


def entry_create(*, author: User, moment: Moment, text: str = "", photo=None,
                 alt_text: str = "", created_at=None):
    """Answer ``moment`` with a photo (``photo``: an uploaded file, with ``alt_text``) and
    a caption, or with a short story (``text``). Returns the entry; its post may be held
    for review like any post (``entry.post.status``)."""
    when = created_at or timezone.now()
    permissions.require(
        permissions.can_enter_moment(author, moment, when) if created_at is None
        else permissions.can_take_part(author),
        lambda: (gettext("This moment is not open for entries.")
                 if permissions.can_take_part(author)
                 else permissions.why_not(author)))
    text = text.strip()
    limits.moment_entry_check(moment, photo=bool(photo), text=text)
    image = (media.image_upload(uploader=author, upload=photo, alt_text=alt_text)
             if photo else None)
    body = f"{image.markdown}\n\n{text}".strip() if image else text
    try:
        with transaction.atomic():
            post = conversations.post_create(author=author, thread=moment.thread, body=body,
                                             created_at=created_at, moment=moment.pk)
            entry = MomentEntry.objects.create(moment=moment, post=post, image=image,
                                               created_at=post.created_at)
            Moment.objects.filter(pk=moment.pk).update(entry_count=F("entry_count") + 1)
    except BaseException:
        if image is not None:  # refused after the upload: its files go now
            media.images_delete(PostImage.objects.filter(pk=image.pk))
        raise
    return entry


def entry_feature_set(*, host: User, entry: MomentEntry, featured: bool) -> bool:
    """A host features an entry (on the moment's page and the home page) or stops; False
    when nothing changed. Only a published entry can be featured."""
    permissions.require(permissions.can_host_moment(host, entry.moment), HOST_REFUSAL)
    if featured == entry.is_featured:
        return False
    post = entry.post
    if featured and (post.is_deleted or post.status != post.Status.PUBLISHED):
        raise ValidationError(gettext("Only a published entry can be featured."), code="not_shown")
    with transaction.atomic():
        entry.featured_at = timezone.now() if featured else None
        entry.featured_by = host if featured else None
        entry.save(update_fields=["featured_at", "featured_by"])
        events.MomentEntryFeatured.record(
            actor=host, subject_user=post.author_id, thread=post.thread_id, post=post,
            moment=entry.moment_id, entry=entry.pk, featured=featured)
    return True
