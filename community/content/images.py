"""Uploaded images are hostile until re-encoded.

Only JPEG, PNG, GIF and WebP are accepted, at most ``UPLOAD_MAX_BYTES`` and
``UPLOAD_MAX_PIXELS``. The file is decoded by Pillow (never trusted by its name or declared
type), resized, stripped of metadata by re-encoding, and given a name made by the server.
Polyglots are refused before Pillow sees them: a file that is also a zip archive, or that
carries HTML, SVG or script where a browser sniffing it would look (its first and last
kilobyte). Re-encoding would drop those bytes anyway; refusing says so to whoever tried.
"""
import io
import re
import secrets
import warnings
import zipfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext, gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
SNIFFED = 1024
MARKUP = re.compile(rb"<(?:script|html|svg|iframe|body|\?php|!doctype)\b|javascript:", re.I)


def _polyglot(data: bytes) -> str:
    """Why ``data`` is more than an image, or ""."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        return gettext("That file is also an archive: upload a plain image.")
    if MARKUP.search(data[:SNIFFED]) or MARKUP.search(data[-SNIFFED:]):
        return gettext("That file contains web page or SVG code, not only an image.")
    return ""


def clean_image(upload, *, max_side: int) -> SimpleUploadedFile:
    """Validate ``upload`` and return a re-encoded copy at most ``max_side`` pixels wide/high."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError(gettext("That image is too large: the limit is %(limit)d MB.")
                              % {"limit": limit})
    data = upload.read()
    if reason := _polyglot(data):
        raise ValidationError(reason)
    Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                probe.verify()
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(gettext("Upload a JPEG, PNG, GIF or WebP image."))
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise ValidationError(gettext("That image has too many pixels."))
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(gettext("That image has too many pixels.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(gettext("That file is not an image we can read.")) from exc
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, format="PNG", optimize=True)
        ext, content_type = "png", "image/png"
    else:
        image.save(out, format="JPEG", quality=85, optimize=True)
        ext, content_type = "jpg", "image/jpeg"
    name = f"{secrets.token_hex(12)}.{ext}"
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)


class ImageUploadField(forms.FileField):
    """A form field for an image upload, cleaned by :func:`clean_image`.

    Not Django's ``ImageField``: that one opens every upload with Pillow and answers with
    its own words before our checks (polyglots, size, pixels) could say what is wrong."""

    default_error_messages = {"empty": gettext_lazy("That file is empty.")}

    def __init__(self, *, max_side: int, **kwargs):
        self.max_side = max_side
        kwargs.setdefault("help_text", gettext("JPEG, PNG, GIF or WebP, at most 4 MB."))
        kwargs.setdefault("widget", forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}))
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return clean_image(upload, max_side=self.max_side)
