"""The member's language (their profile; "" follows the browser) and each space's language,
whose text search configuration builds its posts' search vectors: the posts not indexed
yet (left by 0022 for this migration) are indexed with it."""
from django.db import migrations, models


def index_missing(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from community.content.search_index import index_missing

    index_missing()


class Migration(migrations.Migration):

    dependencies = [
        ('community', '0037_webhooks'),
    ]

    operations = [
        migrations.AddField(
            model_name='space',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('es', 'Español'), ('ar', 'العربية')], default='en', max_length=8, verbose_name='language'),
        ),
        migrations.AddField(
            model_name='user',
            name='language',
            field=models.CharField(blank=True, choices=[('en', 'English'), ('es', 'Español'), ('ar', 'العربية')], help_text='Empty: the language your browser asks for.', max_length=8, verbose_name='language'),
        ),
        migrations.RunPython(index_missing, migrations.RunPython.noop, elidable=True),
    ]
