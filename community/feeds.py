"""Atom feeds: the whole community, each space and each tag."""
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from community.models import Space, Tag, Thread

FEED_SIZE = 30


def _threads():
    return (
        Thread.objects.filter(is_deleted=False, is_hidden=False)
        .select_related("author", "opening_post", "space")
        .order_by("-created_at")
    )


class LatestThreadsFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def title(self):
        return gettext("%(site)s community: new threads") % {"site": settings.SITE_NAME}

    def link(self):
        return "/"

    def subtitle(self):
        return settings.BRAND["tagline"]

    def items(self):
        return _threads()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Sanitised at write time (community.content.rendering); Atom carries it as type="html".
        return item.opening_post.body_html if item.opening_post else ""

    def item_author_name(self, item):
        return item.author.name

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.last_activity_at

    def item_categories(self, item):
        return [item.space.name, item.get_kind_display()]


class SpaceThreadsFeed(LatestThreadsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Space, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return obj.description or obj.name

    def items(self, obj):
        return _threads().filter(space=obj)[:FEED_SIZE]


class TagThreadsFeed(LatestThreadsFeed):
    def get_object(self, request, name):
        return get_object_or_404(Tag, name=name)

    def title(self, obj):
        return f"{settings.SITE_NAME}: #{obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return obj.description or f"#{obj.name}"

    def items(self, obj):
        return _threads().filter(tags=obj)[:FEED_SIZE]
