"""Community-health figures against a community whose answers were counted by hand."""
import csv
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from community.host import dashboard
from community.models import Thread
from community.services import conversations as svc
from tests import factories

Q, D = Thread.Kind.QUESTION, Thread.Kind.DISCUSSION


@pytest.fixture
def community(db):
    """Five questions and three discussions two days ago, one old question, two invites.

    Q1 (asked by A): staff answers at +1h, B at +3h; A accepts B's answer.
    Q2 (A): A answers their own question at +1h, C at +5h; A accepts their own answer.
    Q3 (B): a partner answers at +2h.
    Q4 (C): B answers and deletes it; A replies to the question (a reply, not an answer).
    Q5 (staff asks): A answers at +10h.
    D1 (staff): staff, staff, A reply: 4 posts, 3 by staff -> brand-dominated.
    D2 (A): staff and B reply: 3 posts, 1 by staff.
    D3 (staff): A replies: 2 posts, too few to judge.
    Old (A, 60 days ago): B answers at once.
    """
    space = factories.SpaceFactory()
    h, a, b, c = (factories.HostFactory(), factories.UserFactory(), factories.UserFactory(),
                  factories.UserFactory())
    p = factories.PartnerFactory()
    t0 = timezone.now() - timedelta(days=2)

    def ask(author, kind=Q, at=t0, title="Question"):
        return svc.thread_create(author=author, space=space, kind=kind, title=title, body="?",
                                 created_at=at)

    def say(author, thread, hours, parent=None):
        return svc.post_create(author=author, thread=thread, body="!", parent=parent,
                               created_at=thread.created_at + timedelta(hours=hours))

    q1 = ask(a)
    say(h, q1, 1)
    svc.answer_accept(actor=a, answer=say(b, q1, 3))
    q2 = ask(a)
    svc.answer_accept(actor=a, answer=say(a, q2, 1))
    say(c, q2, 5)
    q3 = ask(b)
    say(p, q3, 2)
    q4 = ask(c)
    svc.post_delete(actor=b, post=say(b, q4, 1))
    say(a, q4, 2, parent=q4.opening_post)
    q5 = ask(h)
    say(a, q5, 10)
    d1 = ask(h, D)
    say(h, d1, 1), say(h, d1, 2), say(a, d1, 3)
    d2 = ask(a, D)
    say(h, d2, 1), say(b, d2, 2)
    d3 = ask(h, D)
    say(a, d3, 1)
    old = ask(a, at=timezone.now() - timedelta(days=60))
    say(b, old, 0.5)
    factories.InvitationFactory(inviter=a)
    factories.InvitationFactory(inviter=a)
    factories.UserFactory(invited_by=a)
    return {"space": space, "host": h, "a": a, "b": b, "c": c, "partner": p}


def recent():
    return dashboard.Period.last_days(7)


def test_hand_counted_figures(community, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        figures = dashboard.health(recent())
    assert {k: figures[k] for k in dashboard.CLI_KEYS} == {
        "posts": 21, "member_posts": 14, "staff_posts": 7, "social_ratio": pytest.approx(2 / 3),
        "questions": 5, "answered_questions": 4, "peer_answered_questions": 2,
        "peer_answer_share": 0.5, "accepted_questions": 2, "peer_accepted_questions": 1,
        "accepted_peer_share": 0.5,
        "median_hours_to_first_peer_answer": pytest.approx(4.0),  # of 2, 3, 5 and 10 hours
        "p90_hours_to_first_peer_answer": pytest.approx(8.5),
        "brand_dominated_threads": 1, "unanswered_questions": 1,
        "invites_sent": 2, "invites_joined": 1,
    }
    assert figures["joined_per_inviter"] == 1.0


def test_the_whole_history_includes_the_old_question(community):
    figures = dashboard.health(dashboard.Period())
    assert (figures["posts"], figures["questions"], figures["peer_answered_questions"]) == (
        23, 6, 3)
    # Five peer delays now: 0.5, 2, 3, 5, 10 -> the middle one.
    assert figures["median_hours_to_first_peer_answer"] == pytest.approx(3.0)


def test_an_empty_period_has_no_ratios(db):
    figures = dashboard.cli_health(dashboard.Period.last_days(7))
    assert figures["posts"] == 0 and figures["social_ratio"] is None
    assert figures["peer_answer_share"] is None and figures["accepted_peer_share"] is None
    assert figures["median_hours_to_first_peer_answer"] is None


def test_command_prints_one_json_object_with_the_documented_keys(community):
    out = StringIO()
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    call_command("community_health", "--json", "--since", since, stdout=out)
    printed = json.loads(out.getvalue())
    assert list(printed) == list(dashboard.CLI_KEYS)
    assert printed["posts"] == 21 and printed["social_ratio"] == pytest.approx(2 / 3)

    out = StringIO()
    call_command("community_health", "--json", stdout=out)
    assert json.loads(out.getvalue())["questions"] == 6


@pytest.mark.parametrize("args, message", [
    (["--since", "yesterday"], "is not a date"),
    (["--since", "2026-02-01", "--until", "2026-01-01"], "must not be after"),
])
def test_command_refuses_bad_dates_in_one_sentence(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("community_health", "--json", *args)


def test_spaces_warn_where_the_brand_does_the_talking(community):
    brand_only = factories.SpaceFactory(name="Brewing classes")
    host = community["host"]
    for n in range(2):
        thread = svc.thread_create(author=host, space=brand_only, kind=D, title=f"Lesson {n}",
                                   body="Listen.")
        svc.post_create(author=host, thread=thread, body="And more.")
    rows = {row["name"]: row for row in dashboard.spaces(recent())}
    assert rows["Brewing classes"]["brand_talks"] and rows["Brewing classes"]["posts"] == 4
    assert not rows[community["space"].name]["brand_talks"]


def test_trends_by_day_and_advocates(community):
    days = dashboard.trends(recent())
    assert sum(day["posts"] for day in days) == 21
    top = dashboard.advocates(recent())
    # A: peer answers on Q5 (A's own Q2 answer is not help) -> 3; B: Q1 answer (3) +
    # accepted (10) = 13; the partner's answer on Q3 (3); C: Q2 answer (3).
    assert top[0]["member"] == community["b"] and top[0]["score"] == 13
    assert community["host"] not in [row["member"] for row in top]


def test_dashboard_shows_figures_charts_and_the_brand_warning(client, community):
    brand_only = factories.SpaceFactory(name="Brewing classes")
    host = community["host"]
    for n in range(3):
        svc.thread_create(author=host, space=brand_only, kind=D, title=f"Lesson {n}",
                          body="Listen.")
    client.force_login(host)
    page = client.get(reverse("host_dashboard"), {"days": 7}).content.decode()
    assert "58%" in page and "14 of 24 posts by members" in page
    assert "Brewing classes: you are teaching a class, not hosting a party." in page
    assert "<svg" in page and "Peer answer share over time" in page
    assert community["b"].name in page  # top advocate

    bad = client.get(reverse("host_dashboard"), {"since": "2026-03-01", "until": "2026-01-01"})
    assert bad.status_code == 200
    assert "The first day must not be after the last day." in bad.content.decode()


def test_whole_community_warning_and_csv(client, db):
    host = factories.HostFactory()
    space = factories.SpaceFactory()
    thread = svc.thread_create(author=host, space=space, kind=D, title="Hello", body="Hi")
    svc.post_create(author=factories.UserFactory(), thread=thread, body="Hey")
    svc.post_create(author=host, thread=thread, body="Welcome!")
    client.force_login(host)
    page = client.get(reverse("host_dashboard")).content.decode()
    assert "You are teaching a class, not hosting a party." in page

    response = client.get(reverse("host_dashboard_csv"), {"days": 30})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(response.content.decode().splitlines()))
    assert ["community", "posts", "3"] in rows and ["community", "staff_posts", "2"] in rows


def test_csv_neutralises_formula_names(client, db):
    host = factories.HostFactory()
    space = factories.SpaceFactory(name='=HYPERLINK("http://evil")')
    svc.thread_create(author=host, space=space, kind=D, title="Hello", body="Hi")
    client.force_login(host)
    body = client.get(reverse("host_dashboard_csv")).content.decode()
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body
