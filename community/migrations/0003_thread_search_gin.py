"""Full-text search index on PostgreSQL (SQLite, used by `make run`, searches with LIKE)."""
from django.db import migrations


def create_gin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS thread_search_gin "
            "ON community_thread USING gin (search_vector)"
        )


def drop_gin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS thread_search_gin")


class Migration(migrations.Migration):
    dependencies = [("community", "0002_conversations")]

    operations = [migrations.RunPython(create_gin, drop_gin, elidable=False)]
