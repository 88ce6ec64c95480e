"""``{% owned product as ownership %}``: the signed-in member's ownership of a product."""
from django import template

from community.commerce.ownership import ownership_of

register = template.Library()


@register.simple_tag(takes_context=True)
def owned(context, product, known=None):
    """The viewer's :class:`~community.models.Ownership` of ``product`` (None when they
    own it not, or are not signed in); one query for a member, none for anyone else, and
    none when the page already holds it (``known``, the viewer's own ownership)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if known and getattr(known, "member_id", None) == getattr(user, "pk", None):
        return known
    return ownership_of(user, product)
