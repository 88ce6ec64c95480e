"""Moments: a host's prompt, members' entries (posts in the moment's thread), the gallery,
featured picks on the home page, the mix and each moment's reach."""
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from community import permissions
from community.host import dashboard
from community.models import (
    CommunitySettings,
    EngagementEvent,
    Moment,
    MomentEntry,
    Post,
    PostImage,
)
from community.pages import HEADER
from community.selectors import moments as selectors
from community.services import conversations, moments

from .. import budgets, factories
from .test_upload_corpus import CORPUS, _upload

pytestmark = pytest.mark.django_db
EVENT = EngagementEvent.Kind


def _jpeg(size=(1200, 900), colour=(180, 110, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile("brew.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Brewing")


@pytest.fixture
def moment(host, space):
    now = timezone.now()
    return moments.moment_create(
        host=host, space=space, title="Show us your brew day",
        brief="Your mash, your boil, your mess.", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7), answer=Moment.Answer.BOTH)


def _photo_entry(author, moment, alt="A copper kettle steaming", caption="Boil day"):
    return moments.entry_create(author=author, moment=moment, photo=_jpeg(), alt_text=alt,
                                text=caption)


# Rules --------------------------------------------------------------------------------

def test_a_host_starts_a_moment_with_its_thread_and_event(host, space):
    now = timezone.now()
    made = moments.moment_create(
        host=host, space=space, title="  Show us your brew day ", brief="Photos please.",
        opens_at=now, closes_at=now + timedelta(days=3), answer=Moment.Answer.PHOTO,
        cover_upload=_jpeg(), cover_alt="Hops on a table")
    assert made.title == "Show us your brew day" and made.thread.space == space
    assert made.thread.title == made.title and made.thread.author == host
    # The cover is the opening post's photo: never an orphan for the clean-up.
    assert PostImage.objects.get(pk=made.cover_id).post_id == made.thread.opening_post_id
    event = EngagementEvent.objects.get(kind=EVENT.MOMENT_CREATED)
    assert event.actor == host and event.payload == {"moment": made.pk}


def test_only_hosts_start_edit_close_and_feature(member, space, moment):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        moments.moment_create(host=member, space=space, title="Mine", brief="x",
                              opens_at=now, closes_at=now + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        moments.moment_close(host=member, moment=moment)
    entry = _photo_entry(factories.UserFactory(), moment)
    with pytest.raises(PermissionDenied):
        moments.entry_feature_set(host=member, entry=entry, featured=True)
    assert not permissions.can_host_moment(factories.PartnerFactory())


def test_a_moment_closes_after_it_opens_and_has_words(host, space):
    now = timezone.now()
    with pytest.raises(ValidationError, match="close after it opens"):
        moments.moment_create(host=host, space=space, title="T", brief="B", opens_at=now,
                              closes_at=now - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="title"):
        moments.moment_create(host=host, space=space, title="  ", brief="B", opens_at=now,
                              closes_at=now + timedelta(days=1))
    assert not Moment.objects.exists()


def test_entries_only_while_open(host, space, member):
    now = timezone.now()
    upcoming = moments.moment_create(host=host, space=space, title="Later", brief="Soon.",
                                     opens_at=now + timedelta(hours=2),
                                     closes_at=now + timedelta(days=2))
    assert upcoming.state() == "upcoming"
    with pytest.raises(PermissionDenied, match="not open"):
        moments.entry_create(author=member, moment=upcoming, text="Too early")
    assert upcoming.state(now + timedelta(hours=3)) == "open"
    assert permissions.can_enter_moment(member, upcoming, now + timedelta(hours=3))
    upcoming.opens_at = now - timedelta(minutes=5)
    upcoming.save()
    moments.entry_create(author=member, moment=upcoming, text="Just in time")
    assert moments.moment_close(host=host, moment=upcoming)
    assert upcoming.state() == "closed" and not moments.moment_close(host=host, moment=upcoming)
    with pytest.raises(PermissionDenied, match="not open"):
        moments.entry_create(author=factories.UserFactory(), moment=upcoming, text="Too late")
    assert MomentEntry.objects.filter(moment=upcoming).count() == 1


def test_an_entry_is_a_post_in_the_moments_thread(member, moment):
    entry = _photo_entry(member, moment)
    post = entry.post
    assert post.thread_id == moment.thread_id and post.kind == Post.Kind.REPLY
    entry.image.refresh_from_db()
    assert entry.image.post_id == post.pk and entry.text == "Boil day"
    assert len(entry.image.variants) >= 2  # the stored sizes make the srcset
    event = EngagementEvent.objects.get(kind=EVENT.POST_CREATED, post_id=post.pk)
    assert event.payload["moment"] == moment.pk
    moment.refresh_from_db()
    assert moment.entry_count == 1
    # Replies on an entry are replies to its post.
    conversations.post_create(author=factories.UserFactory(), thread=moment.thread,
                              body="Lovely colour", parent=post)
    assert selectors.gallery(moment).items[0].reply_count == 1


def test_entry_validation_follows_the_kind_of_answer(host, space, member):
    now = timezone.now()
    photo_only = moments.moment_create(host=host, space=space, title="Photos", brief="B",
                                       opens_at=now - timedelta(minutes=1),
                                       closes_at=now + timedelta(days=1),
                                       answer=Moment.Answer.PHOTO)
    story_only = moments.moment_create(host=host, space=space, title="Stories", brief="B",
                                       opens_at=now - timedelta(minutes=1),
                                       closes_at=now + timedelta(days=1),
                                       answer=Moment.Answer.STORY)
    with pytest.raises(ValidationError, match="asks for a photo"):
        moments.entry_create(author=member, moment=photo_only, text="Only words")
    with pytest.raises(ValidationError, match="asks for a story"):
        _photo_entry(member, story_only)
    with pytest.raises(ValidationError, match="Keep the story under 3000"):
        moments.entry_create(author=member, moment=story_only, text="x" * 3001)
    with pytest.raises(ValidationError, match="Keep the caption under 500"):
        _photo_entry(member, photo_only, caption="y" * 501)
    with pytest.raises(ValidationError, match="Describe the photo|alt"):
        _photo_entry(member, photo_only, alt="  ")
    assert not MomentEntry.objects.exists() and not PostImage.objects.filter(
        uploader=member).exists()


def test_an_entry_goes_through_the_posts_checks(member, moment):
    from community.content import limits

    with pytest.raises(ValidationError):
        moments.entry_create(author=member, moment=moment,
                             text="[" * (limits.MAX_BRACKETS + 1))
    assert not MomentEntry.objects.exists()


def test_new_member_limits_apply_to_entries(new_member, moment):
    settings = CommunitySettings.get()
    settings.new_member_max_images = 0
    settings.save()
    with pytest.raises(ValidationError, match="New members cannot add photos"):
        _photo_entry(new_member, moment)
    assert not MomentEntry.objects.exists()


def test_a_held_entry_waits_outside_the_gallery(client, new_member, moment):
    from community.services import moderation

    entry = moments.entry_create(author=new_member, moment=moment, text="My first brew")
    held = entry.post.status == Post.Status.HELD
    if not held:  # the community does not hold first posts: a host hides it instead
        moderation.review_hide(actor=factories.HostFactory(), post=entry.post, reason="check")
    assert selectors.gallery(moment).items == []
    assert "My first brew" not in client.get(moment.get_absolute_url()).content.decode()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_uploads_are_refused_and_the_caption_kept(client, member, moment, name):
    client.force_login(member)
    response = client.post(reverse("moment_enter", args=[moment.pk]),
                           {"photo": _upload(name), "photo_alt": "A photo",
                            "text": "Typed caption"})
    body = response.content.decode()
    assert response.status_code == 400
    assert CORPUS[name][3] in body and "Typed caption" in body
    assert not MomentEntry.objects.exists() and not PostImage.objects.filter(
        uploader=member).exists()


# Pages --------------------------------------------------------------------------------

def test_a_member_answers_through_the_page_and_sees_the_gallery(client, member, moment):
    client.force_login(member)
    response = client.post(reverse("moment_enter", args=[moment.pk]),
                           {"photo": _jpeg(), "photo_alt": "Grain in the mash tun",
                            "text": "Mashing in at 67"}, follow=True)
    page = response.content.decode()
    assert "your entry is in the gallery" in page
    assert 'alt="Grain in the mash tun"' in page and 'loading="lazy"' in page
    assert "srcset=" in page and "Mashing in at 67" in page and member.name in page
    entry = MomentEntry.objects.get()
    assert entry.post.get_absolute_url() in page  # without JavaScript: the entry's page


def test_the_list_puts_open_then_upcoming_then_closed(client, host, space):
    now = timezone.now()

    def make(title, opens, closes):
        return moments.moment_create(host=host, space=space, title=title, brief="B",
                                     opens_at=now + opens, closes_at=now + closes)

    make("Closed one", timedelta(days=-9), timedelta(days=-2))
    make("Upcoming one", timedelta(days=2), timedelta(days=9))
    make("Open one", timedelta(days=-1), timedelta(days=5))
    page = client.get(reverse("moment_list")).content.decode()
    assert page.index("Open one") < page.index("Upcoming one") < page.index("Closed one")


def test_the_list_has_an_empty_state(client):
    assert "No moments yet" in client.get(reverse("moment_list")).content.decode()


def test_the_host_form_starts_a_moment_and_refuses_bad_times(client_as, host, space):
    client = client_as(host)
    assert client.get(reverse("moment_create")).status_code == 200
    response = client.post(reverse("moment_create"), {
        "title": "Typed title", "brief": "Typed brief", "space": space.pk, "answer": "photo",
        "opens_at": "2030-05-02T10:00", "closes_at": "2030-05-01T10:00"})
    assert response.status_code == 400
    assert "close after it opens" in response.content.decode()
    assert "Typed brief" in response.content.decode()
    response = client.post(reverse("moment_create"), {
        "title": "Typed title", "brief": "Typed brief", "space": space.pk, "answer": "photo",
        "opens_at": "2030-05-01T10:00", "closes_at": "2030-05-09T10:00"})
    made = Moment.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.state() == "upcoming"


def test_gallery_sorts_by_newest_and_most_loved(client, moment):
    first = moments.entry_create(author=factories.UserFactory(display_name="Early Bird"),
                                 moment=moment, text="Early story")
    moments.entry_create(author=factories.UserFactory(display_name="Late Comer"),
                         moment=moment, text="Late story")
    for _ in range(2):
        conversations.vote_cast(voter=factories.UserFactory(), post=first.post, kind="like")
    newest = client.get(moment.get_absolute_url()).content.decode()
    assert newest.index("Late story") < newest.index("Early story")
    loved = client.get(moment.get_absolute_url() + "?sort=loved").content.decode()
    assert loved.index("Early story") < loved.index("Late story")
    assert "2 likes" in loved
    # htmx asks for the gallery alone.
    partial = client.get(moment.get_absolute_url() + "?sort=loved", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Early story" in partial.content


def test_featuring_shows_on_the_home_page_at_once_with_caches_on(client, client_as, host,
                                                                moment):
    entry = _photo_entry(factories.UserFactory(display_name="Bea Brewer"), moment,
                         alt="Foam on a fresh pint")
    assert client.get(reverse("home"))[HEADER] == "miss"
    cached = client.get(reverse("home"))
    assert cached[HEADER] == "hit" and b"From the community" not in cached.content
    moments.entry_feature_set(host=host, entry=entry, featured=True)
    page = client.get(reverse("home")).content.decode()
    assert "From the community" in page and 'alt="Foam on a fresh pint"' in page
    assert "Bea Brewer" in page and moment.title in page
    detail = client.get(moment.get_absolute_url()).content.decode()
    assert "Featured by the hosts" in detail
    event = EngagementEvent.objects.get(kind=EVENT.MOMENT_ENTRY_FEATURED)
    assert event.subject_user == entry.post.author and event.payload["featured"] is True
    # Unfeatured through the page: gone from the home page at once.
    client_as(host).post(reverse("entry_feature", args=[entry.pk]), {"featured": "0"})
    client.logout()
    assert b"From the community" not in client.get(reverse("home")).content


def test_the_moment_page_is_kept_for_visitors_and_shows_every_change_at_once(
        client, host, member, moment):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    visitor, as_member, as_host = Client(), Client(), Client()
    as_member.force_login(member)
    as_host.force_login(host)
    url = moment.get_absolute_url()

    def everyone():
        return [c.get(url).content.decode() for c in (visitor, as_member, as_host)]

    assert visitor.get(url)[HEADER] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        assert visitor.get(url)[HEADER] == "hit"  # kept: the gallery is not built again
    assert len(ctx.captured_queries) == 0  # nor the moment read: its thread and times are kept
    entry = _photo_entry(factories.UserFactory(display_name="Bea Brewer"), moment,
                         alt="Foam on a fresh pint")
    assert all('alt="Foam on a fresh pint"' in page for page in everyone())
    moments.entry_feature_set(host=host, entry=entry, featured=True)
    assert all("Featured by the hosts" in page for page in everyone())
    # Closing by the clock, with no event: the page's state is part of its name. (The
    # clock is the outside world: it is moved past the closing time.)
    later = moment.closes_at + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert all("Closed on" in page for page in everyone())


def test_a_hidden_entry_cannot_be_featured(host, moment):
    from community.services import moderation

    entry = moments.entry_create(author=factories.UserFactory(), moment=moment, text="Hmm")
    moderation.review_hide(actor=host, post=entry.post, reason="Spam?")
    entry.post.refresh_from_db()
    with pytest.raises(ValidationError, match="published"):
        moments.entry_feature_set(host=host, entry=entry, featured=True)


# The host's figures -------------------------------------------------------------------

def test_entries_count_as_content_in_the_mix(host, moment):
    member = factories.UserFactory()
    moments.entry_create(author=member, moment=moment, text="A story")
    moments.entry_create(author=host, moment=moment, text="Staff story")  # staff: not counted
    conversations.post_create(author=member, thread=moment.thread, body="A plain reply")
    mix = {row["name"]: row["count"] for row in dashboard.engagement_mix(dashboard.Period())}
    assert mix["content"] == 1
    assert mix["conversation"] == 1  # the plain reply; the host's thread is staff's


def test_reach_counts_entries_members_share_and_member_replies(client_as, host, moment):
    ada, bo = factories.UserFactory(), factories.UserFactory()
    a1 = moments.entry_create(author=ada, moment=moment, text="One")
    moments.entry_create(author=ada, moment=moment, text="Two")
    moments.entry_create(author=bo, moment=moment, text="Three")
    moments.entry_create(author=host, moment=moment, text="Staff")
    conversations.post_create(author=bo, thread=moment.thread, body="Nice", parent=a1.post)
    conversations.post_create(author=ada, thread=moment.thread, body="Thanks", parent=a1.post)
    conversations.post_create(author=host, thread=moment.thread, body="Great", parent=a1.post)
    row = next(r for r in selectors.reach() if r["moment"].pk == moment.pk)
    assert (row["entries"], row["members"], row["member_replies"]) == (4, 2, 1)
    assert row["member_share"] == 0.75
    page = client_as(host).get(reverse("moment_reach")).content.decode()
    assert moment.title in page and "75%" in page


# Query budgets ------------------------------------------------------------------------

def _entries(moment, n):
    for i in range(n):
        _photo_entry(factories.UserFactory(), moment, caption=f"Entry {i}")


def test_gallery_and_moment_page_queries_stay_flat(client, client_as, moment):
    _entries(moment, 2)
    url = moment.get_absolute_url()
    member = factories.UserFactory()
    small = {"anonymous": budgets.queries(client, url)}
    small["member"] = budgets.queries(client_as(member), url)
    small["gallery"] = budgets.queries(client_as(member), url + "?sort=loved")
    _entries(moment, 28)
    client.logout()
    large = {"anonymous": budgets.queries(client, url)}
    large["member"] = budgets.queries(client_as(member), url)
    large["gallery"] = budgets.queries(client_as(member), url + "?sort=loved")
    budgets.assert_flat(small, large)
    assert len(selectors.gallery(moment).items) == 30


def test_a_members_gallery_is_kept_until_the_next_entry(client_as, host, moment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _entries(moment, 3)
    url = moment.get_absolute_url()
    reader = client_as(factories.UserFactory())

    def visit():
        with CaptureQueriesContext(connection) as ctx:
            page = reader.get(url).content.decode()
        return page, len(ctx.captured_queries)

    first, made = visit()
    again, kept = visit()
    def gallery(page):  # to the end of the page's content (the footer's form has a token)
        return page[page.index('<section id="gallery"'):page.index("</main>")]

    assert gallery(again) == gallery(first) and kept < made  # the gallery is not read again
    _photo_entry(factories.UserFactory(), moment, caption="Fresh from the kettle")
    fresh, read = visit()
    assert "Fresh from the kettle" in fresh and read == made
    # A host's tiles carry the Feature buttons: never the members' kept copy.
    hosting = client_as(host).get(url).content.decode()
    assert hosting.count(">Feature<") == 4


def test_a_flagged_entry_reaches_the_review_queue(client_as, host, moment):
    from community.services import moderation

    entry = moments.entry_create(author=factories.UserFactory(), moment=moment,
                                 text="Buy cheap hops at my shop")
    moderation.flag_create(flagger=factories.UserFactory(), post=entry.post, reason="spam")
    queue = client_as(host).get(reverse("review_queue")).content.decode()
    assert "Buy cheap hops at my shop" in queue


def test_another_host_edits_the_brief_and_the_thread_follows(client_as, moment):
    other = factories.HostFactory()
    now = timezone.now()
    moments.moment_edit(host=other, moment=moment, title="Show us your bottling day",
                        brief="Caps, crates, labels.", opens_at=now - timedelta(hours=1),
                        closes_at=now + timedelta(days=2), answer=Moment.Answer.STORY)
    moment.thread.refresh_from_db()
    moment.thread.opening_post.refresh_from_db()
    assert moment.thread.title == "Show us your bottling day"
    assert "Caps, crates, labels." in moment.thread.opening_post.body
    page = client_as(None).get(moment.get_absolute_url()).content.decode()
    assert "Show us your bottling day" in page and "Caps, crates, labels." in page
    assert EngagementEvent.objects.filter(kind=EVENT.MOMENT_EDITED).exists()


def test_the_author_hears_their_entry_was_featured(client_as, host, moment):
    from community.engine import engagement
    from community.models import Notification

    author = factories.UserFactory(display_name="Bea Brewer")
    entry = moments.entry_create(author=author, moment=moment, text="Copper kettle")
    moments.entry_feature_set(host=host, entry=entry, featured=True)
    moments.entry_feature_set(host=host, entry=entry, featured=False)  # no second notice
    engagement.process_pending()
    notice = Notification.objects.get(recipient=author, kind=Notification.Kind.FEATURED)
    assert notice.post_id == entry.post_id
    inbox = client_as(author).get(reverse("notifications")).content.decode()
    assert f"featured your entry to “\u2068{moment.title}\u2069” on the home page" in inbox
    settings = client_as(author).get(reverse("notification_settings")).content.decode()
    assert "Your moment entries featured by the hosts" in settings


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_covers_are_refused_and_the_form_kept(client_as, host, space, name):
    response = client_as(host).post(reverse("moment_create"), {
        "title": "Typed title", "brief": "Typed brief", "space": space.pk, "answer": "both",
        "opens_at": "2030-05-01T10:00", "closes_at": "2030-05-09T10:00",
        "cover": _upload(name), "cover_alt": "A cover"})
    body = response.content.decode()
    assert response.status_code == 400 and CORPUS[name][3] in body
    assert "Typed brief" in body and not Moment.objects.exists()
    assert not PostImage.objects.exists()


def test_a_refused_story_keeps_what_was_typed(client_as, host, space, member):
    now = timezone.now()
    stories = moments.moment_create(host=host, space=space, title="Stories", brief="B",
                                    opens_at=now - timedelta(minutes=1),
                                    closes_at=now + timedelta(days=1),
                                    answer=Moment.Answer.STORY)
    typed = "Once upon a brew day " * 200
    response = client_as(member).post(reverse("moment_enter", args=[stories.pk]),
                                      {"text": typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Keep the story under 3000 characters" in body and typed.strip()[:200] in body
    assert 'name="photo"' not in body  # a story moment asks for no photo


def test_a_closed_moment_takes_no_entry_from_its_page(client_as, host, moment, member):
    moments.moment_close(host=host, moment=moment)
    page = client_as(member).get(moment.get_absolute_url()).content.decode()
    assert "Closed on" in page and "Send my entry" not in page
    response = client_as(member).post(reverse("moment_enter", args=[moment.pk]),
                                      {"text": "Late"})
    assert response.status_code == 403 and not MomentEntry.objects.exists()
