"""The host dashboard on an imported history: advocates counted as on the Advocates page,
an "all time" period, the brand-dominated threads listed, shares that never round to 100%,
and the unanswered tab past its end."""
import html
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from community.engine import scoring
from community.host import dashboard
from community.models import Post, Thread, User
from community.selectors.advocates import advocates_page
from community.services import conversations as svc
from community.templatetags.community import percent
from community.views.host import DOMINATED_PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

Q, D = Thread.Kind.QUESTION, Thread.Kind.DISCUSSION


def text(response) -> str:
    return html.unescape(response.content.decode())


def ask(author, space, *, kind=Q, at=None, title="Which yeast?"):
    return svc.thread_create(author=author, space=space, kind=kind, title=title, body="?",
                             created_at=at)


def say(author, thread, *, hours=1.0):
    return svc.post_create(author=author, thread=thread, body="!",
                           created_at=thread.created_at + timedelta(hours=hours))


@pytest.fixture
def helped(db):
    """A asks twice; U (later an unclaimed imported account) answers both, and A accepts
    one; B finds it helpful; staff answers too; A answers their own question."""
    space = factories.SpaceFactory()
    host, a, b, u = (factories.HostFactory(), factories.UserFactory(),
                     factories.UserFactory(display_name="Ulla Unclaimed"),
                     factories.UserFactory(display_name="Una Imported"))
    # a day ago, so the answers hours later are in the past at any hour of the day (late in
    # the evening they fell after the period's last day)
    at = timezone.now() - timedelta(days=1)
    first, second = ask(a, space, at=at), ask(a, space, at=at, title="Which hops?")
    accepted = say(u, first)
    svc.answer_accept(actor=a, answer=accepted)
    svc.vote_cast(voter=b, post=accepted, kind="helpful")
    say(u, second, hours=2)
    say(host, second)
    say(a, second, hours=3)
    say(b, ask(u, space, at=at, title="Which malt?"))
    User.objects.filter(pk=u.pk).update(is_unclaimed=True)  # as an import leaves them
    scoring.rescore_members()
    return {"host": host, "a": a, "b": b, "u": u}


def test_advocates_on_the_dashboard_agree_with_the_advocates_page(client, helped):
    """Unclaimed imported members' answers count on the dashboard as on the Advocates
    page: the same people in the same order with the same figures."""
    u = User.objects.get(pk=helped["u"].pk)
    assert (u.help_answers, u.help_accepted, u.help_helpful) == (2, 1, 1)
    period_rows = dashboard.advocates(dashboard.Period())
    stored = advocates_page(page=1).members
    assert [row["member"].pk for row in period_rows] == [m.pk for m in stored]
    for row, member in zip(period_rows, stored, strict=True):
        assert (row["answers"], row["accepted"], row["helpful"], row["invites"]) == (
            member.help_answers, member.help_accepted, member.help_helpful,
            member.help_invites)
        assert row["score"] == member.peer_help
    assert period_rows[0]["member"] == u
    assert helped["host"] not in [row["member"] for row in period_rows]

    client.force_login(helped["host"])
    page = text(client.get(reverse("host_dashboard")))
    advocates = page.split('id="advocates-heading"', 1)[1].replace("<bdi>", "").replace(
        "</bdi>", "")
    assert "Una Imported</a> <span class=\"muted\">2 peer answers, 1 accepted, 1 helpful vote" \
        in advocates
    assert "Ulla Unclaimed</a> <span class=\"muted\">1 peer answer, 0 accepted" in advocates


@pytest.fixture
def history(db):
    """Two years ago: a question answered by a peer; nothing since."""
    space = factories.SpaceFactory()
    host, a, b = factories.HostFactory(), factories.UserFactory(), factories.UserFactory()
    then = timezone.now() - timedelta(days=730)
    question = ask(a, space, at=then)
    say(b, question)
    return {"host": host, "then": then}


def test_an_empty_period_on_a_site_with_history_points_to_all_time(client, history):
    client.force_login(history["host"])
    quiet = text(client.get(reverse("host_dashboard")))
    assert "Nothing was posted in this period." in quiet
    assert f"history starts on {history['then']:%-d %b %Y}" in quiet
    assert 'href="?days=all">see all time</a>' in quiet

    everything = text(client.get(reverse("host_dashboard"), {"days": "all"}))
    assert "Nothing was posted in this period." not in everything
    assert f"All time</strong>: from {history['then']:%-d %b %Y}" in everything
    assert "2 of 2 posts by members" in everything
    assert 'value="all" selected' in everything


def test_a_new_site_shows_no_pointer_to_history(client, db):
    client.force_login(factories.HostFactory())
    assert "Nothing was posted" not in text(client.get(reverse("host_dashboard")))
    assert "Nothing was posted" not in text(client.get(reverse("host_dashboard"),
                                                       {"days": "all"}))


def test_the_brand_dominated_count_links_to_the_threads(client, db,
                                                         django_assert_max_num_queries):
    space = factories.SpaceFactory(name="Brewing classes")
    host, member = factories.HostFactory(), factories.UserFactory()
    dominated = []
    for n in range(DOMINATED_PAGE_SIZE + 1):
        thread = ask(host, space, kind=D, title=f"Lesson {n}",
                     at=timezone.now() - timedelta(hours=100 - n))
        say(host, thread), say(member, thread, hours=2)
        dominated.append(thread)
    talk = ask(member, space, kind=D, title="Members talking")
    say(host, talk), say(member, talk, hours=2)

    client.force_login(host)
    page = text(client.get(reverse("host_dashboard"), {"days": "7"}))
    listing = reverse("host_dominated") + "?days=7"
    assert f'<a href="{listing}">{DOMINATED_PAGE_SIZE + 1}</a>' in page

    with django_assert_max_num_queries(8):
        first = text(client.get(listing))
    assert f'href="{dominated[-1].get_absolute_url()}">Lesson {DOMINATED_PAGE_SIZE}</a>' in first
    assert "Members talking" not in first and "Lesson 0<" not in first
    assert 'rel="next" href="?days=7&page=2"' in first
    second = text(client.get(listing + "&page=2"))
    assert f'href="{dominated[0].get_absolute_url()}">Lesson 0</a>' in second
    past = text(client.get(listing + "&page=3"))
    assert "No more threads" in past
    assert client.get(reverse("host_dominated")).status_code == 200
    client.force_login(member)
    assert client.get(listing).status_code == 403


@pytest.mark.parametrize("share, shown", [
    (None, "–"), (0, "0%"), (1, "100%"), (0.5833, "58%"), (0.995, "99.5%"),
    (0.9999, "99.9%"), (0.994, "99%"), (0.004, "0.4%"), (0.00001, "0.1%"), (0.005, "1%"),
])
def test_shares_never_round_to_all_or_nothing(share, shown):
    assert percent(share) == shown


def test_the_dashboard_shows_199_of_200_as_99_5_percent(client, db):
    space = factories.SpaceFactory()
    host, member = factories.HostFactory(), factories.UserFactory()
    thread = ask(member, space, kind=D)
    now = timezone.now()
    Post.objects.bulk_create([
        Post(thread=thread, kind=Post.Kind.REPLY, author=host if n == 0 else member,
             author_role=Post.Role.STAFF if n == 0 else Post.Role.MEMBER, position=n + 2,
             body="!", body_html="<p>!</p>", created_at=now)
        for n in range(199)])
    client.force_login(host)
    page = text(client.get(reverse("host_dashboard")))
    assert '<strong>99.5%</strong><span class="muted">199 of 200 posts by members' in page
    by_space = page.split('id="spaces-heading"', 1)[1].split("</section>", 1)[0]
    assert "<td>199</td><td>99.5%</td>" in by_space and "100%" not in by_space


def test_the_unanswered_tab_past_its_end_says_so(client, db):
    space = factories.SpaceFactory()
    ask(factories.UserFactory(), space, title="Still waiting for an answer")
    for url in (reverse("home"), reverse("space", args=[space.slug])):
        first = text(client.get(url, {"tab": "unanswered"}))
        assert "Still waiting for an answer" in first
        past = client.get(url, {"tab": "unanswered", "page": "2"})
        assert past.status_code == 200
        assert "Every question has an answer" not in text(past)
        assert "No more threads" in text(past)
        assert 'href="?tab=unanswered">Back to the first page</a>' in text(past)


def test_the_command_prints_the_90th_percentile(db):
    space = factories.SpaceFactory()
    a, b = factories.UserFactory(), factories.UserFactory()
    for hours in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11):
        say(b, ask(a, space), hours=hours)
    out = StringIO()
    call_command("community_health", stdout=out)
    lines = dict(line.split(None, 1) for line in out.getvalue().splitlines())
    assert lines["median_hours_to_first_peer_answer"].strip() == "6.000"
    assert lines["p90_hours_to_first_peer_answer"].strip() == "10.000"
