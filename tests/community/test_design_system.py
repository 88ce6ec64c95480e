"""The design system as a person meets it: colours that read (AA contrast in both themes,
whatever accent the brand picks), the style guide for the host team only, avatars in thread
lists, a compact header menu that works without JavaScript, and every action a button."""
import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from community import theme

from .. import factories
from ..conftest import sign_in

pytestmark = pytest.mark.django_db

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "gravity.css").read_text()
ACCENTS = ["#0b6e4f", "#ff6600", "#ffee00", "#000080", "#e91e63", "#777777", "#00ffff",
           "#fff", "#000000"]


def _block(selector: str) -> dict[str, str]:
    """The custom properties declared in the first rule of gravity.css for ``selector``."""
    start = CSS.index(selector + " {")
    body = CSS[start:CSS.index("}", start)]
    return dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{3,6})\b", body))


def _theme_css_block(css: str, selector: str) -> dict[str, str]:
    start = css.index(selector)
    body = css[start:css.index("}", start)]
    return dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})", body))


LIGHT_CSS = _block(":root, [data-theme=light]")
DARK_CSS = _block("[data-theme=dark]")


def test_the_neutral_tokens_of_the_stylesheet_are_the_ones_the_accent_is_checked_against():
    for name, values in (("light", theme.LIGHT), ("dark", theme.DARK)):
        declared = LIGHT_CSS if name == "light" else DARK_CSS
        for token, value in values.items():
            assert declared[token].lower() == value, (name, token)
    # The dark theme is declared twice (system setting, chosen theme): both the same.
    media = CSS[CSS.index("@media (prefers-color-scheme: dark)"):]
    media = media[media.index("{", media.index(":root:not")):]
    media_tokens = dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{3,6})\b",
                                   media[:media.index("}")]))
    assert media_tokens == DARK_CSS


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_and_meaning_colours_reach_aa_on_every_surface(scheme):
    t = LIGHT_CSS if scheme == "light" else DARK_CSS
    pairs = [
        ("ink", "bg"), ("ink", "card"), ("ink", "subtle"), ("muted", "bg"), ("muted", "card"),
        ("muted", "subtle"), ("danger", "card"), ("danger", "bg"), ("on-danger", "danger"),
        ("ok", "card"), ("on-ok", "ok"), ("warn", "card"), ("on-warn", "warn"),
        ("info-ink", "info-soft"), ("on-partner", "partner"), ("ink", "danger-soft"),
        ("ink", "ok-soft"), ("ink", "warn-soft"), ("ink", "info-soft"), ("ink", "mark"),
    ]
    low = [(a, b, round(theme.contrast(t[a], t[b]), 2)) for a, b in pairs
           if theme.contrast(t[a], t[b]) < theme.AA]
    assert not low, f"{scheme}: below 4.5:1: {low}"
    # Borders of inputs and the focus ring are seen, not read: 3:1 (WCAG 1.4.11).
    for part in ("line-strong", "focus"):
        assert theme.contrast(t[part], t["card"]) >= 3, (scheme, part)


@pytest.mark.parametrize("accent", ACCENTS)
def test_every_accent_a_brand_may_pick_gives_readable_buttons_and_links(accent, client):
    with override_settings(BRAND={"name": "Acme", "accent": accent, "logo": "img/logo.svg",
                                  "tagline": "x"}):
        css = client.get(reverse("brand_css")).content.decode()
    light = _theme_css_block(css, ":root, [data-theme=light]")
    dark_system = _theme_css_block(css, ":root:not([data-theme=light])")
    dark = _theme_css_block(css, "\n[data-theme=dark]")
    assert dark_system == dark
    for scheme, tokens, base in (("light", light, theme.LIGHT), ("dark", dark, theme.DARK)):
        checks = {
            "text on the accent": (tokens["on-accent"], tokens["accent"]),
            "text on the hovered accent": (tokens["on-accent"], tokens["accent-hover"]),
            "links on the page": (tokens["accent"], base["bg"]),
            "links on a card": (tokens["accent"], base["card"]),
            "links on a quiet fill": (tokens["accent"], base["subtle"]),
            **{f"links on {tint}": (tokens["accent"], base[tint])
               for tint in ("danger-soft", "ok-soft", "warn-soft", "info-soft")},
            "ink on the soft tint": (tokens["accent-soft-ink"], tokens["accent-soft"]),
            "text on the soft tint": (base["ink"], tokens["accent-soft"]),
        }
        for what, (fore, back) in checks.items():
            assert theme.contrast(fore, back) >= theme.AA, (accent, scheme, what, fore, back)


def test_an_accent_that_reads_is_kept_and_one_that_does_not_is_adjusted(client):
    css = client.get(reverse("brand_css")).content.decode()
    assert "--brand-accent: #0b6e4f; --accent: #0b6e4f;" in css  # the default reads as is
    with override_settings(BRAND={"name": "Acme", "accent": "#ff6600", "logo": "img/logo.svg",
                                  "tagline": "x"}):
        css = client.get(reverse("brand_css")).content.decode()
    light = _theme_css_block(css, ":root, [data-theme=light]")
    assert light["brand-accent"] == "#ff6600" and light["accent"] != "#ff6600"
    assert theme.contrast("#ffffff", "#ff6600") < theme.AA  # why it was darkened


def test_contrast_is_computed_as_wcag_defines_it():
    assert round(theme.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(theme.contrast("#777777", "#ffffff"), 2) == 4.48
    assert theme.contrast("#123456", "#123456") == 1


def test_the_style_guide_is_for_the_host_team_only(client):
    url = reverse("style_guide")
    assert client.get(url).status_code == 302  # to sign in
    sign_in(client, factories.UserFactory())
    refused = client.get(url)
    assert refused.status_code == 403
    assert "The style guide is for the host team." in refused.content.decode()


def test_the_style_guide_shows_tokens_components_and_both_themes(client):
    sign_in(client, factories.HostFactory())
    response = client.get(reverse("style_guide"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("--accent", "--on-accent", "--text-xl", "--space-4", "--radius-lg",
                 "--shadow-2", "Primary", "Secondary", "Danger", "Quiet", "Accept this answer",
                 'data-theme="light"', 'data-theme="dark"', "No questions here yet",
                 'class="avatar avatar-md avatar-initials" aria-hidden="true">AL<',
                 "#bell", "Passes"):
        assert text in html, text
    assert "Fails" not in html
    assert reverse("style_guide") in html  # reachable from the host tools


def test_a_thread_row_shows_its_author_avatar(client, kettle_question):
    html = client.get(reverse("home") + "?tab=latest").content.decode()
    row = html[html.index('<li class="thread-row'):]
    row = row[:row.index("</li>")]
    assert 'class="avatar avatar-md avatar-initials" aria-hidden="true">AA</span>' in row


def test_the_header_has_a_menu_button_and_a_link_for_browsers_without_javascript(client):
    member = factories.UserFactory(display_name="Mina Menu")
    sign_in(client, member)
    html = client.get(reverse("home")).content.decode()
    assert re.search(r'<button type="button" class="menu-toggle" data-menu-toggle '
                     r'aria-expanded="false" aria-controls="site-menu"', html)
    assert 'id="site-menu"' in html and 'href="#site-menu"' in html
    assert 'role="search"' in html
    menu = html[html.index('id="site-menu"'):html.index("</nav>")]
    for link in ("Community", "Ask", "Projects", "Partners", "Invite", "Mina Menu", "Settings",
                 "Log out"):
        assert link in menu, link


def test_the_theme_is_applied_before_the_first_paint(client):
    html = client.get(reverse("home")).content.decode()
    head = html[:html.index("</head>")]
    script = re.search(r'<script src="[^"]*theme\.js"></script>', head)
    assert script, "theme.js must be a blocking script in <head>"
    assert head.index("theme.js") < head.index("gravity.css")
    assert '<meta name="color-scheme" content="light dark">' in head
    assert 'data-theme-choice="dark"' in html


def test_a_project_without_a_cover_gets_a_drawn_one(client):
    from purpose import services as purpose_services

    project = purpose_services.project_propose(
        author=factories.UserFactory(), title="Seed library", goal="Share seeds.",
        description="Bring a jar.", space=factories.SpaceFactory())
    purpose_services.project_status_set(actor=factories.HostFactory(), project=project,
                                        to_status="open")
    html = client.get(reverse("purpose:project", args=[project.slug])).content.decode()
    assert 'class="project-cover-blank project-cover-lg"' in html
    assert '<span class="project-cover-initial">S</span>' in html
