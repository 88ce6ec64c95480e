"""The purpose app's pieces on community pages: the purpose on the home page, a member's
projects and wins on their profile (community's templates load these; its code does not)."""
from django import template

from community import pages
from purpose import selectors

register = template.Library()


@register.inclusion_tag("purpose/_home_purpose.html")
def purpose_summary():
    # On every home page view: kept under the site's version, which a new revision bumps.
    return {"revision": pages.remember(("purpose-current",), selectors.purpose_current,
                                       tags=())}


@register.inclusion_tag("purpose/_member_credits.html")
def member_credits(member):
    return {"member": member, **selectors.member_credits(member)}
