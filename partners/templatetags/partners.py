"""Partner credit on community pages (community's templates load it; its code does not)."""
from django import template

from partners import selectors

register = template.Library()


@register.inclusion_tag("partners/_credit.html")
def partner_credit(thread):
    return {"credit": selectors.thread_credit(thread.pk)}
