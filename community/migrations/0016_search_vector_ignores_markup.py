"""Search vectors read "<" and ">" as spaces (community.content.search.VECTOR_SQL): rebuilt."""
from django.db import migrations

from community.content.search import VECTOR_SQL


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"UPDATE community_thread SET search_vector = {VECTOR_SQL}")


class Migration(migrations.Migration):
    dependencies = [("community", "0015_audit_trail")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
