"""Celery tasks of the partners app: thin wrappers over plain functions."""
from celery import shared_task

from . import emails


@shared_task(name="partners.send_partner_invitation", queue="notifications",
             autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_partner_invitation(invitation_id: int) -> bool:
    return emails.invitation_email_send(invitation_id=invitation_id)
