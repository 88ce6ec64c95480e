"""Hostile uploads, through every form that takes an image: refused with a clear message,
nothing stored, nothing the user typed lost. What is accepted is re-encoded and renamed."""
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community.models import User
from partners.models import Organisation
from purpose.models import Contribution, Project

from .. import factories

pytestmark = pytest.mark.django_db


def _jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def _zip_jpeg_polyglot() -> bytes:
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.html", "<script>alert(1)</script>")
    return _jpeg() + archive.getvalue()  # a valid JPEG and a valid zip at once


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _png_bomb() -> bytes:
    """A few hundred bytes that claim 100,000 x 100,000 pixels."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + _chunk(b"IEND", b""))


def _gif_with_script() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue().replace(b"GIF89a", b"GIF89a", 1) + b"<script>alert(1)</script>"


CORPUS = {
    "html named .png": (b"<!doctype html><html><script>alert(1)</script></html>",
                        "photo.png", "image/png", "web page or SVG code"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.svg",
            "image/svg+xml", "web page or SVG code"),
    "svg named .jpg": (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
                       b'<script>alert(1)</script></svg>', "cat.jpg", "image/jpeg",
                       "web page or SVG code"),
    "zip/jpeg polyglot": (_zip_jpeg_polyglot(), "holiday.jpg", "image/jpeg",
                          "also an archive"),
    "gif with a script tail": (_gif_with_script(), "anim.gif", "image/gif",
                               "web page or SVG code"),
    "decompression bomb": (_png_bomb(), "tiny.png", "image/png", "too many pixels"),
    "pdf named .jpg": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
                       "scan.jpg", "image/jpeg", "not an image we can read"),
    "empty": (b"", "nothing.png", "image/png", "empty"),
}


def _upload(name):
    data, filename, content_type, _ = CORPUS[name]
    return SimpleUploadedFile(filename, data, content_type=content_type)


@pytest.fixture
def open_project(member):
    host = factories.HostFactory()
    from purpose import services

    project = services.project_propose(author=member, title="Label designs", goal="A label",
                                       description="Draw it")
    services.project_status_set(actor=host, project=project, to_status="open")
    return project


def _forms(member, project):
    """Each upload form: (url, fields, file field, what is stored after a refusal)."""
    return [
        (reverse("profile_edit"),
         {"display_name": "Typed name", "bio": "Typed bio", "location": "", "products": "",
          "interests": ""}, "avatar",
         lambda: User.objects.filter(pk=member.pk, avatar="").exists()),
        (reverse("purpose:project_propose"),
         {"title": "Typed project", "goal": "Typed goal", "description": "Typed text"},
         "cover", lambda: not Project.objects.filter(title="Typed project").exists()),
        (reverse("purpose:contribute", args=[project.slug]),
         {"kind": "design", "title": "Typed design", "body": "Typed text", "nonce": "n1"},
         "image", lambda: not Contribution.objects.filter(title="Typed design").exists()),
        (reverse("partners:apply"),
         {"name": "Typed Organisation", "description": "Typed text", "homepage": ""},
         "logo", lambda: not Organisation.objects.filter(name="Typed Organisation").exists()),
    ]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_upload_form_refuses_the_file_and_keeps_the_text(client, member, open_project,
                                                               name):
    client.force_login(member)
    message = CORPUS[name][3]
    for url, fields, field, nothing_stored in _forms(member, open_project):
        response = client.post(url, {**fields, field: _upload(name)})
        body = response.content.decode()
        assert response.status_code in (200, 400), (url, response.status_code)
        assert message in body, (url, name)
        assert next(v for v in fields.values() if v.startswith("Typed")) in body, url
        assert nothing_stored(), url


def test_an_accepted_image_is_reencoded_renamed_and_served_nosniff(client, member):
    client.force_login(member)
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (900, 700), (1, 2, 3)).save(buffer, "JPEG", exif=exif.tobytes())
    client.post(reverse("profile_edit"), {
        "display_name": "Ada", "bio": "", "location": "", "products": "", "interests": "",
        "avatar": SimpleUploadedFile("../../etc/passwd.jpg", buffer.getvalue(),
                                     content_type="text/html")})
    member.refresh_from_db()
    stored = member.avatar.read()
    assert b"Secret Camera Co" not in stored
    assert "passwd" not in member.avatar.name
    assert client.get(reverse("home"))["X-Content-Type-Options"] == "nosniff"
