"""The API's queries say what the predicates say: for every role, the posts a thread's
list shows are exactly those ``can_see_post`` allows, and the thread list holds exactly the
threads an anonymous reader may open (``can_view_thread``)."""
import pytest
from django.contrib.auth.models import AnonymousUser

from community import permissions
from community.api import selectors
from community.models import Post, Thread
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread_with_every_kind_of_post(space):
    author, writer = factories.UserFactory(), factories.UserFactory()
    thread = conversations.thread_create(author=author, space=space, kind="question",
                                         title="Which kettle for 20 litres?", body="Help")
    posts = {status: conversations.post_create(author=writer, thread=thread, body=status)
             for status in ("published", "held", "hidden", "deleted")}
    Post.objects.filter(pk=posts["held"].pk).update(status=Post.Status.HELD)
    Post.objects.filter(pk=posts["hidden"].pk).update(status=Post.Status.HIDDEN)
    Post.objects.filter(pk=posts["deleted"].pk).update(is_deleted=True)
    return thread, writer


@pytest.mark.parametrize("role", ["anonymous", "member", "writer", "host"])
def test_listed_posts_are_the_ones_the_predicate_allows(role, thread_with_every_kind_of_post):
    thread, writer = thread_with_every_kind_of_post
    viewer = {"anonymous": AnonymousUser(), "member": factories.UserFactory(),
              "writer": writer, "host": factories.HostFactory()}[role]
    listed = set(selectors.visible_posts(viewer, thread).values_list("pk", flat=True))
    allowed = {p.pk for p in Post.objects.filter(thread=thread)
               if permissions.can_see_post(viewer, p, thread)}
    assert listed == allowed


def test_listed_threads_are_the_ones_anyone_may_open(space):
    author = factories.UserFactory()
    made = [conversations.thread_create(author=author, space=space, kind="discussion",
                                        title=f"Brew day number {n}", body="Hi")
            for n in range(4)]
    Thread.objects.filter(pk=made[1].pk).update(is_deleted=True)
    Thread.objects.filter(pk=made[2].pk).update(is_hidden=True)
    Thread.objects.filter(pk=made[3].pk).update(merged_into=made[0])
    listed = set(selectors.listed_threads().values_list("pk", flat=True))
    assert listed == {t.pk for t in Thread.objects.all()
                      if permissions.can_view_thread(AnonymousUser(), t)}
