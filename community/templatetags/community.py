import math

from django import template
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from community import pages, permissions
from community.content import rendering
from community.engine import notice_settings

register = template.Library()


@register.filter
def ago(when):
    """``{{ when|ago }}``: "just now" within the first minute, else "3 hours ago" (never
    "0 minutes ago"); nothing for no date."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.timesince import timesince

    if not when:
        return ""
    if timezone.now() - when < timedelta(minutes=1):
        return "just now"
    return f"{timesince(when)} ago"


@register.simple_tag(takes_context=True)
def can(context, name, *args):
    """``{% can "edit_profile" member as allowed %}``: ask a named permission predicate."""
    predicate = permissions.PREDICATES[name]
    return predicate(context["request"].user, *args)


@register.filter
def percent(share: float | None) -> str:
    """A share (0..1) as people read it: whole percents, except that a share that is not
    all or nothing never shows as 100% or 0% (99.5% stays "99.5%", 0.2% stays "0.2%").
    ``None`` (nothing to divide by) is a dash. Every share the host pages print uses it."""
    if share is None:
        return "–"
    value = share * 100
    shown = math.floor(value + 0.5)
    if shown >= 100 and share < 1:
        return f"{min(math.floor(value * 10) / 10, 99.9):g}%"
    if shown <= 0 < share:
        return f"{max(math.ceil(value * 10) / 10, 0.1):g}%"
    return f"{shown}%"


@register.filter
def plain(html_text):
    """``{{ post.body_html|plain|truncatechars:160 }}``: a post as plain text for an
    excerpt, a photo as its description (``rendering.plain_of``)."""
    return rendering.plain_of(html_text)


@register.filter
def initials(user):
    name = (getattr(user, "name", "") or "?").strip()
    parts = name.split()
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@register.filter
def safe_html(value):
    """Mark HTML as safe that was sanitised with nh3 when it was stored (``content/rendering.py``).

    Only for columns written by ``community.content.rendering.render``: never for raw input.
    """
    return rendering.stored_markup(value)


@register.simple_tag(takes_context=True)
def unread_notifications(context):
    """Unread count for the bell (part of the member's ``standing``, read once a page)."""
    user = context["request"].user
    return user.standing["unread"] if user.is_authenticated else 0


@register.simple_tag
def form_fields(form):
    """``{% form_fields form %}``: the form through ``components/_form.html``.

    An unbound form whose fields are fixed (``renders_once``: no choices from the database)
    is rendered once per shape, with slots for the values that differ on every render (its
    nonce and signed start time), filled in as it is served: the reply box under a thread
    cost more to render than the twenty posts above it.
    """
    if form.is_bound or not getattr(form, "renders_once", False):
        return render_to_string("components/_form.html", {"form": form})
    copied, values = pages.slotted(form)
    shape = repr((type(form).__module__, type(form).__qualname__, form.prefix, form.auto_id,
                  sorted((name, repr(value)) for name, value in form.initial.items()
                         if name not in pages.FORM_SLOTS)))
    return pages.with_values(pages.rendered_once(shape, lambda: render_to_string(
        "components/_form.html", {"form": copied})), values)


QUERY_SLOT = pages.slot("header-query")


@register.simple_tag(takes_context=True)
def site_header(context):
    """``{% site_header %}``: the site's header and navigation
    (``components/_site_header.html``), rendered once for each shape of viewer: who is
    signed in (their name, handle, unread count, host and admin links) and which section
    the page is in. The log-out form's CSRF token is filled in as it is served. Every page
    has it, and it cost a fifth of a member's home page."""
    request = context["request"]
    # An error page for a request the middleware refused early (a bad Host header, an
    # oversized body) has no user yet: it shows the header as to a visitor.
    user = getattr(request, "user", None) or AnonymousUser()
    match = getattr(request, "resolver_match", None)
    member = user.is_authenticated
    shape = repr((
        "site-header", match and match.url_name, match and match.namespace, member,
        member and (user.pk, user.username, user.name, str(user.avatar), user.standing["unread"],
                    permissions.can_use_host_tools(user), user.is_superuser,
                    # "Paused until …" in the menu and the bell, while it lasts
                    notice_settings.paused_until(user))))
    html = pages.rendered_once(shape, lambda: render_to_string(
        "components/_site_header.html",
        {**context.flatten(), "csrf_token": pages.CSRF_SLOT, "query_slot": QUERY_SLOT}))
    # On the search page the header's box holds the words searched for (only there is the
    # slot rendered, so only there is it filled).
    searched = ({QUERY_SLOT: request.GET.get("q", "")[:200]}
                if match and match.url_name == "search" else {})
    return pages.with_values(html, searched, request)


@register.filter
def notice_text(notice):
    from community.engine import notifications

    return notifications.describe(notice)


class FragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        return pages.kept(self.key.resolve(context), lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    """``{% fragment key %}...{% endfragment %}``: the block rendered once per ``key``
    (see ``pages.fragment_key``) and then read from the shared cache; the queries the
    block needs should be lazy, so a hit costs none. An empty key renders every time."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment key %} takes one argument.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))


@register.inclusion_tag("community/_level_menu.html", takes_context=True)
def notice_level_menu(context, thread=None, space=None, level="", space_level="", next=""):
    """``{% notice_level_menu thread=thread level=page.level space_level=page.space_level %}``
    or ``{% notice_level_menu space=space level=space_level %}``: the member's
    notification level menu (``views.notice_levels``)."""
    from community.views.notice_levels import menu_context

    return {**menu_context(thread=thread, space=space, level=level or "",
                           space_level=space_level or ""),
            "csrf_token": context.get("csrf_token"), "next": next}


@register.simple_tag(takes_context=True)
def notices_paused(context):
    """When the member's notification pause ends, or None (no query: on the user row)."""
    from community.engine.notice_settings import paused_until

    user = context["request"].user
    return paused_until(user) if user.is_authenticated else None
