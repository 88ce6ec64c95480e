"""The Celery application.

With ``REDIS_URL`` set, tasks go to Redis; without it (``make run``) they run in-process, so
a development machine needs no external server. Queues: ``events``, ``notifications``,
``routing``.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("gravity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
