"""The speed layer's contract, generated from its table (``community.pages.invalidation.STALE``):
for every kind of event, the pages that show its fact are rendered for an anonymous
visitor (from a warmed page cache), a member and a host; the write goes through the
service; on the next request every reader sees the new fact.

Every kind runs inside the test's transaction (the caches read the writer's own bumps), and
the kinds in ``COMMITTED`` run again with real commits, where only the after-commit bump
and the engine's own hook are left to do the work. A kind added to the table without a
scenario here fails ``test_every_kind_has_a_scenario``."""
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.engine import engagement
from community.engine.events import registered_kinds
from community.models import EngagementEvent
from community.pages import invalidation
from community.services import (
    collections,
    conversations,
    invitations,
    moderation,
    notice_levels,
    users,
)
from community.signals import member_joined
from partners import events as partner_events
from partners import services as partners
from partners.models import CoAuthor, Organisation
from purpose import events as purpose_events
from purpose import services as purpose
from purpose.models import Contribution, Need, Project

from .. import factories
from ..conftest import sign_in

Kind = EngagementEvent.Kind  # community's own
Purpose, Partners = purpose_events.Kind, partner_events.Kind
READERS = ("anonymous", "member", "host")


@dataclass
class Scenario:
    pages: list  # addresses
    write: object  # () -> None, through the service
    # Patterns each reader finds after the write (and not before), or finds before and not
    # after; a pattern is looked for on all the pages, or (address, pattern) on one.
    shows: list = field(default_factory=list)
    gone: list = field(default_factory=list)
    readers: tuple = READERS
    after_pages: list | None = None  # where to look after the write, if not ``pages``


class World:
    """The people and places a scenario starts from; ``clients`` signs them in."""

    def __init__(self):
        self.host = factories.HostFactory(display_name="Hana Host")
        self.member = factories.UserFactory(display_name="Mel Member")
        self.asker = factories.UserFactory(display_name="Ada Asker")
        self.helper = factories.UserFactory(display_name="Hugo Helper")
        self.space = factories.SpaceFactory(name="Kettles")
        self.thread = conversations.thread_create(
            author=self.asker, space=self.space, kind="question",
            title="Which kettle for 20 litres?", body="Advice please.")
        self.answer = conversations.post_create(author=self.helper, thread=self.thread,
                                                body="The 30 litre one, call 0123 456 789.")
        self.clients = {"anonymous": Client(), "member": Client(), "host": Client()}
        self.clients["member"].force_login(self.member)
        sign_in(self.clients["host"], self.host)

    def reader(self, name, user=None):
        if user is not None:
            self.clients[name] = Client()
            self.clients[name].force_login(user)
        return self.clients[name]

    @property
    def url(self):
        return self.thread.get_absolute_url()

    def project(self):
        made = purpose.project_propose(author=self.host, title="Community harvest ale",
                                       goal="Forty kitchens brew one recipe.",
                                       description="Same hops, same weekend.", space=self.space)
        made.refresh_from_db()
        return made

    def organisation(self):
        org = factories.OrganisationFactory(name="Northfield Hop Farm",
                                            description="Hops since 1890.")
        self.partner = factories.PartnerFactory(display_name="Pia Partner", organisation=org)
        return org


SCENARIOS: dict[str, dict] = {}


def scenario(kind, name=None):
    def register(build):
        SCENARIOS.setdefault(kind, {})[name or build.__name__.removeprefix("s_")] = build
        return build
    return register


# People ---------------------------------------------------------------------------------

@scenario(Kind.MEMBER_JOINED)
def s_joined(w):
    newcomer = factories.UserFactory.build(display_name="Nina Newcomer")

    def write():
        newcomer.save()
        member_joined(sender=None, request=None, user=newcomer)
    return Scenario([reverse("home")], write, shows=["Nina Newcomer"])


@scenario(Kind.MEMBER_CLAIMED)
def s_claim(w):
    imported = factories.UserFactory(display_name="Old Timer", email="", is_unclaimed=True,
                                     verified=False)
    return Scenario([reverse("profile", args=[imported.username])],
                    lambda: users.claim_complete(member=imported, email="old@example.com",
                                                 password=factories.PASSWORD),
                    gone=["not claimed yet"])


@scenario(Kind.INVITE_SENT)
def s_invite_sent(w):
    return Scenario([reverse("invite")],
                    lambda: invitations.invitations_send(inviter=w.member,
                                                         emails=["friend@example.com"]),
                    shows=["friend@example.com"], readers=("member",))


@scenario(Kind.INVITE_JOINED)
def s_invite_joined(w):
    invitation = factories.InvitationFactory(inviter=w.asker)
    joiner = factories.UserFactory()
    return Scenario([reverse("profile", args=[w.asker.username])],
                    lambda: invitations.invitation_accept(invitation_id=invitation.pk,
                                                          user=joiner),
                    shows=[r"Friends who joined through [^<]*</dt><dd>1</dd>"])


@scenario(Kind.PROFILE_UPDATED)
def s_profile(w):
    from community.forms import ProfileForm

    def write():
        form = ProfileForm({"display_name": "Hugo Renamed", "bio": "", "location": "",
                            "products": "", "interests": ""}, instance=w.helper)
        assert form.is_valid(), form.errors
        users.profile_update(actor=w.helper, form=form)
    return Scenario([w.url, reverse("profile", args=[w.helper.username])], write,
                    shows=["Hugo Renamed"], gone=["Hugo Helper"])


@scenario(Kind.ACCOUNT_DELETED)
def s_account_deleted(w):
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.session, request.user = SessionStore(), w.helper
    return Scenario([w.url], lambda: users.account_delete(request=request, user=w.helper,
                                                          remove_posts=False),
                    shows=["Former member"], gone=["Hugo Helper"])


@scenario(Kind.MEMBER_SUSPENDED)
def s_suspend(w):
    w.reader("member", w.helper)  # the suspended member reads the thread
    return Scenario([w.url], lambda: moderation.suspend(
        actor=w.host, user=w.helper, reason="Spam links.",
        ends_at=timezone.now() + timedelta(days=3)),
        shows=["You cannot post right now"], readers=("member",))


@scenario(Kind.MEMBER_UNSUSPENDED)
def s_unsuspend(w):
    moderation.suspend(actor=w.host, user=w.helper, reason="Spam links.",
                       ends_at=timezone.now() + timedelta(days=3))
    w.reader("member", w.helper)
    return Scenario([w.url], lambda: moderation.unsuspend(actor=w.host, user=w.helper),
                    gone=["You cannot post right now"], readers=("member",))


# Conversation ---------------------------------------------------------------------------

@scenario(Kind.THREAD_CREATED)
def s_thread_created(w):
    return Scenario([reverse("home"), reverse("space", args=[w.space.slug])],
                    lambda: conversations.thread_create(
                        author=w.member, space=w.space, kind="discussion",
                        title="Show us your brew day", body="Photos welcome."),
                    shows=["Show us your brew day"])


@scenario(Kind.POST_CREATED)
def s_reply(w):
    return Scenario([w.url], lambda: conversations.post_create(
        author=w.member, thread=w.thread, body="Mine is a 35 litre urn."),
        shows=["Mine is a 35 litre urn."])


@scenario(Kind.POST_EDITED, "host masks a phone number")
def s_review_edit(w):
    return Scenario([w.url], lambda: moderation.review_edit(
        actor=w.host, post=w.answer, body="The 30 litre one, call [number removed].",
        reason="No phone numbers"),
        shows=[r"\[number removed\]", "edited by staff"], gone=["0123 456 789"])


@scenario(Kind.POST_EDITED, "author edits the question")
def s_own_edit(w):
    return Scenario([w.url, reverse("search") + "?q=kettle"], lambda: conversations.post_edit(
        actor=w.asker, post=w.thread.opening_post, body="Advice please, induction hob."),
        shows=["induction hob"])


@scenario(Kind.POST_DELETED)
def s_delete(w):
    return Scenario([w.url], lambda: conversations.post_delete(actor=w.helper, post=w.answer),
                    gone=["0123 456 789"])


@scenario(Kind.POST_HIDDEN)
def s_hide(w):
    return Scenario([w.url], lambda: moderation.review_hide(actor=w.host, post=w.answer),
                    gone=["0123 456 789"], readers=("anonymous", "member"))


@scenario(Kind.POST_APPROVED)
def s_approve(w):
    moderation.review_hide(actor=w.host, post=w.answer)
    w.answer.refresh_from_db()
    return Scenario([w.url], lambda: moderation.review_approve(actor=w.host, post=w.answer),
                    shows=["0123 456 789"], readers=("anonymous", "member"))


@scenario(Kind.THREAD_MODERATED, "move")
def s_move(w):
    other = factories.SpaceFactory(name="Fermenters")
    old, new = reverse("space", args=[w.space.slug]), reverse("space", args=[other.slug])
    title = "Which kettle for 20 litres?"
    return Scenario([old, new],
                    lambda: moderation.thread_move(actor=w.host, thread=w.thread, space=other),
                    shows=[(new, title)], gone=[(old, title)])


@scenario(Kind.THREAD_MODERATED, "merge")
def s_merge(w):
    duplicate = conversations.thread_create(
        author=w.member, space=w.space, kind="question", title="Kettle for twenty litres",
        body="Same question, mine has a tap.")
    return Scenario([w.url, duplicate.get_absolute_url()],
                    lambda: moderation.thread_merge(actor=w.host, source=duplicate,
                                                    target=w.thread),
                    shows=["Same question, mine has a tap."], after_pages=[w.url])


@scenario(Kind.THREAD_MODERATED, "tags")
def s_tags(w):
    return Scenario([w.url, reverse("home")],
                    lambda: moderation.thread_tags_set(actor=w.host, thread=w.thread,
                                                       names=["induction"]),
                    shows=[r"/tags/induction/"])


@scenario(Kind.THREAD_MODERATED, "close")
def s_close(w):
    return Scenario([w.url], lambda: moderation.thread_close(
        actor=w.host, thread=w.thread, reason="Answered in the FAQ."),
        shows=["Answered in the FAQ."])


@scenario(Kind.ANSWER_ACCEPTED)
def s_accept(w):
    return Scenario([w.url], lambda: conversations.answer_accept(actor=w.asker, answer=w.answer),
                    shows=["Accepted answer"])


@scenario(Kind.ANSWER_UNACCEPTED)
def s_unaccept(w):
    conversations.answer_accept(actor=w.asker, answer=w.answer)
    return Scenario([w.url], lambda: conversations.answer_unaccept(actor=w.asker,
                                                                   thread=w.thread),
                    gone=["Accepted answer"])


HELPFUL_ONE = r'Helpful <span class="count">1</span>|1 found this helpful'


@scenario(Kind.VOTE_CAST)
def s_vote(w):
    return Scenario([w.url], lambda: conversations.vote_cast(voter=w.asker, post=w.answer,
                                                             kind="helpful"),
                    shows=[HELPFUL_ONE])


@scenario(Kind.VOTE_WITHDRAWN)
def s_unvote(w):
    conversations.vote_cast(voter=w.asker, post=w.answer, kind="helpful")
    return Scenario([w.url], lambda: conversations.vote_withdraw(voter=w.asker, post=w.answer,
                                                                 kind="helpful"),
                    gone=[HELPFUL_ONE])


@scenario(Kind.FOLLOWED)
def s_follow(w):
    return Scenario([w.url], lambda: conversations.thread_follow_set(
        user=w.member, thread=w.thread, follow=True), shows=["Watching ✓"], readers=("member",))


@scenario(Kind.FOLLOWED, "space")
def s_follow_space(w):
    """The follower's home: the space's threads come first ("For you")."""
    return Scenario([reverse("home")], lambda: conversations.space_follow_set(
        user=w.member, space=w.space, follow=True),
        shows=[r"(?s)For you.*Which kettle for 20 litres\?.*Your questions"],
        readers=("member",))


@scenario(Kind.FOLLOWED, "tag")
def s_follow_tag(w):
    other = factories.SpaceFactory(name="Elsewhere")
    tagged = conversations.thread_create(author=w.asker, space=other, kind="discussion",
                                         title="Chilling wort fast", body="Ice or coil?",
                                         tags=["chilling"])
    return Scenario([reverse("home")], lambda: conversations.tag_follow_set(
        user=w.member, tag=tagged.tags.get(), follow=True),
        shows=[r"(?s)For you.*Chilling wort fast.*Your questions"], readers=("member",))


@scenario(Kind.WELCOME_DONE)
def s_welcome(w):
    """The member's home stops offering the welcome."""
    from community.services import onboarding

    return Scenario([reverse("home")], lambda: onboarding.welcome_skip(member=w.member),
                    gone=["Finish your welcome"], readers=("member",))


@scenario(Kind.ANSWER_ORDER_CHOSEN)
def s_answer_order(w):
    conversations.post_create(author=w.host, thread=w.thread, body="The 40 litre one.")
    return Scenario([w.url], lambda: users.answer_order_set(actor=w.member, order="newest"),
                    shows=[r'aria-current="true"><strong>Newest first'], readers=("member",))


@scenario(Kind.NOTICE_SETTINGS_CHANGED)
def s_notice_settings(w):
    return Scenario([reverse("notification_settings")], lambda: users.notice_settings_save(
        actor=w.member, rows={"votes": {"email": True}}),
        shows=[r'name="votes_email"[^>]*checked'], readers=("member",))


@scenario(Kind.NOTICE_LEVEL_SET)
def s_level_thread(w):
    """The member's own thread body, kept under a key naming their level."""
    return Scenario([w.url], lambda: notice_levels.thread_level_set(
        actor=w.member, thread=w.thread, level="muted"), shows=["Muted ✓"],
        readers=("member",))


@scenario(Kind.NOTICE_LEVEL_SET, "space")
def s_level_space(w):
    """Watching a space puts its threads in the member's "For you"."""
    return Scenario([reverse("home")], lambda: notice_levels.space_level_set(
        actor=w.member, space=w.space, level="watching"),
        shows=[r"(?s)For you.*Which kettle for 20 litres\?.*Your questions"],
        readers=("member",))


@scenario(Kind.NOTICES_PAUSED)
def s_paused(w):
    """The member's header (kept once per shape of viewer) and settings name the pause."""
    return Scenario([w.url, reverse("notification_settings")], lambda: (
        notice_levels.notices_pause(actor=w.member, until=timezone.now() + timedelta(days=3))),
        shows=["Notifications paused until"], readers=("member",))


@scenario(Kind.NOTICES_RESUMED)
def s_resumed(w):
    notice_levels.notices_pause(actor=w.member, until=timezone.now() + timedelta(days=3))
    return Scenario([w.url, reverse("notification_settings")],
                    lambda: notice_levels.notices_resume(actor=w.member),
                    gone=["Notifications paused until"], readers=("member",))


# Shared purpose -------------------------------------------------------------------------

@scenario(Purpose.PURPOSE_REVISED)
def s_purpose(w):
    return Scenario([reverse("home"), reverse("purpose:purpose")], lambda: purpose.purpose_revise(
        editor=w.host, statement="We brew together, in every kitchen.", story="How it began."),
        shows=["We brew together, in every kitchen."])


@scenario(Purpose.PROJECT_PROPOSED)
def s_propose(w):
    return Scenario([reverse("purpose:projects")], w.project, shows=["Community harvest ale"])


@scenario(Purpose.PROJECT_EDITED, "details")
def s_project_edit(w):
    project = w.project()
    return Scenario([project.get_absolute_url()], lambda: purpose.project_edit(
        actor=w.host, project=project, title="Community harvest ale",
        goal="Sixty kitchens brew one recipe.", description="Same hops, same weekend."),
        shows=["Sixty kitchens"], gone=["Forty kitchens"])


@scenario(Purpose.PROJECT_EDITED, "needs")
def s_need(w):
    project = w.project()
    return Scenario([project.get_absolute_url()], lambda: purpose.need_add(
        actor=w.host, project=project, kind=Need.Kind.values[0], name="Hop spider", wanted=3),
        shows=["Hop spider"])


@scenario(Purpose.PROJECT_STATUS)
def s_status(w):
    project = w.project()
    return Scenario([project.get_absolute_url()], lambda: purpose.project_status_set(
        actor=w.host, project=project, to_status=Project.Status.BUILDING),
        shows=["status-building"], gone=["status-open"])


@scenario(Purpose.PROJECT_JOINED)
def s_join(w):
    project = w.project()
    return Scenario([project.get_absolute_url()],
                    lambda: purpose.project_join(user=w.helper, project=project),
                    shows=["2 people"])


@scenario(Purpose.PROJECT_LEFT)
def s_leave(w):
    project = w.project()
    purpose.project_join(user=w.helper, project=project)
    return Scenario([project.get_absolute_url()],
                    lambda: purpose.project_leave(user=w.helper, project=project),
                    shows=["1 person"], gone=["2 people"])


def _need(w):
    project = w.project()
    return project, purpose.need_add(actor=w.host, project=project, kind=Need.Kind.values[0],
                                     name="Hop spider", wanted=3)


@scenario(Purpose.PLEDGED)
def s_pledge(w):
    project, need = _need(w)
    return Scenario([project.get_absolute_url()],
                    lambda: purpose.pledge_set(user=w.helper, need=need, quantity=2),
                    shows=["2 of 3 pledged"])


@scenario(Purpose.PLEDGE_WITHDRAWN)
def s_unpledge(w):
    project, need = _need(w)
    purpose.pledge_set(user=w.helper, need=need, quantity=2)
    return Scenario([project.get_absolute_url()],
                    lambda: purpose.pledge_withdraw(user=w.helper, need=need),
                    shows=["0 of 3 pledged"], gone=["2 of 3 pledged"])


@scenario(Purpose.PROJECT_UPDATE)
def s_update(w):
    project = w.project()
    return Scenario([reverse("purpose:project_updates", args=[project.slug])],
                    lambda: purpose.update_post(actor=w.host, project=project,
                                                body="The hops arrived today."),
                    shows=["The hops arrived today."])


def _contribution(w, project=None):
    project = project or w.project()
    return purpose.contribution_submit(author=w.helper, project=project,
                                       kind=Contribution.Kind.values[0],
                                       title="A pale ale recipe", body="Maris Otter, Cascade.")


@scenario(Purpose.CONTRIBUTED)
def s_contribute(w):
    project = w.project()
    return Scenario([reverse("purpose:project_contributions", args=[project.slug])],
                    lambda: _contribution(w, project), shows=["A pale ale recipe"])


@scenario(Purpose.CONTRIBUTION_EDITED)
def s_contribution_edit(w):
    made = _contribution(w)
    return Scenario([reverse("purpose:contribution", args=[made.pk])],
                    lambda: purpose.contribution_edit(actor=w.helper, contribution=made,
                                                      title="A hazy pale ale recipe",
                                                      body="Maris Otter, Cascade."),
                    shows=["A hazy pale ale recipe"])


@scenario(Purpose.CONTRIBUTION_VOTED)
def s_contribution_vote(w):
    made = _contribution(w)
    return Scenario([reverse("purpose:contribution", args=[made.pk])],
                    lambda: purpose.contribution_vote(voter=w.asker, contribution=made),
                    shows=[r"<strong>1</strong> vote\b"])


@scenario(Purpose.CONTRIBUTION_UNVOTED)
def s_contribution_unvote(w):
    made = _contribution(w)
    purpose.contribution_vote(voter=w.asker, contribution=made)
    return Scenario([reverse("purpose:contribution", args=[made.pk])],
                    lambda: purpose.contribution_unvote(voter=w.asker, contribution=made),
                    shows=[r"<strong>0</strong> votes"])


@scenario(Purpose.CONTRIBUTION_WON)
def s_won(w):
    made = _contribution(w)
    purpose.contribution_vote(voter=w.asker, contribution=made)
    Project.objects.filter(pk=made.project_id).update(
        voting_closes_at=timezone.now() - timedelta(minutes=1))  # the vote is over
    made.refresh_from_db()
    return Scenario([reverse("purpose:contribution", args=[made.pk])],
                    lambda: purpose.winner_confirm(actor=w.host, contribution=made),
                    shows=["Chosen by the community"])


# Partners -------------------------------------------------------------------------------

@scenario(Partners.PARTNER_APPLIED)
def s_apply(w):
    return Scenario([reverse("partners:review")], lambda: partners.organisation_apply(
        user=w.member, name="Riverside Maltings", description="Floor-malted barley."),
        shows=["Riverside Maltings"], readers=("host",))


@scenario(Partners.PARTNER_DECIDED)
def s_decide(w):
    org = w.organisation()
    Organisation.objects.filter(pk=org.pk).update(status=Organisation.Status.APPLIED)
    org.refresh_from_db()
    return Scenario([reverse("partners:organisations")], lambda: partners.organisation_decide(
        actor=w.host, organisation=org, verify=True), shows=["Northfield Hop Farm"],
        readers=("anonymous", "member"))


@scenario(Partners.ORGANISATION_EDITED)
def s_organisation_edit(w):
    org = w.organisation()
    return Scenario([org.get_absolute_url()], lambda: partners.organisation_edit(
        actor=w.partner, organisation=org, description="Hops and malt since 1890.",
        website="", links=""), shows=["Hops and malt since 1890."], gone=["Hops since 1890."])


@scenario(Partners.PARTNER_JOINED)
def s_partner_joined(w):
    org = w.organisation()
    invitation = partners.invitation_send(actor=w.partner, organisation=org,
                                          email=w.helper.email)
    token = partners.invitation_token(invitation)
    return Scenario([org.get_absolute_url()],
                    lambda: partners.invitation_accept(user=w.helper, token=token),
                    shows=["Hugo Helper"])


@scenario(Partners.PARTNER_LEFT)
def s_partner_left(w):
    org = w.organisation()
    colleague = factories.PartnerFactory(display_name="Carl Colleague", organisation=org)
    return Scenario([org.get_absolute_url()], lambda: partners.membership_remove(
        actor=w.partner, organisation=org, member=colleague), gone=["Carl Colleague"])


def _publish(w, org, coauthors=()):
    return partners.partner_publish(author=w.partner, organisation=org, kind="howto",
                                    title="Malting barley at home", body="Steep, kiln.",
                                    space=w.space, coauthors=list(coauthors))


@scenario(Partners.PARTNER_PUBLISHED)
def s_publish(w):
    org = w.organisation()
    return Scenario([reverse("home"), org.get_absolute_url()], lambda: _publish(w, org),
                    shows=["Malting barley at home"])


@scenario(Partners.COAUTHOR_INVITED)
def s_coauthor_invited(w):
    org = w.organisation()
    w.reader("member", w.helper)
    def write():
        _publish(w, org, [w.helper])
        engagement.process_pending()  # the engine writes the notice (after commit, live)
    return Scenario([reverse("notifications")], write, shows=["invites you to co-author"],
                    readers=("member",))


@scenario(Partners.COAUTHOR_ACCEPTED)
def s_coauthor_accepted(w):
    org = w.organisation()
    post = _publish(w, org, [w.helper])
    invited = CoAuthor.objects.get(post=post, user=w.helper)
    return Scenario([post.thread.get_absolute_url()], lambda: partners.coauthor_respond(
        user=w.helper, coauthor=invited, accept=True), shows=["made with .*Hugo Helper"])


# Offers: the organisation's offers page (its people and the hosts) and the host's review
# page; the product page's panel is tested with the catalogue's page (tests/partners).

def _offer_world(w, *, held=False):
    from community.models import CommunitySettings, Product

    org = w.organisation()
    w.reader("partner", w.partner)
    if held:
        row = CommunitySettings.get()
        row.partner_posts_need_approval = True
        row.save()
    product = Product.objects.create(sku="PRO-KETTLE-30L", name="Pro Kettle 30L",
                                     slug="pro-kettle-30l")
    return org, product


def _put_offer(w, org, product):
    from django.utils import timezone

    from partners import offers

    return offers.offer_create(
        actor=w.partner, organisation=org, product=product, title="Free hop sampler",
        terms="With the kettle.", url="https://northfield.example.com/sampler",
        starts_at=timezone.now() - timezone.timedelta(hours=1),
        ends_at=timezone.now() + timezone.timedelta(days=2))


@scenario(Partners.OFFER_CREATED)
def s_offer_created(w):
    org, product = _offer_world(w)
    return Scenario([reverse("partners:offers", args=[org.slug])],
                    lambda: _put_offer(w, org, product), shows=["Free hop sampler"],
                    readers=("partner", "host"))


@scenario(Partners.OFFER_APPROVED)
def s_offer_approved(w):
    from partners import offers

    org, product = _offer_world(w, held=True)
    offer = _put_offer(w, org, product)
    return Scenario([reverse("partners:offers", args=[org.slug])],
                    lambda: offers.offer_approve(actor=w.host, offer=offer),
                    shows=["badge-solved\">Live"], gone=["Waiting for a host"],
                    readers=("partner", "host"))


@scenario(Partners.OFFER_CLICKED)
def s_offer_clicked(w):
    from partners import offers

    org, product = _offer_world(w)
    offer = _put_offer(w, org, product)
    return Scenario([reverse("partners:offers", args=[org.slug])],
                    lambda: offers.offer_click(visitor=w.member, offer=offer),
                    shows=["<td>1</td>"], gone=["<td>0</td>"], readers=("partner", "host"))


@scenario(Partners.OFFER_WITHDRAWN, "withdraw")
def s_offer_withdrawn(w):
    from partners import offers

    org, product = _offer_world(w)
    offer = _put_offer(w, org, product)
    page = product.get_absolute_url()  # kept for visitors: the offer goes at once
    return Scenario([page], lambda: offers.offer_withdraw(actor=w.partner, offer=offer),
                    gone=["Free hop sampler"])


@scenario(Partners.OFFER_WITHDRAWN, "put back")
def s_offer_put_back(w):
    from partners import offers

    org, product = _offer_world(w)
    offer = _put_offer(w, org, product)
    offers.offer_withdraw(actor=w.partner, offer=offer)
    return Scenario([product.get_absolute_url()], lambda: offers.offer_withdraw(
        actor=w.partner, offer=offer, withdrawn=False), shows=["Free hop sampler"])


@scenario(Partners.OFFER_EDITED)
def s_offer_edited(w):
    from partners import offers

    org, product = _offer_world(w)
    offer = _put_offer(w, org, product)
    return Scenario([product.get_absolute_url()], lambda: offers.offer_edit(
        actor=w.partner, offer=offer, title="Two hop samplers", terms=offer.terms,
        url=offer.url, starts_at=offer.starts_at, ends_at=offer.ends_at),
        shows=["Two hop samplers"], gone=["Free hop sampler"])


# Curation: the owner's Collections tab on their profile (kept for anonymous readers) and
# the collection's own page.

def _tab(user):
    return reverse("profile", args=[user.username]) + "?activity=collections"


@scenario(Kind.COLLECTION_CREATED)
def s_collection_create(w):
    return Scenario([_tab(w.asker)], lambda: collections.collection_create(
        owner=w.asker, title="Fermentation favourites"), shows=["Fermentation favourites"])


@scenario(Kind.COLLECTION_EDITED, "rename")
def s_collection_rename(w):
    made = collections.collection_create(owner=w.asker, title="Kettle notes")
    return Scenario([_tab(w.asker)], lambda: collections.collection_edit(
        actor=w.asker, collection=made, title="Boil-over fixes", description="",
        is_public=True), shows=["Boil-over fixes"], gone=["Kettle notes"])


@scenario(Kind.COLLECTION_EDITED, "delete")
def s_collection_delete(w):
    made = collections.collection_create(owner=w.asker, title="Kettle notes")
    return Scenario([_tab(w.asker)], lambda: collections.collection_delete(
        actor=w.asker, collection=made), gone=["Kettle notes"])


@scenario(Kind.COLLECTION_ITEM_ADDED)
def s_collection_add(w):
    made = collections.collection_create(owner=w.asker, title="Kettle notes")
    return Scenario([_tab(w.asker)], lambda: collections.collection_item_add(
        actor=w.asker, collection=made, post=w.answer), shows=[r"\b1 item\b"],
        gone=[r"\b0 items\b"])


@scenario(Kind.COLLECTION_ITEM_REMOVED)
def s_collection_remove(w):
    made = collections.collection_create(owner=w.asker, title="Kettle notes")
    item = collections.collection_item_add(actor=w.asker, collection=made, post=w.answer)
    return Scenario([_tab(w.asker)], lambda: collections.collection_item_remove(
        actor=w.asker, item=item), shows=[r"\b0 items\b"], gone=[r"\b1 item\b"])


@scenario(Kind.COLLECTION_REORDERED)
def s_collection_move(w):
    made = collections.collection_create(owner=w.asker, title="Kettle notes")
    other = conversations.thread_create(author=w.member, space=w.space, kind="discussion",
                                        title="Chiller hose sizes", body="Which fits?")
    collections.collection_item_add(actor=w.asker, collection=made, thread=other)
    item = collections.collection_item_add(actor=w.asker, collection=made, post=w.answer)
    return Scenario([made.get_absolute_url()], lambda: collections.collection_item_move(
        actor=w.asker, item=item, direction="up"),
        shows=["(?s)Which kettle for 20 litres.*Chiller hose sizes"],
        gone=["(?s)Chiller hose sizes.*Which kettle for 20 litres"])


@scenario(Kind.COLLECTION_FEATURED)
def s_collection_feature(w):
    made = collections.collection_create(owner=w.asker, title="Kettle notes")
    return Scenario([_tab(w.asker)], lambda: collections.collection_feature_set(
        actor=w.host, collection=made, featured=True), shows=['badge-helper">Featured'])


# Moments: starting one opens its thread in the lists; closing one changes its page; a
# featured entry joins the home page's "From the community" strip (the anonymous home is
# page-cached).

def _moment(w, title="Show us your kettle"):
    from community.services import moments

    now = timezone.now()
    return moments.moment_create(host=w.host, space=w.space, title=title,
                                 brief="Photos or stories.", opens_at=now - timedelta(hours=1),
                                 closes_at=now + timedelta(days=3))


@scenario(Kind.MOMENT_CREATED)
def s_moment_create(w):
    return Scenario([reverse("home")], lambda: _moment(w), shows=["Show us your kettle"])


@scenario(Kind.MOMENT_EDITED, "close")
def s_moment_close(w):
    from community.services import moments

    made = _moment(w)
    return Scenario([made.get_absolute_url()], lambda: moments.moment_close(
        host=w.host, moment=made), shows=["Closed on"], gone=["Open until"])


@scenario(Kind.MOMENT_ENTRY_FEATURED)
def s_moment_feature(w):
    from community.services import moments

    made = _moment(w)
    entry = moments.entry_create(author=w.member, moment=made, text="Copper, 30 litres.")
    return Scenario([reverse("home")], lambda: moments.entry_feature_set(
        host=w.host, entry=entry, featured=True), shows=["From the community"])


@scenario(Kind.TOUCH_DECIDED)
def s_touch_decided(w):
    from community.host.listening import services as listening
    from community.host.listening import signals

    grumble = conversations.post_create(author=w.member, thread=w.thread,
                                        body="Great, another kettle that leaks 🙂")
    signals.signals_compute([grumble.pk])
    return Scenario([reverse("listening_touch")], lambda: listening.touch_decide(
        actor=w.host, post_id=grumble.pk, decision="answered"),
        gone=["another kettle that leaks"], readers=("host",))
# Ownership: the owner's answers on a thread about the product carry a badge, and their
# profile lists what they own.

def _owned_thread(w):
    from community.models import Thread

    kettle = factories.ProductFactory(sku="KET-30", name="Pro Kettle 30L")
    Thread.objects.filter(pk=w.thread.pk).update(product=kettle)
    return kettle


@scenario(Kind.OWNERSHIP_DECLARED)
def s_own_declare(w):
    from community.commerce import ownership

    kettle = _owned_thread(w)
    return Scenario([w.url, reverse("profile", args=[w.helper.username])],
                    lambda: ownership.ownership_declare(member=w.helper, product=kettle),
                    shows=[(w.url, r">Owner<"), "Says they own it"])


@scenario(Kind.OWNERSHIP_VERIFIED)
def s_own_verify(w):
    from community.commerce import ownership

    kettle = _owned_thread(w)
    return Scenario([w.url, reverse("profile", args=[w.helper.username])],
                    lambda: ownership.purchase_record(email=w.helper.email, product=kettle,
                                                      source="order"),
                    shows=["Verified owner"])


@scenario(Kind.OWNERSHIP_REMOVED)
def s_own_remove(w):
    from community.commerce import ownership

    kettle = _owned_thread(w)
    ownership.ownership_verify(member=w.helper, product=kettle, source="webhook")
    return Scenario([w.url, reverse("profile", args=[w.helper.username])],
                    lambda: ownership.ownership_remove(member=w.helper, product=kettle),
                    gone=["Verified owner"])


@scenario(Kind.OWNERSHIP_PENDING)
def s_own_pending(w):
    from community.commerce import ownership

    kettle = _owned_thread(w)
    # Nothing shows a purchase waiting for an account: the pages stay as they were.
    return Scenario([w.url], lambda: ownership.purchase_record(
        email="nobody.yet@example.com", product=kettle, source="order"))


# A moment tied to a project or a partner: the moment's page (kept for anonymous readers,
# under its thread) names it; the project's or partner's page lists the moment. A project
# renamed renames the line on its moments' pages.

def _tieable_project(w):
    project = w.project()
    if project.status == "proposed":
        purpose.project_status_set(actor=w.host, project=project, to_status="open")
    return project


@scenario(Purpose.PROJECT_MOMENT, "tie")
def s_moment_tie_project(w):
    from community.services import moments

    made, project = _moment(w), _tieable_project(w)
    return Scenario([made.get_absolute_url(), project.get_absolute_url()],
                    lambda: moments.moment_tie_set(host=w.host, moment=made,
                                                   tie=f"project:{project.pk}"),
                    shows=[(made.get_absolute_url(), "Part of the project"),
                           (project.get_absolute_url(), "Show us your kettle")])


@scenario(Purpose.PROJECT_MOMENT, "untie")
def s_moment_untie_project(w):
    from community.services import moments

    made, project = _moment(w), _tieable_project(w)
    moments.moment_tie_set(host=w.host, moment=made, tie=f"project:{project.pk}")
    return Scenario([made.get_absolute_url(), project.get_absolute_url()],
                    lambda: moments.moment_tie_set(host=w.host, moment=made, tie=""),
                    gone=[(made.get_absolute_url(), "Part of the project"),
                          (project.get_absolute_url(), "Show us your kettle")])


@scenario(Purpose.PROJECT_EDITED, "rename, seen on a tied moment")
def s_project_rename_moment(w):
    from community.services import moments

    made, project = _moment(w), _tieable_project(w)
    moments.moment_tie_set(host=w.host, moment=made, tie=f"project:{project.pk}")
    return Scenario([made.get_absolute_url()], lambda: purpose.project_edit(
        actor=w.host, project=project, title="Harvest ale twenty-thirty", goal=project.goal,
        description=project.description), shows=["Harvest ale twenty-thirty"])


@scenario(Partners.ORGANISATION_MOMENT, "tie")
def s_moment_tie_partner(w):
    from community.services import moments

    made, org = _moment(w), w.organisation()
    return Scenario([made.get_absolute_url(), org.get_absolute_url()],
                    lambda: moments.moment_tie_set(host=w.host, moment=made,
                                                   tie=f"partner:{org.pk}"),
                    shows=[(made.get_absolute_url(), "With our partner"),
                           (org.get_absolute_url(), "Show us your kettle")])


@scenario(Partners.ORGANISATION_MOMENT, "untie")
def s_moment_untie_partner(w):
    from community.services import moments

    made, org = _moment(w), w.organisation()
    moments.moment_tie_set(host=w.host, moment=made, tie=f"partner:{org.pk}")
    return Scenario([made.get_absolute_url(), org.get_absolute_url()],
                    lambda: moments.moment_tie_set(host=w.host, moment=made, tie=""),
                    gone=[(made.get_absolute_url(), "With our partner"),
                          (org.get_absolute_url(), "Show us your kettle")])
# The catalogue: a product's page and the product list (both page-cached for visitors).

def _product(w, **fields):
    from community.commerce import catalogue

    return catalogue.product_create(host=w.host, sku=fields.pop("sku", "K30"),
                                    name=fields.pop("name", "Summit kettle 30 L"),
                                    line="Summit", space=w.space, **fields)


@scenario(Kind.PRODUCT_CREATED)
def s_product_create(w):
    return Scenario([reverse("products")], lambda: _product(w), shows=["Summit kettle 30 L"])


@scenario(Kind.PRODUCT_EDITED, "accessory renamed")
def s_product_edit(w):
    from community.commerce import catalogue

    kettle = _product(w)
    lid = _product(w, sku="L30", name="Kettle lid", parent=kettle)
    return Scenario([kettle.get_absolute_url(), reverse("products")],
                    lambda: catalogue.product_edit(host=w.host, product=lid,
                                                   name="Glass kettle lid"),
                    shows=["Glass kettle lid"])


@scenario(Kind.PRODUCTS_IMPORTED)
def s_products_imported(w):
    import tempfile
    from pathlib import Path

    from community.commerce import feed

    kettle = _product(w)

    def write():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "feed.csv"
            path.write_text("sku,name,description\nK30,Summit kettle 30 L,Now in copper.\n")
            feed.feed_import(path, host=w.host)
    return Scenario([kettle.get_absolute_url()], write, shows=["Now in copper."])
# Strategy: initiatives show on the host's strategy page only, which is never kept; a host
# sees a new one at once.

@scenario(Kind.INITIATIVE_SAVED, "create")
def s_initiative_create(w):
    from datetime import date

    from community.host.strategy import services as strategy

    return Scenario([reverse("host_strategy")], lambda: strategy.initiative_create(
        host=w.host, name="Kettle launch mail", starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 8), channel="email", placed=1),
        shows=["Kettle launch mail"], readers=("host",))

# A flag shows on the hosts' review queue at once (never kept).

@scenario(Kind.FLAG_RAISED)
def s_flag(w):
    flagger = factories.UserFactory()
    return Scenario([reverse("review_queue")], lambda: moderation.flag_create(
        flagger=flagger, post=w.answer, reason="other", note="Sells phone numbers"),
        shows=["Sells phone numbers"], readers=("host",))


# Webhooks: endpoints show on the admins' webhook pages only, which are never kept; an admin
# sees a new endpoint, and a ping in the delivery log, at once.

@scenario(Kind.WEBHOOK_SAVED, "create")
def s_webhook_create(w):
    from community.api.webhooks import services as webhooks

    admin = factories.AdminFactory()
    w.reader("admin", admin)
    return Scenario([reverse("webhook_list")], lambda: webhooks.endpoint_create(
        admin=admin, url="http://127.0.0.1:9/crm", kinds=["thread_created"],
        description="CRM sync"), shows=["CRM sync"], readers=("admin",))


@scenario(Kind.WEBHOOK_PINGED, "ping")
def s_webhook_ping(w):
    from community.api.webhooks import services as webhooks

    admin = factories.AdminFactory()
    w.reader("admin", admin)
    endpoint = webhooks.endpoint_create(admin=admin, url="http://127.0.0.1:9/crm",
                                        kinds=["thread_created"])
    return Scenario([reverse("webhook_detail", kwargs={"pk": endpoint.pk})],
                    lambda: webhooks.endpoint_ping(admin=admin, endpoint=endpoint),
                    shows=["webhook_pinged"], gone=["Nothing sent yet"], readers=("admin",))


# API tokens: listed on their member's settings page only, which is never kept; the
# member sees a new one, and a revoked one's state, at once.

@scenario(Kind.TOKEN_CREATED, "create")
def s_token_create(w):
    from community.api import tokens

    return Scenario([reverse("api_tokens")], lambda: tokens.token_create(
        user=w.member, name="Shop stock feed", scopes=["read"]),
        shows=["Shop stock feed"], readers=("member",))


@scenario(Kind.TOKEN_REVOKED, "revoke")
def s_token_revoke(w):
    from community.api import tokens

    token, _ = tokens.token_create(user=w.member, name="Help desk sync", scopes=["read"])
    return Scenario([reverse("api_tokens")], lambda: tokens.token_revoke(
        actor=w.member, token=token), shows=["Revoked"], gone=[">Active<"],
        readers=("member",))


# Third-party apps: on the admins' apps pages and the member's settings page, none of them
# kept; each change shows at once.

def _app(admin, name="Help desk"):
    from community.api.oauth import services as oauth

    return oauth.app_register(admin=admin, name=name, redirect_uris="https://desk.example.com/cb",
                              client_type="public")[0]


@scenario(Kind.APP_SAVED, "register")
def s_app_register(w):
    admin = factories.AdminFactory()
    w.reader("admin", admin)
    return Scenario([reverse("oauth_app_list")], lambda: _app(admin, "Shop sync"),
                    shows=["Shop sync"], gone=["No apps yet"], readers=("admin",))


@scenario(Kind.APP_AUTHORISED, "authorise")
def s_app_authorise(w):
    from community.api.oauth import services as oauth

    from ..api.conftest import app_token_for

    app = _app(factories.AdminFactory())

    def write():
        app_token_for(w.member, "read", app=app)
        oauth.app_authorised(member=w.member, app=app, scopes=["read"])
    return Scenario([reverse("oauth_authorised")], write, shows=["Help desk"],
                    gone=["No apps"], readers=("member",))


@scenario(Kind.APP_REVOKED, "revoke")
def s_app_revoke(w):
    from community.api.oauth import services as oauth

    from ..api.conftest import app_token_for

    app = _app(factories.AdminFactory())
    app_token_for(w.member, "read", app=app)
    return Scenario([reverse("oauth_authorised")], lambda: oauth.app_revoke(
        member=w.member, app=app), shows=["No apps"], gone=["Help desk"],
        readers=("member",))


# Replies by email: the post shows in its thread at once (its own post_created bumps it); a
# refused mail shows nowhere.

def _mailed(w, member, text, *, forged=False):
    from email.message import EmailMessage
    from email.utils import make_msgid

    from django.test import override_settings

    from community.engine.mail_in import address
    from community.engine.mail_in.receive import mail_receive

    def write():
        with override_settings(MAIL_IN_DOMAIN="reply.example.org"):
            to = address.reply_address(member_id=member.pk, thread_id=w.thread.pk)
            message = EmailMessage()
            message["From"], message["Message-ID"] = member.email, make_msgid()
            message["To"] = to.replace("reply+", "reply+0") if forged else to
            message.set_content(text)
            mail_receive(message.as_bytes(), via="http")
    return write


@scenario(Kind.MAIL_POSTED)
def s_mail_posted(w):
    return Scenario([w.url], _mailed(w, w.member, "Mine boils in ten minutes, by email."),
                    shows=["Mine boils in ten minutes, by email."])


@scenario(Kind.MAIL_REFUSED)
def s_mail_refused(w):
    return Scenario([w.url], _mailed(w, w.member, "Let me in.", forged=True))


# Push devices: listed on their member's notification settings page only, which is never
# kept; the member sees a device turned on, and one removed, at once.

def _push_device_data():
    import base64
    import os

    from community.engine.push.keys import generate

    return {"endpoint": "http://127.0.0.1:9/push/" + os.urandom(6).hex(),
            "keys": {"p256dh": generate()[0],
                     "auth": base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()}}


ANDROID = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"


@scenario(Kind.PUSH_SUBSCRIBED)
def s_push_subscribed(w):
    from community.services import push

    return Scenario([reverse("notification_settings")], lambda: push.subscription_save(
        actor=w.member, data=_push_device_data(), user_agent=ANDROID),
        shows=["Chrome on Android"], gone=["No devices yet"], readers=("member",))


@scenario(Kind.PUSH_REMOVED)
def s_push_removed(w):
    from community.services import push

    device = push.subscription_save(actor=w.member, data=_push_device_data(),
                                    user_agent=ANDROID)
    return Scenario([reverse("notification_settings")], lambda: push.subscription_remove(
        actor=w.member, subscription=device), shows=["No devices yet"],
        gone=["Chrome on Android"], readers=("member",))


# The proof ------------------------------------------------------------------------------

CASES = [(kind, name) for kind in sorted(invalidation.STALE)
         for name in sorted(SCENARIOS.get(kind, {"(none)": None}))]
COMMITTED = {(Kind.POST_EDITED, "host masks a phone number"), (Kind.MEMBER_SUSPENDED, "suspend"),
             (Partners.ORGANISATION_EDITED, "organisation_edit"),
             (Purpose.PROJECT_EDITED, "details"), (Kind.MEMBER_CLAIMED, "claim"),
             (Kind.VOTE_CAST, "vote"), (Kind.ANSWER_ACCEPTED, "accept"),
             (Kind.THREAD_MODERATED, "tags"), (Kind.THREAD_MODERATED, "move"),
             (Kind.THREAD_MODERATED, "merge"), (Kind.PROFILE_UPDATED, "profile"),
             (Kind.POST_CREATED, "reply"), (Kind.FOLLOWED, "space"),
             (Kind.COLLECTION_ITEM_ADDED, "collection_add"),
             (Kind.MOMENT_ENTRY_FEATURED, "moment_feature"),
             (Kind.PRODUCTS_IMPORTED, "products_imported"),
             (Kind.OWNERSHIP_VERIFIED, "own_verify")}


@pytest.fixture(autouse=True)
def _caches_on(settings):
    settings.PAGE_CACHE = True


def _render(w, readers, pages):
    seen = {}
    for reader in readers:
        client = w.clients[reader]
        for url in pages:
            response = client.get(url, follow=True)
            assert response.status_code == 200, (reader, url, response.status_code)
            if reader == "anonymous" and response.get("X-Page-Cache") == "miss":
                # Stored: the next anonymous visit is served from the cache.
                assert client.get(url)["X-Page-Cache"] == "hit", url
            seen[(reader, url)] = response.content.decode()
    return seen


def _on(seen, reader, pages, pattern) -> bool:
    url, pattern = pattern if isinstance(pattern, tuple) else (None, pattern)
    return any(re.search(pattern, seen[(reader, page)]) for page in pages
               if url in (None, page))


def _check(kind, name):
    build = SCENARIOS.get(kind, {}).get(name)
    assert build is not None, f"no scenario for {kind}: add one to {__name__}"
    w = World()
    case = build(w)
    after_pages = case.after_pages or case.pages
    before = _render(w, case.readers, case.pages)
    for reader in case.readers:
        for pattern in case.gone:
            assert _on(before, reader, case.pages, pattern), (
                f"{pattern!r} is not there for {reader} before the write")
        for pattern in case.shows:
            assert not _on(before, reader, [p for p in case.pages if p in after_pages],
                           pattern), f"{pattern!r} shows to {reader} before the write"
    case.write()
    after = _render(w, case.readers, after_pages)
    for reader in case.readers:
        for pattern in case.shows:
            assert _on(after, reader, after_pages, pattern), (
                f"{kind} ({name}): {reader} does not see {pattern!r}")
        for pattern in case.gone:
            assert not _on(after, reader, after_pages, pattern), (
                f"{kind} ({name}): {reader} still sees {pattern!r}")


def test_every_kind_has_a_scenario():
    missing = sorted(set(invalidation.STALE) - set(SCENARIOS))
    assert not missing, f"event kinds with no scenario in {__name__}: {missing}"
    assert set(SCENARIOS) <= set(invalidation.STALE)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "name"), CASES, ids=[f"{k}-{n}" for k, n in CASES])
def test_each_write_shows_to_every_reader_at_once(kind, name):
    _check(kind, name)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("kind", "name"), sorted(COMMITTED),
                         ids=[f"{k}-{n}" for k, n in sorted(COMMITTED)])
def test_each_committed_write_shows_to_every_reader(kind, name):
    _check(kind, name)


@pytest.mark.django_db
def test_a_pledge_a_project_follow_and_a_contribution_vote_leave_the_thread_lists_cached():
    w = World()
    project, need = _need(w)
    made = _contribution(w, project)
    anonymous = w.clients["anonymous"]
    pages = [reverse("home"), reverse("search") + "?q=kettle", w.url]
    for url in pages:
        anonymous.get(url)
    purpose.pledge_set(user=w.helper, need=need, quantity=1)
    purpose.project_follow_set(user=w.asker, project=project, follow=True)
    purpose.contribution_vote(voter=w.asker, contribution=made)
    for url in pages:
        assert anonymous.get(url)["X-Page-Cache"] == "hit", url


@pytest.mark.django_db(transaction=True)
def test_a_committed_pledge_leaves_home_and_search_cached():
    """With real commits the engagement engine runs too: an event about no thread does not
    reorder the lists, so it does not flush them."""
    w = World()
    project, need = _need(w)
    anonymous = w.clients["anonymous"]
    pages = [reverse("home"), reverse("search") + "?q=kettle"]
    for url in pages:
        anonymous.get(url)
    purpose.pledge_set(user=w.helper, need=need, quantity=1)
    for url in pages:
        assert anonymous.get(url)["X-Page-Cache"] == "hit", url


def test_the_table_is_narrow():
    """Facts about projects, partners' organisations and invitations do not touch the lists."""
    def shape(kind):
        return invalidation.STALE[kind].shape
    for kind in (Purpose.PLEDGED, Purpose.PLEDGE_WITHDRAWN, Purpose.CONTRIBUTION_VOTED,
                 Purpose.CONTRIBUTION_UNVOTED, Kind.FOLLOWED, Purpose.PROJECT_JOINED,
                 Kind.INVITE_SENT, Kind.VOTE_CAST, Kind.MEMBER_SUSPENDED,
                 Partners.ORGANISATION_EDITED, Purpose.PROJECT_EDITED):
        assert not shape(kind)["feed"] and not shape(kind)["site"], kind


def test_every_registered_kind_has_a_row_and_the_system_check_says_so():
    """Community's rows and the ones purpose and partners add from their ``ready()`` make
    one table: one row per registered kind, found by the value an event row stores."""
    assert set(invalidation.STALE) == set(registered_kinds())
    assert invalidation.check_complete() == []
    assert not [e for e in checks.run_checks() if e.id == "community.E001"]
    pledge = EngagementEvent(kind="pledged", actor_id=3, payload={"project": 5, "need": 2})
    assert invalidation.stale(pledge).tags == {"project:5"}


def test_a_kind_without_a_row_is_reported_by_the_system_check(monkeypatch):
    monkeypatch.delitem(invalidation.STALE, Purpose.PLEDGED)
    errors = [e for e in checks.run_checks() if e.id == "community.E001"]
    assert [e.msg for e in errors] == [
        "The event kind 'pledged' has no row in community.pages.invalidation.STALE."]
    with pytest.raises(SystemCheckError, match="pledged"):
        call_command("check")


def test_an_app_cannot_add_a_second_row_for_a_kind():
    before = dict(invalidation.STALE)
    with pytest.raises(ValueError, match="pledged"):
        invalidation.extend({Purpose.PLEDGED: invalidation.row(feed=True)})
    with pytest.raises(ValueError, match="vote_cast"):
        invalidation.extend({Kind.VOTE_CAST: invalidation.row(site=True),
                             "retired_kind": invalidation.row()})
    assert before == invalidation.STALE  # nothing of a refused call is kept
