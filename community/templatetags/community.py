import contextlib

from django import template

from community import permissions, rendering

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, name, *args):
    """``{% can "edit_profile" member as allowed %}``: ask a named permission predicate."""
    predicate = permissions.PREDICATES[name]
    return predicate(context["request"].user, *args)


@register.filter
def initials(user):
    name = (getattr(user, "name", "") or "?").strip()
    parts = name.split()
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@register.filter
def safe_html(value):
    """Mark HTML as safe that was sanitised with nh3 when it was stored (``rendering.py``).

    Only for columns written by ``community.rendering.render``: never for raw input.
    """
    return rendering.stored_markup(value)


@register.simple_tag
def voted_flag(voted, post, kind):
    """``{% voted_flag page.voted post "like" as liked %}``: did the viewer cast this vote?"""
    return (post.pk, kind) in (voted or ())


@register.simple_tag(takes_context=True)
def unread_notifications(context):
    """Unread count for the bell (one indexed COUNT per page for signed-in members)."""
    from community import notify

    user = context["request"].user
    return notify.unread_count(user) if user.is_authenticated else 0


@register.filter
def notice_text(notice):
    from community import notify

    return notify.describe(notice)


class FragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        from django.core.cache import cache

        from community.pagecache import PAGE_TIMEOUT

        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        try:
            hit = cache.get(key)
        except Exception:  # noqa: BLE001  (cache down: render it)
            return self.nodelist.render(context)
        if hit is not None:
            return hit
        html = self.nodelist.render(context)
        with contextlib.suppress(Exception):  # not stored: rendered again next time
            cache.set(key, html, PAGE_TIMEOUT)
        return html


@register.tag
def fragment(parser, token):
    """``{% fragment key %}...{% endfragment %}``: the block rendered once per ``key``
    (see ``pagecache.fragment_key``) and then read from the shared cache; the queries the
    block needs should be lazy, so a hit costs none. An empty key renders every time."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment key %} takes one argument.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))
