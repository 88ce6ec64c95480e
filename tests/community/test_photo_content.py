"""Members' posts with photos count as content in the engagement mix: a thread's opening
post, an answer or a reply that shows a photo, marked in its event when it is written, and
the edit that gives a post its first photos (once per post)."""
import html
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from community.host import dashboard
from community.models import EngagementEvent, Moment, Post, Thread
from community.services import conversations, media, moderation, moments

from .. import factories

pytestmark = pytest.mark.django_db
EVENT = EngagementEvent.Kind


def _jpeg(name="kettle.jpg", size=(800, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 110, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _uploaded(user):
    return media.image_upload(uploader=user, upload=_jpeg(), alt_text="A copper kettle")


def _mix() -> dict:
    return {row["name"]: row["count"] for row in dashboard.engagement_mix(dashboard.Period())}


def _payload(kind, post) -> dict:
    return EngagementEvent.objects.filter(kind=kind, post_id=post.pk).latest("pk").payload


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Brewing")


@pytest.fixture
def question(other_member, space):
    return conversations.thread_create(author=other_member, space=space,
                                       kind=Thread.Kind.QUESTION, title="Is this krausen normal?",
                                       body="It looks like foam.")


def test_posts_with_photos_sent_through_the_forms_count_as_content(client, member, question,
                                                                    space):
    client.force_login(member)
    response = client.post(reverse("ask"), {
        "space": space.pk, "title": "What is this white film?", "body": "On top of the beer",
        "photo": _jpeg(), "photo_alt": "White film on the beer"})
    assert response.status_code == 302
    response = client.post(reverse("thread_reply", args=[question.pk]), {
        "body": "Normal: that is yeast at work.", "photo": _jpeg(), "photo_alt": "Krausen"})
    assert response.status_code == 302
    answer = Post.objects.get(thread=question, kind=Post.Kind.ANSWER)
    reply = conversations.post_create(author=member, thread=question, parent=answer,
                                      body=f"Mine too:\n\n{_uploaded(member).markdown}")
    conversations.post_create(author=member, thread=question, body="No photo here.")

    asked = Thread.objects.get(title="What is this white film?")
    assert _payload(EVENT.THREAD_CREATED, asked.opening_post)["photos"] == 1
    assert _payload(EVENT.POST_CREATED, answer)["photos"] == 1
    assert _payload(EVENT.POST_CREATED, reply)["photos"] == 1
    plain = Post.objects.get(body="No photo here.")
    assert "photos" not in _payload(EVENT.POST_CREATED, plain)
    # The three photo posts are content; the plain answer and the other member's question
    # are conversation.
    assert _mix()["content"] == 3
    assert _mix()["conversation"] == 2


def test_the_mark_is_written_with_the_post_not_worked_out_when_read(member, question):
    post = conversations.post_create(author=member, thread=question,
                                     body=f"Here:\n\n{_uploaded(member).markdown}")
    # The photo deleted later (the account's clean-up, a host): the post still counted.
    media.images_delete(post.images.all())
    assert _payload(EVENT.POST_CREATED, post)["photos"] == 1
    assert _mix()["content"] == 1


def test_an_edit_that_gives_a_post_its_first_photo_counts_it_once(member, question):
    answer = conversations.post_create(author=member, thread=question, body="Plain text first.")
    assert _mix()["content"] == 0
    conversations.post_edit(actor=member, post=answer, body="Plain text, edited.")
    assert "photos" not in _payload(EVENT.POST_EDITED, answer)
    assert _mix()["content"] == 0

    first = _uploaded(member)
    conversations.post_edit(actor=member, post=answer, body=f"Now a photo: {first.markdown}")
    assert _payload(EVENT.POST_EDITED, answer)["photos"] == 1
    assert _mix()["content"] == 1

    # Taken out and put back, or another added: the post was counted already.
    conversations.post_edit(actor=member, post=answer, body="No photo after all.")
    conversations.post_edit(actor=member, post=answer,
                            body=f"{_uploaded(member).markdown} {_uploaded(member).markdown}")
    assert "photos" not in _payload(EVENT.POST_EDITED, answer)
    assert _mix()["content"] == 1
    assert _mix()["conversation"] == 2  # the question and the answer; edits count as nothing


def test_a_post_made_with_a_photo_is_not_counted_again_when_edited(member, question):
    post = conversations.post_create(author=member, thread=question,
                                     body=f"One: {_uploaded(member).markdown}")
    conversations.post_edit(actor=member, post=post,
                            body=f"{post.body} Two: {_uploaded(member).markdown}")
    assert "photos" not in _payload(EVENT.POST_EDITED, post)
    assert _mix()["content"] == 1


def test_staffs_photos_are_not_members_content(host, member, question):
    conversations.post_create(author=host, thread=question,
                              body=f"From the brewery: {_uploaded(host).markdown}")
    plain = conversations.post_create(author=member, thread=question, body="Text only.")
    # A host's edit putting a photo in a member's post is the host's doing.
    moderation.review_edit(actor=host, post=plain, body=f"Text only. {_uploaded(host).markdown}",
                           reason="Added the photo they emailed us")
    assert _payload(EVENT.POST_EDITED, plain)["photos"] == 1
    assert _mix()["content"] == 0


def test_a_moment_entry_with_a_photo_is_content_once(host, member, space):
    now = timezone.now()
    moment = moments.moment_create(
        host=host, space=space, title="Show us your brew day", brief="Your mash.",
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=7),
        answer=Moment.Answer.BOTH)
    entry = moments.entry_create(author=member, moment=moment, photo=_jpeg(),
                                 alt_text="A copper kettle steaming", text="Boil day")
    payload = _payload(EVENT.POST_CREATED, entry.post)
    assert payload["moment"] == moment.pk and payload["photos"] == 1
    assert _mix()["content"] == 1


def test_the_dashboard_shows_photo_posts_as_content(client, host, member, question):
    conversations.post_create(author=member, thread=question,
                              body=f"Like this? {_uploaded(member).markdown}")
    conversations.post_create(author=member, thread=question, body="Or like this.")
    client.force_login(host)
    response = client.get(reverse("host_dashboard"))
    assert response.status_code == 200
    mix = html.unescape(response.content.decode()).split('id="mix-heading"', 1)[1]
    mix = mix.split("</section>", 1)[0]
    assert '<th scope="row">Content</th><td>1</td>' in mix
    assert '<th scope="row">Conversation</th><td>2</td>' in mix
    assert "Conversation: 2 (67%)" in mix and "Content: 1 (33%)" in mix
    csv = client.get(reverse("host_dashboard_csv")).content.decode()
    assert "engagement_mix,content,1" in csv
