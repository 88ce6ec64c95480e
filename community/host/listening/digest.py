"""The weekly "what members care about" digest, mailed to hosts (a beat task, hourly).

Each host who wants it (``User.listening_digest``) with a verified address gets last
week's digest once: ``User.listening_digest_week`` remembers the week sent, under a row
lock, so a second run or a redelivered task sends nothing. A week with nothing to tell is
marked and not mailed. Every mail carries the one-click unsubscribe link of the topic
``listening`` (``engine.notifications.Topic``).
"""
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from community import words
from community.engine import notifications
from community.models import User

from . import selectors


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def hosts_due(week) -> list[int]:
    return list(User.objects.filter(words.staff_person(), is_active=True, listening_digest=True)
                .filter(Q(listening_digest_week__isnull=True) | Q(listening_digest_week__lt=week))
                .exclude(email=None).exclude(email="").order_by("pk")
                .values_list("pk", flat=True))


def digest_send(*, user_id: int, week, found: dict) -> bool:
    """Mail ``found`` (``selectors.digest(week)``) to one host, once per week."""
    from community.emails import language_of, send_templated

    with transaction.atomic():
        host = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if (host is None or not host.listening_digest or not (host.is_host or host.is_superuser)
                or (host.listening_digest_week and host.listening_digest_week >= week)):
            return False
        host.listening_digest_week = week
        host.save(update_fields=["listening_digest_week"])
        if found["empty"] or host.pk not in notifications._verified([host.pk]):
            return False
        topic = notifications.Topic.LISTENING
        unsubscribe = _absolute(reverse("unsubscribe",
                                        args=[notifications.unsubscribe_token(host.pk, topic)]))
        send_templated(
            to=host.email, template="listening_digest",
            context={"recipient": host, "digest": found,
                     "page_url": _absolute(reverse("listening_digest")) + f"?week={week}",
                     "queue_url": _absolute(reverse("listening_touch")),
                     "absolute": _absolute(""),
                     "unsubscribe_url": unsubscribe,
                     "unsubscribe_label": notifications.Topic.LABELS[topic]},
            headers={"List-Unsubscribe": f"<{unsubscribe}>",
                     "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            language=language_of(host),
        )
    return True


def send_weekly(now=None) -> int:
    """Send last week's digest to every host who has not had it; returns mails sent."""
    week = selectors.last_full_week(timezone.localdate(now or timezone.now()))
    due = hosts_due(week)
    if not due:
        return 0
    found = selectors.digest(week)
    return sum(digest_send(user_id=pk, week=week, found=found) for pk in due)
