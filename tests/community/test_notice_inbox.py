"""The inbox: what each notice says, one row per thread and kind, the bell agreeing with
the page, opening a row or its thread reading the whole row, and a page whose cost does not
grow with the number of notices or people."""
import re

import pytest
from django.urls import reverse

from community.engine import engagement
from community.models import Notification, Thread, ThreadFollow, Vote
from community.services import conversations

from .. import budgets, factories

pytestmark = pytest.mark.django_db


def i(text):
    """As the page isolates a name or a title."""
    return f"\u2068{text}\u2069"


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Brewing")


@pytest.fixture
def asker():
    return factories.UserFactory(display_name="Asa Asker")


@pytest.fixture
def question(space, asker):
    return conversations.thread_create(author=asker, space=space, kind=Thread.Kind.QUESTION,
                                       title="Why is my stout thin?", body="Help?")


def person(name):
    return factories.UserFactory(display_name=name)


def inbox(client, user, page=None):
    client.force_login(user)
    url = reverse("notifications") + (f"?page={page}" if page else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def rows(html):
    return re.findall(r'<li class="card notice-row.*?</li>', html, re.S)


def test_each_kind_says_what_happened_in_words(client, space, question, asker):
    ben, ana = person("Ben"), person("Ana")
    answer = conversations.post_create(author=ben, thread=question, body="Mash hotter.")
    conversations.post_create(author=ana, thread=question, body=f"@{ben.username} agreed.",
                              parent=answer)
    conversations.answer_accept(actor=asker, answer=answer)
    conversations.vote_cast(voter=ana, post=answer, kind=Vote.Kind.LIKE)
    discussion = conversations.thread_create(author=ana, space=space, kind="discussion",
                                             title="Show your kit", body="Mine first.")
    ThreadFollow.objects.create(user=ben, thread=discussion)
    conversations.post_create(author=asker, thread=discussion, body="A 20 litre kettle.")
    engagement.process_pending()

    asked = inbox(client, asker)
    assert f"{i('Ben')} answered your question “{i('Why is my stout thin?')}”" in asked
    helped = inbox(client, ben)
    for said in (f"{i('Asa Asker')} accepted your answer on “{i('Why is my stout thin?')}”",
                 f"{i('Ana')} mentioned you in “{i('Why is my stout thin?')}”",
                 f"{i('Ana')} liked your post in “{i('Why is my stout thin?')}”",
                 f"{i('Asa Asker')} replied in “{i('Show your kit')}”"):
        assert said in helped


def test_many_people_in_one_thread_make_one_row_newest_first(client, question, asker):
    helpers = [person(name) for name in ("Ben", "Cy", "Dee")]
    for helper in helpers:
        conversations.post_create(author=helper, thread=question, body=f"{helper.name} says hi")
    engagement.process_pending()

    found = rows(inbox(client, asker))
    assert len(found) == 1
    assert f"{i('Dee')} and 2 others answered your question" in found[0]
    assert "3 new" in found[0] and "3 notifications" in found[0]
    faces = re.findall(r'avatar-initials" aria-hidden="true">(\w+)<', found[0])
    assert faces == ["D", "C", "B"]  # the newest first
    assert "notice-unread" in found[0]


def test_two_people_are_named_and_five_are_counted(client, question, asker):
    ben, ana = person("Ben"), person("Ana")
    answer = conversations.post_create(author=ben, thread=question, body="Mash hotter.")
    conversations.post_create(author=ana, thread=question, body="Thanks", parent=answer)
    conversations.post_create(author=asker, thread=question, body="Thanks", parent=answer)
    for name in ("Cy", "Dee", "Eve", "Fay", "Gus"):
        conversations.vote_cast(voter=person(name), post=answer, kind=Vote.Kind.HELPFUL)
    engagement.process_pending()

    helped = inbox(client, ben)
    assert f"{i('Asa Asker')} and {i('Ana')} replied in “{i('Why is my stout thin?')}”" in helped
    assert (f"{i('Gus')} and 4 others found your answer on “{i('Why is my stout thin?')}” "
            "helpful") in helped
    assert "+2" in helped  # three faces shown, two more counted


def test_one_person_several_times_is_counted(client, question, asker):
    ben = person("Ben")
    answer = conversations.post_create(author=asker, thread=question, body="Update: still thin.")
    for body in ("Try oats.", "Or lactose.", "Or a hotter mash."):
        conversations.post_create(author=ben, thread=question, body=body, parent=answer)
    engagement.process_pending()
    found = rows(inbox(client, asker))
    assert len(found) == 1
    assert f"3 new replies from {i('Ben')} in “{i('Why is my stout thin?')}”" in found[0]


def test_kinds_of_one_thread_are_rows_of_their_own_and_the_newest_leads(client, space,
                                                                         question, asker):
    ben, ana = person("Ben"), person("Ana")
    answer = conversations.post_create(author=ben, thread=question, body="Mash hotter.")
    other = conversations.thread_create(author=asker, space=space, kind="question",
                                        title="Which yeast for a saison?", body="Ideas?")
    conversations.post_create(author=ana, thread=other, body="A French strain.")
    conversations.vote_cast(voter=ben, post=question.opening_post, kind=Vote.Kind.LIKE)
    engagement.process_pending()
    assert answer
    found = rows(inbox(client, asker))
    assert [("liked" in r, "saison" in r, "answered your question “\u2068Why" in r)
            for r in found] == [(True, False, False), (False, True, False),
                                (False, False, True)]


def test_the_bell_and_the_page_count_the_same_unread_notices(client, space, question, asker):
    ben, ana = person("Ben"), person("Ana")
    conversations.post_create(author=ben, thread=question, body="Mash hotter.")
    conversations.post_create(author=ana, thread=question, body="Add oats.")
    conversations.vote_cast(voter=ben, post=question.opening_post, kind=Vote.Kind.LIKE)
    engagement.process_pending()
    page = inbox(client, asker)
    bell = client.get(reverse("notification_bell")).content.decode()
    assert "Notifications, 3 unread" in bell
    assert "<strong>3 unread</strong>" in page and "Notifications, 3 unread" in page
    new = [int(n) if n else 1 for n in re.findall(r'class="notice-new">(?:(\d+) new|New)', page)]
    assert sum(new) == 3 and len(new) == 2  # two rows: the answers and the like
    assert "The bell counts unread notifications" in page


def test_opening_a_row_reads_the_whole_row_and_only_it(client, space, question, asker):
    for name in ("Ben", "Cy"):
        conversations.post_create(author=person(name), thread=question, body="An answer")
    conversations.vote_cast(voter=person("Dee"), post=question.opening_post,
                            kind=Vote.Kind.LIKE)
    engagement.process_pending()
    client.force_login(asker)
    newest = Notification.objects.filter(recipient=asker, kind="answer").latest("pk")
    client.get(reverse("notification_open", args=[newest.pk]))
    unread = Notification.objects.filter(recipient=asker, read_at__isnull=True)
    assert list(unread.values_list("kind", flat=True)) == ["like"]
    assert "Notifications, 1 unread" in client.get(reverse("notification_bell")).content.decode()


def test_opening_the_thread_reads_every_row_of_it(client, space, question, asker):
    elsewhere = conversations.thread_create(author=asker, space=space, kind="question",
                                            title="Which yeast?", body="Ideas?")
    for name in ("Ben", "Cy", "Dee"):
        conversations.post_create(author=person(name), thread=question, body="An answer")
    conversations.vote_cast(voter=person("Eve"), post=question.opening_post,
                            kind=Vote.Kind.LIKE)
    conversations.post_create(author=person("Fay"), thread=elsewhere, body="Saison yeast.")
    engagement.process_pending()
    assert len(rows(inbox(client, asker))) == 3
    client.get(question.get_absolute_url())
    page = inbox(client, asker)
    assert "<strong>1 unread</strong>" in page
    unread = [r for r in rows(page) if "notice-unread" in r]
    assert len(unread) == 1 and "Which yeast?" in unread[0]


def test_mark_all_read_and_the_empty_state(client, question, asker):
    assert "Nothing yet" in inbox(client, asker)
    conversations.post_create(author=person("Ben"), thread=question, body="An answer")
    engagement.process_pending()
    assert "Mark all read" in inbox(client, asker)
    response = client.post(reverse("notifications_read_all"), follow=True)
    page = response.content.decode()
    assert "Marked 1 notification as read." in page and "All read" in page
    assert "notice-unread" not in page and "Mark all read" not in page


def _many(recipient, threads, actors, per_thread):
    """``threads`` threads, each with ``per_thread`` replies from ``actors`` people."""
    from django.utils import timezone

    space = factories.SpaceFactory()
    people = [factories.UserFactory() for _ in range(actors)]
    now = timezone.now()
    made = Thread.objects.bulk_create([
        Thread(space=space, author=recipient, title=f"Thread {n}", slug=f"thread-{n}",
               created_at=now, last_activity_at=now) for n in range(threads)])
    notices = []
    for n, thread in enumerate(made):
        for k in range(per_thread):
            notices.append(Notification(recipient=recipient, kind="reply", thread=thread,
                                        actor=people[(n + k) % actors]))
    Notification.objects.bulk_create(notices)


def test_the_page_costs_the_same_for_three_notices_or_three_hundred(client):
    few, many = factories.UserFactory(), factories.UserFactory()
    _many(few, threads=1, actors=1, per_thread=3)
    _many(many, threads=30, actors=40, per_thread=10)
    url, second = reverse("notifications"), reverse("notifications") + "?page=2"
    client.force_login(few)
    small = {"inbox": budgets.queries(client, url)}
    client.force_login(many)
    large = {"inbox": budgets.queries(client, url)}
    budgets.assert_flat(small, large)  # pinned: at most budgets.BUDGET, and no growth
    assert budgets.queries(client, second) <= budgets.BUDGET
    page, older = inbox(client, many), inbox(client, many, page=2)
    assert len(rows(page)) == 20 and 'rel="next"' in page
    assert len(rows(older)) == 10 and "Thread 0" in older
    assert "and 9 others replied in" in page
