# The daily clean-up of third-party apps' dead tokens and codes (community.clear_oauth_tokens).

from django.db import migrations

CLEAR_NAME = "Clear third-party apps' expired tokens"


def clear_create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_day, _ = IntervalSchedule.objects.get_or_create(every=1, period="days")
    PeriodicTask.objects.get_or_create(
        name=CLEAR_NAME,
        defaults={
            "task": "community.clear_oauth_tokens",
            "interval": every_day,
            "queue": "notifications",
            "description": "OAuth access and refresh tokens and codes that can no longer be used.",
        },
    )


def clear_remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=CLEAR_NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('community', '0041_push'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
    ]

    operations = [
        migrations.RunPython(clear_create, clear_remove),
    ]
