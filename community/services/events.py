from community.models import EngagementEvent


def event_record(*, kind: str, actor=None, subject_user=None, subject_user_id=None,
                 thread_id=None, post_id=None, payload: dict | None = None) -> EngagementEvent:
    """Append an event row; call inside the caller's ``transaction.atomic`` block.

    After commit, the engagement engine is asked to apply pending events (once per
    transaction); if that message is lost, the periodic sweep applies them.
    """
    from community.queue import enqueue_once

    enqueue_once("community.process_events")
    _pages_change(kind=kind, thread_ids=[thread_id, *(payload or {}).get("threads", [])],
                  user_ids=[getattr(actor, "pk", None),
                            subject_user.pk if subject_user is not None else subject_user_id])
    return EngagementEvent.objects.create(
        kind=kind,
        actor=actor,
        subject_user_id=subject_user.pk if subject_user is not None else subject_user_id,
        thread_id=thread_id,
        post_id=post_id,
        payload=payload or {},
    )


SITE_WIDE = {EngagementEvent.Kind.PROFILE_UPDATED, EngagementEvent.Kind.ACCOUNT_DELETED}


def _pages_change(*, kind: str, thread_ids, user_ids) -> None:
    """After commit, the cached pages this event changes are rendered again: its threads,
    the profiles of the people in it, every thread list; everything when a name changed."""
    from community import pagecache

    pagecache.invalidate_on_commit(
        "feed", *(pagecache.thread_tag(pk) for pk in thread_ids if pk),
        *(["site"] if kind in SITE_WIDE else []), user_ids=user_ids)
