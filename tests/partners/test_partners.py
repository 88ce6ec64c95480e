"""Partner organisations: applying, verifying, their people, co-created content with members
who accept, staff approval when the site asks for it, insights, and the boundaries."""
import pytest
from django.core import mail
from django.urls import reverse

from community.engine import engagement
from community.models import CommunitySettings, EngagementEvent, Notification, Post, Thread
from community.services import conversations
from partners import services
from partners.events import Notice
from partners.models import CoAuthor, Organisation, PartnerMembership, PartnerPost

from .. import factories
from ..conftest import links_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory(name="Northfield Hop Farm")


@pytest.fixture
def admin(organisation):
    return factories.PartnerFactory(display_name="Pia Partner", organisation=organisation)


@pytest.fixture
def space(db):
    return factories.SpaceFactory(name="Recipes")


def _apply(client, **extra):
    data = {"name": "Riverside Maltings", "description": "Floor-malted barley since 1870.",
            "homepage": "https://riverside.example", "links": "https://shop.riverside.example",
            "note": "We want to teach malting.", **extra}
    return client.post(reverse("partners:apply"), data)


def _publish(client, organisation, space, follow=False, **extra):
    data = {"kind": "howto", "space": space.pk, "title": "Malting barley at home",
            "body": "Steep, germinate, kiln.", "nonce": extra.pop("nonce", "p1"), **extra}
    return client.post(reverse("partners:publish", args=[organisation.slug]), data,
                       follow=follow)


def test_an_organisation_applies_and_a_host_verifies_or_declines(client_as, member, host,
                                                                other_member):
    client = client_as(member)
    response = _apply(client)
    organisation = Organisation.objects.get(name="Riverside Maltings")
    assert response.url == organisation.get_absolute_url()
    assert organisation.status == Organisation.Status.APPLIED
    assert PartnerMembership.objects.get(organisation=organisation).user == member
    assert "A host is reviewing" in client.get(response.url).content.decode()
    # Not public yet; the same name (any case) cannot apply twice; the text stays.
    assert client_as(other_member).get(organisation.get_absolute_url()).status_code == 404
    response = _apply(client_as(other_member), name="riverside MALTINGS",
                      description="Our own words")
    assert response.status_code == 400
    assert "An organisation with this name already exists." in response.content.decode()
    assert "Our own words" in response.content.decode()

    # Members cannot decide; a host must give a reason to decline.
    decide = reverse("partners:decide", args=[organisation.slug])
    assert client_as(member).post(decide, {"decision": "verify"}).status_code == 403
    client = client_as(host)
    assert "Riverside Maltings" in client.get(reverse("partners:review")).content.decode()
    response = client.post(decide, {"decision": "decline"}, follow=True)
    assert "Say why the application is declined" in response.content.decode()
    client.post(decide, {"decision": "decline", "reason": "We only partner with farms."})
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.DECLINED
    engagement.process_pending()
    notice = Notification.objects.get(recipient=member, kind=Notice.PARTNER)
    assert "We only partner with farms." in notice.message

    client.post(decide, {"decision": "verify"})
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.VERIFIED
    page = client_as(other_member).get(organisation.get_absolute_url()).content.decode()
    assert "Verified partner" in page and "https://shop.riverside.example" in page
    assert "Riverside Maltings" in client.get(reverse("partners:organisations")).content.decode()


def test_publishing_while_unverified_is_refused_and_nothing_is_made(client_as, member, space):
    services.organisation_apply(user=member, name="Pending Co", description="New")
    organisation = Organisation.objects.get(name="Pending Co")
    response = _publish(client_as(member), organisation, space, follow=True)
    assert "not verified yet" in response.content.decode()
    assert not PartnerPost.objects.exists() and not Thread.objects.exists()


def test_an_admin_invites_a_colleague_who_gets_the_role_for_that_organisation_only(
        client_as, organisation, admin, member, other_member, space,
        django_capture_on_commit_callbacks):
    other_org = factories.OrganisationFactory(name="Other Farm")
    colleague = factories.UserFactory(email="colleague@northfield.example",
                                      display_name="Cole League")
    client = client_as(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partners:people", args=[organisation.slug]),
                    {"email": "colleague@northfield.example"})
    message = next(m for m in mail.outbox if "colleague@northfield.example" in m.to)
    link = next(u for u in links_in(message) if "/partners/join/" in u)
    path = link[link.index("/partners/join/"):]

    # Someone else following the link is told it is not theirs, and gets nothing.
    response = client_as(member).get(path)
    assert "sent to another email address" in response.content.decode()
    assert client_as(member).post(path).status_code == 400
    assert not PartnerMembership.objects.filter(user=member).exists()

    client = client_as(colleague)
    response = client.post(path)
    assert response.url == organisation.get_absolute_url()
    membership = PartnerMembership.objects.get(user=colleague)
    assert membership.organisation == organisation and not membership.is_admin
    response = client.post(path)
    assert response.status_code == 400
    assert "already been used" in response.content.decode()

    # The role is for this organisation only.
    assert client.get(reverse("partners:publish", args=[organisation.slug])).status_code == 200
    assert client.get(reverse("partners:publish", args=[other_org.slug])).status_code == 403
    assert client.get(reverse("partners:people", args=[organisation.slug])).status_code == 403

    # Removed: the next request has no partner role left.
    client_as(admin).post(reverse("partners:person_remove",
                                  args=[organisation.slug, colleague.username]))
    response = client_as(colleague).get(reverse("partners:publish", args=[organisation.slug]))
    assert response.status_code == 403
    assert _publish(client_as(colleague), organisation, space, nonce="p9").status_code == 403


def test_the_last_admin_cannot_leave_and_partners_never_see_member_emails(
        client_as, organisation, admin, member, space):
    response = client_as(admin).post(reverse("partners:person_remove",
                                             args=[organisation.slug, admin.username]),
                                     follow=True)
    assert "needs an admin" in response.content.decode()
    services.partner_publish(author=admin, organisation=organisation, kind="howto",
                             space=space, title="A how-to with a member", body="Steps",
                             coauthors=[member])
    conversations.post_create(author=member, thread=Thread.objects.get(), body="Thanks!")
    client = client_as(admin)
    for url in (organisation.get_absolute_url(),
                reverse("partners:insights", args=[organisation.slug]),
                reverse("partners:people", args=[organisation.slug]),
                Thread.objects.get().get_absolute_url()):
        assert member.email not in client.get(url).content.decode(), url


def test_co_authors_are_invited_and_credited_only_once_they_accept(
        client_as, organisation, admin, member, other_member, space):
    client = client_as(admin)
    response = _publish(client, organisation, space, coauthors="@nobody_here, @" + member.username)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Not members of the community: @nobody_here." in body
    assert "Steep, germinate, kiln." in body  # nothing lost
    unclaimed = factories.UserFactory(username="ghost", is_unclaimed=True)
    response = _publish(client, organisation, space, coauthors=unclaimed.username)
    assert "Not members of the community: @ghost." in response.content.decode()

    response = _publish(client, organisation, space, coauthors=f"@{member.username}")
    thread = Thread.objects.get()
    assert response.url == thread.get_absolute_url()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "from <a" in page and "Northfield Hop Farm" in page and member.name not in page
    assert thread.opening_post.author_role == Post.Role.PARTNER  # the partner badge

    engagement.process_pending()
    notice = Notification.objects.get(recipient=member, kind=Notice.PARTNER)
    invited = CoAuthor.objects.get()
    assert client_as(member).get(reverse("notification_open", args=[notice.pk])).url == \
        invited.get_absolute_url()
    coauthor_url = reverse("partners:coauthor", args=[invited.pk])
    assert client_as(other_member).get(coauthor_url).status_code == 404
    assert client_as(other_member).post(coauthor_url, {"answer": "accept"}).status_code == 404

    client = client_as(member)
    client.post(coauthor_url, {"answer": "accept"})
    response = client.post(coauthor_url, {"answer": "accept"}, follow=True)
    assert "You already accepted" in response.content.decode()
    page = client_as(other_member).get(thread.get_absolute_url()).content.decode()
    assert f"made with <a href=\"/u/{member.username}/\">{member.name}</a>" in page
    org_page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Members who made it with them" in org_page and member.name in org_page

    # Members reply and vote as on any thread.
    client_as(other_member).post(reverse("thread_reply", args=[thread.pk]),
                                 {"body": "Tried it, worked!", "nonce": "r1"})
    client_as(other_member).post(reverse("post_vote", args=[thread.opening_post_id, "like"]))
    thread.refresh_from_db()
    assert thread.post_count == 2 and thread.opening_post.like_count == 1
    kinds = set(EngagementEvent.objects.values_list("kind", flat=True))
    assert {"partner_published", "coauthor_invited", "coauthor_accepted"} <= kinds


def test_the_site_can_hold_partner_content_for_a_host(client_as, organisation, admin, host,
                                                      member, space):
    settings_row = CommunitySettings.get()
    settings_row.partner_posts_need_approval = True
    settings_row.save()
    response = _publish(client_as(admin), organisation, space)
    thread = Thread.objects.get()
    assert thread.is_hidden
    assert "waits for a host" in client_as(admin).get(response.url).content.decode()
    assert client_as(member).get(thread.get_absolute_url()).status_code == 404
    queue = client_as(host).get(reverse("review_queue")).content.decode()
    assert "Malting barley at home" in queue
    client_as(host).post(reverse("review_action", args=[thread.opening_post_id, "approve"]))
    assert client_as(member).get(thread.get_absolute_url()).status_code == 200


def test_insights_show_reach_and_how_much_members_talk(client_as, organisation, admin, host,
                                                      member, other_member, space):
    post = services.partner_publish(author=admin, organisation=organisation, kind="event",
                                    space=space, title="Hop harvest open day", body="Sat 10am")
    thread = post.thread
    conversations.post_create(author=member, thread=thread, body="Can I bring kids?")
    conversations.post_create(author=admin, thread=thread, body="Yes!")
    conversations.post_create(author=other_member, thread=thread, body="See you there.")
    conversations.post_create(author=member, thread=thread, body="Great.")
    for _ in range(3):
        client_as(other_member).get(thread.get_absolute_url())
    from community import viewcount

    viewcount.flush()

    page = client_as(admin).get(reverse("partners:insights", args=[organisation.slug]))
    body = page.content.decode()
    cards = body[body.index("health-cards"):body.index("</ul>", body.index("health-cards"))]
    assert "<strong>3</strong>" in cards  # views
    assert "<strong>4</strong><span class=\"muted\">3 by members" in cards  # replies
    assert "<strong>2</strong><span class=\"muted\">distinct members" in cards
    assert "<strong>75%</strong>" in cards  # member-to-member share: 3 of 4 replies
    assert client_as(host).get(page.wsgi_request.path).status_code == 200
    assert client_as(member).get(page.wsgi_request.path).status_code == 403
    other_partner = factories.PartnerFactory()
    assert client_as(other_partner).get(page.wsgi_request.path).status_code == 403


def test_a_partner_thread_ranks_like_the_brands_until_members_carry_it(organisation, admin,
                                                                      space):
    from community.engine import scoring

    member_thread = conversations.thread_create(
        author=factories.UserFactory(), space=space, kind="discussion",
        title="Which hops for a pale ale?", body="Ideas?")
    partner_post = services.partner_publish(
        author=admin, organisation=organisation, kind="offer", space=space,
        title="Ten percent off rhizomes", body="This week only.")
    partner_thread = partner_post.thread
    Thread.objects.filter(pk=partner_thread.pk).update(created_at=member_thread.created_at)
    scoring.rescore_threads([member_thread.pk, partner_thread.pk])
    member_thread.refresh_from_db()
    partner_thread.refresh_from_db()
    gap_before = member_thread.social_score - partner_thread.social_score

    talkers = [factories.UserFactory() for _ in range(3)]
    for person in talkers:
        conversations.post_create(author=person, thread=partner_thread, body="Ordered!")
        conversations.post_create(author=person, thread=member_thread, body="Cascade.")
    scoring.rescore_threads([member_thread.pk, partner_thread.pk])
    member_thread.refresh_from_db()
    partner_thread.refresh_from_db()
    assert partner_thread.member_participants == 3
    gap_after = member_thread.social_score - partner_thread.social_score
    # Alone, the partner's offer sank by the brand's penalty; carried by members, it lifts
    # and trails only by the member thread's extra participant.
    assert gap_before > 1 > 0.5 > gap_after


def test_partner_projects_are_credited_and_counted(client_as, organisation, admin, host):
    client_as(admin).post(reverse("purpose:project_propose"), {
        "title": "Grow a community hop garden", "goal": "One garden, forty growers.",
        "description": "Rhizomes from the farm."})
    from purpose.models import Project

    project = Project.objects.get()
    assert project.organisation == organisation
    event = EngagementEvent.objects.get(kind="project_proposed")
    assert event.payload["organisation"] == organisation.pk
    from purpose import services as purpose_services

    purpose_services.project_status_set(actor=host, project=project, to_status="open")
    page = client_as(host).get(organisation.get_absolute_url()).content.decode()
    assert "Grow a community hop garden" in page
