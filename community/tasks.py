"""Celery tasks: thin wrappers that load by id and call plain functions."""
from celery import shared_task
from django.db import OperationalError as DatabaseOperationalError

from . import emails, engagement


@shared_task(
    name="community.send_invitation_email",
    queue="notifications",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation_email(invitation_id: int) -> None:
    emails.invitation_email_send(invitation_id=invitation_id)


@shared_task(
    name="community.process_events",
    queue="events",
    autoretry_for=(DatabaseOperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def process_events() -> int:
    """Apply pending engagement events (scores, routing). Idempotent: see engagement.py."""
    return engagement.process_pending()


@shared_task(name="community.sweep_events", queue="events")
def sweep_events() -> int:
    """Periodic safety net: apply whatever a lost message or a dead worker left pending."""
    return engagement.process_pending(max_batches=1000)
