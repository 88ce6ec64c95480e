"""Thread lists: the home page tabs and space pages."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import pages, permissions
from community.models import Space, SpaceFollow, Tag, User
from community.selectors import feeds
from community.selectors import moments as moment_selectors
from community.services import conversations, onboarding


def kept_spaces():
    """Every space, kept under the site's version (a change to a space bumps it)."""
    return pages.remember(("spaces",), feeds.spaces_list, tags=())


def _feed_context(request, *, space=None, tag=None):
    """The thread list is the same for every reader: it is rendered once per version of
    the feed (``fragment_key``) and its queries run only when it is (lazy objects)."""
    tab = request.GET.get("tab", feeds.Tab.CONVERSATIONS)
    tab = tab if tab in feeds.Tab.NAMES else feeds.Tab.CONVERSATIONS
    number = feeds.page_number(request.GET.get("page"))
    return {
        "page": SimpleLazyObject(lambda: feeds.feed_page(tab=tab, page=number, space=space,
                                                         tag=tag)),
        "tabs": feeds.Tab.ALL,
        "announcements": SimpleLazyObject(lambda: feeds.host_announcements(space=space)),
        "feed_key": pages.fragment_key("feed", tab, number, space.pk if space else 0,
                                       f"tag:{tag.pk}" if tag else ""),
    }


def _feed_tags(request, **kwargs):
    return ["feed"]


def _member_context(user) -> dict:
    """What a signed-in member's home adds: "For you" (threads in the spaces and tags they
    follow) and "Your questions", rendered once per version of the feed and of the member
    (their follows, their welcome: ``member:<handle>``) and read from the fragments after."""
    return {
        "for_you": SimpleLazyObject(lambda: feeds.for_you(user)),
        "your_questions": SimpleLazyObject(lambda: feeds.your_questions(user)),
        "follows_anything": SimpleLazyObject(lambda: feeds.follows_anything(user)),
        "member_key": pages.fragment_key(
            "member-home", user.pk, tags=("feed", pages.member_tag(user.username))),
        "welcome_pending": onboarding.welcome_pending(user),
    }


@pages.anonymous_page(_feed_tags)
def home(request):
    """The community's front page. Template ``community/home.html`` (``_feed.html`` on htmx).

    Anonymous visitors get the page from the page cache; a member's page adds their own
    part (``_member_context``) above the same thread list."""
    context = _feed_context(request)
    if request.htmx:
        return render(request, "community/_feed.html", context)
    if permissions.is_member(request.user):
        context.update(_member_context(request.user))
    def members():  # built only when the side column is rendered (not kept in the cache)
        return User.objects.filter(is_active=True, is_unclaimed=False, is_former_member=False)

    def member_total():
        # Counting every member is a full scan: a few minutes' staleness is fine here.
        return cache.get_or_set(
            "home:member-count", lambda: members().aggregate(n=Count("id"))["n"], timeout=300)

    context.update(
        spaces=SimpleLazyObject(kept_spaces),
        newest_members=SimpleLazyObject(lambda: list(members().order_by("-date_joined")[:8])),
        stats=SimpleLazyObject(lambda: {"members": member_total()}),
        side_key=pages.fragment_key("home-side"),
        # Featured moment entries, kept with the thread lists (a feature bumps the feed).
        picks=SimpleLazyObject(lambda: pages.remember(("home-picks",),
                                                      moment_selectors.home_picks)),
    )
    return render(request, "community/home.html", context)


@pages.anonymous_page(_feed_tags)
def space_detail(request, slug):
    """A space's own feed. Template ``community/space.html`` (``_feed.html`` on htmx)."""
    space = get_object_or_404(Space, slug=slug)
    context = _feed_context(request, space=space)
    context["space"] = space
    if request.htmx:
        return render(request, "community/_feed.html", context)
    context["space_level"] = permissions.is_member(request.user) and SpaceFollow.objects.filter(
        user=request.user, space=space).values_list("level", flat=True).first() or ""
    context["following"] = context["space_level"] in SpaceFollow.FOLLOWING
    context["spaces"] = SimpleLazyObject(kept_spaces)
    return render(request, "community/space.html", context)


@login_required
@require_POST
def space_follow(request, slug):
    space = get_object_or_404(Space, slug=slug)
    follow = request.POST.get("follow") != "0"
    conversations.space_follow_set(user=request.user, space=space, follow=follow)
    if follow:
        messages.success(request, _("You follow %(space)s: new threads reach your inbox.")
                         % {"space": space.name})
    else:
        messages.info(request, _("You no longer follow %(space)s.") % {"space": space.name})
    return redirect(space)


@pages.anonymous_page(_feed_tags)
def tag_list(request):
    """Every tag in use, the most used first. Template ``community/tag_list.html``."""
    number = feeds.page_number(request.GET.get("page"))
    member = permissions.is_member(request.user)
    return render(request, "community/tag_list.html", {
        "page": feeds.tags_page(page=number),
        "followed": feeds.tags_followed(request.user) if member else set(),
    })


@pages.anonymous_page(_feed_tags)
def tag_detail(request, name):
    """A tag's threads, as a space's (``_feed.html`` on htmx); a synonym's name leads to
    its tag. Template ``community/tag.html``."""
    tag = feeds.tag_named(name)
    if tag is None:
        raise Http404(_("No tag is called “%(name)s”.") % {"name": name})
    if tag.name != name:
        return redirect(tag, permanent=True)
    context = _feed_context(request, tag=tag)
    context["tag"] = tag
    if request.htmx:
        return render(request, "community/_feed.html", context)
    context["uses"] = SimpleLazyObject(lambda: feeds.tag_uses(tag))
    context["following"] = permissions.is_member(request.user) and (
        tag.pk in feeds.tags_followed(request.user))
    context["spaces"] = SimpleLazyObject(kept_spaces)
    return render(request, "community/tag.html", context)


@login_required
@require_POST
def tag_follow(request, name):
    tag = get_object_or_404(Tag, name=name)
    follow = request.POST.get("follow") != "0"
    conversations.tag_follow_set(user=request.user, tag=tag, follow=follow)
    if request.htmx:
        return render(request, "community/_follow_button.html", {
            "following": follow, "follow_url": reverse("tag_follow", args=[tag.name]),
            "follow_label": _("Follow tag")})
    if follow:
        messages.success(request, _("You follow #%(tag)s: its threads come first in “For "
                                    "you” on your home page.") % {"tag": tag.name})
    else:
        messages.info(request, _("You no longer follow #%(tag)s.") % {"tag": tag.name})
    return redirect(tag)
