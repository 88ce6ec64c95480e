"""What every page owes a visitor and an operator: safe headers, friendly errors, health."""
import pytest
from django.test import override_settings
from django.urls import reverse

from ..conftest import sign_in

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"  # no inline script anywhere
    assert "unsafe" not in policy


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "<!DOCTYPE html>" in body and reverse("home") in body


def test_server_error_page_needs_no_database(rf):
    from community.views.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_forbidden_page_says_why(client, member):
    client.force_login(member)
    response = client.get(reverse("announce"))
    assert response.status_code == 403
    assert "Only the host team can post announcements." in response.content.decode()


def test_healthz_is_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


@override_settings(BRAND={"name": "Acme", "accent": "#ff6600", "logo": "img/logo.svg",
                          "tagline": "Acme makers"})
def test_brand_theming_comes_from_settings(client):
    assert "--accent: #ff6600" in client.get(reverse("brand_css")).content.decode()
    assert "Acme makers" in client.get(reverse("home")).content.decode()


@override_settings(BRAND={"name": "Acme", "accent": "red;}</style><script>",
                          "logo": "img/logo.svg", "tagline": "x"})
def test_a_broken_accent_colour_falls_back(client):
    css = client.get(reverse("brand_css")).content.decode()
    assert "script" not in css and "--accent: #0b6e4f" in css


def test_social_apps_are_managed_in_the_admin(client, admin_user):
    sign_in(client, admin_user)
    response = client.get(reverse("admin:socialaccount_socialapp_add"))
    assert response.status_code == 200
    assert "openid_connect" in response.content.decode()
    assert "google" in response.content.decode()
