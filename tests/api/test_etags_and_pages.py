"""GETs carry an ETag; sending it back unchanged is a 304 with no body. Lists are cursor
pages: stable links, no page shifts while rows are added."""
import pytest
from django.urls import reverse

from community.models import Thread
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


def test_an_unchanged_resource_is_not_sent_again(api, space):
    thread = conversations.thread_create(author=factories.UserFactory(), space=space,
                                         kind="discussion", title="Brew day photos",
                                         body="Show us.")
    path = reverse("api:thread-detail", args=[thread.pk])
    first = api().get(path)
    tag = first["ETag"]
    assert tag.startswith('"') and "Authorization" in first["Vary"]
    again = api().get(path, **{"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == tag
    conversations.post_create(author=factories.UserFactory(), thread=thread, body="Mine!")
    changed = api().get(path, **{"If-None-Match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert changed.json()["post_count"] == 2


def test_thread_lists_are_cursor_pages(api, space):
    author = factories.UserFactory()
    made = [conversations.thread_create(author=author, space=space, kind="discussion",
                                        title=f"Brew day number {n}", body="Photos")
            for n in range(5)]
    first = api().get(reverse("api:thread-list"), {"page_size": 2}).json()
    assert [row["id"] for row in first["results"]] == [made[4].pk, made[3].pk]
    assert first["previous"] is None and "cursor=" in first["next"]
    # A thread started meanwhile does not shift the next page.
    conversations.thread_create(author=author, space=space, kind="discussion",
                                title="Meanwhile a new one", body="Hi")
    second = api().get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [made[2].pk, made[1].pk]
    third = api().get(second["next"]).json()
    assert [row["id"] for row in third["results"]] == [made[0].pk]
    assert third["next"] is None
    assert api().get(reverse("api:thread-list"), {"cursor": "nonsense"}).status_code == 404


def test_a_long_thread_s_posts_come_in_pages_in_order(api, space):
    thread = conversations.thread_create(author=factories.UserFactory(), space=space,
                                         kind="discussion", title="Long one here",
                                         body="Start")
    for n in range(4):
        conversations.post_create(author=factories.UserFactory(), thread=thread,
                                  body=f"Reply {n}")
    path = reverse("api:thread-posts", args=[thread.pk])
    first = api().get(path, {"page_size": 3}).json()
    assert [p["position"] for p in first["results"]] == [1, 2, 3]
    assert [p["position"] for p in api().get(first["next"]).json()["results"]] == [4, 5]
    assert Thread.objects.get(pk=thread.pk).post_count == 5


def test_the_bench_s_two_pages_cost_a_few_queries_whatever_the_size(api, space,
                                                                     django_assert_num_queries):
    author = factories.UserFactory()
    thread = None
    for n in range(25):
        thread = conversations.thread_create(author=author, space=space, kind="discussion",
                                             title=f"Brew day number {n}", body="Photos",
                                             tags=["lager", "photos"])
    for n in range(25):
        conversations.post_create(author=factories.UserFactory(), thread=thread,
                                  body=f"Reply {n}")
    client = api()
    with django_assert_num_queries(2):  # the threads, their tags
        assert len(client.get(reverse("api:thread-list")).json()["results"]) == 20
    with django_assert_num_queries(3):  # the thread (and its tags), the posts
        assert len(client.get(reverse("api:thread-posts", args=[thread.pk]))
                   .json()["results"]) == 20


def test_a_token_reader_costs_one_query_more_its_token_and_member(api, space,
                                                                   django_assert_num_queries):
    member = factories.UserFactory()
    thread = conversations.thread_create(author=member, space=space, kind="discussion",
                                         title="Brew day number 1", body="Photos")
    client = api(member, "read")
    client.get(reverse("api:thread-list"))  # "last used" is written once a minute at most
    with django_assert_num_queries(3):
        client.get(reverse("api:thread-list"))
    with django_assert_num_queries(4):
        client.get(reverse("api:thread-posts", args=[thread.pk]))
