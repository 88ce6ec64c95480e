"""Listening: each post's tone and brand signal, computed by the worker, and the hosts'
map, human-touch queue and weekly digest, on hand-built communities."""
import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from community.engine import engagement, notifications
from community.host.listening import digest as listening_digest
from community.host.listening import selectors, sentiment, services, signals
from community.models import (
    CommunitySettings,
    EngagementEvent,
    PostSignal,
    Product,
    SearchMiss,
    Tag,
    Thread,
    User,
)
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db

SARCASTIC = "great, another firmware update that bricks my kettle 🙂"


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Kettles")


@pytest.fixture
def brand(settings):
    """The brand "Acme" with its Summit kettle; hosts add "acme care" as a brand word."""
    settings.BRAND = {**settings.BRAND, "name": "Acme", "tagline": "Brew better together"}
    Product.objects.create(sku="SUM-30", name="Summit 30L kettle", slug="summit-30",
                           line="Summit")
    s = CommunitySettings.get()
    s.brand_terms = "Acme Care\n"
    s.brand_slogans = "Boil with confidence\n"
    s.save()


def _verified(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=user, email=user.email,
                                          defaults={"verified": True, "primary": True})
    return user


def _thread(author, space, body, title="A question", **kwargs):
    thread = conversations.thread_create(author=author, space=space, kind=Thread.Kind.QUESTION,
                                         title=title, body=body, **kwargs)
    engagement.process_pending()
    return thread


def _reply(author, thread, body, **kwargs):
    post = conversations.post_create(author=author, thread=thread, body=body, **kwargs)
    engagement.process_pending()
    return post


# The analyser -------------------------------------------------------------------------------

def test_the_sarcastic_firmware_post_reads_as_sarcastic_though_vader_calls_it_positive():
    reading = sentiment.read(SARCASTIC)
    assert reading.sentiment > 0  # VADER alone is fooled by "great" and the smile
    assert reading.sarcasm and "great_another" in reading.reasons
    assert reading.needs_touch


@pytest.mark.parametrize("text", [
    "Thanks again, that fixed it!",
    "Great, another IPA to try this weekend!",
    "I actually disagree with you on the corked bottles, see my answer :)",
    "Boil for 60 minutes; the bitterness will be strong.",
])
def test_friendly_and_technical_posts_are_not_sarcastic(text):
    assert not sentiment.read(text).sarcasm


@pytest.mark.parametrize("text, reason", [
    ("Wonderful, my kettle leaks again.", "praise_negative"),
    ("It broke on day two and support ignored me :)", "mixed_emoji"),
    ("Just what I needed, a lid that does not fit.", "great_another"),
])
def test_the_other_sarcasm_cues(text, reason):
    assert reason in sentiment.read(text).reasons


def test_the_brand_tone_reads_the_sentences_that_name_it_and_the_one_after():
    pattern = sentiment.brand_pattern(["Acme", "Summit 30L kettle"])
    reading = sentiment.read("I love brewing in winter. My Acme kettle leaks. Awful.",
                             brand=pattern)
    assert reading.about_brand
    assert reading.brand_sentiment < sentiment.BRAND_NEGATIVE
    assert reading.sentiment > reading.brand_sentiment  # the first sentence is warm
    assert sentiment.read("Acmeish is a made-up word.", brand=pattern).about_brand is False
    hyphenated = sentiment.brand_pattern(["Anheuser-Busch"])
    assert hyphenated.search("anheuser busch") and hyphenated.search("Anheuser-Busch")
    quoted = sentiment.read("> Acme is awful\n\nI disagree, it's fine.", brand=pattern)
    assert not quoted.about_brand  # a quote of someone else is not the author's voice


def test_code_and_html_are_not_read():
    reading = sentiment.read("<p>Use this:</p><pre><code>kill -9 awful terrible</code></pre>",
                             html_body=True)
    assert reading.sentiment == 0.0


# The worker --------------------------------------------------------------------------------

def test_the_worker_puts_the_sarcastic_post_in_the_human_touch_queue(client_as, space, brand):
    asker, grumbler, host = factories.UserFactory(), factories.UserFactory(), \
        factories.HostFactory()
    thread = _thread(asker, space, "Is the new firmware out?")
    post = _reply(grumbler, thread, SARCASTIC)
    signal = PostSignal.objects.get(post=post)
    assert signal.sarcasm and signal.needs_touch and signal.touch == "open"
    page = client_as(host).get(reverse("listening_touch"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "bricks my kettle" in text
    assert "likely sarcastic" in text
    assert post.get_absolute_url() in text  # "Answer in the thread"


def test_a_post_negative_about_the_brand_is_queued_and_a_staff_post_never(space, brand):
    member, host = factories.UserFactory(), factories.HostFactory()
    thread = _thread(member, space, "My Summit kettle cracked after a week. Terrible.")
    signal = PostSignal.objects.get(post=thread.opening_post)
    assert signal.about_brand and signal.reasons == ["brand_negative"]
    assert signal.needs_touch
    staff = _reply(host, thread, "Acme Care here: that is awful, sorry. We'll replace it.")
    staff_signal = PostSignal.objects.get(post=staff)
    assert staff_signal.about_brand and not staff_signal.by_member
    assert not staff_signal.needs_touch and staff_signal.touch == ""


def test_a_slogan_quoted_back_is_sarcasm(space, brand):
    member = factories.UserFactory()
    thread = _thread(member, space, "“Boil with confidence”, they said. The element died "
                                    "and the lid is broken.")
    assert "slogan" in PostSignal.objects.get(post=thread.opening_post).reasons


def test_an_edit_is_read_again_and_a_host_decision_survives_it(space, brand):
    member, host = factories.UserFactory(), factories.HostFactory()
    thread = _thread(member, space, "The Summit kettle is fine.")
    post = thread.opening_post
    assert not PostSignal.objects.get(post=post).needs_touch
    conversations.post_edit(actor=member, post=post,
                            body="The Summit kettle is useless, it leaks everywhere.")
    engagement.process_pending()
    assert PostSignal.objects.get(post=post).touch == "open"
    services.touch_decide(actor=host, post_id=post.pk, decision="answered")
    conversations.post_edit(actor=member, post=post,
                            body="The Summit kettle is useless and leaks. Awful.")
    engagement.process_pending()
    assert PostSignal.objects.get(post=post).touch == "answered"  # not back in the queue


def test_the_listen_command_backfills_and_prints_the_distribution(space, brand, capsys):
    member = factories.UserFactory()
    thread = _thread(member, space, "Thanks, lovely kettle!")
    _reply(member, thread, "My Summit kettle leaks. Awful.")
    PostSignal.objects.all().delete()
    call_command("listen", "--space", space.slug)
    out = capsys.readouterr().out
    assert PostSignal.objects.count() == 2
    assert "Read 2 posts" in out and "Strongly positive" in out
    assert re.search(r"need a human touch\s+1", out)


# The queue's decisions ----------------------------------------------------------------------

def test_answered_and_dismiss_with_undo_through_the_pages(client_as, space, brand):
    member, host = factories.UserFactory(), factories.HostFactory()
    post = _thread(member, space, SARCASTIC).opening_post
    client = client_as(host)
    response = client.post(reverse("touch_decide", args=[post.pk, "answered"]))
    assert response.status_code == 302 and f"done={post.pk}" in response.url
    page = client.get(response.url)
    assert "Nobody is waiting for a human touch" in page.content.decode()
    assert "Undo" in page.content.decode()
    assert EngagementEvent.objects.filter(kind="touch_decided", post_id=post.pk).count() == 1
    answered = client.get(reverse("listening_touch"), {"show": "answered"}).content.decode()
    assert "bricks my kettle" in answered
    client.post(reverse("touch_decide", args=[post.pk, "reopen"]))
    assert PostSignal.objects.get(post=post).touch == "open"
    swapped = client.post(reverse("touch_decide", args=[post.pk, "dismissed"]),
                          HTTP_HX_REQUEST="true")
    assert swapped.status_code == 200
    assert "Set aside" in swapped.content.decode() and "Undo" in swapped.content.decode()
    back = client.post(reverse("touch_decide", args=[post.pk, "reopen"]), HTTP_HX_REQUEST="true")
    assert "Answered" in back.content.decode()  # the item again, with its buttons
    assert PostSignal.objects.get(post=post).touch == "open"


def test_bad_decisions_and_posts_outside_the_queue_are_not_found(client_as, space, brand):
    member, host = factories.UserFactory(), factories.HostFactory()
    calm = _thread(member, space, "A calm question about kettles.").opening_post
    client = client_as(host)
    assert client.post(reverse("touch_decide", args=[calm.pk, "answered"])).status_code == 404
    assert client.post(reverse("touch_decide", args=[calm.pk, "hide"])).status_code == 404
    assert client.post(reverse("touch_decide", args=[999999, "answered"])).status_code == 404


def test_the_queue_pages_and_hides_deleted_posts(client_as, space, brand):
    member, host = factories.UserFactory(), factories.HostFactory()
    thread = _thread(member, space, "Which kettle?")
    posts = [_reply(member, thread, f"Great, another update that bricks kettle number {i} 🙂")
             for i in range(selectors.QUEUE_PAGE + 1)]
    client = client_as(host)
    first = client.get(reverse("listening_touch"))
    assert len(first.context["page"].items) == selectors.QUEUE_PAGE
    assert first.context["page"].has_next
    second = client.get(reverse("listening_touch"), {"page": 2})
    assert [s.post_id for s in second.context["page"].items] == [posts[0].pk]
    conversations.post_delete(actor=host, post=posts[0])
    assert client.get(reverse("listening_touch"), {"page": 2}).context["page"].items == []


# The map ------------------------------------------------------------------------------------

def test_the_map_places_advocates_and_detractors_and_links_their_threads(client_as, space,
                                                                         brand):
    host = factories.HostFactory()
    fan = factories.UserFactory(display_name="Fran Fan")
    critic = factories.UserFactory(display_name="Cris Critic")
    quiet = factories.UserFactory(display_name="Quinn Quiet")
    _thread(fan, space, "I love my Acme kettle, it is wonderful.", title="Love it")
    _thread(critic, space, "The Summit kettle is awful and broke.", title="Broke")
    _thread(quiet, space, "How long should I boil?", title="Boil time")
    # Help given, as the engine stores it (answers to others are tested in test_engagement).
    User.objects.filter(pk=fan.pk).update(peer_help=40)
    User.objects.filter(pk=critic.pk).update(peer_help=10)
    client = client_as(host)
    page = client.get(reverse("listening"))
    assert page.status_code == 200
    dots = page.context["map"]["dots"]
    assert [d.member.name for d in dots] == ["Fran Fan", "Cris Critic"]
    assert dots[0].side == "warm" and dots[1].side == "critical"
    assert dots[0].x > dots[1].x and dots[0].y < dots[1].y  # more help, warmer: up right
    text = page.content.decode()
    assert 'aria-describedby="map-desc"' in text and "<table" in text  # chart and text
    assert "1 member speak warmly of the brand, 0 neutrally and 1 critically" in text
    member_url = reverse("listening_member", args=[critic.username])
    assert member_url in text
    behind = client.get(member_url).content.decode()
    assert "Broke" in behind and "Love it" not in behind


def test_the_map_and_digest_are_empty_states_on_a_quiet_site(client_as):
    client = client_as(factories.HostFactory())
    assert "Nobody has spoken of the brand yet" in client.get(reverse("listening")).content.decode()
    assert "Nobody is waiting" in client.get(reverse("listening_touch")).content.decode()
    assert "A quiet week" in client.get(reverse("listening_digest")).content.decode()


def test_the_map_costs_a_fixed_number_of_queries(client_as, space, brand,
                                                 django_assert_max_num_queries):
    client = client_as(factories.HostFactory())
    for i in range(5):
        _thread(factories.UserFactory(), space, f"My Acme kettle number {i} is lovely.")
    client.get(reverse("listening"))
    with django_assert_max_num_queries(12):
        client.get(reverse("listening"))


# The weekly digest --------------------------------------------------------------------------

def _week_ago(days_into_week=1):
    week = selectors.last_full_week()
    return timezone.make_aware(datetime.datetime.combine(
        week + datetime.timedelta(days=days_into_week), datetime.time(12)))


def test_the_digest_names_what_members_cared_about(client_as, space, brand):
    host = factories.HostFactory()
    week_day = _week_ago()
    kettle = Product.objects.get(sku="SUM-30")
    for i in range(3):
        thread = _thread(factories.UserFactory(), space, "Help?", title=f"Hop question {i}",
                         tags=["hops"], created_at=week_day)
        Thread.objects.filter(pk=thread.pk).update(product=kettle)
    old = week_day - datetime.timedelta(days=14)
    _thread(factories.UserFactory(), space, "Old", title="Old hops", tags=["hops"],
            created_at=old)
    # A member whose tone turned: warm for weeks, then cross.
    turned = factories.UserFactory(display_name="Tess Turned")
    base = _thread(factories.UserFactory(), space, "Chat", title="Chat",
                   created_at=old - datetime.timedelta(days=7))
    for i in range(3):
        _reply(turned, base, "Thanks, wonderful advice, I love it!",
               created_at=old + datetime.timedelta(days=i))
    for i in range(2):
        _reply(turned, base, "This is awful, terrible and broken. I hate it.",
               created_at=week_day + datetime.timedelta(hours=i))
    services.search_miss_record(words=["glycol", "chiller"], now=week_day)
    services.search_miss_record(words=["glycol", "chiller"], now=week_day)
    page = client_as(host).get(reverse("listening_digest"))
    found = page.context["digest"]
    assert [r["object"].name for r in found["tags"]] == ["hops"]
    assert found["tags"][0]["now"] == 3
    assert [r["object"].name for r in found["products"]] == ["Summit 30L kettle"]
    assert {t.title for t in found["unanswered"]} == {"Hop question 0", "Hop question 1",
                                                      "Hop question 2"}
    assert [(m.term, m.count) for m in found["searches"]] == [("glycol chiller", 2)]
    assert [r["member"].name for r in found["tones"]] == ["Tess Turned"]
    assert not found["tones"][0]["warmer"]
    text = page.content.decode()
    assert "glycol chiller" in text and "Tess Turned" in text and "cooler" in text


def test_a_search_that_found_nothing_is_counted_without_who_searched(client, member):
    client.force_login(member)
    client.get(reverse("search"), {"q": "Unobtainium Widget"})
    client.get(reverse("search"), {"q": "unobtainium   widget!"})
    miss = SearchMiss.objects.get()
    assert miss.term == "unobtainium widget"
    assert {f.name for f in SearchMiss._meta.get_fields()} == {"id", "term", "week", "count"}
    assert miss.week.weekday() == 0
    client.get(reverse("search"), {"q": "unobtainium", "kind": "question"})  # filtered
    assert SearchMiss.objects.count() == 1


def test_a_bad_week_is_a_clear_400(client_as):
    page = client_as(factories.HostFactory()).get(reverse("listening_digest"),
                                                  {"week": "last tuesday"})
    assert page.status_code == 400
    assert "Give the week as a date" in page.content.decode()


def test_hosts_get_the_weekly_digest_once_with_an_unsubscribe_link(client, space, brand):
    host = _verified(factories.HostFactory(email="host@example.com"))
    _verified(factories.UserFactory(email="member@example.com"))
    _thread(factories.UserFactory(), space, "Anyone?", title="Unanswered kettle question",
            created_at=_week_ago())
    mail.outbox.clear()
    assert listening_digest.send_weekly() == 1
    assert listening_digest.send_weekly() == 0  # once a week
    (message,) = mail.outbox
    assert message.to == ["host@example.com"]
    assert "Unanswered kettle question" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = unsubscribe.removeprefix(re.match(r"https?://[^/]+", unsubscribe).group(0))
    assert client.post(path).status_code == 200
    host.refresh_from_db()
    assert host.listening_digest is False
    User.objects.filter(pk=host.pk).update(listening_digest_week=None)
    assert listening_digest.send_weekly() == 0  # unsubscribed


def test_a_quiet_week_sends_no_digest(space):
    _verified(factories.HostFactory(email="host@example.com"))
    mail.outbox.clear()
    assert listening_digest.send_weekly() == 0
    assert mail.outbox == []


def test_only_hosts_see_the_digest_switch_in_their_settings(client_as):
    member_page = client_as(factories.UserFactory()).get(reverse("notification_settings"))
    assert "listening_digest" not in member_page.content.decode()
    host = factories.HostFactory()
    host_page = client_as(host).get(reverse("notification_settings"))
    assert 'name="listening_digest"' in host_page.content.decode()
    assert notifications.topic_label(notifications.Topic.LISTENING)


def test_members_cannot_decide_on_the_queue(space, brand):
    from django.core.exceptions import PermissionDenied

    member = factories.UserFactory()
    post = _thread(member, space, SARCASTIC).opening_post
    with pytest.raises(PermissionDenied):
        services.touch_decide(actor=member, post_id=post.pk, decision="dismissed")
    assert signals.signals_compute([]) == 0
    assert Tag.objects.filter(name="hops").count() == 0


def test_the_queue_and_digest_cost_a_fixed_number_of_queries(client_as, space, brand,
                                                              django_assert_max_num_queries):
    client = client_as(factories.HostFactory())
    thread = _thread(factories.UserFactory(), space, "Which kettle?", created_at=_week_ago())
    for i in range(4):
        _reply(factories.UserFactory(), thread, f"My Summit kettle {i} leaks. Awful.")
    services.search_miss_record(words=["chiller"], now=_week_ago())
    for name in ("listening_touch", "listening_digest"):
        client.get(reverse(name))
        with django_assert_max_num_queries(14):
            client.get(reverse(name))
