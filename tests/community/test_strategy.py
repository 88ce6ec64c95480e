"""Initiatives on the push-to-pull spectrum: where hosts placed them, where they landed.

Every figure is checked against a community built by hand, counted by hand."""
import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.host.strategy import services
from community.host.strategy.initiatives import measure, step_of
from community.models import EngagementEvent, Initiative, Thread
from community.services import conversations, moments

from .. import factories
from ..conftest import sign_in

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _initiative(host, **values):
    fields = {"name": "Spring launch", "owner": "Email team", "starts_on": DAY,
              "ends_on": DAY + timedelta(days=6), "channel": "email", "placed": 5,
              "note": "", "thread": None, "moment": None, "product": None,
              "link_kind": "", "link_id": None} | values
    return services.initiative_create(host=host, **fields)


def _landing(initiative):
    initiative = Initiative.objects.select_related("thread", "moment", "product").get(
        pk=initiative.pk)
    return measure([initiative])[0]


@pytest.fixture
def world(db):
    host = factories.HostFactory(display_name="Hana Host")
    space = factories.SpaceFactory(name="Brewing")
    people = [factories.UserFactory(display_name=f"Member {n}") for n in range(4)]
    return host, space, people


def _announcement(host, space, title="The new kettle is here"):
    return conversations.thread_create(author=host, space=space, kind=Thread.Kind.ANNOUNCEMENT,
                                       title=title, body="Tell us what you think.",
                                       created_at=at(DAY, 9))


def test_the_five_bands_of_the_pull_share():
    assert [step_of(s) for s in (0, 0.19, 0.2, 0.39, 0.4, 0.59, 0.6, 0.79, 0.8, 1)] == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert step_of(None) is None


def test_an_initiative_whose_replies_all_go_to_the_brand_lands_at_push(world):
    host, space, people = world
    thread = _announcement(host, space)
    brand_reply = None
    for n, person in enumerate(people):  # four answers to the brand's announcement
        conversations.post_create(author=person, thread=thread, body=f"Looks great {n}",
                                  created_at=at(DAY + timedelta(days=1)))
    brand_reply = conversations.post_create(author=host, thread=thread, body="Thanks all!",
                                            created_at=at(DAY + timedelta(days=2)))
    for person in people[:2]:  # two replies to the brand's own reply
        conversations.post_create(author=person, thread=thread, body="You're welcome",
                                  parent=brand_reply, created_at=at(DAY + timedelta(days=3)))
    initiative = _initiative(host, thread=thread, placed=5)
    landing = _landing(initiative)
    assert (landing.to_brand, landing.between, landing.created, landing.peer_answers,
            landing.joined, landing.brand) == (6, 0, 0, 0, 0, 2)  # brand: opening + reply
    assert landing.pull_share == 0
    assert landing.measured == 1 and landing.gap == -4
    assert landing.sentence == ("You placed it at Create; members answered the brand 6 times "
                                "and each other 0 times: it landed at Broadcast.")


def test_members_answering_each_other_and_creating_land_at_pull(world):
    host, space, people = world
    now = timezone.now()
    moment = moments.moment_create(host=host, space=space, title="Show us your brew day",
                                   brief="Photos or stories.", opens_at=now - timedelta(days=1),
                                   closes_at=now + timedelta(days=6))
    entries = [moments.entry_create(author=p, moment=moment, text=f"My story {n}")
               for n, p in enumerate(people)]
    # Members reply to each other's entries: three replies between members.
    for a, b in ((0, 1), (1, 2), (2, 3)):
        conversations.post_create(author=people[a], thread=moment.thread, body="Lovely",
                                  parent=entries[b].post)
    today = now.astimezone(UTC).date()
    initiative = _initiative(host, moment=moment, placed=2, starts_on=today - timedelta(days=1),
                             ends_on=today + timedelta(days=1))
    landing = _landing(initiative)
    assert (landing.created, landing.between, landing.to_brand) == (4, 3, 0)
    assert landing.measured == 5 and landing.gap == 3
    assert "each other 3 times, started 4 threads or entries" in landing.sentence


def test_a_mixed_initiative_counted_by_hand(world):
    """40 answers to the brand and 3 between members: the issue's own example (push)."""
    host, space, people = world
    thread = _announcement(host, space)
    first = conversations.post_create(author=people[0], thread=thread, body="Love it",
                                      created_at=at(DAY + timedelta(days=1)))
    for n in range(39):
        conversations.post_create(author=people[n % 4], thread=thread, body=f"Reply {n}",
                                  created_at=at(DAY + timedelta(days=1), 13))
    for person in people[1:]:
        conversations.post_create(author=person, thread=thread, body="Agreed",
                                  parent=first, created_at=at(DAY + timedelta(days=2)))
    # Outside its days: neither counts.
    conversations.post_create(author=people[1], thread=thread, body="Late",
                              parent=first, created_at=at(DAY + timedelta(days=7)))
    conversations.post_create(author=people[1], thread=thread, body="Early",
                              created_at=at(DAY - timedelta(days=1)))
    landing = _landing(_initiative(host, thread=thread, placed=5))
    assert (landing.to_brand, landing.between) == (40, 3)
    assert landing.measured == 1  # 3 of 43 is 7%: Broadcast
    assert landing.sentence.startswith("You placed it at Create; members answered the brand "
                                       "40 times and each other 3 times")


def test_product_questions_peer_answers_projects_and_invited_members(world):
    host, space, people = world
    product = _product()
    asker, helper = people[0], people[1]
    question = conversations.thread_create(author=asker, space=space,
                                           kind=Thread.Kind.QUESTION, title="Does it fit?",
                                           body="On a gas hob?", created_at=at(DAY, 10))
    Thread.objects.filter(pk=question.pk).update(product=product)
    conversations.post_create(author=helper, thread=question, body="Yes it fits.",
                              created_at=at(DAY, 11))  # a peer answer
    old = conversations.thread_create(author=asker, space=space, kind=Thread.Kind.QUESTION,
                                      title="Older question", body="Before the launch",
                                      created_at=at(DAY - timedelta(days=10)))
    Thread.objects.filter(pk=old.pk).update(product=product)
    conversations.post_create(author=helper, thread=old, body="Not counted",
                              created_at=at(DAY, 12))  # opened before its days: not its own
    # A project's discussion, through the link purpose registers.
    from purpose import services as purpose_services
    from purpose.models import ProjectThread

    project = purpose_services.project_propose(author=host, title="Harvest ale", goal="One",
                                               description="Together", space=space)
    talk = conversations.thread_create(author=people[2], space=space,
                                       kind=Thread.Kind.DISCUSSION, title="Which hops?",
                                       body="Ideas?", created_at=at(DAY, 10))
    ProjectThread.objects.create(project=project, thread=talk)
    # Someone invited by a member joins during its days and replies in the discussion.
    newcomer = factories.UserFactory(invited_by=people[2], date_joined=at(DAY + timedelta(days=1)))
    conversations.post_create(author=newcomer, thread=talk, body="Cascade!",
                              created_at=at(DAY + timedelta(days=1), 15))
    landing = _landing(_initiative(host, product=product, link_kind="project",
                                   link_id=project.pk, placed=4))
    # created: the product question and the project talk; peer answer: helper's;
    # between: the newcomer's post in a member's thread; joined: the newcomer.
    assert (landing.created, landing.peer_answers, landing.between, landing.to_brand,
            landing.joined) == (2, 1, 1, 0, 1)
    assert landing.measured == 5
    assert "brought 1 invited member in" in landing.sentence


def _product():
    from community.models import Product

    return Product.objects.create(sku="K-1", name="Copper kettle", slug="copper-kettle")


def test_nothing_followed_is_not_measured(world):
    host, space, _ = world
    landing = _landing(_initiative(host, thread=_announcement(host, space)))
    assert landing.measured is None
    assert landing.sentence == ("You placed it at Create; nothing members did followed it in "
                                "its days yet.")


# Pages ----------------------------------------------------------------------------------


@pytest.fixture
def host_client(client, world):
    sign_in(client, world[0])
    return client


def test_the_strategy_page_shows_placed_and_measured_with_a_table(host_client, world):
    host, space, people = world
    thread = _announcement(host, space)
    for person in people:
        conversations.post_create(author=person, thread=thread, body="Nice",
                                  created_at=at(DAY + timedelta(days=1)))
    _initiative(host, thread=thread, name="Kettle launch mail")
    page = host_client.get(reverse("host_strategy")).content.decode()
    assert 'class="spectrum-chart"' in page and 'role="img"' in page
    assert "Kettle launch mail: placed at Create, landed at Broadcast" in page  # the desc
    assert ("You placed it at Create; members answered the brand 4 times and each other "
            "0 times: it landed at Broadcast.") in page
    assert f'Thread: <a href="{thread.get_absolute_url()}">The new kettle is here</a>' in page


def test_the_strategy_page_is_empty_before_any_initiative(host_client):
    page = host_client.get(reverse("host_strategy")).content.decode()
    assert "No initiatives yet" in page
    assert "spectrum-chart" not in page


def _many(host, space, n, product=None):
    for k in range(n):
        thread = _announcement(host, space, title=f"Launch {k}")
        _initiative(host, name=f"Initiative {k}", thread=thread,
                    product=product if k % 2 else None)


@pytest.mark.parametrize("url", ["host_strategy", "strategy_worksheet", "strategy_csv"])
def test_strategy_pages_cost_the_same_with_2_or_20_initiatives(
        host_client, world, url, django_assert_num_queries):
    host, space, people = world
    product = _product()
    _many(host, space, 2, product)
    conversations.post_create(author=people[0], thread=Thread.objects.first(), body="Hi",
                              created_at=at(DAY))
    host_client.get(reverse(url))  # warm the session and site settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A write first, so that kept figures are counted again: the cost of a count.
    conversations.post_create(author=people[1], thread=Thread.objects.first(), body="Yo",
                              created_at=at(DAY))
    with CaptureQueriesContext(connection) as two:
        assert host_client.get(reverse(url)).status_code == 200
    _many(host, space, 18, product)
    with CaptureQueriesContext(connection) as twenty:
        assert host_client.get(reverse(url)).status_code == 200
    assert len(twenty) == len(two), [q["sql"][:120] for q in twenty.captured_queries]
    with CaptureQueriesContext(connection) as again:  # nothing written since
        assert host_client.get(reverse(url)).status_code == 200
    assert len(again) <= len(twenty)
    if url == "host_strategy":
        assert len(again) < len(twenty)  # where they landed is kept until the next event


def test_a_host_adds_edits_deletes_and_undoes_an_initiative(host_client, world):
    host, space, _ = world
    thread = _announcement(host, space)
    response = host_client.post(reverse("initiative_create"), {
        "name": "Brew-along", "owner": "Community team", "starts_on": "2 Mar 2026",
        "ends_on": "2026-03-08", "channel": "community", "placed": "4",
        "thread": str(thread.pk), "moment": "", "product": "", "link": "", "note": ""})
    assert response.status_code == 302
    made = Initiative.objects.get()
    assert (made.name, made.placed, made.thread_id, made.created_by) == (
        "Brew-along", 4, thread.pk, host)
    edit = reverse("initiative_edit", args=[made.pk])
    assert "Brew-along" in host_client.get(edit).content.decode()
    response = host_client.post(edit, {
        "name": "Brew-along weekend", "owner": "", "starts_on": "2026-03-02",
        "ends_on": "2026-03-09", "channel": "community", "placed": "5",
        "thread": "", "moment": "", "product": "", "link": "", "note": "Two days"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.name, made.placed, made.thread_id, made.note) == (
        "Brew-along weekend", 5, None, "Two days")
    response = host_client.post(reverse("initiative_delete", args=[made.pk]))
    assert response.status_code == 302 and f"deleted={made.pk}" in response["Location"]
    page = host_client.get(response["Location"]).content.decode()
    assert "“Brew-along weekend” is deleted." in page and "Undo" in page
    assert "No initiatives yet" in page
    host_client.post(reverse("initiative_restore", args=[made.pk]))
    assert "Brew-along weekend" in host_client.get(reverse("host_strategy")).content.decode()
    actions = list(EngagementEvent.objects.filter(kind="initiative_saved")
                   .values_list("payload__action", flat=True))
    assert actions == ["created", "edited", "deleted", "restored"]


def test_bad_input_is_a_form_error_not_a_500(host_client, world):
    base = {"name": "Launch", "owner": "", "channel": "email", "placed": "3", "thread": "",
            "moment": "", "product": "", "link": "", "note": ""}
    response = host_client.post(reverse("initiative_create"), {
        **base, "starts_on": "2026-03-09", "ends_on": "2026-03-02"})
    assert response.status_code == 400
    assert "The last day comes on or after the first day." in response.content.decode()
    response = host_client.post(reverse("initiative_create"), {
        **base, "starts_on": "yesterday", "ends_on": "2026-03-02", "placed": "9",
        "thread": "999999", "link": "project:nope"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Write the day as 1 Dec 2026 or 2026-12-01." in text
    assert "Select a valid choice" in text
    assert not Initiative.objects.exists()
    assert host_client.get(reverse("initiative_edit", args=[12345])).status_code == 404


def test_the_worksheet_saves_several_rows_at_once_or_none(host_client, world):
    host, space, _ = world
    existing = _initiative(host, name="Old name", placed=1)
    page = host_client.get(reverse("strategy_worksheet")).content.decode()
    assert 'value="Old name"' in page
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "200"}

    def row(i, **values):
        base = {"id": "", "name": "", "owner": "", "starts_on": "", "ends_on": "",
                "channel": "community", "placed": "3", "thread": "", "moment": "",
                "product": "", "link": ""}
        return {f"form-{i}-{k}": v for k, v in (base | values).items()}

    data |= row(0, id=str(existing.pk), name="New name", starts_on="2026-03-02",
                ends_on="2026-03-08", channel="email", placed="2")
    data |= row(1, name="Instagram brew-off", owner="Social", starts_on="2026-04-01",
                ends_on="2026-04-30", channel="social", placed="4")
    data |= row(2)  # blank: skipped
    bad = data | {"form-1-ends_on": "2026-03-01"}
    response = host_client.post(reverse("strategy_worksheet"), bad)
    assert response.status_code == 400
    assert "The last day comes on or after the first day." in response.content.decode()
    assert 'value="Instagram brew-off"' in response.content.decode()  # the text is kept
    existing.refresh_from_db()
    assert existing.name == "Old name" and Initiative.objects.count() == 1
    response = host_client.post(reverse("strategy_worksheet"), data)
    assert response.status_code == 302
    existing.refresh_from_db()
    assert (existing.name, existing.placed, existing.channel) == ("New name", 2, "email")
    assert Initiative.objects.filter(name="Instagram brew-off", placed=4).exists()
    assert Initiative.objects.count() == 2
    assert EngagementEvent.objects.filter(kind="initiative_saved").count() == 3


def test_the_worksheet_refuses_a_row_that_is_not_on_it(host_client, world):
    host, _, _ = world
    gone = _initiative(host, name="Deleted one")
    services.initiative_delete(host=host, initiative=gone)
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "200", "form-0-id": str(gone.pk), "form-0-name": "Back",
            "form-0-starts_on": "2026-03-02", "form-0-ends_on": "2026-03-03",
            "form-0-channel": "email", "form-0-placed": "2"}
    response = host_client.post(reverse("strategy_worksheet"), data)
    assert response.status_code == 400
    assert "was deleted meanwhile: nothing was saved" in response.content.decode()
    assert Initiative.objects.count() == 1
    gone.refresh_from_db()
    assert gone.name == "Deleted one" and gone.deleted_at is not None


def test_the_csv_has_placed_measured_and_the_figures(host_client, world):
    host, space, people = world
    thread = _announcement(host, space)
    conversations.post_create(author=people[0], thread=thread, body="Nice",
                              created_at=at(DAY + timedelta(days=1)))
    _initiative(host, thread=thread, name="=cmd()")
    response = host_client.get(reverse("strategy_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["name"] == "'=cmd()"  # never a formula in a spreadsheet
    assert (row["placed"], row["placed_step"], row["measured"], row["measured_step"],
            row["replies_to_brand"], row["replies_between_members"]) == (
        "5", "Create", "1", "Broadcast", "1", "0")
    assert row["links"] == "Thread: The new kettle is here"


def test_only_hosts_write(world):
    from django.core.exceptions import PermissionDenied

    _, _, people = world
    with pytest.raises(PermissionDenied):
        _initiative(people[0])


def test_a_partner_offer_is_a_link_partners_register(host_client, world):
    """Community never imports partners: the offer reaches the form and the measure through
    the link kind partners registers."""
    from partners import services as partner_services

    host, space, people = world
    organisation = factories.OrganisationFactory(name="Northfield Hop Farm")
    partner = factories.PartnerFactory(organisation=organisation)
    offer = partner_services.partner_publish(author=partner, organisation=organisation,
                                             kind="offer", space=space,
                                             title="10% off fresh hops", body="This week.")
    page = host_client.get(reverse("initiative_create")).content.decode()
    assert '<optgroup label="Partner offers">' in page
    assert f'value="offer:{offer.pk}"' in page and "Northfield Hop Farm: 10% off fresh hops" in page
    today = timezone.now().astimezone(UTC).date()
    response = host_client.post(reverse("initiative_create"), {
        "name": "Hop harvest offer", "owner": "", "starts_on": today.isoformat(),
        "ends_on": today.isoformat(), "channel": "partner", "placed": "3", "thread": "",
        "moment": "", "product": "", "link": f"offer:{offer.pk}", "note": ""})
    assert response.status_code == 302
    made = Initiative.objects.get()
    assert (made.link_kind, made.link_id) == ("offer", offer.pk)
    first = conversations.post_create(author=people[0], thread=offer.thread, body="Ordered!")
    conversations.post_create(author=people[1], thread=offer.thread, body="Me too",
                              parent=first)
    landing = _landing(made)
    # The offer's thread was opened by a partner (a member here): both posts are between
    # members.
    assert (landing.between, landing.to_brand) == (2, 0)
    page = host_client.get(reverse("host_strategy")).content.decode()
    assert f'Partner offers: <a href="{offer.thread.get_absolute_url()}">' in page


def test_the_strategy_page_pages_its_initiatives(host_client, world):
    from community.views.strategy import PAGE_SIZE

    host, _, _ = world
    for n in range(PAGE_SIZE + 1):  # the oldest starts first: it is on page 2
        _initiative(host, name=f"Campaign {n:02d}", starts_on=DAY + timedelta(days=n),
                    ends_on=DAY + timedelta(days=n))
    first = host_client.get(reverse("host_strategy")).content.decode()
    assert f"Campaign {PAGE_SIZE:02d}" in first and "Campaign 00" not in first
    assert 'rel="next"' in first
    second = host_client.get(reverse("host_strategy") + "?page=2").content.decode()
    assert "Campaign 00" in second and f"Campaign {PAGE_SIZE:02d}" not in second
    assert host_client.get(reverse("host_strategy") + "?page=x").status_code == 200


def test_a_save_over_a_teammates_newer_one_is_refused(host_client, world):
    """Two hosts open the worksheet; the first saves a new name; the second's save of the
    page they opened before would undo it, so it is refused and the new name stays."""
    import re

    host, _, _ = world
    row = _initiative(host, name="Launch")
    opened = host_client.get(reverse("strategy_worksheet")).content.decode()
    version = re.search(r'name="form-0-version" value="([^"]+)"', opened).group(1)
    services.initiative_edit(host=factories.HostFactory(), initiative=row, name="Launch week")
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "200", "form-0-id": str(row.pk), "form-0-version": version,
            "form-0-name": "Launch", "form-0-owner": "Email team",
            "form-0-starts_on": DAY.isoformat(), "form-0-ends_on": row.ends_on.isoformat(),
            "form-0-channel": "email", "form-0-placed": "4"}
    response = host_client.post(reverse("strategy_worksheet"), data)
    assert response.status_code == 400
    assert "Someone saved this initiative after you opened this page" in (
        response.content.decode())
    row.refresh_from_db()
    assert (row.name, row.placed) == ("Launch week", 5)
    edit = host_client.get(reverse("initiative_edit", args=[row.pk])).content.decode()
    fresh = re.search(r'name="version" value="([^"]+)"', edit).group(1)
    response = host_client.post(reverse("initiative_edit", args=[row.pk]), {
        "version": fresh, "name": "Launch week", "owner": "", "starts_on": DAY.isoformat(),
        "ends_on": row.ends_on.isoformat(), "channel": "email", "placed": "4"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.placed == 4


def test_the_strategy_page_shows_a_new_reply_in_an_initiatives_thread_at_once(
        host_client, world):
    import html

    host, space, people = world
    thread = _announcement(host, space)
    _initiative(host, thread=thread)
    conversations.post_create(author=people[0], thread=thread, body="Nice",
                              created_at=at(DAY, 10))

    def shown():
        return html.unescape(host_client.get(reverse("host_strategy")).content.decode())

    assert "answered the brand once" in shown() or "answered the brand 1 time" in shown()
    first = thread.posts.exclude(author=host).first()
    conversations.post_create(author=people[1], thread=thread, body="Agreed", parent=first,
                              created_at=at(DAY, 11))
    assert "each other once" in shown() or "each other 1 time" in shown()
