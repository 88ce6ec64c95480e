"""Photos in posts: uploaded, re-encoded at a few sizes, shown inline in the post that names
them, attached to it when it is saved, and deleted when nobody shows them."""
import io
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from community import tasks
from community.content import rendering
from community.models import CommunitySettings, Post, PostImage, Thread, User
from community.services import conversations, media, moderation

from .. import budgets, factories
from .test_upload_corpus import CORPUS, _upload

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
MAKE = 0x010F


def _photo_bytes(size=(2400, 1600), fmt="JPEG", mode="RGB") -> bytes:
    """An image with a camera maker and a GPS position in its EXIF."""
    exif = Image.Exif()
    exif[MAKE] = "Secret Camera Co"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 120, 30) + ((128,) if mode == "RGBA" else ())).save(
        buffer, fmt, exif=exif.tobytes())
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the input has it
    return data


def _photo(name="brew-day.jpg", **kwargs) -> SimpleUploadedFile:
    fmt = kwargs.get("fmt", "JPEG")
    return SimpleUploadedFile(name, _photo_bytes(**kwargs),
                              content_type="image/png" if fmt == "PNG" else "image/jpeg")


def _upload_photo(client, alt="The mash tun at 67 degrees", **kwargs):
    return client.post(reverse("image_upload"), {"image": _photo(**kwargs), "alt_text": alt})


def _stored(image: PostImage) -> list[bytes]:
    out = []
    for variant in image.variants:
        with default_storage.open(variant["name"]) as handle:
            out.append(handle.read())
    return out


def _community(**values) -> None:
    found = CommunitySettings.get()
    for name, value in values.items():
        setattr(found, name, value)
    found.save()


def _uploaded(user, **kwargs) -> PostImage:
    return media.image_upload(uploader=user, upload=_photo(**kwargs),
                              alt_text="A kettle on the hob")


@pytest.fixture
def thread(member):
    return conversations.thread_create(
        author=member, space=factories.SpaceFactory(name="Brewing"), kind=Thread.Kind.DISCUSSION,
        title="Post your brew day photos", body="Show us your setup.")


# Uploading --------------------------------------------------------------------------

def test_upload_stores_every_size_without_metadata_under_a_server_name(client, member):
    client.force_login(member)
    response = _upload_photo(client)

    assert response.status_code == 201
    answer = response.json()
    image = PostImage.objects.get(key=answer["key"])
    assert answer["markdown"] == f"![The mash tun at 67 degrees](upload:{image.key})"
    assert image.uploader == member and image.post is None
    assert [(v["width"], v["height"]) for v in image.variants] == [
        (320, 213), (960, 640), (1920, 1280)]
    assert (image.width, image.height) == (1920, 1280)
    for variant, data in zip(image.variants, _stored(image), strict=True):
        assert re.fullmatch(rf"posts/{image.key}-\d+\.jpg", variant["name"])
        assert "brew-day" not in variant["name"]
        decoded = Image.open(io.BytesIO(data))
        assert decoded.size == (variant["width"], variant["height"])
        assert not decoded.getexif().get_ifd(GPS_IFD)
        assert b"Secret Camera Co" not in data


def test_a_transparent_png_keeps_its_format_and_loses_its_metadata(member):
    image = _uploaded(member, fmt="PNG", mode="RGBA", size=(1000, 800))
    assert [v["width"] for v in image.variants] == [320, 960, 1000]
    for variant, data in zip(image.variants, _stored(image), strict=True):
        assert variant["name"].endswith(".png")
        decoded = Image.open(io.BytesIO(data))
        assert decoded.mode == "RGBA"
        assert not decoded.getexif().get_ifd(GPS_IFD) and b"Secret Camera Co" not in data


def test_a_small_photo_is_never_made_larger(member):
    image = _uploaded(member, size=(500, 300))
    assert [(v["width"], v["height"]) for v in image.variants] == [(320, 192), (500, 300)]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_files_are_refused_with_a_sentence_and_nothing_stored(client, member, thread,
                                                                      name):
    client.force_login(member)
    response = client.post(reverse("image_upload"),
                           {"image": _upload(name), "alt_text": "A photo"})
    assert response.status_code == 400
    assert CORPUS[name][3] in response.json()["error"]
    # The reply form says the same next to its file field and keeps the reply.
    response = client.post(reverse("thread_reply", args=[thread.pk]), {
        "body": "Typed reply about my kettle", "photo": _upload(name), "photo_alt": "A photo"})
    page = response.content.decode()
    assert response.status_code == 400
    assert CORPUS[name][3] in page and "Typed reply about my kettle" in page
    assert not PostImage.objects.exists()
    assert not Post.objects.filter(body__contains="Typed reply").exists()
    assert not default_storage.exists("posts") or not default_storage.listdir("posts")[1]


def test_alt_text_is_required(client, member, thread):
    client.force_login(member)
    response = _upload_photo(client, alt="   ")
    assert response.status_code == 400
    assert "alt text" in response.json()["error"]

    response = client.post(reverse("thread_reply", args=[thread.pk]), {
        "body": "My first all-grain batch", "photo": _photo(), "photo_alt": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "My first all-grain batch" in page
    # The sentence is in the description's field, right under it.
    field = re.search(r'<div class="field has-error">\s*<label for="id_photo_alt".*?</div>\s*'
                      r'(?:<p class="error".*?</p>\s*)+</div>', page, re.S)
    assert field and "alt text" in field.group(0)
    assert not PostImage.objects.exists()


def test_past_the_days_quota_the_answer_is_429_with_a_sentence(client, member, thread,
                                                               settings):
    settings.UPLOAD_IMAGES_PER_DAY = 2
    client.force_login(member)
    assert _upload_photo(client, size=(400, 300)).status_code == 201
    assert _upload_photo(client, size=(400, 300)).status_code == 201
    response = _upload_photo(client, size=(400, 300))
    assert response.status_code == 429
    assert "2 photos a day" in response.json()["error"]

    response = client.post(reverse("thread_reply", args=[thread.pk]), {
        "body": "Kept when the photo is refused", "photo": _photo(size=(400, 300)),
        "photo_alt": "My fermenter"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "2 photos a day" in page and "Kept when the photo is refused" in page
    assert PostImage.objects.count() == 2
    # A day later the member may upload again.
    PostImage.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert _upload_photo(client, size=(400, 300)).status_code == 201


def test_a_suspended_member_is_refused_403_and_a_visitor_sent_to_sign_in(client, member,
                                                                         host):
    moderation.suspend(actor=host, user=member, reason="Spam",
                       ends_at=timezone.now() + timedelta(days=3))
    client.force_login(member)
    response = _upload_photo(client)
    assert response.status_code == 403
    assert "suspended" in response.content.decode()
    client.logout()
    response = _upload_photo(client)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client.get(reverse("image_upload")).status_code == 302
    assert not PostImage.objects.exists()


def test_new_member_limits_apply_to_photos(client, new_member, thread):
    client.force_login(new_member)
    _community(new_member_max_images=0)
    response = _upload_photo(client)
    assert response.status_code == 400
    assert "New members cannot add photos yet" in response.json()["error"]

    _community(new_member_max_images=1)
    first, second = _uploaded(new_member), _uploaded(new_member)
    with pytest.raises(Exception, match="at most 1 per post"):
        conversations.post_create(author=new_member, thread=thread,
                                  body=f"{first.markdown}\n\n{second.markdown}")


# Rendering ----------------------------------------------------------------------------

def _img(html: str) -> str:
    match = re.search(r"<img [^>]*>", html)
    assert match, html
    return match.group(0)


def test_an_uploaded_photo_renders_inline_with_its_sizes(member, thread):
    image = _uploaded(member)
    post = conversations.post_create(author=member, thread=thread,
                                     body=f"Brew day!\n\n![Mash at 67 °C](upload:{image.key})")
    urls = [url for url, _, _ in image.urls()]
    img = _img(post.body_html)
    assert f'src="{urls[1]}"' in img
    assert f'srcset="{urls[0]} 320w, {urls[1]} 960w, {urls[2]} 1920w"' in img
    assert f'sizes="{rendering.IMAGE_SIZES}"' in img
    assert 'width="960"' in img and 'height="640"' in img
    assert 'loading="lazy"' in img and 'alt="Mash at 67 °C"' in img
    assert re.search(rf'<a href="{re.escape(urls[2])}" class="post-image"[^>]*>{re.escape(img)}'
                     r"</a>", post.body_html)
    # The large size is really there, and served as an image.
    assert default_storage.exists(image.variants[-1]["name"])


def test_photos_from_other_hosts_stay_links(member, thread):
    post = conversations.post_create(
        author=member, thread=thread,
        body="![tracking](https://evil.example/pixel.jpg) and "
             "![fake](upload:../../etc/passwd) and ![gone](upload:0123456789abcdef01234567)")
    assert "<img" not in post.body_html
    assert '<a href="https://evil.example/pixel.jpg" rel="nofollow ugc noopener">tracking</a>' \
        in post.body_html
    assert "gone" in post.body_html and "upload:" not in post.body_html


def test_someone_elses_waiting_upload_is_not_shown(member, other_member, thread):
    theirs = _uploaded(other_member)
    post = conversations.post_create(author=member, thread=thread, body=theirs.markdown)
    assert "<img" not in post.body_html
    theirs.refresh_from_db()
    assert theirs.post is None


@pytest.mark.parametrize("alt", [
    '"><script>alert(1)</script>', "<img src=x onerror=alert(1)>", "javascript:alert(1)",
    "a] (javascript:alert(1)) [b",
])
def test_hostile_alt_text_stays_text(member, thread, alt):
    image = media.image_upload(uploader=member, upload=_photo(size=(400, 300)), alt_text=alt)
    post = conversations.post_create(author=member, thread=thread, body=image.markdown)
    assert "<script" not in post.body_html and "onerror=" not in post.body_html.replace(
        "&lt;img src=x onerror=alert(1)&gt;", "")
    assert 'href="javascript' not in post.body_html and 'src="javascript' not in post.body_html
    assert post.body_html.count("<img ") == 1


def test_imported_html_cannot_smuggle_a_srcset_or_our_attributes():
    html = rendering.sanitize_html(
        '<img src="/media/posts/abc.jpg" srcset="https://evil.example/x.jpg 1w, '
        '/media/posts/abc.jpg 2w" sizes="100vw" width="9e9" loading="eager" '
        'onload="alert(1)" alt="x"><a class="post-image evil" href="/media/posts/abc.jpg">y</a>'
    ).html
    img = _img(html)
    for banned in ("srcset", "sizes", "width", "loading", "onload", "evil"):
        assert banned not in html, banned
    assert img == '<img src="/media/posts/abc.jpg" alt="x">'
    ours = rendering.sanitize_html(
        '<img src="/media/posts/abc-320.jpg" srcset="/media/posts/abc-320.jpg 320w" '
        f'sizes="{rendering.IMAGE_SIZES}" width="320" height="200" loading="lazy" alt="x">').html
    assert 'srcset="/media/posts/abc-320.jpg 320w"' in ours and 'width="320"' in ours


def test_a_photo_inside_a_members_link_is_not_a_link_in_a_link(member, thread):
    image = _uploaded(member, size=(400, 300))
    post = conversations.post_create(author=member, thread=thread,
                                     body=f"[{image.markdown}](https://example.com/recipe)")
    assert post.body_html.count("<a ") == 1 and "<img " in post.body_html


# Attaching ----------------------------------------------------------------------------

def test_attached_when_a_thread_a_reply_or_an_edit_names_them(client, member, host):
    one, two, three = (_uploaded(member, size=(400, 300)) for _ in range(3))
    thread = conversations.thread_create(
        author=member, space=factories.SpaceFactory(), kind=Thread.Kind.QUESTION,
        title="Is this krausen normal?", body=f"Look:\n\n{one.markdown}")
    opening = thread.opening_post
    reply = conversations.post_create(author=member, thread=thread, body="Plain text first.")
    conversations.post_edit(actor=member, post=reply, body=f"Now a photo: {two.markdown}")
    for image, post in ((one, opening), (two, reply)):
        image.refresh_from_db()
        assert image.post == post

    # A host's edit takes the host's own photos and the author's, and lets go of the rest.
    mine = _uploaded(host, size=(400, 300))
    moderation.review_edit(actor=host, post=reply, body=f"{three.markdown} {mine.markdown}",
                           reason="Better photo")
    for image in (two, three, mine):
        image.refresh_from_db()
    assert three.post == reply and mine.post == reply and two.post is None
    reply.refresh_from_db()
    assert reply.body_html.count("<img ") == 2
    # Rendered again later (rerender_posts, an import), the post shows the same photos.
    assert conversations.render_stored(reply.body, reply.body_format).html == reply.body_html


def test_the_no_javascript_forms_upload_and_append_the_photo(client, member, thread):
    client.force_login(member)
    response = client.post(reverse("thread_reply", args=[thread.pk]), {
        "body": "My setup this morning", "photo": _photo(), "photo_alt": "Three kettles"})
    assert response.status_code == 302
    reply = Post.objects.get(thread=thread, kind=Post.Kind.REPLY)
    image = PostImage.objects.get()
    assert reply.body == f"My setup this morning\n\n![Three kettles](upload:{image.key})"
    assert image.post == reply and 'alt="Three kettles"' in reply.body_html
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'srcset="' in page and 'class="post-image"' in page

    # A photo alone is a post; editing adds another at the end.
    response = client.post(reverse("ask"), {
        "space": thread.space_id, "title": "What is this white film?", "body": "",
        "photo": _photo(size=(800, 600)), "photo_alt": "White film on the beer"})
    asked = Thread.objects.get(title="What is this white film?")
    assert response.status_code == 302 and "<img " in asked.opening_post.body_html
    response = client.post(reverse("post_edit", args=[reply.pk]), {
        "body": reply.body, "photo": _photo(size=(600, 600)), "photo_alt": "The grain bill"})
    reply.refresh_from_db()
    assert response.status_code == 302 and reply.body_html.count("<img ") == 2
    assert PostImage.objects.filter(post=reply).count() == 2


def test_a_refused_post_keeps_the_uploaded_photo_in_the_text(client, member, thread,
                                                            settings):
    client.force_login(member)
    settings.POSTING_RATE = True
    _community(member_posts_per_minute=1)
    # The thread's opening post was this member's post of the minute.
    response = client.post(reverse("thread_reply", args=[thread.pk]), {
        "body": "Too quick", "photo": _photo(size=(400, 300)), "photo_alt": "Hops"})
    assert response.status_code == 429
    image = PostImage.objects.get()
    page = response.content.decode()
    assert f"Too quick\n\n![Hops](upload:{image.key})" in page  # in the textarea
    assert image.post is None


# Cleaning up ---------------------------------------------------------------------------

def test_the_daily_task_deletes_what_nobody_shows(member, other_member, thread,
                                                 django_capture_on_commit_callbacks):
    old, fresh, shown, copied = (_uploaded(member, size=(400, 300)) for _ in range(4))
    conversations.post_create(author=member, thread=thread, body=shown.markdown)
    # Someone else's post names an upload it could not take: it is theirs to keep showing.
    holder = conversations.post_create(author=other_member, thread=thread, body=copied.markdown)
    PostImage.objects.filter(pk__in=[old.pk, shown.pk, copied.pk]).update(
        created_at=timezone.now() - timedelta(hours=25))
    files = [v["name"] for v in old.variants]
    assert all(default_storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):  # files go once rows are gone
        assert tasks.clean_orphan_images() == 1

    assert not PostImage.objects.filter(pk=old.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert PostImage.objects.filter(pk=fresh.pk, post=None).exists()
    assert PostImage.objects.filter(pk=shown.pk, post__isnull=False).exists()
    assert PostImage.objects.get(pk=copied.pk).post == holder
    assert all(default_storage.exists(v["name"]) for v in fresh.variants)


def test_the_clean_up_runs_daily_from_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="community.clean_orphan_images")
    assert (task.interval.every, task.interval.period) == (1, "days") and task.enabled


def _delete_account(client, user, choice):
    client.force_login(user)
    return client.post(reverse("account_delete"),
                       {"posts": choice, "password": factories.PASSWORD})


@pytest.mark.parametrize("choice", ["anonymise", "remove"])
def test_account_deletion_treats_photos_as_it_treats_posts(client, member, thread, choice,
                                                          django_capture_on_commit_callbacks):
    shown, waiting = _uploaded(member, size=(400, 300)), _uploaded(member, size=(400, 300))
    post = conversations.post_create(author=member, thread=thread, body=shown.markdown)
    files = {i.pk: [v["name"] for v in i.variants] for i in (shown, waiting)}
    with django_capture_on_commit_callbacks(execute=True):
        _delete_account(client, member, choice)

    assert not User.objects.filter(pk=member.pk).exists()
    assert not PostImage.objects.filter(pk=waiting.pk).exists()
    assert not any(default_storage.exists(n) for n in files[waiting.pk])
    if choice == "anonymise":  # the post stays, with its photo, under "Former member"
        kept = PostImage.objects.get(pk=shown.pk)
        assert kept.post_id == post.pk and kept.uploader.is_former_member
        assert all(default_storage.exists(n) for n in files[shown.pk])
    else:  # the text is removed, and the photo with it
        assert not PostImage.objects.filter(pk=shown.pk).exists()
        assert not any(default_storage.exists(n) for n in files[shown.pk])


def test_my_data_lists_my_photos(client, member):
    image = _uploaded(member, size=(400, 300))
    client.force_login(member)
    data = client.get(reverse("my_data_download")).json()
    assert [p["key"] for p in data["photos"]] == [image.key]
    assert data["photos"][0]["files"][-1].endswith(image.variants[-1]["name"])


# Reading cost ---------------------------------------------------------------------------

def _posts_with_photos(thread, authors, photos_per_post: int, posts: int = 10):
    for n in range(posts):
        author = authors[n % len(authors)]
        body = "\n\n".join(
            [f"Post {n}"] + [_uploaded(author, size=(400, 300)).markdown
                             for _ in range(photos_per_post)])
        conversations.post_create(author=author, thread=thread, body=body)


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_the_thread_page_costs_the_same_with_ten_photos_a_post(client, member, viewer,
                                                                settings,
                                                                django_assert_max_num_queries):
    settings.UPLOAD_IMAGES_PER_DAY = 500
    authors = [member, factories.UserFactory(), factories.UserFactory()]
    space = factories.SpaceFactory()
    plain = conversations.thread_create(author=member, space=space, kind="discussion",
                                        title="Words only, please", body="No photos.")
    photos = conversations.thread_create(author=member, space=space, kind="discussion",
                                         title="Photos, lots of them", body="Ten each.")
    _posts_with_photos(plain, authors, 0)
    _posts_with_photos(photos, authors, 10)
    if viewer == "member":
        client.force_login(authors[1])

    without = budgets.queries(client, plain.get_absolute_url())
    client.get(photos.get_absolute_url())
    with django_assert_max_num_queries(without):
        page = client.get(photos.get_absolute_url()).content.decode()
    assert page.count('class="post-image"') == 100
    assert without <= budgets.BUDGET


def _corpus():
    from pathlib import Path

    path = Path(__file__).parents[1] / "browser" / "xss_payloads.txt"
    return [line.replace("\\n", "\n") for line in path.read_text().splitlines()
            if line and not line.startswith("#")]


class _Elements(__import__("html.parser").parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("payload", _corpus())
def test_no_payload_of_the_xss_corpus_gets_through_a_photo(payload):
    """Each payload as a photo's description and around it, rendered as a post is."""
    key = "0123456789abcdef01234567"
    image = PostImage(key=key, alt_text=" ".join(payload.split())[:300] or "x", variants=[
        {"name": f"posts/{key}-{w}.jpg", "width": w, "height": w // 2} for w in (320, 960)])
    upload = rendering.Upload(alt=image.alt_text, sources=image.urls())
    html = rendering.render(f"{payload}\n\n{image.markdown} {payload}",
                            uploads=lambda keys: {key: upload} if key in keys else {}).html
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in rendering.ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", (tag, name)
            if name in {"href", "src", "srcset"}:  # an alt is text, whatever it says
                plain = re.sub(r"[\s\x00-\x1f]+", "", value or "").lower()
                assert not plain.startswith(("javascript:", "vbscript:", "data:")), (tag, name)
    photos = [attrs for tag, attrs in parser.found if tag == "img" and "srcset" in attrs]
    assert len(photos) == 1 and photos[0]["src"] == "/media/posts/" + f"{key}-960.jpg"
    assert photos[0]["alt"] == image.alt_text


def test_every_form_that_writes_a_post_offers_a_photo_with_its_description(client, member,
                                                                           thread):
    client.force_login(member)
    for url in (thread.get_absolute_url(), reverse("ask"), reverse("discuss"),
                reverse("post_edit", args=[thread.opening_post.pk])):
        page = client.get(url).content.decode()
        assert 'enctype="multipart/form-data"' in page, url
        assert re.search(r'<label for="id_photo">Add a photo:?</label>', page), url
        assert re.search(r'<input type="file" name="photo" accept="image/jpeg,image/png,'
                         r'image/gif,image/webp"', page), url
        assert re.search(r'<label for="id_photo_alt">Describe the photo:?</label>', page), url


def test_a_photo_sent_with_a_form_that_comes_back_is_kept_in_the_text(client, member, thread):
    client.force_login(member)
    response = client.post(reverse("ask"), {
        "space": thread.space_id, "title": "Short", "body": "Is this infected?",
        "photo": _photo(size=(400, 300)), "photo_alt": "A pellicle"})
    assert response.status_code == 400
    image = PostImage.objects.get()
    page = response.content.decode()
    assert "at least 8 characters" in page
    assert f"Is this infected?\n\n![A pellicle](upload:{image.key})" in page
    # Sent again with a better title, the photo is in the thread without a second upload.
    response = client.post(reverse("ask"), {
        "space": thread.space_id, "title": "Is this an infection?",
        "body": f"Is this infected?\n\n{image.markdown}"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.post == Thread.objects.get(title="Is this an infection?").opening_post
    assert PostImage.objects.count() == 1


def test_no_photo_is_stored_for_a_reply_that_is_refused_or_a_bot(client, member, thread):
    client.force_login(member)
    response = client.post(reverse("thread_reply", args=[thread.pk]), {
        "body": "Buy now", "website": "https://spam.example", "photo": _photo(size=(400, 300)),
        "photo_alt": "An advert"})
    assert response.status_code == 400
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    response = client.post(reverse("thread_reply", args=[thread.pk]), {
        "body": "Late reply", "photo": _photo(size=(400, 300)), "photo_alt": "A kettle"})
    assert response.status_code == 403
    assert not PostImage.objects.exists()


def test_a_photo_post_is_quoted_by_its_words_not_its_markdown(client, member, other_member,
                                                             thread):
    photo = _uploaded(member)
    shown = conversations.post_create(
        author=member, thread=thread,
        body=f"{photo.markdown}\n\nMashing in at **67 °C** & stirring.")
    conversations.post_create(author=other_member, thread=thread, parent=shown,
                              body="What a tidy mash tun.")
    page = client.get(thread.get_absolute_url()).content.decode()
    quote = re.search(r"In reply to [^<]*</a>: <bdi>(.*?)</bdi>", page, re.S).group(1)
    assert quote == "A kettle on the hob Mashing in at 67 °C &amp; stirring."
    client.force_login(other_member)  # the flag form quotes it too, and so does delete's
    assert "A kettle on the hob Mashing in" in client.get(
        reverse("post_flag", args=[shown.pk])).content.decode()
    client.force_login(member)
    delete_page = client.get(reverse("post_delete", args=[shown.pk])).content.decode()
    assert "A kettle on the hob Mashing in" in delete_page
    assert "upload:" not in page + delete_page and "**67" not in delete_page


def test_plain_text_of_stored_html_reads_as_written():
    assert rendering.plain_of('<p>Hop <em>early</em>&nbsp;&amp; often</p>\n<p>'
                              '<img src="/m/a.jpg" alt="The kettle"></p>') == (
        "Hop early & often The kettle")
