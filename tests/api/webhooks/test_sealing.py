"""Webhook signing secrets are encrypted at rest: the database never holds one in clear,
deliveries are still signed with it, keys can be changed with the reseal command, and a
key that opens nothing is a clear error rather than a wrong signature."""
import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from community.api.webhooks import sealing, services
from community.models import WebhookEndpoint
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(receiver):
    return services.endpoint_create(admin=factories.AdminFactory(), url=receiver.url(),
                                    kinds=["thread_created"])


def _stored(endpoint) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM community_webhookendpoint WHERE id = %s", [endpoint.pk])
        return " ".join(str(value) for value in cursor.fetchone())


def test_the_database_holds_no_secret_in_clear(endpoint):
    secret = WebhookEndpoint.objects.get(pk=endpoint.pk).secret
    assert secret.startswith("whsec_")
    row = _stored(endpoint)
    assert secret not in row and secret.removeprefix("whsec_") not in row
    rotated = services.secret_rotate(admin=factories.AdminFactory(), endpoint=endpoint)
    assert rotated != secret and rotated not in _stored(endpoint)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == rotated


def test_a_new_key_first_keeps_old_secrets_and_reseal_moves_them(endpoint, settings):
    secret = endpoint.secret
    old = Fernet.generate_key().decode()
    settings.WEBHOOK_SECRET_KEYS = [old]
    endpoint.secret = secret
    endpoint.save(update_fields=["secret_sealed"])
    new = Fernet.generate_key().decode()
    settings.WEBHOOK_SECRET_KEYS = [new, old]
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == secret  # still opens
    call_command("webhook_secrets_reseal", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.WEBHOOK_SECRET_KEYS = [new]
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == secret


def test_a_key_that_opens_nothing_is_a_clear_error(endpoint, settings):
    settings.WEBHOOK_SECRET_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(sealing.Unsealable):
        WebhookEndpoint.objects.get(pk=endpoint.pk).secret  # noqa: B018
    with pytest.raises(CommandError, match="no key in WEBHOOK_SECRET_KEYS opens"):
        call_command("webhook_secrets_reseal")


def test_a_delivery_whose_secret_cannot_be_opened_fails_and_is_logged(endpoint, settings,
                                                                       receiver):
    from community.api.webhooks import delivery as sender
    from community.models import WebhookDelivery

    services.endpoint_ping(admin=factories.AdminFactory(), endpoint=endpoint)
    settings.WEBHOOK_SECRET_KEYS = [Fernet.generate_key().decode()]
    sender.deliver_due()
    sent = WebhookDelivery.objects.get(endpoint=endpoint)
    assert sent.status == WebhookDelivery.Status.PENDING and sent.attempts == 1
    assert sent.last_error.startswith("Not signed:")
    assert receiver.received == []
