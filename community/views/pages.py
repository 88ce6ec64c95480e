import functools
import re
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.translation import gettext
from django.views import i18n
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from community import permissions, theme
from community.services import users


@cache_control(max_age=3600, public=True)
def brand_css(request):
    """Brand theming as CSS custom properties (served from our host: CSP allows no inline
    style): the accent and the tokens derived from it for both themes, each pair checked
    for AA contrast (``community/theme.py``)."""
    css = theme.stylesheet(settings.BRAND["accent"])
    return HttpResponse(css, content_type="text/css; charset=utf-8")


# The tokens the style guide shows, by group: (custom property, what it is for).
TOKENS = {
    "Surfaces and ink": [
        ("bg", "page background"), ("card", "cards, header, inputs"), ("subtle", "quiet fills"),
        ("line", "borders"), ("line-strong", "input borders"), ("ink", "text"),
        ("muted", "secondary text"),
    ],
    "Accent (from the brand colour)": [
        ("accent", "links, primary buttons"), ("on-accent", "text on the accent"),
        ("accent-hover", "primary button, hovered"), ("accent-soft", "selected, highlighted"),
        ("accent-soft-ink", "text on the soft tint"),
    ],
    "Meaning": [
        ("danger", "destructive actions, errors"), ("danger-soft", "error messages"),
        ("ok", "solved, accepted"), ("ok-soft", "success messages"),
        ("warn", "warnings, waiting posts"), ("warn-soft", "warning messages"),
        ("info-ink", "question badge"), ("info-soft", "information messages"),
        ("partner", "partner badge"), ("focus", "focus ring"),
    ],
}
TYPE_SCALE = ["xs", "sm", "md", "lg", "xl", "2xl", "3xl"]
SPACE_SCALE = ["1", "2", "3", "4", "5", "6", "7"]
_SYMBOL = re.compile(r'<symbol id="([a-z0-9-]+)"')


def _icon_names() -> list[str]:
    path = finders.find("vendor/lucide/icons.svg")
    if not path:  # static files served from elsewhere: the page still shows the rest
        return []
    with open(path, encoding="utf-8") as sprite:
        return _SYMBOL.findall(sprite.read())


@login_required
@require_GET
def style_guide(request):
    """The living style guide for hosts and theme authors: the design tokens, the contrast
    each accent pair reaches in both themes, and every component as the site draws it, in
    the light and the dark theme side by side. Template ``community/style_guide.html``."""
    permissions.require(permissions.can_use_host_tools(request.user),
                        gettext("The style guide is for the host team."))
    derived = theme.tokens(settings.BRAND["accent"])
    pairs = []
    for name, values in derived.items():
        base = theme.LIGHT if name == "light" else theme.DARK
        for label, fore, back in (
            ("Text on the accent (buttons)", values["on-accent"], values["accent"]),
            ("Text on the hovered accent", values["on-accent"], values["accent-hover"]),
            ("Accent on the page (links)", values["accent"], base["bg"]),
            ("Accent on a card", values["accent"], base["card"]),
            ("Soft tint ink on the soft tint", values["accent-soft-ink"], values["accent-soft"]),
            ("Text on the page", base["ink"], base["bg"]),
            ("Muted text on a card", base["muted"], base["card"]),
        ):
            ratio = theme.contrast(fore, back)
            pairs.append({"theme": name, "label": label, "fore": fore, "back": back,
                          "ratio": f"{ratio:.2f}", "passes": ratio >= theme.AA})
    sample = SimpleNamespace(name="Ada Lovelace", avatar=None)
    return render(request, "community/style_guide.html", {
        "tokens": TOKENS, "type_scale": TYPE_SCALE, "space_scale": SPACE_SCALE,
        "icons": _icon_names(), "pairs": pairs,
        "brand_accent": theme.clean(settings.BRAND["accent"]),
        "sample_member": sample, "themes": ["light", "dark"],
    })


def _csrf_for_members(view):
    """CSRF protection for signed-in members only. A visitor's choice is a cookie in their
    own browser, and a token in the footer of every page would keep anonymous pages out of
    the page cache (a response that sets the CSRF cookie is never stored); a member's choice
    is saved on their profile, so it needs their token like any other write."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if request.user.is_authenticated:
            refused = CsrfViewMiddleware(view).process_view(request, view, args, kwargs)
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)


@_csrf_for_members
@require_POST
def set_language(request):
    """The footer's language picker (a plain POST form: it works without JavaScript).
    Django's ``set_language`` keeps the choice in the language cookie and sends the reader
    back where they were; a signed-in member's choice is saved on their profile too, so it
    follows them to every device."""
    response = i18n.set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        users.language_set(actor=request.user, language=code)
    return response
