"""The installable app's icons, drawn from the brand's logo (``settings.BRAND["logo"]``).

Three PNGs: 192 and 512 pixels ("any": the logo on a clear background) and a 512-pixel
maskable one (the logo inside the central 60%, on the page's background, so that a phone's
round or squircle mask never cuts it). A raster logo (PNG, JPEG, WebP, GIF) is drawn with
Pillow; an SVG logo is drawn here when it is made of the simple shapes most logos are
(circles, ellipses, rectangles and polygons with a fill, in a ``viewBox``, no transforms);
any other SVG gives the brand's initial on its accent colour, so an icon always exists. Set
``BRAND_LOGO`` to a square PNG for an exact icon.

Icons are kept in the cache under a key made from the logo's bytes, the accent and the
size: a new logo (or accent) makes new keys, and the manifest's icon addresses carry the
same digest (``?v=``), so phones fetch the new icons too.
"""
import hashlib
import io
import re

from defusedxml import ElementTree
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from PIL import Image, ImageColor, ImageDraw, ImageFont, UnidentifiedImageError

from community import theme

ICONS = {"icon-192": (192, False), "icon-512": (512, False), "maskable-512": (512, True)}
SUPERSAMPLE = 4
CACHE_SECONDS = 7 * 24 * 3600
_NUMBER = re.compile(r"-?\d*\.?\d+(?:e-?\d+)?")
_SVG = "{http://www.w3.org/2000/svg}"


class _Unsupported(ValueError):
    pass


def _logo_bytes() -> bytes:
    path = finders.find(settings.BRAND["logo"])
    if not path:
        return b""
    with open(path, "rb") as logo:
        return logo.read()


def digest(logo: bytes | None = None) -> str:
    """What the icons are drawn from, in 12 hex digits (the manifest's ``?v=``)."""
    logo = _logo_bytes() if logo is None else logo
    accent = theme.clean(settings.BRAND["accent"])
    return hashlib.sha256(logo + accent.encode() + settings.SITE_NAME.encode()).hexdigest()[:12]


def _numbers(value: str | None, default: float = 0.0) -> list[float]:
    found = [float(n) for n in _NUMBER.findall(value or "")]
    return found or [default]


def _fill(element, inherited: str | None) -> tuple[int, int, int, int] | None:
    style = dict(part.split(":", 1) for part in (element.get("style") or "").split(";")
                 if ":" in part)
    value = (style.get("fill") or element.get("fill") or inherited or "#000").strip()
    if value == "none":
        return None
    try:
        colour = ImageColor.getrgb(value)
    except ValueError as error:
        raise _Unsupported(f"fill {value}") from error
    opacity = _numbers(style.get("fill-opacity") or element.get("fill-opacity"), 1.0)[0]
    rgb = colour[:3]
    alpha = colour[3] if len(colour) == 4 else 255
    return (*rgb, round(alpha * max(0.0, min(1.0, opacity))))


def _draw_svg(data: bytes, size: int) -> Image.Image:
    """The SVG's simple shapes drawn at ``size`` (a square), or ``_Unsupported``."""
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError) as error:
        raise _Unsupported("not XML") from error
    box = _numbers(root.get("viewBox"), 0.0)
    if len(box) != 4:
        box = [0, 0, *_numbers(root.get("width"), 32)[:1], *_numbers(root.get("height"), 32)[:1]]
    x0, y0, width, height = box
    big = size * SUPERSAMPLE
    scale = big / max(width, height)
    dx = (big - width * scale) / 2 - x0 * scale
    dy = (big - height * scale) / 2 - y0 * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))

    def point(x, y):
        return (x * scale + dx, y * scale + dy)

    def walk(node, inherited):
        for element in node:
            tag = element.tag.removeprefix(_SVG)
            if element.get("transform"):
                raise _Unsupported("transform")
            if tag in ("title", "desc", "metadata"):
                continue
            if tag == "g":
                walk(element, element.get("fill") or inherited)
                continue
            fill = _fill(element, inherited)
            layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
            pen = ImageDraw.Draw(layer)
            def number(name, element=element):
                return _numbers(element.get(name))[0]

            if tag == "circle":
                cx, cy, r = number("cx"), number("cy"), number("r")
                shape = ("ellipse", [point(cx - r, cy - r), point(cx + r, cy + r)])
            elif tag == "ellipse":
                cx, cy, rx, ry = number("cx"), number("cy"), number("rx"), number("ry")
                shape = ("ellipse", [point(cx - rx, cy - ry), point(cx + rx, cy + ry)])
            elif tag == "rect":
                x, y = number("x"), number("y")
                w, h = number("width"), number("height")
                rx = _numbers(element.get("rx") or element.get("ry"))[0]
                shape = ("rect", [point(x, y), point(x + w, y + h)], rx * scale)
            elif tag == "polygon":
                values = _numbers(element.get("points"))
                shape = ("polygon", [point(values[i], values[i + 1])
                                     for i in range(0, len(values) - 1, 2)])
            else:
                raise _Unsupported(tag)
            if fill is None:
                continue
            if shape[0] == "ellipse":
                pen.ellipse(shape[1], fill=fill)
            elif shape[0] == "rect":
                pen.rounded_rectangle(shape[1], radius=shape[2], fill=fill)
            else:
                pen.polygon(shape[1], fill=fill)
            image.alpha_composite(layer)

    walk(root, root.get("fill"))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _initial(size: int) -> Image.Image:
    """The brand's initial, white on its accent, in a circle (no logo could be drawn)."""
    accent = theme.tokens(settings.BRAND["accent"])["light"]["accent"]
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.ellipse([0, 0, big - 1, big - 1], fill=accent)
    letter = (settings.SITE_NAME.strip() or "G")[0].upper()
    font = ImageFont.load_default(size=big * 0.55)
    pen.text((big / 2, big / 2), letter, fill=theme.WHITE, font=font, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _logo(logo: bytes, size: int) -> Image.Image:
    name = settings.BRAND["logo"].lower()
    try:
        if name.endswith(".svg"):
            return _draw_svg(logo, size)
        picture = Image.open(io.BytesIO(logo))
        picture.load()
    except (_Unsupported, UnidentifiedImageError, OSError, ValueError):
        return _initial(size)
    picture = picture.convert("RGBA")
    picture.thumbnail((size, size), Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    canvas.alpha_composite(picture, ((size - picture.width) // 2,
                                     (size - picture.height) // 2))
    return canvas


def draw(name: str, logo: bytes | None = None) -> bytes:
    """The PNG of icon ``name`` (a key of ``ICONS``)."""
    size, maskable = ICONS[name]
    logo = _logo_bytes() if logo is None else logo
    if not maskable:
        image = _logo(logo, size) if logo else _initial(size)
    else:
        image = Image.new("RGBA", (size, size), theme.LIGHT["card"])
        inner = round(size * 0.6)
        mark = _logo(logo, inner) if logo else _initial(inner)
        image.alpha_composite(mark, ((size - inner) // 2, (size - inner) // 2))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def icon(name: str) -> tuple[bytes, str]:
    """(PNG, digest) of icon ``name``, drawn once per logo and kept in the cache."""
    logo = _logo_bytes()
    version = digest(logo)
    key = f"appicon:{version}:{name}"
    png = cache.get(key)
    if png is None:
        png = draw(name, logo)
        cache.set(key, png, CACHE_SECONDS)
    return png, version
