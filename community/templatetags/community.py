from django import template

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
