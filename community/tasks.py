"""Celery tasks: thin wrappers that load by id and call plain functions."""
from celery import shared_task
from django.db import OperationalError as DatabaseOperationalError

from community.engine import engagement, notifications

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


@shared_task(
    name="community.process_events",
    queue="events",
    autoretry_for=(DatabaseOperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def process_events() -> int:
    """Apply pending engagement events (scores, routing). Idempotent: see engine/engagement.py."""
    return engagement.process_pending()


@shared_task(name="community.sweep_events", queue="events")
def sweep_events() -> int:
    """Periodic safety net: apply whatever a lost message or a dead worker left pending."""
    return engagement.process_pending(max_batches=1000)


@shared_task(name="community.flush_views", queue="events")
def flush_views() -> int:
    """Write the thread views counted in Redis to the database (every minute)."""
    from . import viewcount

    return viewcount.flush()


@shared_task(name="community.send_notification_emails", queue="notifications",
             autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails() -> int:
    """Email notices not emailed yet; each notice is marked as it is sent, so none twice."""
    kinds = notifications.mailable_kinds() - {notifications.Kind.ROUTED}
    total = 0
    while (handled := notifications.send_pending_emails(kinds=kinds)) == notifications.EMAIL_BATCH:
        total += handled
    return total + handled


@shared_task(name="community.send_push_notifications", queue="notifications",
             autoretry_for=(DatabaseOperationalError,), retry_backoff=True, max_retries=5)
def send_push_notifications() -> int:
    """Push the notices members chose to get on their devices (``engine.push``): each
    notice is marked as it is queued, so none twice; failed sends wait for the sweep."""
    from community.engine import push

    total = 0
    while (handled := push.send_pending()) == push.BATCH:
        total += handled
    return total + handled


@shared_task(name="community.sweep_push", queue="notifications")
def sweep_push() -> int:
    """Every minute: push what a lost message left, and try again the messages a push
    service asked us to retry (429, 5xx) once their backoff is over."""
    from community.engine import push
    from community.engine.push import delivery

    return push.send_pending() + delivery.deliver_due()


@shared_task(name="community.send_route_asks", queue="routing",
             autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_route_asks() -> int:
    """Email the members a question was routed to ("can you help a fellow customer?")."""
    return notifications.send_pending_emails(kinds={notifications.Kind.ROUTED})


@shared_task(name="community.send_digests", queue="notifications")
def send_digests() -> int:
    """Hourly: send the daily or weekly digest to every member whose one is due."""
    return notifications.send_due_digests()


@shared_task(name="community.send_listening_digests", queue="notifications",
             autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_listening_digests() -> int:
    """Hourly: last week's "what members care about" digest to each host, once a week."""
    from community.host.listening import digest

    return digest.send_weekly()


@shared_task(name="community.defer_stale_flags", queue="events")
def defer_stale_flags() -> int:
    """Daily: flags nobody reviewed for 90 days lapse, so the review queue never rots."""
    from community.services import moderation

    return moderation.defer_stale_flags()


@shared_task(name="community.clean_orphan_images", queue="events")
def clean_orphan_images() -> int:
    """Daily: delete the photos no post took within a day of their upload (files and rows)."""
    from community.services import media

    return media.orphans_delete()


@shared_task(name="community.clean_old_drafts", queue="events")
def clean_old_drafts() -> int:
    """Daily: delete the drafts nobody touched for a month (``services.drafts``)."""
    from community.services import drafts

    return drafts.drafts_clean()


@shared_task(name="community.deliver_webhooks", queue="notifications")
def deliver_webhooks(delivery_ids: list[int]) -> int:
    """Send these webhook deliveries (each once: locked while sent, never after delivered)."""
    from community.api.webhooks import delivery

    return delivery.deliver_many(delivery_ids)


@shared_task(name="community.sweep_webhooks", queue="notifications")
def sweep_webhooks() -> int:
    """Every minute: send the webhook deliveries that are due (retries, lost messages)."""
    from community.api.webhooks import delivery

    return delivery.deliver_due()


@shared_task(name="community.send_webhook_disabled_email", queue="notifications",
             autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_webhook_disabled_email(endpoint_id: int) -> int:
    """Tell the admins that a failing webhook endpoint was disabled."""
    from community.api.webhooks import services

    return services.disabled_email_send(endpoint_id=endpoint_id)


@shared_task(name="community.clear_oauth_tokens", queue="notifications")
def clear_oauth_tokens() -> None:
    """Daily: delete third-party apps' tokens and codes that can no longer be used (expired
    access tokens with no refresh token alive, refresh tokens past their 30 days, revoked
    ones, expired codes): they answer nothing but would fill the tables."""
    from oauth2_provider.models import clear_expired

    clear_expired()
