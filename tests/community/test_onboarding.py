"""A new member's first run: confirming the address signs them in wherever they open the
link, a welcome once, and a home page of their own.

Through the real sign-up, confirmation and pages, caches on, with the real mail outbox."""
import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from community.models import EngagementEvent, SpaceFollow, TagFollow, Thread, User
from community.services import conversations, onboarding

from .. import factories
from ..conftest import links_in, sign_in

pytestmark = pytest.mark.django_db

STRONG = "a long and unusual passphrase 42"
Kind = EngagementEvent.Kind


def _signup(client, email="new.member@example.com", username="new_member"):
    response = client.post(reverse("account_signup"), {
        "email": email, "username": username, "display_name": "New Member",
        "password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    return User.objects.get(email=email)


def _confirm_path():
    url = next(u for u in links_in(mail.outbox[-1]) if "/confirm-email/" in u)
    return re.sub(r"^https?://[^/]+", "", url)


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


# Confirming the address ----------------------------------------------------------------

def test_confirming_in_a_new_browser_signs_in_and_lands_on_the_welcome(client):
    user = _signup(client)
    other_browser = Client()
    path = _confirm_path()
    page = other_browser.get(path)
    assert page.status_code == 200 and _signed_in_as(other_browser) is None  # GET: nothing
    response = other_browser.post(path)
    assert response.status_code == 302 and response["Location"] == reverse("welcome")
    assert _signed_in_as(other_browser) == str(user.pk)
    welcome = other_browser.get(response["Location"])
    text = welcome.content.decode()
    assert welcome.status_code == 200
    assert "Welcome to" in text and "Pick spaces to follow" in text
    assert "While you are new" in text and "one post every" in text  # the limits, up front


def test_confirming_in_the_browser_that_signed_up_signs_in_too(client):
    user = _signup(client)
    response = client.post(_confirm_path())
    assert response["Location"] == reverse("welcome")
    assert _signed_in_as(client) == str(user.pk)


def test_a_key_already_used_signs_nobody_in(client):
    _signup(client)
    path = _confirm_path()
    first = Client()
    first.post(path)
    again = Client()
    response = again.post(path)
    assert response.status_code == 404
    assert _signed_in_as(again) is None


def test_an_expired_key_signs_nobody_in_and_confirms_nothing(client, settings):
    user = _signup(client)
    path = _confirm_path()
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0
    time.sleep(1.1)
    late = Client()
    response = late.post(path)
    assert response.status_code == 404
    assert _signed_in_as(late) is None
    assert not EmailAddress.objects.get(user=user).verified


def test_a_forged_key_signs_nobody_in(client):
    _signup(client)
    forged = _confirm_path().rstrip("/") + "x/"
    stranger = Client()
    assert stranger.post(forged).status_code == 404
    assert _signed_in_as(stranger) is None


def test_confirming_an_added_address_signs_nobody_in(client, member):
    """An email change: the member has signed in before; whoever holds the new mailbox
    confirms the address but does not get the account's session."""
    sign_in(client, member)
    response = client.post(reverse("account_email"),
                           {"action_add": "", "email": "renamed@example.com"})
    if response["Location"].startswith(reverse("account_reauthenticate")):
        client.post(response["Location"], {"password": factories.PASSWORD})
    path = _confirm_path()
    mailbox_holder = Client()
    response = mailbox_holder.post(path)
    assert response.status_code == 302 and response["Location"] != reverse("welcome")
    assert _signed_in_as(mailbox_holder) is None
    assert EmailAddress.objects.get(email="renamed@example.com").verified


def test_a_second_address_of_a_member_who_never_signed_in_signs_nobody_in():
    member = factories.UserFactory()
    other = EmailAddress.objects.create(user=member, email="second@example.com",
                                        verified=False, primary=False)
    from allauth.account.models import EmailConfirmationHMAC

    path = reverse("account_confirm_email", args=[EmailConfirmationHMAC(other).key])
    stranger = Client()
    stranger.post(path)
    assert _signed_in_as(stranger) is None
    other.refresh_from_db()
    assert other.verified


def test_an_unclaimed_import_is_not_signed_in_by_confirming():
    imported = factories.UserFactory(is_unclaimed=True, verified=False)
    address = EmailAddress.objects.create(user=imported, email=imported.email,
                                          verified=False, primary=True)
    from allauth.account.models import EmailConfirmationHMAC

    stranger = Client()
    stranger.post(reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]))
    assert _signed_in_as(stranger) is None


# The welcome ---------------------------------------------------------------------------

@pytest.fixture
def community():
    host = factories.HostFactory()
    kettles = factories.SpaceFactory(name="Kettles", description="Pots and burners.")
    yeast = factories.SpaceFactory(name="Yeast lab")
    intro = conversations.thread_create(author=host, space=kettles, kind="discussion",
                                        title="Welcome! Introduce yourself here",
                                        body="Say hello.")
    conversations.thread_create(author=host, space=yeast, kind="question",
                                title="Which strain for a saison?", body="Thoughts?",
                                tags=["saison", "yeast"])
    return {"host": host, "kettles": kettles, "yeast": yeast, "intro": intro}


def test_the_welcome_says_what_the_community_is_and_offers_follows(client, community,
                                                                   settings):
    newcomer = factories.NewMemberFactory()
    client.force_login(newcomer)
    text = client.get(reverse("welcome")).content.decode()
    assert settings.BRAND["tagline"] in text
    assert "Kettles" in text and "Pots and burners." in text and "Yeast lab" in text
    assert 'name="tags"' in text and "saison" in text
    assert community["intro"].get_absolute_url() in text  # say hello in the intro thread
    assert "While you are new" in text


def test_finishing_the_welcome_follows_what_was_picked_and_is_never_offered_again(
        client, community):
    newcomer = factories.NewMemberFactory()
    client.force_login(newcomer)
    home = client.get(reverse("home")).content.decode()
    assert "Finish your welcome" in home
    saison = community["yeast"].threads.get().tags.get(name="saison")
    response = client.post(reverse("welcome"), {
        "spaces": [community["yeast"].pk], "tags": [saison.pk],
        "bio": "I brew saisons in a small flat."})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert list(SpaceFollow.objects.filter(user=newcomer).values_list("space", flat=True)) == [
        community["yeast"].pk]
    assert list(TagFollow.objects.filter(user=newcomer).values_list("tag", flat=True)) == [
        saison.pk]
    newcomer.refresh_from_db()
    assert newcomer.bio == "I brew saisons in a small flat." and newcomer.onboarded_at
    done = EngagementEvent.objects.get(kind=Kind.WELCOME_DONE)
    assert done.actor == newcomer and done.payload == {"outcome": "finished"}
    assert EngagementEvent.objects.filter(kind=Kind.FOLLOWED, payload__tag=saison.pk).exists()
    home = client.get(reverse("home")).content.decode()
    assert "Finish your welcome" not in home
    assert "Which strain for a saison?" in home.split("Your questions")[0]  # "For you"
    assert client.get(reverse("welcome"))["Location"] == reverse("home")


def test_skipping_the_welcome_is_remembered(client, community):
    newcomer = factories.NewMemberFactory()
    client.force_login(newcomer)
    response = client.post(reverse("welcome"), {"skip": "1"})
    assert response["Location"] == reverse("home")
    assert EngagementEvent.objects.get(kind=Kind.WELCOME_DONE).payload == {
        "outcome": "skipped"}
    assert not SpaceFollow.objects.filter(user=newcomer).exists()
    assert "Finish your welcome" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("welcome")).status_code == 302
    assert onboarding.welcome_skip(member=newcomer) is False  # once only
    assert EngagementEvent.objects.filter(kind=Kind.WELCOME_DONE).count() == 1


def test_a_choice_not_offered_is_refused_with_a_message_and_the_text_kept(client, community):
    newcomer = factories.NewMemberFactory()
    client.force_login(newcomer)
    response = client.post(reverse("welcome"), {
        "spaces": [community["yeast"].pk], "tags": ["999999"], "bio": "Hello, I am new."})
    assert response.status_code == 400
    text = response.content.decode()
    assert "That tag is not offered here" in text and "Hello, I am new." in text
    assert "checked" in text  # the space stays ticked
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at is None and not SpaceFollow.objects.exists()


def test_unticking_a_space_on_the_welcome_unfollows_it(client, community):
    newcomer = factories.NewMemberFactory()
    conversations.space_follow_set(user=newcomer, space=community["kettles"], follow=True)
    client.force_login(newcomer)
    page = client.get(reverse("welcome")).content.decode()
    assert re.search(rf'value="{community["kettles"].pk}" checked', page)
    client.post(reverse("welcome"), {"spaces": [community["yeast"].pk]})
    assert set(SpaceFollow.objects.filter(user=newcomer).values_list("space", flat=True)) == {
        community["yeast"].pk}


def test_the_welcome_asks_visitors_to_sign_in(client):
    response = client.get(reverse("welcome"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


# The member's home ---------------------------------------------------------------------

def test_a_members_home_differs_from_the_anonymous_one(client, community):
    anonymous = Client()
    first = anonymous.get(reverse("home"))
    assert "For you" not in first.content.decode()
    assert anonymous.get(reverse("home"))["X-Page-Cache"] == "hit"  # still kept whole
    member = factories.UserFactory()
    client.force_login(member)
    text = client.get(reverse("home")).content.decode()
    assert "For you" in text and "Your questions" in text
    assert "You have not asked anything yet" in text
    assert "Follow a space or a tag" in text


def test_a_new_thread_in_a_followed_space_and_tag_shows_at_once(client, community):
    member = factories.UserFactory()
    conversations.space_follow_set(user=member, space=community["kettles"], follow=True)
    client.force_login(member)
    before = client.get(reverse("home")).content.decode()
    assert "Burner too weak for 30 litres" not in before
    conversations.thread_create(author=community["host"], space=community["kettles"],
                                kind="question", title="Burner too weak for 30 litres",
                                body="It never boils.")
    for_you = client.get(reverse("home")).content.decode().split("Your questions")[0]
    assert "Burner too weak for 30 litres" in for_you
    # A tag followed from now on: its thread in another space joins "For you" at once.
    conversations.tag_follow_set(user=member, tag=community["yeast"].threads.get().tags.get(
        name="saison"), follow=True)
    for_you = client.get(reverse("home")).content.decode().split("Your questions")[0]
    assert "Which strain for a saison?" in for_you


def test_your_questions_show_answers_and_acceptance_at_once(client, community):
    asker = factories.UserFactory()
    question = conversations.thread_create(author=asker, space=community["kettles"],
                                           kind="question", title="Is my kettle element dead?",
                                           body="No heat at all.")
    client.force_login(asker)

    def mine():
        return client.get(reverse("home")).content.decode().split("Your questions")[1]

    assert "Unanswered yet" in mine()
    answer = conversations.post_create(author=factories.UserFactory(), thread=question,
                                       body="Check the fuse first.")
    assert "1 answer, none accepted yet" in mine()
    conversations.answer_accept(actor=asker, answer=answer)
    assert "1 answer, one accepted" in mine()


# Rendered afresh: the session and the member, the feed and its tags, the host's slot, the
# newest members, "For you" and its tags, "Your questions", the featured moment entries.
MEMBER_HOME_BUDGET = 9


def _grow(*, members, threads):
    space = factories.SpaceFactory()
    for i in range(threads):
        author = members[i % len(members)]
        thread = conversations.thread_create(
            author=author, space=space, kind=Thread.Kind.QUESTION if i % 2 else "discussion",
            title=f"Thread {i} about kettles", body="Body", tags=[f"tag{i % 5}", "kettle"])
        conversations.post_create(author=members[(i + 1) % len(members)], thread=thread,
                                  body="An answer")
    return space


def _home_queries(client, django_assert_max_num_queries, budget):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("home"))
    with django_assert_max_num_queries(budget), CaptureQueriesContext(connection) as ctx:
        # A fresh render of the member's part (the feed's version moves on).
        from community import pages

        pages.invalidate("feed")
        assert client.get(reverse("home")).status_code == 200
    return len(ctx.captured_queries)


def test_the_member_home_costs_the_same_whatever_the_size(client, django_assert_max_num_queries):
    me = factories.UserFactory()
    others = [factories.UserFactory() for _ in range(3)]
    small_space = _grow(members=[me, *others], threads=2)
    conversations.space_follow_set(user=me, space=small_space, follow=True)
    client.force_login(me)
    small = _home_queries(client, django_assert_max_num_queries, MEMBER_HOME_BUDGET)
    for _ in range(3):
        space = _grow(members=[me, *others], threads=12)
        conversations.space_follow_set(user=me, space=space, follow=True)
    from community.models import Tag

    for tag in Tag.objects.all():
        conversations.tag_follow_set(user=me, tag=tag, follow=True)
    large = _home_queries(client, django_assert_max_num_queries, MEMBER_HOME_BUDGET)
    assert large == small, (small, large)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as kept:  # nothing changed: the fragments serve
        client.get(reverse("home"))
    assert len(kept.captured_queries) < small


def test_a_followed_tag_beyond_the_most_used_is_offered_ticked_and_kept(client, community):
    newcomer = factories.NewMemberFactory()
    for i in range(14):
        conversations.thread_create(author=community["host"], space=community["kettles"],
                                    kind="discussion", title=f"Popular thread {i}",
                                    body="Body", tags=[f"popular{i}", "common"])
    rare = conversations.thread_create(author=community["host"], space=community["kettles"],
                                       kind="discussion", title="A rare thread", body="Body",
                                       tags=["rare"]).tags.get()
    conversations.tag_follow_set(user=newcomer, tag=rare, follow=True)
    client.force_login(newcomer)
    page = client.get(reverse("welcome")).content.decode()
    assert re.search(rf'value="{rare.pk}" checked', page)
    client.post(reverse("welcome"), {"tags": [rare.pk]})
    assert TagFollow.objects.filter(user=newcomer, tag=rare).exists()
    # A tag the page did not offer is left as it was, whatever was ticked.
    other = factories.NewMemberFactory()
    conversations.tag_follow_set(user=other, tag=rare, follow=True)
    onboarding.welcome_finish(member=other, spaces=[], tags=[], offered_tags=[])
    assert TagFollow.objects.filter(user=other, tag=rare).exists()


@pytest.mark.parametrize("value", ["99999999999999999999", "x", "-1", "1e3", ""])
def test_odd_choices_on_the_welcome_are_refused_without_a_server_error(client, community,
                                                                       value):
    client.force_login(factories.NewMemberFactory())
    response = client.post(reverse("welcome"), {"spaces": [value], "tags": [value],
                                                "bio": "Kept."})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "Kept." in response.content.decode()
