"""Page cost does not grow with the community: same query count at two sizes, at most 15."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import Post, Thread, Vote
from community.services import conversations

from .. import budgets, factories

pytestmark = pytest.mark.django_db



def _grow(space, members, threads: int, posts_in_big_thread: int) -> Thread:
    """``threads`` threads in ``space`` plus one thread with ``posts_in_big_thread`` posts."""
    for i in range(threads):
        kind = Thread.Kind.QUESTION if i % 2 else Thread.Kind.DISCUSSION
        thread = conversations.thread_create(
            author=members[i % len(members)], space=space, kind=kind,
            title=f"Thread number {i} about kettles and yeast", body=f"Body {i} on kettles",
            tags=["kettle", f"tag{i % 4}"],
        )
        answer = conversations.post_create(
            author=members[(i + 1) % len(members)], thread=thread, body="An answer on yeast"
        )
        if kind == Thread.Kind.QUESTION and i % 4 == 1:
            conversations.answer_accept(actor=members[i % len(members)], answer=answer)
    big = conversations.thread_create(
        author=members[0], space=space, kind=Thread.Kind.QUESTION,
        title="The long kettle thread", body="Everybody weighs in on kettles.",
    )
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            thread=big, kind=Post.Kind.ANSWER if n % 3 else Post.Kind.REPLY,
            author=members[n % len(members)], position=n, body=f"Post {n}",
            body_html=f"<p>Post {n}</p>", render_version=1, created_at=now,
            parent_id=None,
        )
        for n in range(2, posts_in_big_thread + 1)
    )
    Thread.objects.filter(pk=big.pk).update(post_count=posts_in_big_thread)
    return Thread.objects.get(pk=big.pk)



def _pages(big: Thread, space) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "home latest": reverse("home") + "?tab=latest",
        "home unanswered": reverse("home") + "?tab=unanswered",
        "home solved": reverse("home") + "?tab=solved",
        "space": reverse("space", args=[space.slug]),
        "thread first page": big.get_absolute_url(),
        "thread last page": big.get_absolute_url() + "?page=999",
        "search": reverse("search") + "?q=kettle+yeast",
        "search filtered": reverse("search") + "?q=kettle&kind=question&solved=no&by=members",
        "profile": reverse("profile", args=["budget0"]),
    }


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_pages_cost_the_same_at_two_sizes(client, viewer):
    members = [factories.UserFactory(username=f"budget{i}") for i in range(6)]
    space = factories.SpaceFactory(name="Kettles")
    if viewer == "member":
        client.force_login(members[1])

    big = _grow(space, members, threads=3, posts_in_big_thread=30)
    small = {name: budgets.queries(client, url) for name, url in _pages(big, space).items()}

    big = _grow(space, members, threads=40, posts_in_big_thread=1000)
    Vote.objects.bulk_create(
        Vote(post=p, voter=members[1], kind=Vote.Kind.LIKE)
        for p in Post.objects.filter(thread=big).exclude(author=members[1])[:500]
    )
    large = {name: budgets.queries(client, url) for name, url in _pages(big, space).items()}

    budgets.assert_flat(small, large)


def test_last_page_of_a_1000_post_thread_shows_its_last_posts(client):
    members = [factories.UserFactory(username=f"budget{i}") for i in range(3)]
    big = _grow(factories.SpaceFactory(), members, threads=0, posts_in_big_thread=1000)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(big.get_absolute_url() + "?page=50").content.decode()
    assert "Post 1000" in body and "Post 981" in body and "Post 980" not in body
    assert len(ctx.captured_queries) <= budgets.BUDGET
