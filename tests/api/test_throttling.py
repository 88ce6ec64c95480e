"""Rate limits: per token for reads and writes, per address for anonymous readers; past
the limit a 429 problem with Retry-After."""
import pytest
from django.urls import reverse

from .. import factories

pytestmark = pytest.mark.django_db


def test_anonymous_readers_are_limited_per_address(api, settings):
    settings.API_RATES = {**settings.API_RATES, "anon": "3/min"}
    client = api()
    assert [client.get(reverse("api:space-list")).status_code for _ in range(3)] == [200] * 3
    refused = client.get(reverse("api:space-list"))
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["type"] == "urn:gravity:problem:rate-limited"


def test_a_made_up_forwarded_address_is_no_fresh_allowance(api, settings):
    settings.API_RATES = {**settings.API_RATES, "anon": "3/min"}
    client = api()
    codes = [client.get(reverse("api:space-list"), **{"X-Forwarded-For": f"198.51.100.{n}"})
             .status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_each_reader_is_counted_by_the_address_it_saw(api, settings):
    """TRUSTED_PROXIES=1 (README's nginx): the last X-Forwarded-For entry is the reader's;
    what the reader wrote before it changes nothing."""
    settings.API_RATES = {**settings.API_RATES, "anon": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = api()

    def read(chain):
        return client.get(reverse("api:space-list"), **{"X-Forwarded-For": chain}).status_code

    assert [read(f"10.0.0.{n}, 203.0.113.5") for n in range(3)] == [200, 200, 429]
    assert read("203.0.113.6") == 200  # another reader behind the same proxy


def test_each_token_has_its_own_budget(api, settings):
    settings.API_RATES = {**settings.API_RATES, "read": "2/min"}
    member = factories.UserFactory()
    first, second = api(member), api(member)
    assert [first.get(reverse("api:tag-list")).status_code for _ in range(3)] == [200, 200, 429]
    assert second.get(reverse("api:tag-list")).status_code == 200  # another token


def test_writes_have_a_budget_of_their_own(api, settings, space):
    settings.API_RATES = {**settings.API_RATES, "write": "1/min"}
    client = api(factories.UserFactory())
    payload = {"space": "kettles", "title": "A thread to start", "body": "Hello"}
    assert client.post(reverse("api:thread-list"), payload).status_code == 201
    assert client.post(reverse("api:thread-list"), payload).status_code == 429
    assert client.get(reverse("api:thread-list")).status_code == 200  # reads go on


def test_the_limits_can_be_switched_off(api, settings):
    settings.API_THROTTLE = False
    settings.API_RATES = {**settings.API_RATES, "anon": "1/min"}
    client = api()
    assert {client.get(reverse("api:tag-list")).status_code for _ in range(3)} == {200}
