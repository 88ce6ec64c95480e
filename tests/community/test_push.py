"""Web push: a member's device receives, decrypted, the notices they chose by push (a real
HTTP push-service stand-in on a loopback port checks the VAPID signature and decrypts
the aes128gcm body with the device's own key, as a browser would); a kind they turned
off sends nothing; 410 deletes the device, 429 and 5xx are tried again with backoff;
signing out of the browser turns its push off; the settings page lists and removes
devices; the service worker, manifest and icons are served as browsers need them."""
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from community import appicons
from community.engine import engagement, notice_settings
from community.engine.push import delivery, keys
from community.models import (
    EngagementEvent,
    Notification,
    PushMessage,
    PushSubscription,
    Thread,
    Vote,
)
from community.services import conversations, users
from community.tasks import send_push_notifications, sweep_push

from .. import factories
from ..push_standin import PushStandIn

pytestmark = pytest.mark.django_db
REMOVED = EngagementEvent.Kind.PUSH_REMOVED
UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/131.0.0.0 Mobile Safari/537.36")


@pytest.fixture
def vapid(settings):
    public, private = keys.generate()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = public, private
    settings.VAPID_SUBJECT = "mailto:hosts@example.com"
    return public


@pytest.fixture
def service(vapid):
    with PushStandIn(vapid_public=vapid) as standin:
        yield standin


def _subscribe(client, member, device):
    client.force_login(member)
    response = client.post(reverse("push_subscribe"), json.dumps(device.info()),
                           content_type="application/json", HTTP_USER_AGENT=UA)
    assert response.status_code == 201, response.content
    return response


def _answered(asker, answerer, title="Why is my stout thin?"):
    space = factories.SpaceFactory(name="Brewing")
    question = conversations.thread_create(author=asker, space=space,
                                           kind=Thread.Kind.QUESTION, title=title, body="Help?")
    engagement.process_pending()
    answer = conversations.post_create(author=answerer, thread=question,
                                       body="Mash warmer, at 68 °C.")
    engagement.process_pending()
    send_push_notifications()
    return question, answer


def test_an_answer_reaches_the_askers_device_decrypted_and_signed(client, member,
                                                                  other_member, service):
    device = service.subscribe()
    _subscribe(client, member, device)
    question, _ = _answered(member, other_member)

    [payload] = service.delivered(device)
    notice = Notification.objects.get(recipient=member, kind=Notification.Kind.ANSWER)
    assert payload["title"] == "Gravity"
    assert payload["body"] == (f"\u2068{other_member.name}\u2069 answered your question "
                               f"“\u2068{question.title}\u2069”")
    assert payload["url"] == reverse("notification_open", args=[notice.pk])
    assert payload["tag"] == f"answer-t{question.pk}"
    received = service.received[-1]
    assert received.claims["aud"] == service.url
    assert received.claims["sub"] == "mailto:hosts@example.com"
    assert received.headers["Topic"] == f"answer-t{question.pk}"
    assert int(received.headers["TTL"]) > 0
    stored = PushSubscription.objects.get(member=member)
    assert stored.label == "Chrome on Android"
    assert stored.last_success_at is not None
    assert not PushMessage.objects.exists()
    notice.refresh_from_db()
    assert notice.pushed_at is not None
    send_push_notifications()
    sweep_push()
    assert len(service.delivered(device)) == 1, "each notice is pushed once"


def _forged(old, other):
    """``old``'s subscription as a guesser would send it: its endpoint, ``other``'s secret."""
    forged = old.info()
    forged["keys"]["auth"] = other.info()["keys"]["auth"]
    return forged


def _renew(old, new, **extra):
    return Client(enforce_csrf_checks=True).post(
        reverse("push_renew"), json.dumps({"old": old, "new": new}),
        content_type="application/json", **extra)


def test_a_subscription_the_browser_replaced_goes_on_receiving_at_its_new_address(
        client, member, other_member, service):
    """The service worker's ``pushsubscriptionchange``: no session, no CSRF token, the old
    subscription as proof; the device keeps its member and label, and the next notice goes
    to the new address, decrypted with the new keys."""
    old = service.subscribe()
    _subscribe(client, member, old)
    device = PushSubscription.objects.get(member=member)
    new = service.subscribe()
    response = _renew(old.info(), new.info())
    assert response.status_code == 200, response.content
    assert response.json() == {"id": device.pk}
    device.refresh_from_db()
    assert (device.member, device.endpoint, device.label) == (member, new.endpoint,
                                                              "Chrome on Android")
    assert PushSubscription.objects.count() == 1
    assert EngagementEvent.objects.filter(kind=EngagementEvent.Kind.PUSH_SUBSCRIBED,
                                          actor=member).count() == 2
    _answered(member, other_member)
    assert service.delivered(old) == []
    [payload] = service.delivered(new)
    assert "answered your question" in payload["body"]
    # Told twice (the worker retried): the same device, still one.
    assert _renew(old.info(), new.info()).status_code == 404
    assert _renew(new.info(), new.info()).json() == {"id": device.pk}
    assert PushSubscription.objects.count() == 1


def test_a_renewal_without_the_old_secret_or_for_an_unknown_device_changes_nothing(
        client, member, service):
    old = service.subscribe()
    _subscribe(client, member, old)
    thief = service.subscribe()
    response = _renew(_forged(old, thief), thief.info())
    assert response.status_code == 404
    assert "does not know" in response.json()["error"]
    assert _renew(service.subscribe().info(), thief.info()).status_code == 404
    assert PushSubscription.objects.get(member=member).endpoint == old.endpoint
    # Malformed: a clear 400, nothing stored.
    bad = _renew(old.info(), {"endpoint": "http://127.0.0.1/x", "keys": {}})
    assert bad.status_code == 400 and bad.json()["error"]
    assert _renew("nothing", thief.info()).status_code == 400
    assert Client().post(reverse("push_renew"), {"old": "x"}).status_code == 400
    assert PushSubscription.objects.get(member=member).endpoint == old.endpoint


def test_guessing_an_old_subscriptions_secret_is_refused_after_twenty_tries_an_hour(
        client, member, other_member, service):
    """Each wrong secret is a 404; past ``RENEWALS_PER_HOUR`` for one old subscription even
    the right one waits (429 with Retry-After, nothing changed); another device's renewal is
    not held back."""
    from community.views.app import RENEWALS_PER_HOUR

    old = service.subscribe()
    _subscribe(client, member, old)
    new = service.subscribe()
    for _ in range(RENEWALS_PER_HOUR):
        assert _renew(_forged(old, service.subscribe()), new.info()).status_code == 404
    refused = _renew(old.info(), new.info())
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "Too many renewals" in refused.json()["error"]
    assert PushSubscription.objects.get(member=member).endpoint == old.endpoint
    theirs, replaced = service.subscribe(), service.subscribe()
    other = Client()
    _subscribe(other, other_member, theirs)
    assert _renew(theirs.info(), replaced.info()).status_code == 200
    assert PushSubscription.objects.get(member=other_member).endpoint == replaced.endpoint


def test_the_service_worker_sends_a_replaced_subscription_to_be_renewed(client):
    body = client.get("/sw.js").content.decode()
    assert "pushsubscriptionchange" in body
    assert f'RENEW_URL = "{reverse("push_renew")}"' in body


def test_a_kind_turned_off_by_push_sends_nothing_and_stays_on_the_site(client, member,
                                                                       other_member, service):
    device = service.subscribe()
    _subscribe(client, member, device)
    data = {"digest": "none", "email_notifications": "on", "accepts_routing": "on"}
    for row in notice_settings.rows():
        data[f"{row.key}_site"] = data[f"{row.key}_email"] = data[f"{row.key}_push"] = "on"
    del data["answers_push"]
    response = client.post(reverse("notification_settings"), data)
    assert response.status_code == 302
    assert notice_settings.wants(type(member).objects.get(pk=member.pk).notice_settings,
                                 Notification.Kind.ANSWER, "push") is False
    _answered(member, other_member)
    assert service.received == []
    assert Notification.objects.filter(recipient=member, kind="answer", on_site=True).exists()


def test_a_paused_member_gets_no_push_now_and_none_late_when_the_pause_ends(
        client, member, other_member, service):
    from datetime import timedelta

    from django.utils import timezone

    device = service.subscribe()
    _subscribe(client, member, device)
    type(member).objects.filter(pk=member.pk).update(
        notices_paused_until=timezone.now() + timedelta(days=7))
    _answered(member, other_member)
    assert service.received == []
    assert Notification.objects.filter(recipient=member, kind="answer", on_site=True).exists()
    type(member).objects.filter(pk=member.pk).update(notices_paused_until=None)
    send_push_notifications()
    sweep_push()
    assert service.received == [], "what came during the pause is not pushed afterwards"


def test_likes_are_not_pushed_unless_chosen(client, member, other_member, service):
    device = service.subscribe()
    _subscribe(client, member, device)
    space = factories.SpaceFactory(name="Brewing")
    thread = conversations.thread_create(author=member, space=space,
                                         kind=Thread.Kind.DISCUSSION, title="My brew day",
                                         body="Photos soon.")
    engagement.process_pending()
    conversations.vote_cast(voter=other_member, post=thread.posts.get(), kind=Vote.Kind.LIKE)
    engagement.process_pending()
    send_push_notifications()
    assert Notification.objects.filter(recipient=member, kind="like").exists()
    assert service.received == []


def test_a_kind_pushed_only_is_created_out_of_the_inbox_and_pushed(client, member,
                                                                   other_member, service):
    device = service.subscribe()
    _subscribe(client, member, device)
    users.notice_settings_save(actor=member, rows={"answers": {"site": False, "email": False,
                                                               "push": True}})
    _answered(member, other_member)
    notice = Notification.objects.get(recipient=member, kind="answer")
    assert notice.on_site is False and notice.read_at is not None
    assert len(service.delivered(device)) == 1


def test_a_member_with_no_device_gets_no_push_only_notice(member, other_member, vapid):
    users.notice_settings_save(actor=member, rows={"answers": {"site": False, "email": False,
                                                               "push": True}})
    _answered(member, other_member)
    assert not Notification.objects.filter(recipient=member, kind="answer").exists()


def test_410_deletes_the_device_and_records_why(client, member, other_member, service):
    device = service.subscribe(answers=[410])
    _subscribe(client, member, device)
    _answered(member, other_member)
    assert not PushSubscription.objects.filter(member=member).exists()
    assert not PushMessage.objects.exists()
    event = EngagementEvent.objects.filter(kind=REMOVED).latest("pk")
    assert event.payload["reason"] == "gone" and event.actor_id == member.pk


def test_429_and_500_are_tried_again_later_with_backoff(client, member, other_member, service):
    device = service.subscribe(answers=[429, 500])
    _subscribe(client, member, device)
    _answered(member, other_member)
    message = PushMessage.objects.get()
    assert message.attempts == 1
    assert message.next_attempt_at >= timezone.now() + timedelta(seconds=55)  # Retry-After
    assert delivery.deliver_due() == 0, "not due yet"
    later = timezone.now() + timedelta(minutes=2)
    assert delivery.deliver_due(now=later) == 0  # the 500
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at > later
    assert delivery.deliver_due(now=later + timedelta(minutes=3)) == 1
    assert len(service.delivered(device)) == 1
    assert PushSubscription.objects.filter(member=member).exists()


def test_a_service_failing_every_time_is_given_up_not_retried_forever(client, member,
                                                                     other_member, service):
    device = service.subscribe(answers=[503] * 10)
    _subscribe(client, member, device)
    _answered(member, other_member)
    when = timezone.now()
    for _ in range(delivery.MAX_ATTEMPTS):
        when += timedelta(hours=13)
        delivery.deliver_due(now=when)
    assert not PushMessage.objects.exists()
    assert len([r for r in service.received if r.status == 503]) == delivery.MAX_ATTEMPTS
    assert PushSubscription.objects.filter(member=member).exists()


def test_signing_out_turns_off_push_in_that_browser_only(client, member, service):
    phone, laptop = service.subscribe(), service.subscribe()
    _subscribe(client, member, phone)
    elsewhere = Client()
    _subscribe(elsewhere, member, laptop)
    client.post(reverse("account_logout"))
    assert list(PushSubscription.objects.filter(member=member)
                .values_list("endpoint", flat=True)) == [laptop.endpoint]
    assert EngagementEvent.objects.filter(kind=REMOVED, payload__reason="signed_out").exists()


def test_the_settings_page_lists_devices_and_removes_one(client, member, other_member,
                                                         service):
    device = service.subscribe()
    _subscribe(client, member, device)
    page = client.get(reverse("notification_settings")).content.decode()
    assert "By push" in page and "Answers to your questions: by push" in page
    assert "Chrome on Android" in page and "Turn on push in this browser" in page
    assert f'data-push-key="{keys.vapid().public}"' in page
    mine = PushSubscription.objects.get(member=member)
    theirs = PushSubscription.objects.create(member=other_member, endpoint=f"{service.url}/x",
                                             p256dh="a", auth="b")
    assert client.post(reverse("push_device_remove", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("push_device_remove", args=[mine.pk]), follow=True)
    assert "Push notifications are off for Chrome on Android." in response.content.decode()
    assert "No devices yet" in response.content.decode()
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()


def test_the_browser_turning_push_off_removes_the_device(client, member, service):
    device = service.subscribe()
    _subscribe(client, member, device)
    response = client.post(reverse("push_unsubscribe"), json.dumps({"endpoint": device.endpoint}),
                           content_type="application/json")
    assert response.json() == {"removed": 1}
    assert not PushSubscription.objects.exists()


def test_subscribing_refuses_bad_input_with_400(client, member, service, settings):
    client.force_login(member)
    url = reverse("push_subscribe")
    good = service.subscribe().info()

    def post(body):
        return client.post(url, body if isinstance(body, str) else json.dumps(body),
                           content_type="application/json")

    assert post("not json").status_code == 400
    assert post({"endpoint": good["endpoint"]}).status_code == 400
    assert post({**good, "keys": {"p256dh": "short", "auth": good["keys"]["auth"]}}
                ).status_code == 400
    assert post({**good, "endpoint": "ftp://push.example.com/x"}).status_code == 400
    assert post("x" * 5000).status_code == 400
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    refused = post(good)
    assert refused.status_code == 400 and "public https" in refused.json()["error"]
    assert not PushSubscription.objects.exists()


def test_subscribing_needs_a_member_csrf_and_keys(member, service, settings):
    anonymous = Client()
    url = reverse("push_subscribe")
    body = json.dumps(service.subscribe().info())
    assert anonymous.post(url, body, content_type="application/json").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.post(url, body, content_type="application/json").status_code == 403
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_DEV_KEYS = False
    plain = Client()
    plain.force_login(member)
    assert plain.post(url, body, content_type="application/json").status_code == 404
    page = plain.get(reverse("notification_settings")).content.decode()
    assert "Push notifications are not set up on this site." in page
    assert "data-push-subscribe" not in page


def test_without_keys_nothing_is_pushed(member, other_member, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_DEV_KEYS = False
    PushSubscription.objects.create(member=member, endpoint="https://push.example.com/a",
                                    p256dh="a", auth="b")
    _answered(member, other_member)
    assert not PushMessage.objects.exists()


def test_the_development_server_makes_one_key_pair_and_keeps_it(settings, tmp_path):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_DEV_KEYS = True
    settings.VAPID_DEV_FILE = tmp_path / "var" / "vapid-dev.json"
    first = keys.vapid()
    assert first is not None and settings.VAPID_DEV_FILE.exists()
    assert keys.vapid() == first
    assert oct(settings.VAPID_DEV_FILE.stat().st_mode & 0o777) == "0o600"


def test_the_key_command_prints_a_usable_pair(capsys):
    call_command("vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    from py_vapid import Vapid

    signer = Vapid.from_string(lines["VAPID_PRIVATE_KEY"])
    assert keys.b64url(signer.public_key.public_bytes(
        *_point())) == lines["VAPID_PUBLIC_KEY"]


def _point():
    from cryptography.hazmat.primitives import serialization

    return serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint


def test_the_service_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'addEventListener("push"' in body and reverse("offline") in body


def test_the_manifest_names_the_site_its_colour_and_icons(client, settings):
    manifest = client.get(reverse("web_manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["name"] == settings.SITE_NAME and data["display"] == "standalone"
    assert data["start_url"].startswith("/") and data["theme_color"].startswith("#")
    assert {icon["purpose"] for icon in data["icons"]} == {"any", "maskable"}
    for icon in data["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert f"{image.width}x{image.height}" == icon["sizes"]
    assert client.get(reverse("app_icon", args=["nope"])).status_code == 404
    page = client.get(reverse("home")).content.decode()
    assert f'<link rel="manifest" href="{reverse("web_manifest")}">' in page


def test_a_new_logo_makes_new_icons(client, settings, tmp_path):
    from django.contrib.staticfiles import finders

    before = client.get(reverse("web_manifest")).json()["icons"][0]["src"]
    Image.new("RGB", (300, 300), (200, 30, 30)).save(tmp_path / "shop-logo.png")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(tmp_path)]
    settings.BRAND = {**settings.BRAND, "logo": "shop-logo.png"}
    finders.get_finder.cache_clear()
    try:
        after = client.get(reverse("web_manifest")).json()["icons"][0]["src"]
        assert after != before
        png = Image.open(io.BytesIO(client.get(after).content)).convert("RGB")
        assert png.getpixel((96, 96)) == (200, 30, 30)
    finally:
        finders.get_finder.cache_clear()
    assert appicons.digest(b"a") != appicons.digest(b"b")


def test_the_offline_page_says_so_and_names_nobody(client, member):
    client.force_login(member)
    page = client.get(reverse("offline")).content.decode()
    assert "You are offline" in page and "Pages you read lately" in page
    assert member.name not in page and "csrf" not in page.lower()
