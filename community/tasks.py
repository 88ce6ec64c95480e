"""Celery tasks: thin wrappers that load by id and call plain functions."""
from celery import shared_task

from . import emails


@shared_task(
    name="community.send_invitation_email",
    queue="notifications",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation_email(invitation_id: int) -> None:
    emails.invitation_email_send(invitation_id=invitation_id)
