"""The six engagement strategies: each member action counts for the strategy its event kind
declares (or its mark moves it to), staff never; the dashboard shows the mix, the previous
period beside it, the mix over time, and what would start a strategy that has nothing."""
import html
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from community.engine import events, strategies
from community.host import dashboard
from community.models import Thread
from community.services import collections, conversations
from purpose import services as purpose
from purpose.models import Project

from . import factories

pytestmark = pytest.mark.django_db


def _mix(period=None) -> dict:
    return {row["name"]: row["count"]
            for row in dashboard.engagement_mix(period or dashboard.Period())}


def test_every_kind_that_counts_names_one_of_the_six():
    found = strategies.kinds()
    assert set(found) == {"content", "conversation", "collaboration", "contribution",
                          "commerce", "curation"}
    assert {"thread_created", "post_created", "vote_cast"} <= set(found["conversation"])
    assert {"project_joined", "pledged", "contribution_voted"} <= set(found["collaboration"])
    assert {"contributed", "contribution_won", "project_proposed"} <= set(found["contribution"])
    assert {"collection_created", "collection_item_added"} <= set(found["curation"])
    with pytest.raises(ValueError, match="unknown strategy"):
        events.declare("made_up", strategy="shouting")


def test_each_members_action_counts_for_its_strategy_and_staff_for_none(host):
    space = factories.SpaceFactory()
    ada, bo = factories.UserFactory(), factories.UserFactory()
    thread = conversations.thread_create(author=ada, space=space, kind=Thread.Kind.QUESTION,
                                         title="Which yeast for a saison?", body="Hot summer.")
    answer = conversations.post_create(author=bo, thread=thread, body="Dupont strain.")
    conversations.vote_cast(voter=ada, post=answer, kind="helpful")
    conversations.post_create(author=host, thread=thread, body="Staff reply")  # not counted
    board = collections.collection_create(owner=ada, title="Saisons", is_public=True)
    collections.collection_item_add(actor=ada, collection=board, thread=thread)
    project = purpose.project_propose(author=bo, title="Farmhouse ale", goal="Ten kitchens.",
                                      description="One recipe.", space=space)
    purpose.project_status_set(actor=host, project=project, to_status=Project.Status.OPEN)
    purpose.project_join(user=ada, project=project)
    idea = purpose.contribution_submit(author=ada, project=project, kind="idea",
                                       title="Add rye", body="For spice.")
    purpose.contribution_vote(voter=bo, contribution=idea)
    mix = _mix()
    assert mix["conversation"] == 3  # the question, the answer, the helpful vote
    assert mix["curation"] == 2  # the collection and what was added to it
    assert mix["contribution"] == 2  # the proposal and the idea
    assert mix["collaboration"] == 2  # joining and the vote on the idea
    assert mix["content"] == mix["commerce"] == 0


def test_the_dashboard_shows_the_mix_over_time_the_previous_period_and_how_to_start(
        client, host):
    space = factories.SpaceFactory()
    now = timezone.now()
    for days_ago in (2, 5, 40):  # two in this 30-day period, one in the previous one
        then = now - timedelta(days=days_ago)
        with mock.patch("django.utils.timezone.now", return_value=then):  # the clock
            conversations.thread_create(author=factories.UserFactory(), space=space,
                                        kind=Thread.Kind.DISCUSSION, title=f"Talk {days_ago}",
                                        body="Hello", created_at=then)
    client.force_login(host)
    page = html.unescape(client.get(reverse("host_dashboard")).content.decode())
    mix = page.split('id="mix-heading"', 1)[1].split("</section>", 1)[0]
    assert "This period beside the previous 30 days" in mix
    assert '<th scope="row"><span class="strategy-key strategy-conversation" aria-hidden="true">' \
           '</span>Conversation</th><td>2</td><td>1</td>' in mix
    assert '<svg class="stacked-chart"' in mix and 'role="img"' in mix
    assert mix.count('<rect class="strategy-conversation"') == 2  # one column a day
    assert "<th scope=\"col\">Conversation</th>" in mix  # the table under the chart
    # Strategies with nothing yet say what would start them.
    assert "Not started yet" in mix
    assert "Start a moment (Moments → Start a moment)" in mix
    assert "Open a project that members can join and pledge to." in mix
    # The CSV carries the mix over time.
    csv = client.get(reverse("host_dashboard_csv")).content.decode()
    assert f"trend_conversation,{(now - timedelta(days=2)).date().isoformat()},1" in csv


def test_owners_answering_shoppers_and_saying_they_own_it_count_as_commerce():
    from community.commerce import ownership

    kettle = factories.ProductFactory(name="Pro Kettle 30L")
    owner, shopper, other = (factories.UserFactory() for _ in range(3))
    ownership.ownership_declare(member=owner, product=kettle)
    question = conversations.thread_create(
        author=shopper, space=factories.SpaceFactory(), kind=Thread.Kind.QUESTION,
        title="Does the kettle boil over?", body="At full power?")
    Thread.objects.filter(pk=question.pk).update(product=kettle)
    question.refresh_from_db()
    conversations.post_create(author=owner, thread=question, body="Not with the lid off.")
    conversations.post_create(author=other, thread=question, body="No idea, sorry.")
    mix = _mix()
    assert mix["commerce"] == 2  # "I own this" and the owner's answer
    assert mix["conversation"] == 2  # the question and the non-owner's answer
    # A question asked of the owners, from the product's page, is commerce too.
    conversations.thread_create(author=shopper, space=question.space, kind=Thread.Kind.QUESTION,
                                title="How loud is the element?", body="At full boil.",
                                product=kettle)
    assert _mix()["commerce"] == 3
