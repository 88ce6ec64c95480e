"""Colour tokens derived from the brand accent, for the light and the dark theme.

A brand picks one accent colour (``settings.BRAND["accent"]``); links, primary buttons, focus
marks and tinted surfaces are all derived from it here, so that every pair the site draws
reaches WCAG AA (4.5:1 for text) whatever colour the brand chose: a light orange is darkened
for the light theme and a dark navy is lightened for the dark one, and the text drawn on the
accent is white or near-black, whichever reads. ``/theme.css`` (``views.pages.brand_css``)
serves the result; ``static/css/gravity.css`` holds the neutral tokens the accent is
checked against (``LIGHT`` and ``DARK`` below mirror them, and a test keeps the two equal).
"""
from __future__ import annotations

import colorsys
import re

AA = 4.5
DEFAULT_ACCENT = "#0b6e4f"
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# The neutral surfaces and inks of each theme (the same values as in gravity.css).
LIGHT = {"bg": "#f6f8fa", "card": "#ffffff", "ink": "#1d2329", "muted": "#57606a",
         "subtle": "#eef1f4", "danger-soft": "#fdecea", "ok-soft": "#e6f4ea",
         "warn-soft": "#fff6ea", "info-soft": "#e7f0fd"}
DARK = {"bg": "#0f1419", "card": "#171d24", "ink": "#e6edf3", "muted": "#9aa5b1",
        "subtle": "#222a33", "danger-soft": "#3a1d1d", "ok-soft": "#16302a",
        "warn-soft": "#33261a", "info-soft": "#1b2a40"}
# Links are read on the page, on cards, on quiet fills and on the tinted rows of meaning (a
# success message, a winning contribution, a warning): the accent must reach AA on each.
SURFACES = ("bg", "card", "subtle", "danger-soft", "ok-soft", "warn-soft", "info-soft")
WHITE, NEAR_BLACK = "#ffffff", "#0d1117"


def parse(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parse(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, amount: float) -> str:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return to_hex(tuple(x + (y - x) * amount for x, y in zip(parse(a), parse(b), strict=True)))


def _lightness(colour: str, lightness: float) -> str:
    hue, _, saturation = colorsys.rgb_to_hls(*(c / 255 for c in parse(colour)))
    return to_hex(tuple(c * 255 for c in colorsys.hls_to_rgb(hue, lightness, saturation)))


def _reaching(accent: str, towards: str, against: tuple[str, ...]) -> str:
    """The accent made darker (``towards`` black) or lighter (white) in small steps of
    lightness, keeping its hue and saturation, until it reads on every surface."""
    _, start, _ = colorsys.rgb_to_hls(*(c / 255 for c in parse(accent)))
    end = 0.0 if towards == NEAR_BLACK else 1.0
    for step in range(0, 101):
        candidate = _lightness(accent, start + (end - start) * step / 100) if step else accent
        if all(contrast(candidate, surface) >= AA for surface in against):
            return candidate
    return towards


def _on(colour: str) -> str:
    return WHITE if contrast(WHITE, colour) >= contrast(NEAR_BLACK, colour) else NEAR_BLACK


def clean(accent: str) -> str:
    return accent if isinstance(accent, str) and _HEX.match(accent) else DEFAULT_ACCENT


def tokens(accent: str) -> dict[str, dict[str, str]]:
    """``{"light": {...}, "dark": {...}}``: each theme's accent, the text drawn on it, a hover
    shade, a soft tint for selected and highlighted surfaces, and the ink used on that tint."""
    accent = to_hex(parse(clean(accent)))
    themes = {}
    for name, base, towards in (("light", LIGHT, NEAR_BLACK), ("dark", DARK, WHITE)):
        surfaces = tuple(base[surface] for surface in SURFACES)
        strong = _reaching(accent, towards, surfaces)
        on = _on(strong)
        hover = mix(strong, towards, 0.15)
        if contrast(on, hover) < AA:
            hover = strong
        soft = mix(base["card"], strong, 0.14 if name == "light" else 0.22)
        themes[name] = {"accent": strong, "on-accent": on, "accent-hover": hover,
                        "accent-soft": soft,
                        "accent-soft-ink": _reaching(strong, towards, (soft,))}
    return themes


def stylesheet(accent: str) -> str:
    """The CSS of ``/theme.css``: light tokens on ``:root``, dark ones under the system
    setting (unless the member chose light) and under a chosen dark theme; any element
    with ``data-theme`` takes that theme (the style guide shows both side by side)."""
    brand = to_hex(parse(clean(accent)))
    themes = tokens(brand)

    def block(values: dict[str, str]) -> str:
        return " ".join(f"--{k}: {v};" for k, v in values.items())

    return (
        f":root, [data-theme=light] {{ --brand-accent: {brand}; {block(themes['light'])} }}\n"
        f"@media (prefers-color-scheme: dark) {{ :root:not([data-theme=light]) "
        f"{{ {block(themes['dark'])} }} }}\n"
        f"[data-theme=dark] {{ {block(themes['dark'])} }}\n"
    )
