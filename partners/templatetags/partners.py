"""Partner credit on community pages (community's templates load it; its code does not)."""
from django import template

from community import pages
from partners import selectors

register = template.Library()


@register.inclusion_tag("partners/_credit.html")
def partner_credit(thread):
    return {"credit": pages.remember(("partner-credit", thread.pk),
                                     lambda: selectors.thread_credit(thread.pk),
                                     tags=(pages.thread_tag(thread.pk),))}
