"""A member's thread page reads the thread and its posts from versioned shared data, and
the member with their standing in one query: every write still shows at once, a host and
a member never share what only one of them may see, and the per-member parts stay theirs."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community import pages
from community.models import Notification, Post, Suspension
from community.pages.store import Recent
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db
# The thread's level menu as a member who follows it sees it (following is Watching).
WATCHING = 'value="watching" class="level-option" aria-pressed="true"'


@pytest.fixture
def thread(kettle_question):
    return kettle_question


def test_a_reply_shows_to_a_member_at_once(client_as, thread,
                                           django_capture_on_commit_callbacks):
    reader = client_as(factories.UserFactory())
    other = reader.__class__()
    other.force_login(factories.UserFactory())
    url = thread.get_absolute_url()
    assert "Advice please." in reader.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:  # the second view: shared data, no posts query
        reader.get(url)
    assert not any('FROM "community_post"' in q["sql"] and "body_html" in q["sql"]
                   for q in ctx.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):
        other.post(reverse("thread_reply", args=[thread.pk]),
                   {"body": "The 30 litre one.", "nonce": "n1"})
    assert "The 30 litre one." in reader.get(url).content.decode()


def test_held_posts_show_to_their_author_and_hosts_only(client_as, thread, host,
                                                        django_capture_on_commit_callbacks):
    author, other = factories.UserFactory(), factories.UserFactory()
    url = thread.get_absolute_url()
    for who in (author, other, host):  # every kind of reader's page is in the cache first
        client_as(who).get(url)
    with django_capture_on_commit_callbacks(execute=True):
        held = conversations.post_create(author=author, thread=thread, body="Mine, held")
        Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
        pages.invalidate_on_commit(pages.thread_tag(thread.pk))
    assert "Mine, held" in client_as(author).get(url).content.decode()
    assert "Waiting for a host" in client_as(author).get(url).content.decode()
    assert "Mine, held" not in client_as(other).get(url).content.decode()
    assert "Mine, held" in client_as(host).get(url).content.decode()


def test_votes_and_follow_are_the_viewers_own(client_as, thread):
    answer = conversations.post_create(author=factories.UserFactory(), thread=thread,
                                       body="Thirty litres.")
    voter, follower = factories.UserFactory(), factories.UserFactory()
    conversations.vote_cast(voter=voter, post=answer, kind="like")
    conversations.thread_follow_set(user=follower, thread=thread, follow=True)
    url = thread.get_absolute_url()
    voter_page = client_as(voter).get(url).content.decode()
    follower_page = client_as(follower).get(url).content.decode()
    liked = 'class="vote-button" aria-pressed="true"'
    assert liked in voter_page and liked not in follower_page
    assert WATCHING in follower_page and WATCHING not in voter_page


def test_each_reply_box_has_its_own_nonce_and_a_valid_start_time(client_as, thread):
    reader = client_as(factories.UserFactory())
    pages = [reader.get(thread.get_absolute_url()).content.decode() for _ in range(2)]
    nonces = [page.split('name="nonce" value="')[1].split('"')[0] for page in pages]
    assert nonces[0] != nonces[1] and all(len(n) == 32 for n in nonces)
    assert "form-slot" not in pages[0] + pages[1]
    started = pages[1].split('name="started" value="')[1].split('"')[0]
    from django.core import signing

    from community.forms import GUARD_SALT

    assert signing.loads(started, salt=GUARD_SALT) <= timezone.now().timestamp()


def test_the_member_and_their_standing_are_one_query(client_as, thread):
    member = factories.UserFactory()
    Notification.objects.create(recipient=member, kind=Notification.Kind.REPLY,
                                thread=thread, actor=thread.author)
    reader = client_as(member)
    with CaptureQueriesContext(connection) as ctx:
        page = reader.get(reverse("home")).content.decode()
    assert '<span class="bell-count">1</span>' in page
    # Run as a statement prepared on the connection (community.prepared).
    user_queries = [q for q in ctx.captured_queries
                    if q["sql"].startswith("EXECUTE gravity_member_")]
    assert len(user_queries) == 1
    assert not any("community_suspension" in q["sql"] for q in ctx.captured_queries)
    assert not any(q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "community_notif')
                   for q in ctx.captured_queries)


def test_a_suspension_shows_on_the_next_page(client_as, thread, host):
    member = factories.UserFactory()
    reader = client_as(member)
    assert "Your account is suspended" not in reader.get(thread.get_absolute_url()).content.decode()
    Suspension.objects.create(user=member, reason="Spam.", created_by=host,
                              ends_at=timezone.now() + timedelta(days=3))
    page = reader.get(thread.get_absolute_url()).content.decode()
    assert "Your account is suspended" in page and "You cannot post right now" in page


def test_a_deactivated_member_is_signed_out_and_a_bad_session_is_anonymous(client_as, client):
    member = factories.UserFactory()
    reader = client_as(member)
    assert reader.get(reverse("notifications")).status_code == 200
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert reader.get(reverse("notifications")).status_code == 302
    session = client.session
    session["_auth_user_id"] = "not-a-number"
    session["_auth_user_backend"] = "community.identity.adapters.MemberModelBackend"
    session.save()
    assert client.get(reverse("notifications")).status_code == 302


def test_recent_values_stay_within_their_budget_and_time():
    recent = Recent(budget=100)
    recent.set_many({"a": "x" * 10, "b": "y" * 10}, timeout=60)
    assert recent.get_many(["a", "b"]) == {"a": "x" * 10, "b": "y" * 10}
    recent.set_many({f"k{i}": "z" * 12 for i in range(10)}, timeout=60)
    assert recent.used <= 100 and "a" not in recent.get_many(["a"])
    recent.set_many({"old": "w"}, timeout=-1)
    assert recent.get_many(["old"]) == {}


def test_the_header_is_each_members_own_and_its_log_out_form_works(client, thread):
    ada = factories.UserFactory(display_name="Ada")
    bob = factories.UserFactory(display_name="Bob")
    pages = {}
    for member in (ada, bob, ada):
        client.force_login(member)
        pages[member.pk] = client.get(thread.get_absolute_url()).content.decode()
        client.logout()
    assert 'class="nav-me">Ada<' in pages[ada.pk] and 'class="nav-me">Bob<' in pages[bob.pk]
    ada.display_name = "Ada Lovelace"
    ada.save(update_fields=["display_name"])
    client.force_login(ada)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'class="nav-me">Ada Lovelace<' in page and "csrf-slot" not in page
    csrf = client.__class__(enforce_csrf_checks=True)
    csrf.force_login(bob)
    page = csrf.get(reverse("home")).content.decode()
    token = page.split('action="/accounts/logout/"')[1].split('value="')[1].split('"')[0]
    assert csrf.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in csrf.session


def test_a_new_space_shows_in_the_search_filter_at_once(client_as,
                                                       django_capture_on_commit_callbacks):
    reader = client_as(factories.UserFactory())
    assert "Homebrew gear" not in reader.get(reverse("search")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        factories.SpaceFactory(name="Homebrew gear")
    assert "Homebrew gear" in reader.get(reverse("search")).content.decode()


def test_members_alike_share_the_page_body_but_each_sees_their_own_follow(client_as, thread):
    follower, reader = factories.UserFactory(), factories.UserFactory()
    conversations.thread_follow_set(user=follower, thread=thread, follow=True)
    url = thread.get_absolute_url()
    first = client_as(reader).get(url)
    assert "community/_thread_body.html" in [t.name for t in first.templates]
    again = client_as(factories.UserFactory()).get(url)  # same shape: the body as it was kept
    assert "community/_thread_body.html" not in [t.name for t in again.templates]
    assert "Advice please." in again.content.decode()
    assert WATCHING in client_as(follower).get(url).content.decode()
    assert WATCHING not in client_as(reader).get(url).content.decode()


def test_a_kept_body_sends_visitors_back_to_the_page_they_were_on(client, thread):
    for n in range(20):  # two pages
        conversations.post_create(author=factories.UserFactory(), thread=thread,
                                  body=f"Reply {n}.")
    url = thread.get_absolute_url()
    for query, back in (("", url), ("?page=2", url + "%3Fpage%3D2"),
                        ("?page=2&utm_source=x", url + "%3Fpage%3D2")):
        page = client.get(url + query, HTTP_HX_REQUEST="true").content.decode()  # no page cache
        assert f'href="/accounts/login/?next={back}"' in page


def test_a_reply_with_errors_keeps_the_text_and_is_not_kept_for_others(client_as, thread):
    writer = client_as(factories.UserFactory())
    sent = writer.post(reverse("thread_reply", args=[thread.pk]), {"body": "", "nonce": "n2"})
    assert sent.status_code == 400
    page = client_as(factories.UserFactory()).get(thread.get_absolute_url()).content.decode()
    assert "This field is required" not in page


@pytest.mark.django_db(transaction=True)
def test_a_new_database_connection_gets_the_prepared_statements_again(client_as,
                                                                      kettle_question):
    reader = client_as(factories.UserFactory(display_name="Pat"))
    url = kettle_question.get_absolute_url()
    assert 'class="nav-me">Pat<' in reader.get(url).content.decode()
    connection.close()  # as after a database restart: the next request opens a new one
    page = reader.get(url)
    assert page.status_code == 200 and 'class="nav-me">Pat<' in page.content.decode()


def test_pages_past_the_end_are_the_last_page_and_share_its_cache_entry(client_as, thread):
    for n in range(20):  # two pages
        conversations.post_create(author=factories.UserFactory(), thread=thread,
                                  body=f"Reply {n}.")
    reader = client_as(factories.UserFactory())
    url = thread.get_absolute_url()
    assert "Reply 19." in reader.get(url + "?page=3").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        page = reader.get(url + "?page=4").content.decode()
    assert "Reply 19." in page and '<span aria-current="page">2</span>' in page
    assert not any('FROM "community_post"' in q["sql"] and "body_html" in q["sql"]
                   for q in ctx.captured_queries)
