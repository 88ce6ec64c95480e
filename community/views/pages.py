import re

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control

_HEX = re.compile(r"^#[0-9a-fA-F]{3,8}$")


@cache_control(max_age=3600, public=True)
def brand_css(request):
    """Brand theming as CSS custom properties (served from our host: CSP allows no inline style)."""
    accent = settings.BRAND["accent"]
    if not _HEX.match(accent):
        accent = "#0b6e4f"
    css = f":root {{ --accent: {accent}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")
