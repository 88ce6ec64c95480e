"""The shop's purchase call: signed, fresh, once per delivery; and a real HTTP call to it."""
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import date

import pytest
from django.urls import reverse

from community.models import Ownership, PendingOwnership, PurchaseDelivery

from .. import factories

SECRET = "shop-test-secret"
URL = "/shop/webhook/purchase/"


class ShopClient:
    """A stand-in for the shop: signs ``"<timestamp>.<body>"`` with the shared secret."""

    def __init__(self, secret=SECRET):
        self.secret = secret

    def headers(self, body: bytes, *, at=None, signature=None) -> dict:
        stamp = str(int(at if at is not None else time.time()))
        mac = signature or hmac.new(self.secret.encode(), stamp.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
        return {"X-Shop-Timestamp": stamp, "X-Shop-Signature": f"sha256={mac}"}

    @staticmethod
    def body(delivery="dlv-1", email="ada@example.com", skus=("KET-30",), **more) -> bytes:
        return json.dumps({"delivery_id": delivery, "email": email, "order_ref": "SO-1",
                           "purchased_on": "2026-11-30",
                           "items": [{"sku": sku} for sku in skus], **more}).encode()


@pytest.fixture
def shop(settings):
    settings.SHOP_WEBHOOK_SECRET = SECRET
    return ShopClient()


@pytest.fixture
def kettle(db):
    return factories.ProductFactory(sku="KET-30", name="Pro Kettle 30L")


def _post(client, body, headers):
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_a_signed_purchase_verifies_the_buyer(client, shop, kettle):
    buyer = factories.UserFactory(email="ada@example.com")
    body = shop.body(skus=("KET-30", "NOPE-1"))
    response = _post(client, body, shop.headers(body))
    assert response.status_code == 200
    assert response.json() == {"delivery_id": "dlv-1", "repeat": False, "verified": 1,
                               "pending": 0, "unchanged": 0, "unknown_skus": ["NOPE-1"]}
    owned = Ownership.objects.get(member=buyer)
    assert owned.is_verified and owned.source == Ownership.Source.WEBHOOK
    assert owned.purchased_on == date(2026, 11, 30) and owned.order_ref == "SO-1"


def test_a_purchase_for_an_address_without_account_waits(client, shop, kettle):
    body = shop.body(email="later@example.com")
    assert _post(client, body, shop.headers(body)).json()["pending"] == 1
    assert PendingOwnership.objects.count() == 1 and not Ownership.objects.exists()


@pytest.mark.parametrize("how", ["missing", "wrong secret", "altered body"])
def test_a_bad_or_missing_signature_is_403(client, shop, kettle, how):
    factories.UserFactory(email="ada@example.com")
    body = shop.body()
    headers = {"missing": {}, "wrong secret": ShopClient("guess").headers(body),
               "altered body": shop.headers(shop.body(email="mallory@example.com"))}[how]
    response = _post(client, body, headers)
    assert response.status_code == 403 and "signature" in response.json()["error"].lower()
    assert not Ownership.objects.exists() and not PurchaseDelivery.objects.exists()


def test_a_stale_timestamp_is_403_even_well_signed(client, shop, kettle):
    body = shop.body()
    response = _post(client, body, shop.headers(body, at=time.time() - 301))
    assert response.status_code == 403 and "Stale" in response.json()["error"]
    assert _post(client, body, shop.headers(body, at=time.time() + 200)).status_code == 200


def test_no_secret_set_refuses_everything(client, settings, kettle):
    settings.SHOP_WEBHOOK_SECRET = ""
    body = ShopClient.body()
    assert _post(client, body, ShopClient("").headers(body)).status_code == 403


def test_the_same_delivery_twice_changes_nothing(client, shop, kettle):
    buyer = factories.UserFactory(email="ada@example.com")
    body = shop.body()
    assert _post(client, body, shop.headers(body)).status_code == 200
    from community.models import EngagementEvent

    events = EngagementEvent.objects.count()
    Ownership.objects.filter(member=buyer).update(order_ref="kept")
    again = _post(client, body, shop.headers(body))
    assert again.status_code == 200 and again.json()["repeat"] is True
    assert EngagementEvent.objects.count() == events
    assert Ownership.objects.get(member=buyer).order_ref == "kept"
    assert PurchaseDelivery.objects.count() == 1


def test_a_replayed_delivery_id_with_another_body_is_409(client, shop, kettle):
    factories.UserFactory(email="ada@example.com")
    factories.UserFactory(email="mallory@example.com")
    first = shop.body()
    assert _post(client, first, shop.headers(first)).status_code == 200
    other = shop.body(email="mallory@example.com")
    response = _post(client, other, shop.headers(other))
    assert response.status_code == 409
    assert Ownership.objects.count() == 1


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"delivery_id": "d"}',
                                  b'{"delivery_id": "d", "email": "x@example.com",'
                                  b' "items": [{"sku": "KET-30"}], "purchased_on": "30/11"}',
                                  "\u00ff".encode("latin-1")])
def test_a_malformed_body_is_400(client, shop, kettle, body):
    response = _post(client, body, shop.headers(body))
    assert response.status_code == 400 and response.json()["error"]
    assert not PurchaseDelivery.objects.exists()


def test_get_is_not_allowed_and_other_views_keep_csrf(client, shop, member):
    assert client.get(URL).status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    product = factories.ProductFactory()
    assert strict.post(reverse("product_own", args=[product.slug]),
                       {"own": "1"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_shop_calls_over_real_http(live_server, settings):
    """The stand-in shop posts to a real server over a socket, as the shop would."""
    settings.SHOP_WEBHOOK_SECRET = SECRET
    shop = ShopClient()
    factories.ProductFactory(sku="KET-30", name="Pro Kettle 30L")
    buyer = factories.UserFactory(email="http.buyer@example.com")

    def call(body, headers):
        request = urllib.request.Request(live_server.url + URL, data=body, method="POST",
                                         headers={"Content-Type": "application/json",
                                                  **headers})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    body = shop.body(delivery="http-1", email="HTTP.Buyer@example.com")
    status, answer = call(body, shop.headers(body))
    assert (status, answer["verified"]) == (200, 1)
    assert Ownership.objects.get(member=buyer).is_verified
    status, answer = call(body, shop.headers(body))
    assert (status, answer["repeat"]) == (200, True)
    status, _ = call(body, shop.headers(body, signature="0" * 64))
    assert status == 403
