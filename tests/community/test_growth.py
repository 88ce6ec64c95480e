"""Retention and growth, on a community built by hand and counted by hand."""
import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.host.strategy import retention
from community.models import Invitation, Thread
from community.services import conversations

from .. import factories
from ..conftest import sign_in

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 17)  # a Wednesday; its week starts on Monday 15 June


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def place(db):
    host = factories.HostFactory(date_joined=at(date(2025, 1, 1)))
    space = factories.SpaceFactory(name="Brewing")
    thread = conversations.thread_create(author=host, space=space, kind=Thread.Kind.DISCUSSION,
                                         title="Say hello", body="Who are you?",
                                         created_at=at(date(2025, 12, 1)))
    return host, thread


def post(author, thread, day, hour=12):
    return conversations.post_create(author=author, thread=thread, body="Hello",
                                     created_at=at(day, hour))


def test_new_members_per_week_and_their_first_week(place):
    host, thread = place
    this_monday = date(2026, 6, 15)
    early = factories.UserFactory(date_joined=at(this_monday, 8))
    post(early, thread, this_monday + timedelta(days=2))  # within 7 days
    slow = factories.UserFactory(date_joined=at(this_monday - timedelta(days=7), 8))
    post(slow, thread, this_monday - timedelta(days=7) + timedelta(days=7, hours=1))  # too late
    factories.UserFactory(date_joined=at(this_monday - timedelta(days=6)))  # never posts
    factories.HostFactory(date_joined=at(this_monday))  # staff: not a new member
    factories.UserFactory(date_joined=at(this_monday), is_unclaimed=True)  # imported
    weeks = retention.weekly(TODAY)
    assert len(weeks) == retention.WEEKS
    assert weeks[-1]["week"] == this_monday and weeks[0]["week"] == this_monday - timedelta(
        weeks=retention.WEEKS - 1)
    assert (weeks[-1]["joined"], weeks[-1]["posted_soon"], weeks[-1]["posted_soon_share"]) == (
        1, 1, 1.0)
    assert (weeks[-2]["joined"], weeks[-2]["posted_soon"], weeks[-2]["posted_soon_share"]) == (
        2, 0, 0.0)
    assert weeks[-3]["joined"] == 0 and weeks[-3]["posted_soon_share"] is None


def test_invitations_to_joins_per_week(place):
    host, _ = place
    inviter = factories.UserFactory(date_joined=at(date(2025, 1, 1)))
    for _ in range(3):
        invitation = Invitation.objects.create(inviter=inviter, email="a@example.com")
        Invitation.objects.filter(pk=invitation.pk).update(created_at=at(date(2026, 6, 9)))
    factories.UserFactory(invited_by=inviter, date_joined=at(date(2026, 6, 10)))
    factories.UserFactory(date_joined=at(date(2026, 6, 10)))  # came by themselves
    week = retention.weekly(TODAY)[-2]
    assert week["week"] == date(2026, 6, 8)
    assert (week["invites_sent"], week["invites_joined"], week["joined"]) == (3, 1, 2)


def test_returning_members_and_cohort_retention_counted_by_hand(place):
    host, thread = place
    # The April cohort: three members. Ann posts in April, May and June; Ben in April and
    # June; Cy never. The May cohort: Dee posts in May only. A host posts every month.
    ann = factories.UserFactory(date_joined=at(date(2026, 4, 3)))
    ben = factories.UserFactory(date_joined=at(date(2026, 4, 20)))
    factories.UserFactory(date_joined=at(date(2026, 4, 28)))  # Cy
    dee = factories.UserFactory(date_joined=at(date(2026, 5, 2)))
    for day in (date(2026, 4, 10), date(2026, 5, 10), date(2026, 6, 10)):
        post(ann, thread, day)
        post(host, thread, day)
    post(ann, thread, date(2026, 6, 11))  # twice in June: still one member
    post(ben, thread, date(2026, 4, 21))
    post(ben, thread, date(2026, 6, 1))
    post(dee, thread, date(2026, 5, 3))
    figures = retention.growth(today=TODAY)
    months = {row["month"]: row for row in figures.months}
    assert (months[date(2026, 4, 1)]["active"], months[date(2026, 5, 1)]["active"],
            months[date(2026, 6, 1)]["active"]) == (2, 2, 2)
    # May: Ann was active in April too (Dee was not a member yet): 1 of April's 2.
    assert (months[date(2026, 5, 1)]["returning"], months[date(2026, 5, 1)]["returning_share"]
            ) == (1, 0.5)
    # June: Ann was active in May, Ben was not: 1 of May's 2 (Ann, Dee).
    assert (months[date(2026, 6, 1)]["returning"], months[date(2026, 6, 1)]["active_before"]
            ) == (1, 2)
    assert figures.this_month["month"] == date(2026, 6, 1)
    cohorts = {row["month"]: row for row in figures.cohorts}
    april = cohorts[date(2026, 4, 1)]
    assert april["size"] == 3
    shares = [None if c is None else (c["active"], c["share"]) for c in april["cells"]]
    assert shares[:3] == [(2, 2 / 3), (1, 1 / 3), (2, 2 / 3)]  # April, May, June
    assert shares[3:] == [None, None, None]  # months still to come
    may = cohorts[date(2026, 5, 1)]
    assert may["size"] == 1
    assert [c and c["active"] for c in may["cells"][:2]] == [1, 0]
    assert cohorts[date(2026, 1, 1)]["size"] == 0
    assert cohorts[date(2026, 1, 1)]["cells"][0]["share"] is None


@pytest.fixture
def host_client(client, place):
    sign_in(client, place[0])
    return client


def test_the_growth_page_draws_each_chart_with_its_table(host_client, place):
    _, thread = place
    today = timezone.now().astimezone(UTC).date()
    newcomer = factories.UserFactory(date_joined=timezone.now() - timedelta(hours=2))
    conversations.post_create(author=newcomer, thread=thread, body="Hi all")
    Invitation.objects.create(inviter=newcomer, email="friend@example.com")
    regular = factories.UserFactory(date_joined=at(date(2025, 1, 1)))
    post(regular, thread, today.replace(day=1) - timedelta(days=2))  # last month
    conversations.post_create(author=regular, thread=thread, body="Back again")
    page = host_client.get(reverse("host_growth")).content.decode()
    for title in ("New members per week", "Share of new members who posted within 7 days",
                  "Invitations sent and members who joined through one",
                  "Cohort retention by join month"):
        assert title in page
    assert page.count('class="columns-chart"') == 4
    assert page.count('role="img"') >= 4 and "<desc" in page
    assert f"week of {retention.week_of(today):%-d %b}: 1" in page  # the text equivalent
    assert "Month 0" in page and "heat-4" in page  # the newcomer posted in their month


def test_the_growth_page_is_empty_but_whole_on_a_new_site(host_client):
    page = host_client.get(reverse("host_growth"))
    assert page.status_code == 200
    assert "Nobody joined in these weeks." in page.content.decode()


def test_the_growth_csv_has_every_figure(host_client, place):
    _, thread = place
    newcomer = factories.UserFactory(date_joined=timezone.now() - timedelta(hours=2))
    conversations.post_create(author=newcomer, thread=thread, body="Hi all")
    response = host_client.get(reverse("host_growth_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "period", "name", "value"]
    found = {(section, name) for section, _, name, _ in rows[1:]}
    assert {("week", "joined"), ("week", "posted_soon_share"), ("week", "invites_sent"),
            ("month", "returning"), ("cohort", "size"), ("cohort", "month_0_share")} <= found
    this_week = [r for r in rows if r[0] == "week" and r[2] == "joined"][-1]
    assert this_week[3] == "1"


@pytest.mark.parametrize("url", ["host_growth", "host_growth_csv"])
def test_growth_costs_the_same_with_2_or_20_members(host_client, place, url):
    _, thread = place

    def members(n):
        for _ in range(n):
            person = factories.UserFactory(date_joined=timezone.now() - timedelta(days=3))
            conversations.post_create(author=person, thread=thread, body="Hello")

    members(2)
    host_client.get(reverse(url))
    members(1)  # a new fact: the figures are counted again on the next visit
    with CaptureQueriesContext(connection) as three:
        assert host_client.get(reverse(url)).status_code == 200
    members(17)
    with CaptureQueriesContext(connection) as twenty:
        assert host_client.get(reverse(url)).status_code == 200
    assert len(twenty) == len(three)
    with CaptureQueriesContext(connection) as again:  # no write since: kept
        assert host_client.get(reverse(url)).status_code == 200
    assert len(again) < len(twenty)
