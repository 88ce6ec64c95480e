import re

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from community.models import User


def home(request):
    """The community's front page. Template ``community/home.html``."""
    members = User.objects.filter(is_active=True, is_unclaimed=False, is_former_member=False)
    context = {
        "newest_members": members.order_by("-date_joined")[:12],
        "stats": members.aggregate(members=Count("id")),
    }
    return render(request, "community/home.html", context)


_HEX = re.compile(r"^#[0-9a-fA-F]{3,8}$")


@cache_control(max_age=3600, public=True)
def brand_css(request):
    """Brand theming as CSS custom properties (served from our host: CSP allows no inline style)."""
    accent = settings.BRAND["accent"]
    if not _HEX.match(accent):
        accent = "#0b6e4f"
    css = f":root {{ --accent: {accent}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")
