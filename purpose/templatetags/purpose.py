"""The purpose app's pieces on community pages: the purpose on the home page, a member's
projects and wins on their profile (community's templates load these; its code does not)."""
from django import template

from purpose import selectors

register = template.Library()


@register.inclusion_tag("purpose/_home_purpose.html")
def purpose_summary():
    return {"revision": selectors.purpose_current(cached=True)}


@register.inclusion_tag("purpose/_member_credits.html")
def member_credits(member):
    return {"member": member, **selectors.member_credits(member)}
