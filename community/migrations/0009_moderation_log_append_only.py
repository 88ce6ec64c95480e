"""The moderation log is append-only in the database too, and flags lapse daily."""
from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION community_moderationlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the moderation log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER community_moderationlog_append_only
    BEFORE UPDATE OR DELETE ON community_moderationlog
    FOR EACH ROW EXECUTE FUNCTION community_moderationlog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS community_moderationlog_append_only ON community_moderationlog;
DROP FUNCTION IF EXISTS community_moderationlog_append_only();
"""


def trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def schedule_create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(every=1, period="days")
    PeriodicTask.objects.get_or_create(
        name="Defer flags nobody reviewed for 90 days",
        defaults={"task": "community.defer_stale_flags", "interval": interval,
                  "queue": "events"},
    )


def schedule_remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name="Defer flags nobody reviewed for 90 days").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0008_moderation"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(trigger_create, trigger_drop),
        migrations.RunPython(schedule_create, schedule_remove),
    ]
