"""Listening: per-post signals, searches that found nothing, brand words, the hosts' digest."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


TASK_NAME = "Send the weekly listening digest to hosts"


def schedule_create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Hourly: each host gets last week's digest once, at the first run of the week.
    interval, _ = IntervalSchedule.objects.get_or_create(every=3600, period="seconds")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": "community.send_listening_digests", "interval": interval,
                  "queue": "notifications"},
    )


def schedule_remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ('community', '0030_commerce'),
    ]

    operations = [
        migrations.AddField(
            model_name='communitysettings',
            name='brand_slogans',
            field=models.TextField(blank=True, help_text='One per line, besides the tagline: a post quoting one back, next to negative words, reads as sarcastic.', verbose_name='brand slogans'),
        ),
        migrations.AddField(
            model_name='communitysettings',
            name='brand_terms',
            field=models.TextField(blank=True, help_text="One word or phrase per line that means the brand, besides the site's name and the product names and lines: a post naming one speaks of the brand.", verbose_name='words for the brand'),
        ),
        migrations.AddField(
            model_name='user',
            name='listening_digest',
            field=models.BooleanField(default=True, help_text='Hosts only: sent on Mondays.', verbose_name='email me the weekly "what members care about" digest'),
        ),
        migrations.AddField(
            model_name='user',
            name='listening_digest_week',
            field=models.DateField(blank=True, help_text='Monday of the last week whose listening digest was sent to this host.', null=True),
        ),
        migrations.CreateModel(
            name='SearchMiss',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(help_text="The search's words, lower-cased, in the order typed.", max_length=200)),
                ('week', models.DateField(help_text='Monday of the week the searches were made.')),
                ('count', models.PositiveIntegerField(default=1)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('week', 'term'), name='one_search_miss_per_week')],
            },
        ),
        migrations.CreateModel(
            name='PostSignal',
            fields=[
                ('post', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='signal', serialize=False, to='community.post')),
                ('written_at', models.DateTimeField(help_text='When the post was written.')),
                ('by_member', models.BooleanField(default=True, help_text='Not written as a staff host.')),
                ('sentiment', models.FloatField(help_text='VADER compound score of the post, -1 to 1.')),
                ('brand_sentiment', models.FloatField(blank=True, help_text='Mean compound score of the sentences that name the brand (empty: none).', null=True)),
                ('about_brand', models.BooleanField(default=False)),
                ('sarcasm', models.BooleanField(default=False)),
                ('reasons', models.JSONField(blank=True, default=list)),
                ('needs_touch', models.BooleanField(default=False)),
                ('touch', models.CharField(blank=True, choices=[('', 'Not in the queue'), ('open', 'Waiting for a host'), ('answered', 'Answered by a host'), ('dismissed', 'Set aside by a host')], default='', max_length=10)),
                ('touch_at', models.DateTimeField(blank=True, null=True)),
                ('analyser', models.PositiveSmallIntegerField(default=1, help_text='Version of the rules that computed it (a new one recomputes).')),
                ('computed_at', models.DateTimeField()),
                ('author', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('thread', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='community.thread')),
                ('touch_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('touch', 'open')), fields=['-written_at'], name='signal_touch_open_idx'), models.Index(fields=['author', 'written_at'], name='signal_author_idx'), models.Index(fields=['written_at'], name='signal_written_idx')],
            },
        ),
        migrations.RunPython(schedule_create, schedule_remove),
    ]
