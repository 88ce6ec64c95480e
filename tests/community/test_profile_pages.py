"""Public profiles and editing one's own, including hostile avatar uploads."""
import io
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from community.models import User
from community.services import moderation
from community.services.users import former_member_get

from .. import factories

pytestmark = pytest.mark.django_db

PROFILE = {"display_name": "Ada Brewer", "bio": "Lagers, mostly.", "location": "Ghent",
           "interests": "lagers, yeast"}


def _image(fmt="PNG", size=(800, 600), name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def _noise_png():
    """A real PNG over the 4 MB limit (noise does not compress)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1400, 1100), os.urandom(1400 * 1100 * 3)).save(buffer, "PNG")
    assert buffer.tell() > 4 * 1024 * 1024
    return SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")


def test_public_profile_shows_what_the_member_shares(client, member):
    member.bio, member.interests = "I brew stouts.", "Smart fermenting"
    member.save()
    body = client.get(reverse("profile", args=[member.username])).content.decode()
    assert member.name in body and "I brew stouts." in body and "Smart fermenting" in body


def test_unknown_and_former_member_profiles_are_404(client):
    assert client.get(reverse("profile", args=["nobody_here"])).status_code == 404
    former = former_member_get()
    assert client.get(reverse("profile", args=[former.username])).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("profile_edit"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_member_saves_profile_with_normalised_lists(client, member):
    client.force_login(member)
    data = {**PROFILE, "interests": " lagers ,yeast, lagers ,,"}
    response = client.post(reverse("profile_edit"), data, follow=True)
    assert "Your profile is saved." in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Ada Brewer"
    assert member.interests == "lagers, yeast"


def test_too_many_interests_keeps_the_other_input(client, member):
    client.force_login(member)
    data = {**PROFILE, "interests": ", ".join(f"thing {i}" for i in range(21))}
    response = client.post(reverse("profile_edit"), data)
    body = response.content.decode()
    assert response.status_code == 200 and "at most 20" in body
    assert 'value="Ada Brewer"' in body and "Lagers, mostly." in body
    member.refresh_from_db()
    assert member.display_name != "Ada Brewer"


def test_avatar_is_resized_reencoded_and_renamed(client, member, settings):
    client.force_login(member)
    upload = _image(size=(1200, 900), name="../../etc/passwd.png")
    client.post(reverse("profile_edit"), {**PROFILE, "avatar": upload})
    member.refresh_from_db()
    assert member.avatar
    assert "passwd" not in member.avatar.name and ".." not in member.avatar.name
    with Image.open(member.avatar.path) as stored:
        assert max(stored.size) <= settings.AVATAR_SIZE
        assert stored.format in {"JPEG", "PNG"}


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("fake.png", b"this is not an image", content_type="image/png"),
         "not an image"),
        (SimpleUploadedFile("cut.png", _image().read()[:200], content_type="image/png"),
         "not an image"),
        (_noise_png(), "too large"),
        (_image(fmt="PNG", size=(8000, 6000), name="bomb.png"), "too many pixels"),
        (_image(fmt="BMP", size=(10, 10), name="old.bmp"), "JPEG, PNG, GIF or WebP"),
    ],
    ids=["text", "truncated", "oversized", "too-many-pixels", "bmp"],
)
# Django's ImageField opens the upload first; Pillow warns about the bomb before we refuse it.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_bad_avatar_is_refused_and_nothing_is_lost(client, member, upload, message):
    client.force_login(member)
    client.post(reverse("profile_edit"), {**PROFILE, "avatar": _image(name="first.png")})
    member.refresh_from_db()
    previous = member.avatar.name

    response = client.post(reverse("profile_edit"),
                           {**PROFILE, "display_name": "Changed", "avatar": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="Changed"' in body  # what they typed is still there
    member.refresh_from_db()
    assert member.avatar.name == previous and member.display_name == "Ada Brewer"


def test_a_suspended_member_cannot_change_their_profile(client, member, host):
    moderation.suspend(actor=host, user=member, reason="Spam links",
                       ends_at=timezone.now() + timedelta(days=7))
    client.force_login(member)
    page = client.get(reverse("profile_edit"))
    assert page.status_code == 403 and "Spam links" in page.content.decode()
    response = client.post(reverse("profile_edit"),
                           {**PROFILE, "display_name": "Buy cheap pills"})
    assert response.status_code == 403 and "suspended" in response.content.decode()
    member.refresh_from_db()
    assert member.display_name != "Buy cheap pills" and member.bio != "Lagers, mostly."


def _avatar(client, member, **extra):
    """Save the profile form with ``extra``; the stored avatar's name."""
    client.post(reverse("profile_edit"), {**PROFILE, **extra})
    member.refresh_from_db()
    return member.avatar.name


def test_replaced_and_removed_avatars_leave_storage(client, member, settings,
                                                   django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        first = _avatar(client, member, avatar=_image(name="first.png"))
    assert (settings.MEDIA_ROOT / first).is_file()
    with django_capture_on_commit_callbacks(execute=True):
        second = _avatar(client, member, avatar=_image(name="second.png"))
    assert second != first
    assert not (settings.MEDIA_ROOT / first).exists()
    assert (settings.MEDIA_ROOT / second).is_file()
    with django_capture_on_commit_callbacks(execute=True):
        assert _avatar(client, member, **{"avatar-clear": "on"}) == ""
    assert not (settings.MEDIA_ROOT / second).exists()


def test_a_deleted_account_leaves_no_avatar(client, member, settings,
                                            django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        stored = _avatar(client, member, avatar=_image(name="me.png"))
    assert (settings.MEDIA_ROOT / stored).is_file()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_delete"),
                    {"posts": "anonymise", "password": factories.PASSWORD})
    assert not User.objects.filter(pk=member.pk).exists()
    assert not (settings.MEDIA_ROOT / stored).exists()


def test_the_settings_offer_deleting_an_account_only_to_who_may(client, member, admin_user):
    client.force_login(member)
    assert b'href="/settings/delete/"' in client.get(reverse("profile_edit")).content
    client.force_login(admin_user)
    page = client.get(reverse("profile_edit")).content.decode()
    assert 'href="/settings/delete/"' not in page  # no link to a page that refuses
    refused = client.get(reverse("account_delete"))
    assert refused.status_code == 403
    assert "another admin removes it in the admin" in refused.content.decode()
