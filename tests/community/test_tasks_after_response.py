"""The development server runs its in-process tasks after the response, on a thread: a reply
does not wait for the engine, and the engine still applies every event it recorded."""
import time

import pytest
from django.urls import reverse

from community.engine import enqueue
from community.models import EngagementEvent, Post, Thread
from community.services import conversations

from .. import factories


def _pending():
    return EngagementEvent.objects.filter(processed_at__isnull=True).count()


@pytest.mark.django_db(transaction=True)
def test_a_reply_returns_before_its_events_are_applied_and_they_are_applied_after(
        client, settings, monkeypatch):
    settings.TASKS_AFTER_RESPONSE = True
    asker, helper = factories.UserFactory(), factories.UserFactory()
    thread = conversations.thread_create(author=asker, space=factories.SpaceFactory(),
                                         kind=Thread.Kind.QUESTION,
                                         title="Which kettle for 20 litres?", body="Help.")
    deadline = time.monotonic() + 20
    while _pending() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _pending() == 0

    held = []
    real_apply = enqueue._apply
    monkeypatch.setattr(enqueue, "_apply", lambda *a: held.append(a))  # the thread waits
    client.force_login(helper)
    response = client.post(reverse("thread_reply", args=[thread.pk]),
                           {"body": "The 30 litre one."})
    assert response.status_code == 302
    assert Post.objects.filter(thread=thread, author=helper).exists()
    deadline = time.monotonic() + 20
    while not held and time.monotonic() < deadline:
        time.sleep(0.05)
    assert held and _pending() >= 1  # answered, the engine not run yet
    for task, args, kwargs in held:
        real_apply(task, args, kwargs)
    assert _pending() == 0


def test_the_tests_and_tasks_eager_run_tasks_inline(settings):
    assert settings.TASKS_AFTER_RESPONSE is False
