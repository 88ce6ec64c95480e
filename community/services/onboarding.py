"""The first-visit welcome: what a new member chose there, and that it is done.

The welcome is offered until the member finishes it or skips it, and never again after
that (``User.onboarded_at``); either way ``WelcomeDone`` is recorded with the follows and
the introduction, in one transaction.
"""
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from community import permissions
from community.engine import events
from community.models import Space, SpaceFollow, Tag, TagFollow, User

from .conversations import space_follow_set, tag_follow_set

FINISHED, SKIPPED = "finished", "skipped"


def welcome_pending(user) -> bool:
    """The welcome is still to be offered to ``user`` (a member who has neither finished
    nor skipped it)."""
    return permissions.is_member(user) and user.onboarded_at is None


def _mark_done(*, member: User, outcome: str) -> bool:
    done = User.objects.filter(pk=member.pk, onboarded_at__isnull=True).update(
        onboarded_at=timezone.now())
    if done:
        member.onboarded_at = User.objects.values_list("onboarded_at", flat=True).get(
            pk=member.pk)
        events.WelcomeDone.record(actor=member, outcome=outcome)
    return bool(done)


def welcome_finish(*, member: User, spaces: Iterable[Space], tags: Iterable[Tag],
                   offered_tags: Iterable[Tag] = (), bio: str | None = None) -> None:
    """Follow exactly ``spaces`` (every space is offered) and, among ``offered_tags``,
    ``tags``: what the member unticked is unfollowed, a tag the page did not show is left
    as it was. Keep their introduction as their bio when given, and mark the welcome
    done."""
    permissions.require(permissions.is_member(member), gettext("Sign in to finish your welcome."))
    spaces, tags = set(spaces), set(tags)
    with transaction.atomic():
        followed = set(SpaceFollow.objects.filter(
            user=member, level__in=SpaceFollow.FOLLOWING).values_list("space_id", flat=True))
        for space in spaces:
            if space.pk not in followed:
                space_follow_set(user=member, space=space, follow=True)
        for space in Space.objects.filter(pk__in=followed - {s.pk for s in spaces}):
            space_follow_set(user=member, space=space, follow=False)
        tagged = set(TagFollow.objects.filter(user=member).values_list("tag_id", flat=True))
        for tag in tags:
            if tag.pk not in tagged:
                tag_follow_set(user=member, tag=tag, follow=True)
        unticked = {t.pk for t in offered_tags} - {t.pk for t in tags}
        for tag in Tag.objects.filter(pk__in=tagged & unticked):
            tag_follow_set(user=member, tag=tag, follow=False)
        if bio is not None and bio != member.bio:
            User.objects.filter(pk=member.pk).update(bio=bio)
            member.bio = bio
            events.ProfileUpdated.record(actor=member)
        _mark_done(member=member, outcome=FINISHED)


def welcome_skip(*, member: User) -> bool:
    """The member skips the welcome: it is not offered again. False when it was done."""
    permissions.require(permissions.is_member(member), gettext("Sign in to skip your welcome."))
    with transaction.atomic():
        return _mark_done(member=member, outcome=SKIPPED)
