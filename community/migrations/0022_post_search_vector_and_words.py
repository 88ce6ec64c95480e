"""Search over every post: a vector per post (GIN), the indexed words with a trigram index
for typo correction (pg_trgm), and both filled for the posts already there. SQLite (used
by `make run`) gets the columns only: it searches with LIKE."""
import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS post_search_gin ON community_post USING gin (search_vector)")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS searchword_trgm ON community_searchword "
        "USING gin (word gin_trgm_ops)")
    # The posts already there are indexed by 0038_languages, with their space's language
    # (the index's SQL today reads Space.language, which 0038 adds).


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS post_search_gin")
        schema_editor.execute("DROP INDEX IF EXISTS searchword_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('community', '0021_event_kinds_registered'),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=40, unique=True)),
                ('ndoc', models.PositiveIntegerField(default=1)),
            ],
        ),
        migrations.AddField(
            model_name='post',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
