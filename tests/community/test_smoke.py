import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_newest_members(client, member):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert member.name in response.content.decode()


def test_healthz_reports_database_and_redis(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True
