"""Periodic delivery of notification emails, routing asks and digests (see the admin)."""
from django.db import migrations

SCHEDULES = [
    ("Send pending notification emails", "community.send_notification_emails", "notifications",
     60),
    ("Send pending routing asks", "community.send_route_asks", "routing", 60),
    ("Send due digests", "community.send_digests", "notifications", 3600),
]


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, queue, seconds in SCHEDULES:
        interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval, "queue": queue}
        )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("community", "0006_notification_delivery")]

    operations = [migrations.RunPython(create, remove)]
