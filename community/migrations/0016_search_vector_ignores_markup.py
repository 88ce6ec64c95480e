"""Search vectors read "<" and ">" as spaces (community.content.search.VECTOR_SQL): rebuilt."""
from django.db import migrations

# The expression as it was then (spaces had no language yet: community.content.search now
# builds each thread's vector with its space's configuration).
VECTOR_SQL = ("setweight(to_tsvector('english', translate(title, '<>', '  ')), 'A') || "
              "setweight(to_tsvector('english', translate(search_body, '<>', '  ')), 'B')")


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"UPDATE community_thread SET search_vector = {VECTOR_SQL}")


class Migration(migrations.Migration):
    dependencies = [("community", "0015_audit_trail")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
