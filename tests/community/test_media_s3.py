"""Photos in an S3-compatible bucket (``MEDIA_S3_*``, django-storages' S3Storage), against
moto's S3 server on a loopback port: the real POST /photos/ view, every size in the bucket
re-encoded, posts showing the bucket's addresses, the daily clean-up deleting objects, and
hostile files storing nothing."""
import io
import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer
from PIL import Image

from community import tasks
from community.models import Post, PostImage, Thread
from community.services import conversations
from config.settings import s3_media

from .. import factories
from .test_post_images import GPS_IFD, _photo
from .test_upload_corpus import CORPUS, _upload

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
KEYS = {"AWS_ACCESS_KEY_ID": "gravity-test", "AWS_SECRET_ACCESS_KEY": "gravity-test-secret"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A new bucket, and the site's settings as ``MEDIA_S3_*`` would make them."""
    name = f"community-media-{uuid.uuid4().hex[:8]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"])
    client.create_bucket(Bucket=name)
    # Readable by everyone, as the README's production notes ask of the bucket.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{name}/posts/*"}]}))
    media = s3_media({"MEDIA_S3_BUCKET": name, "MEDIA_S3_ENDPOINT_URL": s3_endpoint, **KEYS})
    settings.STORAGES = {**settings.STORAGES, "default": media["storage"]}
    settings.MEDIA_URL = media["url"]
    assert default_storage.__class__.__name__ != "FileSystemStorage"

    class Bucket:
        url = media["url"]

        @staticmethod
        def names() -> list[str]:
            found = client.list_objects_v2(Bucket=name).get("Contents", [])
            return sorted(item["Key"] for item in found)

        @staticmethod
        def get(key: str) -> dict:
            return client.get_object(Bucket=name, Key=key)

    return Bucket


@pytest.fixture
def thread(member):
    return conversations.thread_create(
        author=member, space=factories.SpaceFactory(name="Brewing"),
        kind=Thread.Kind.DISCUSSION, title="Post your brew day photos", body="Show us.")


def _upload_photo(client, alt="The mash tun at 67 degrees", **kwargs):
    response = client.post(reverse("image_upload"), {"image": _photo(**kwargs), "alt_text": alt})
    assert response.status_code == 201, response.content
    return PostImage.objects.get(key=response.json()["key"])


def test_every_size_lands_in_the_bucket_reencoded_and_the_post_shows_it_from_there(
        client, member, thread, bucket):
    client.force_login(member)
    image = _upload_photo(client)

    names = [v["name"] for v in image.variants]
    assert [(v["width"], v["height"]) for v in image.variants] == [
        (320, 213), (960, 640), (1920, 1280)]
    assert bucket.names() == sorted(names)
    for variant in image.variants:
        assert re.fullmatch(rf"posts/{image.key}-\d+\.jpg", variant["name"])
        stored = bucket.get(variant["name"])
        assert stored["ContentType"] == "image/jpeg"
        assert "max-age=31536000" in stored["CacheControl"]
        data = stored["Body"].read()
        decoded = Image.open(io.BytesIO(data))
        assert decoded.size == (variant["width"], variant["height"])
        assert not decoded.getexif().get_ifd(GPS_IFD) and b"Secret Camera Co" not in data

    response = client.post(reverse("thread_reply", args=[thread.pk]),
                           {"body": f"Brew day!\n\n{image.markdown}"})
    assert response.status_code == 302
    page = client.get(thread.get_absolute_url()).content.decode()
    addresses = [f"{bucket.url}{name}" for name in names]
    assert addresses[0].startswith(bucket.url) and bucket.url.startswith("http://127.0.0.1:")
    assert f'srcset="{addresses[0]} 320w, {addresses[1]} 960w, {addresses[2]} 1920w"' in page
    assert f'<a href="{addresses[2]}" class="post-image"' in page
    # The address the page shows is the bucket's own, readable without a signature.
    with urllib.request.urlopen(addresses[1], timeout=10) as served:
        assert served.headers["Content-Type"] == "image/jpeg"
        assert Image.open(io.BytesIO(served.read())).size == (960, 640)


def test_the_daily_clean_up_deletes_unattached_uploads_from_the_bucket(
        client, member, thread, bucket, django_capture_on_commit_callbacks):
    client.force_login(member)
    orphan, shown = _upload_photo(client, size=(900, 600)), _upload_photo(client, size=(900, 600))
    client.post(reverse("thread_reply", args=[thread.pk]), {"body": shown.markdown})
    assert Post.objects.filter(images=shown).exists()
    PostImage.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert len(bucket.names()) == 4

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.clean_orphan_images() == 1

    assert not PostImage.objects.filter(pk=orphan.pk).exists()
    assert bucket.names() == sorted(v["name"] for v in shown.variants)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_hostile_upload_stores_nothing_in_the_bucket(client, member, thread, bucket):
    client.force_login(member)
    for name in sorted(CORPUS):
        response = client.post(reverse("image_upload"),
                               {"image": _upload(name), "alt_text": "A photo"})
        assert response.status_code == 400, name
        assert CORPUS[name][3] in response.json()["error"], name
        response = client.post(reverse("thread_reply", args=[thread.pk]), {
            "body": "Typed reply", "photo": _upload(name), "photo_alt": "A photo"})
        assert response.status_code == 400 and CORPUS[name][3] in response.content.decode()
    assert bucket.names() == []
    assert not PostImage.objects.exists()


def test_the_environment_chooses_the_bucket_and_unset_keeps_local_files():
    from config import settings as configured

    assert not any(key.startswith("MEDIA_S3_") for key in os.environ)
    assert configured.STORAGES["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert configured.MEDIA_URL == "media/"
    assert configured.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] == ["'self'", "data:"]

    probe = ("import json; from django.conf import settings; import django; django.setup();"
             "print(json.dumps([settings.STORAGES['default'], settings.MEDIA_URL,"
             " settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
           "MEDIA_S3_BUCKET": "community-media", "MEDIA_S3_REGION": "eu-west-1",
           "MEDIA_S3_CUSTOM_DOMAIN": "media.example.org"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    storage, url, img_src = json.loads(out.splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "community-media" and options["region_name"] == "eu-west-1"
    assert options["querystring_auth"] is False and options["file_overwrite"] is False
    assert url == "https://media.example.org/"
    assert img_src == ["'self'", "data:", "https://media.example.org"]

    # Another store than AWS, without a CDN: its own address, by path.
    other = s3_media({"MEDIA_S3_BUCKET": "photos", "MEDIA_S3_ENDPOINT_URL": "https://s3.example.org/"})
    assert other["storage"]["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert other["url"] == "https://s3.example.org/photos/"
    assert other["origin"] == "https://s3.example.org"
    # AWS itself: the bucket's regional address.
    assert s3_media({"MEDIA_S3_BUCKET": "photos", "MEDIA_S3_REGION": "eu-west-1"})["url"] == (
        "https://photos.s3.eu-west-1.amazonaws.com/")
