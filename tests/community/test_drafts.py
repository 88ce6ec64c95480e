"""Drafts: what a member types is kept on the server, comes back when they return, goes
when they post, is theirs alone, and is cleaned up after a month."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import tasks
from community.models import Draft, EngagementEvent, Post, Thread
from community.models.drafts import DRAFT_DAYS
from community.services import conversations, moderation

from .. import factories

pytestmark = pytest.mark.django_db


def _thread(author=None):
    return conversations.thread_create(
        author=author or factories.UserFactory(), space=factories.SpaceFactory(),
        kind=Thread.Kind.DISCUSSION, title="Mash temperatures that work",
        body="Looking for advice.")


def _save(client, place, body, **extra):
    return client.post(reverse("draft_save"), {"place": place, "body": body, **extra},
                       HTTP_HX_REQUEST="true")


def test_a_reply_draft_is_kept_and_comes_back_on_the_thread(client_as, member):
    thread = _thread()
    client = client_as(member)
    events = EngagementEvent.objects.count()
    response = _save(client, f"reply:{thread.pk}", "Half written: mash at 6")
    assert response.status_code == 200 and "Draft saved" in response.content.decode()
    assert EngagementEvent.objects.count() == events  # a draft is nobody else's business
    _save(client, f"reply:{thread.pk}", "Half written: mash at 67C")
    assert Draft.objects.get(member=member).body == "Half written: mash at 67C"
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "You have an unsent draft" in page
    assert "Half written: mash at 67C</textarea>" in page


def test_posting_the_reply_discards_the_draft(client_as, member):
    thread = _thread()
    client = client_as(member)
    _save(client, f"reply:{thread.pk}", "Mash at 67C")
    assert client.post(reverse("thread_reply", args=[thread.pk]),
                       {"body": "Mash at 67C"}).status_code == 302
    assert not Draft.objects.filter(member=member).exists()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "You have an unsent draft" not in page


def test_a_new_question_draft_keeps_its_title_and_goes_when_asked(client_as, member):
    space = factories.SpaceFactory()
    client = client_as(member)
    _save(client, "ask:question", "Which yeast for a saison?", title="Saison yeast")
    page = client.get(reverse("ask")).content.decode()
    assert 'value="Saison yeast"' in page and "Which yeast for a saison?</textarea>" in page
    response = client.post(reverse("ask"), {"space": space.pk, "title": "Saison yeast choice",
                                           "body": "Which yeast for a saison?"})
    assert response.status_code == 302
    assert not Draft.objects.filter(member=member).exists()


def test_an_edit_draft_comes_back_and_goes_when_saved(client_as, member):
    thread = _thread(author=member)
    post = thread.posts.get()
    client = client_as(member)
    _save(client, f"edit:{post.pk}", "Looking for advice, edited")
    page = client.get(reverse("post_edit", args=[post.pk])).content.decode()
    assert "Looking for advice, edited</textarea>" in page
    client.post(reverse("post_edit", args=[post.pk]), {"body": "Looking for advice, edited"})
    assert not Draft.objects.filter(member=member).exists()


def test_an_empty_text_discards_the_draft(client_as, member):
    thread = _thread()
    client = client_as(member)
    _save(client, f"reply:{thread.pk}", "Something")
    assert "No draft kept" in _save(client, f"reply:{thread.pk}", "  ").content.decode()
    assert not Draft.objects.exists()


def test_drafts_are_private(client_as, member, other_member):
    thread = _thread()
    theirs = conversations.post_create(author=other_member, thread=thread, body="Mine.")
    client = client_as(other_member)
    _save(client, f"reply:{thread.pk}", "Other member's words")
    client = client_as(member)
    assert "Other member's words" not in client.get(thread.get_absolute_url()).content.decode()
    assert _save(client, f"edit:{theirs.pk}", "Hijack").status_code == 403
    assert _save(client, "reply:999999", "Nowhere").status_code == 404
    assert _save(client, "elsewhere:1", "Nowhere").status_code == 404
    assert Draft.objects.filter(member=member).count() == 0


def test_a_deleted_thread_is_not_found_for_drafts(client_as, member):
    thread = _thread()
    Thread.objects.filter(pk=thread.pk).update(is_deleted=True)
    assert _save(client_as(member), f"reply:{thread.pk}", "x").status_code == 404


def test_visitors_and_suspended_members_keep_no_drafts(client, client_as, member, host):
    thread = _thread()
    assert _save(client, f"reply:{thread.pk}", "x").status_code == 302
    moderation.suspend(actor=host, user=member, reason="Spam",
                       ends_at=timezone.now() + timedelta(days=2))
    assert _save(client_as(member), f"reply:{thread.pk}", "x").status_code == 403
    assert not Draft.objects.exists()


def test_the_beat_task_deletes_drafts_untouched_for_a_month(client_as, member):
    thread = _thread()
    client = client_as(member)
    _save(client, f"reply:{thread.pk}", "Old words")
    _save(client, "ask:discussion", "Fresh words")
    Draft.objects.filter(place=f"reply:{thread.pk}").update(
        updated_at=timezone.now() - timedelta(days=DRAFT_DAYS + 1))
    assert tasks.clean_old_drafts() == 1
    assert list(Draft.objects.values_list("body", flat=True)) == ["Fresh words"]


def test_the_cleanup_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="community.clean_old_drafts").exists()


def test_a_reply_with_a_draft_still_posts_once(client_as, member):
    thread = _thread()
    client = client_as(member)
    _save(client, f"reply:{thread.pk}", "Mash at 67C")
    client.post(reverse("thread_reply", args=[thread.pk]), {"body": "Mash at 67C"})
    assert Post.objects.filter(thread=thread, author=member).count() == 1


def test_a_thread_page_holding_a_draft_keeps_the_query_budget(client_as, member):
    from .. import budgets

    thread = _thread()
    for n in range(5):
        conversations.post_create(author=factories.UserFactory(), thread=thread,
                                  body=f"Answer {n}: mash at 6{n}C.")
    client = client_as(member)
    without = budgets.queries(client, thread.get_absolute_url())
    _save(client, f"reply:{thread.pk}", "Half written")
    holding = budgets.queries(client, thread.get_absolute_url())
    assert holding <= budgets.BUDGET, holding
    assert holding <= without + 2, (without, holding)  # the body is rendered, the cards kept


def test_the_write_itself_sends_the_draft_whichever_path_posts(client_as, member):
    """The services discard the draft in their own transaction: a reply, a new thread or an
    edit made without the thread page's view (the API, a moment's page) sends it too."""
    thread = _thread()
    client = client_as(member)
    _save(client, f"reply:{thread.pk}", "Mash at 67C")
    _save(client, "ask:question", "Which yeast?", title="Yeast")
    conversations.post_create(author=member, thread=thread, body="Mash at 67C")
    mine = conversations.thread_create(author=member, space=thread.space, kind="question",
                                       title="Which yeast for a saison?", body="Which yeast?")
    assert not Draft.objects.filter(member=member).exists()
    _save(client, f"edit:{mine.opening_post.pk}", "Which yeast?")  # unchanged text
    conversations.post_edit(actor=member, post=mine.opening_post, body="Which yeast?")
    assert not Draft.objects.filter(member=member).exists()


def test_a_refused_reply_keeps_its_draft(client_as, member, host):
    thread = _thread()
    client = client_as(member)
    _save(client, f"reply:{thread.pk}", "Mash at 67C")
    moderation.thread_close(actor=host, thread=thread, reason="Answered")
    response = client.post(reverse("thread_reply", args=[thread.pk]), {"body": "Mash at 67C"})
    assert response.status_code == 403
    assert Draft.objects.filter(member=member, place=f"reply:{thread.pk}").exists()


def test_other_apps_register_their_places_and_unknown_ones_are_not_found(client_as, member):
    from community.services import drafts

    assert {"reply", "edit", "ask", "update", "contribute", "contribution", "discuss",
            "publish"} <= set(drafts.registered_places())
    client = client_as(member)
    for place in ("update:abc", "publish:", "update:0", "nowhere:1", "reply", ""):
        assert _save(client, place, "x").status_code == 404, place
    with pytest.raises(ValueError):
        drafts.register_place("reply", lambda member, key: None)
