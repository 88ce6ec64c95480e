"""Template helpers of the moments' pages: a stored photo's responsive sources."""
from django import template

register = template.Library()


@register.filter
def photo_sources(image) -> dict:
    """``src`` (the middle size), ``srcset`` (every stored size), ``large`` (the largest,
    for the lightbox), and the shown size's ``width`` and ``height`` (no layout shift)."""
    if image is None or not image.variants:
        return {}
    sources = image.urls()
    shown = next((s for s in sources if max(s[1], s[2]) >= 960), sources[-1])
    return {
        "src": shown[0], "width": shown[1], "height": shown[2], "large": sources[-1][0],
        "srcset": ", ".join(f"{url} {width}w" for url, width, _ in sources),
    }
