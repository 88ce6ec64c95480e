"""Webhook signing secrets encrypted at rest (``community.api.webhooks.sealing``): each
stored secret is sealed in place, then the clear column goes."""
from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from community.api.webhooks import sealing

    Endpoint = apps.get_model("community", "WebhookEndpoint")
    for endpoint in Endpoint.objects.order_by("pk"):
        endpoint.secret_sealed = sealing.seal(endpoint.secret)
        endpoint.save(update_fields=["secret_sealed"])


def unseal_existing(apps, schema_editor):
    from community.api.webhooks import sealing

    Endpoint = apps.get_model("community", "WebhookEndpoint")
    for endpoint in Endpoint.objects.order_by("pk"):
        endpoint.secret = sealing.unseal(endpoint.secret_sealed)
        endpoint.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [("community", "0043_oauth_apps")]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint", name="secret_sealed",
            field=models.CharField(default="", max_length=300), preserve_default=False),
        migrations.AlterField(
            model_name="webhookendpoint", name="secret",
            field=models.CharField(blank=True, default="", max_length=80)),
        migrations.RunPython(seal_existing, unseal_existing),
        migrations.RemoveField(model_name="webhookendpoint", name="secret"),
    ]
