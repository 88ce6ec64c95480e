"""Times beside threads, notices and members read as people say them."""
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


def _ago(when):
    return Template("{% load community %}{{ when|ago }}").render(Context({"when": when}))


def test_a_moment_ago_is_just_now_and_later_ones_count_up():
    now = timezone.now()
    assert _ago(now) == "just now"
    assert _ago(now - timedelta(seconds=59)) == "just now"
    assert _ago(now - timedelta(minutes=3)) == "3\xa0minutes ago"
    assert _ago(now - timedelta(days=2, hours=1)) == "2\xa0days, 1\xa0hour ago"
    assert _ago(None) == ""


def test_a_thread_started_a_moment_ago_says_just_now_in_the_lists(client):
    space = factories.SpaceFactory(name="Kettles")
    conversations.thread_create(author=factories.UserFactory(), space=space,
                                kind="discussion", title="Brand new kettle day", body="Look!")
    page = client.get("/").content.decode()
    assert "Brand new kettle day" in page
    assert "0\xa0minutes ago" not in page and "0 minutes ago" not in page
    assert "just now" in page
