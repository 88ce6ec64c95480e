from django.utils import timezone

from community.models import EngagementEvent


def event_record(*, kind: str, actor=None, subject_user=None, subject_user_id=None,
                 thread_id=None, post_id=None, payload: dict | None = None,
                 created_at=None) -> EngagementEvent:
    """Append an event row; call inside the caller's ``transaction.atomic`` block.

    After commit, the engagement engine is asked to apply pending events (once per
    transaction); if that message is lost, the periodic sweep applies them. The pages the
    event makes stale are given by its row in ``community.pages.invalidation.STALE``.
    """
    from community.engine.enqueue import enqueue_once
    from community.pages import invalidation

    enqueue_once("community.process_events")
    event = EngagementEvent.objects.create(
        kind=kind,
        actor=actor,
        subject_user_id=subject_user.pk if subject_user is not None else subject_user_id,
        thread_id=thread_id,
        post_id=post_id,
        payload=payload or {},
        created_at=created_at or timezone.now(),
    )
    invalidation.pages_change(event)
    return event
