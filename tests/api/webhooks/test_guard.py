"""The SSRF guard: webhooks go only to public addresses, at registration and at delivery."""
import socket

import pytest

from community.api.webhooks import guard, signing

REFUSED = [
    "https://10.0.0.1/hook", "https://172.16.5.4/", "https://192.168.1.20/",
    "https://169.254.169.254/latest/meta-data/", "https://127.0.0.1/", "https://127.8.9.1/",
    "https://0.0.0.0/", "https://224.0.0.1/", "https://240.0.0.1/", "https://100.64.0.1/",
    "https://[::1]/", "https://[::]/", "https://[fe80::1]/", "https://[fc00::1]/",
    "https://[ff02::1]/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:10.0.0.1]/",
    "https://[::ffff:169.254.169.254]/", "https://localhost/",
]


@pytest.fixture
def production(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False


@pytest.mark.parametrize("url", REFUSED)
def test_private_loopback_link_local_multicast_reserved_and_unspecified_are_refused(
        url, production):
    with pytest.raises(guard.UnsafeAddress, match="public addresses"):
        guard.resolve(url)


def test_a_public_address_is_accepted_and_kept_for_the_connection(production):
    target = guard.resolve("https://93.184.215.14:8443/hooks?x=1")
    assert (target.scheme, target.address, target.port, target.path) == (
        "https", "93.184.215.14", 8443, "/hooks?x=1")


def test_a_name_with_any_private_answer_is_refused(production, monkeypatch):
    def lookup(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    with pytest.raises(guard.UnsafeAddress, match="10.1.2.3, a private address"):
        guard.resolve("https://mixed.example/hook")


@pytest.mark.parametrize("url", ["http://93.184.215.14/", "ftp://93.184.215.14/",
                                 "https://user:pw@93.184.215.14/", "https:///nohost"])
def test_https_only_and_no_credentials_in_production(url, production):
    with pytest.raises(guard.UnsafeAddress):
        guard.resolve(url)


def test_loopback_and_http_are_allowed_when_the_setting_says_so(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    assert guard.resolve("http://127.0.0.1:8081/hook").address == "127.0.0.1"
    assert guard.resolve("http://[::ffff:127.0.0.1]:8081/").address == "::ffff:7f00:1"
    with pytest.raises(guard.UnsafeAddress):  # loopback only: private stays refused
        guard.resolve("http://10.0.0.1/")


def test_a_receiver_refuses_a_replay_older_than_five_minutes_and_a_forged_signature():
    secret = signing.secret_new()
    body = b'{"id":"evt_1"}'
    headers = signing.headers(secret=secret, msg_id="evt_1", timestamp=1_000_000, body=body)
    signing.verify(secret=secret, headers=headers, body=body, now=1_000_000 + 299)
    with pytest.raises(signing.InvalidSignature, match="replay"):
        signing.verify(secret=secret, headers=headers, body=body, now=1_000_000 + 301)
    with pytest.raises(signing.InvalidSignature, match="no signature"):
        signing.verify(secret=secret, headers=headers, body=b'{"id":"evt_2"}', now=1_000_000)
    with pytest.raises(signing.InvalidSignature, match="no signature"):
        signing.verify(secret=signing.secret_new(), headers=headers, body=body, now=1_000_000)
