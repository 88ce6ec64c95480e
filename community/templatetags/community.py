from django import template
from django.utils.safestring import mark_safe

from community import permissions

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
    return mark_safe(value or "")  # noqa: S308  (sanitised at write time)


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
