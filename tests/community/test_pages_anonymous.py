"""Anonymous visitors get whole pages from Redis; every write shows at once, nobody gets a
page meant for someone else, and a cache outage only costs speed."""
import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import viewcount
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(kettle_question):
    return kettle_question


def test_a_second_anonymous_visit_is_served_without_the_database(client, thread):
    url = thread.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit" and "Which kettle" in response.content.decode()
    assert len(ctx.captured_queries) == 0
    assert viewcount.pending() == {thread.pk: 2}  # views still counted on a hit
    for name in ("home", "search"):
        client.get(reverse(name))
        assert client.get(reverse(name))["X-Page-Cache"] == "hit"


def test_a_reply_shows_to_anonymous_readers_at_once(client, client_as, thread,
                                                    django_capture_on_commit_callbacks):
    url = thread.get_absolute_url()
    anonymous = client.__class__()
    anonymous.get(url)
    anonymous.get(reverse("home"))
    helper = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client_as(helper).post(reverse("thread_reply", args=[thread.pk]),
                               {"body": "The 30 litre one.", "nonce": "n1"})
    response = anonymous.get(url)
    assert response["X-Page-Cache"] == "miss" and "The 30 litre one." in response.content.decode()
    assert anonymous.get(reverse("home"))["X-Page-Cache"] == "miss"


def test_a_hidden_post_and_a_new_name_leave_the_cached_page(client, client_as, thread, host,
                                                            django_capture_on_commit_callbacks):
    answer = conversations.post_create(author=factories.UserFactory(), thread=thread,
                                       body="Buy from my spam shop")
    url = thread.get_absolute_url()
    anonymous = client.__class__()
    assert "spam shop" in anonymous.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_as(host).post(reverse("review_action", args=[answer.pk, "hide"]))
    assert "spam shop" not in anonymous.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client_as(thread.author).post(reverse("profile_edit"), {
            "display_name": "Ada Renamed", "bio": "", "location": "", "products": "",
            "interests": ""})
    assert "Ada Renamed" in anonymous.get(url).content.decode()


def test_signed_in_members_and_visitors_with_a_session_never_get_a_cached_page(client_as,
                                                                              thread, member):
    url = thread.get_absolute_url()
    anonymous = client_as(None).__class__()
    anonymous.get(url)
    anonymous.get(url)
    client = client_as(member)
    for _ in range(2):
        response = client.get(url)
        assert "X-Page-Cache" not in response and "Your reply" in response.content.decode()
    # An anonymous page never carries a CSRF token or sets a cookie to be shared.
    body = anonymous.get(url)
    assert "csrfmiddlewaretoken" not in body.content.decode() and not body.cookies


def test_pages_render_when_the_cache_is_down(client, thread, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    settings.CACHES = {"default": {**settings.CACHES["default"],
                                   "LOCATION": f"redis://127.0.0.1:{dead}/0"}}
    from django.core.cache import cache

    cache.close()
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200 and "Which kettle" in response.content.decode()


def _discuss(client, space, title, capture_on_commit):
    """``client`` starts a discussion in ``space`` and the transaction commits."""
    with capture_on_commit(execute=True):
        client.post(reverse("discuss"), {"space": space.pk, "title": title,
                                         "body": "Photos welcome.", "nonce": title.split()[-1]})


def test_members_share_the_rendered_thread_list_and_see_a_new_thread_at_once(
        client_as, thread, member, other_member, django_capture_on_commit_callbacks):
    client = client_as(member)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("home")).content.decode()
    assert "Which kettle for 20 litres?" in page
    assert not any("community_thread" in q["sql"] for q in ctx.captured_queries)
    _discuss(client_as(other_member), thread.space, "Show us your brew day",
             django_capture_on_commit_callbacks)
    assert "Show us your brew day" in client_as(member).get(reverse("home")).content.decode()


def test_the_events_of_one_write_bump_the_pages_once(member,
                                                     django_capture_on_commit_callbacks):
    from community.models import CommunitySettings
    from community.pages import versions
    from community.services.invitations import invitations_send

    CommunitySettings.get()  # the site's settings row exists (made once, its own bump)
    with django_capture_on_commit_callbacks() as callbacks:
        invitations_send(inviter=member, emails=["a@example.com", "b@example.com",
                                                 "c@example.com"])
    bumps = [c for c in callbacks if isinstance(c, versions._Pending)]
    assert len(bumps) == 1  # three events, one bump (and one name lookup) after commit
    # Invitations show on the inviter's pages only: no thread list is rendered again.
    assert "feed" not in bumps[0].tags and bumps[0].user_ids == {member.pk}


def test_members_share_search_results_and_see_a_new_thread_at_once(
        client_as, thread, member, other_member, django_capture_on_commit_callbacks):
    client = client_as(member)
    url = reverse("search") + "?q=kettle"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert "Which kettle for 20 litres?" in page
    assert not any("search_vector" in q["sql"] for q in ctx.captured_queries)
    _discuss(client_as(other_member), thread.space, "Descaling a kettle with citric acid",
             django_capture_on_commit_callbacks)
    assert "Descaling a kettle" in client_as(member).get(url).content.decode()


def test_a_new_release_never_serves_a_page_the_last_one_kept(client, thread, settings):
    from community import pages
    from community.pages.store import release

    url = thread.get_absolute_url()
    settings.RELEASE = "2026.12.1"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    fragment = pages.fragment_key("thread-list", 1)
    settings.RELEASE = "2026.12.2"  # deployed: new templates or code may render it otherwise
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert pages.fragment_key("thread-list", 1) != fragment
    settings.RELEASE = ""  # not named by the deploy: the sources on disk name it
    assert len(release()) == 16 and release() == release()
