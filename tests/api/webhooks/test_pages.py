"""The admins' webhook pages: register (the secret shown once), refuse a private address,
edit, disable and enable, delete with an undo, the delivery log, send again, a test ping;
each write recorded as an event; hosts who are not admins are refused."""
import pytest
from django.urls import reverse

from community.api.webhooks import services
from community.models import EngagementEvent, WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = factories.AdminFactory()
    sign_in(client, admin)
    client.admin = admin
    return client


def _actions():
    return list(EngagementEvent.objects.filter(kind="webhook_saved")
                .values_list("payload__action", flat=True).order_by("pk"))


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(admin_client, receiver):
    response = admin_client.post(reverse("webhook_create"), {
        "url": receiver.url(), "description": "Help desk",
        "kinds": ["thread_created", "answer_accepted"]})
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("webhook_detail", kwargs={"pk": endpoint.pk})
    page = admin_client.get(response["Location"]).content.decode()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in page
    assert "not shown again" in page
    again = admin_client.get(response["Location"]).content.decode()
    assert endpoint.secret not in again
    assert endpoint.kinds == ["answer_accepted", "thread_created"]
    assert endpoint.created_by == admin_client.admin
    listing = admin_client.get(reverse("webhook_list")).content.decode()
    assert receiver.url() in listing and "Help desk" in listing and "Answer accepted" in listing
    assert endpoint.secret not in listing
    assert _actions() == ["created"]


@pytest.mark.parametrize("url", ["https://10.0.0.1/hook", "https://169.254.169.254/",
                                 "https://[::ffff:192.168.0.1]/", "http://203.0.113.9/"])
def test_a_private_address_or_plain_http_is_a_form_error(admin_client, settings, url):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    response = admin_client.post(reverse("webhook_create"), {
        "url": url, "kinds": ["thread_created"]})
    assert response.status_code == 400
    text = response.content.decode()
    assert "public addresses" in text or "https://" in text
    assert url.split("//")[1].split("/")[0].strip("[]") in text or "https" in text
    assert not WebhookEndpoint.objects.exists()


def test_events_must_be_chosen_from_the_declared_public_kinds(admin_client, receiver):
    response = admin_client.post(reverse("webhook_create"), {
        "url": receiver.url(), "kinds": ["webhook_saved"]})
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_edit_rotate_disable_enable_delete_and_undo(admin_client, receiver):
    admin = admin_client.admin
    endpoint = services.endpoint_create(admin=admin, url=receiver.url(), kinds=["post_created"])
    old_secret = endpoint.secret
    response = admin_client.post(reverse("webhook_edit", kwargs={"pk": endpoint.pk}), {
        "url": receiver.url("/v2"), "description": "CRM", "kinds": ["post_created",
                                                                   "thread_created"]})
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url.endswith("/v2") and endpoint.kinds == ["post_created", "thread_created"]
    response = admin_client.post(reverse("webhook_rotate", kwargs={"pk": endpoint.pk}))
    endpoint.refresh_from_db()
    assert endpoint.secret != old_secret
    assert endpoint.secret in admin_client.get(response["Location"]).content.decode()
    admin_client.post(reverse("webhook_toggle", kwargs={"pk": endpoint.pk}), {"active": "0"})
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    page = admin_client.get(reverse("webhook_detail", kwargs={"pk": endpoint.pk})).content
    assert b"Enable" in page and b"Off since" in page
    admin_client.post(reverse("webhook_toggle", kwargs={"pk": endpoint.pk}), {"active": "1"})
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.disabled_at is None
    confirm = admin_client.get(reverse("webhook_delete", kwargs={"pk": endpoint.pk}))
    assert b"Delete" in confirm.content
    response = admin_client.post(reverse("webhook_delete", kwargs={"pk": endpoint.pk}))
    listing = admin_client.get(response["Location"]).content.decode()
    assert "is deleted" in listing and "Undo" in listing
    detail = reverse("webhook_detail", kwargs={"pk": endpoint.pk})
    assert admin_client.get(detail).status_code == 404
    admin_client.post(reverse("webhook_restore", kwargs={"pk": endpoint.pk}))
    endpoint.refresh_from_db()
    assert endpoint.deleted_at is None
    assert _actions() == ["created", "edited", "rotated", "disabled", "enabled", "deleted",
                          "restored"]


def test_the_delivery_log_send_again_and_a_test_ping(admin_client, receiver,
                                                     django_capture_on_commit_callbacks):
    admin = admin_client.admin
    endpoint = services.endpoint_create(admin=admin, url=receiver.url(), kinds=["thread_created"])
    receiver.secret = endpoint.secret
    detail = reverse("webhook_detail", kwargs={"pk": endpoint.pk})
    assert b"Nothing sent yet" in admin_client.get(detail).content
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("webhook_ping", kwargs={"pk": endpoint.pk}))
    assert response.status_code == 302
    [ping] = receiver.wait_for(1)
    assert receiver.received[0]["body"]["type"] == "webhook_pinged"
    assert receiver.received[0]["body"]["data"] == {"actor": admin.pk, "endpoint": endpoint.pk}
    delivery = WebhookDelivery.objects.get()
    page = admin_client.get(detail).content.decode()
    assert ping in page and "Delivered" in page and ">200<" in page
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("webhook_resend", kwargs={"pk": delivery.pk}))
    assert receiver.wait_for(2) == [ping, ping]
    page = admin_client.get(detail).content.decode()
    assert "HTTP 500" in page and ">500<" in page and "Waiting to be sent" in page
    assert _actions() == ["created", "resent"]
    assert EngagementEvent.objects.filter(kind="webhook_pinged").count() == 1


def test_the_log_is_paginated(admin_client, receiver):
    admin = admin_client.admin
    endpoint = services.endpoint_create(admin=admin, url=receiver.url(), kinds=["thread_created"])
    for _ in range(27):
        services.endpoint_ping(admin=admin, endpoint=endpoint)
    detail = reverse("webhook_detail", kwargs={"pk": endpoint.pk})
    first = admin_client.get(detail).content.decode()
    assert first.count("Send again") == 25 and "Older" in first
    second = admin_client.get(detail + "?page=2").content.decode()
    assert second.count("Send again") == 2


@pytest.mark.parametrize("who", ["host", "member"])
def test_hosts_and_members_who_are_not_admins_are_refused(client, receiver, who):
    admin = factories.AdminFactory()
    endpoint = services.endpoint_create(admin=admin, url=receiver.url(), kinds=["thread_created"])
    user = factories.HostFactory() if who == "host" else factories.UserFactory()
    client.force_login(user)
    assert client.get(reverse("webhook_list")).status_code == 403
    assert client.post(reverse("webhook_create"), {"url": receiver.url(),
                                                   "kinds": ["thread_created"]}).status_code == 403
    assert client.post(reverse("webhook_delete", kwargs={"pk": endpoint.pk})).status_code == 403
    assert WebhookEndpoint.objects.filter(deleted_at__isnull=True).count() == 1
    if who == "host":
        nav = client.get(reverse("host_dashboard")).content.decode()
        assert reverse("webhook_list") not in nav


def test_the_django_admin_shows_endpoints_read_only_and_never_the_secret(admin_client,
                                                                          receiver):
    endpoint = services.endpoint_create(admin=admin_client.admin, url=receiver.url(),
                                        kinds=["thread_created"])
    listing = admin_client.get(reverse("admin:community_webhookendpoint_changelist"))
    assert listing.status_code == 200 and receiver.url() in listing.content.decode()
    view = admin_client.get(reverse("admin:community_webhookendpoint_change",
                                    args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in view
    assert admin_client.get(reverse("admin:community_webhookendpoint_add")).status_code == 403
    deliveries = admin_client.get(reverse("admin:community_webhookdelivery_changelist"))
    assert deliveries.status_code == 200


def test_the_pages_cost_a_fixed_number_of_queries(admin_client, receiver,
                                                  django_assert_max_num_queries):
    admin = admin_client.admin
    for n in range(3):
        endpoint = services.endpoint_create(admin=admin, url=receiver.url(f"/{n}"),
                                            kinds=["thread_created", "post_created"])
    for _ in range(30):
        services.endpoint_ping(admin=admin, endpoint=endpoint)
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("webhook_list")).status_code == 200
    with django_assert_max_num_queries(12):
        page = admin_client.get(reverse("webhook_detail", kwargs={"pk": endpoint.pk}))
    assert page.content.decode().count("webhook_pinged") == 25


def test_beat_sweeps_the_due_deliveries_every_minute():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="community.sweep_webhooks")
    assert (task.interval.every, task.interval.period, task.enabled) == (60, "seconds", True)
