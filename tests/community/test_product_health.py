"""Per-product health on the host dashboard: questions, peer, owner and staff shares, times
to the first peer and owner answer, and the sentence when staff do the answering."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.commerce import health
from community.host import dashboard
from community.models import Ownership, Post, Product, Thread
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Kettles")


def _product(space, name="Summit kettle", sku="SUMMIT-1"):
    return Product.objects.create(sku=sku, name=name, slug=sku.lower(), space=space)


def _ask(product, *, asker=None, title="Does it fit a 30 cm hob?", at=None):
    thread = conversations.thread_create(author=asker or factories.UserFactory(),
                                         space=product.space, kind=Thread.Kind.QUESTION,
                                         title=title, body="Asking.")
    at = at or timezone.now() - timedelta(days=2)
    Thread.objects.filter(pk=thread.pk).update(product=product, created_at=at)
    Post.objects.filter(pk=thread.opening_post_id).update(created_at=at)
    thread.refresh_from_db()
    return thread


def _answer(thread, author, *, hours):
    post = conversations.post_create(author=author, thread=thread, body="An answer.")
    Post.objects.filter(pk=post.pk).update(created_at=thread.created_at + timedelta(hours=hours))
    return post


def _owns(member, product, verified=True):
    Ownership.objects.create(member=member, product=product,
                             verified_at=timezone.now() if verified else None)


def test_the_figures_follow_the_words(space, host):
    kettle = _product(space)
    owner, peer = factories.UserFactory(), factories.UserFactory()
    _owns(owner, kettle)
    asker = factories.UserFactory()
    _owns(asker, kettle, verified=False)
    one = _ask(kettle, asker=asker)
    _answer(one, peer, hours=2)      # first answer: a peer
    _answer(one, owner, hours=5)     # owner answer
    _answer(one, asker, hours=6)     # the asker's own answer: neither peer nor owner help
    two = _ask(kettle, title="How long to boil 20 litres?")
    _answer(two, host, hours=1)      # first answer: staff
    _answer(two, owner, hours=9)
    _ask(kettle, title="Is the lid dishwasher safe?")  # unanswered
    period = dashboard.Period.last_days(30)
    [figures] = health.product_health(period)
    assert figures.name == "Summit kettle" and figures.questions == 3
    assert figures.answered == 2 and figures.peer_answer_share == 0.5
    assert figures.answers == 5
    assert figures.owner_answers == 2 and figures.owner_answer_share == 2 / 5
    assert figures.staff_answers == 1 and figures.staff_share == 1 / 5
    # One question with a peer answer (2 h) and one whose first peer answer is the owner's
    # (9 h): a median of two is their mean.
    assert figures.hours_to_peer == pytest.approx((2 + 9) / 2)
    assert figures.hours_to_owner == pytest.approx((5 + 9) / 2)
    assert not figures.support_not_social


def test_questions_outside_the_period_and_other_products_are_apart(space, host):
    kettle, tent = _product(space), _product(space, name="Trail 2 tent", sku="TRAIL-2")
    old = _ask(kettle, at=timezone.now() - timedelta(days=90))
    _answer(old, host, hours=1)
    _ask(tent, title="Does it stand in wind?")
    conversations.thread_create(author=factories.UserFactory(), space=space,
                                kind=Thread.Kind.QUESTION, title="Not about a product",
                                body="Hm.")
    rows = health.product_health(dashboard.Period.last_days(30))
    assert [(r.name, r.questions, r.answers) for r in rows] == [("Trail 2 tent", 1, 0)]
    assert rows[0].staff_share is None and rows[0].hours_to_peer is None


def test_the_host_reads_the_sentence_when_staff_answer(client_as, host, space):
    kettle = _product(space)
    for n in range(3):
        question = _ask(kettle, title=f"Kettle question number {n}")
        _answer(question, host, hours=1)
        if n == 0:
            _answer(question, factories.UserFactory(), hours=3)
    page = client_as(host).get(reverse("host_dashboard")).content.decode()
    assert ("On the Summit kettle, staff write 75% of answers: this is customer support, "
            "not social Q&amp;A.") in page
    assert "By product" in page


def test_an_empty_period_says_so(client_as, host):
    page = client_as(host).get(reverse("host_dashboard")).content.decode()
    assert "No questions about products in this period" in page


def test_the_queries_do_not_grow_with_products_and_questions(space, host,
                                                             django_assert_num_queries):
    period = dashboard.Period.last_days(30)
    with django_assert_num_queries(2):
        assert health.product_health(period) == []
    for n in range(2):
        _answer(_ask(_product(space, name=f"P{n}", sku=f"P-{n}")), host, hours=1)
    with django_assert_num_queries(2):
        assert len(health.product_health(period)) == 2
    for n in range(2, 8):
        product = _product(space, name=f"P{n}", sku=f"P-{n}")
        for i in range(3):
            question = _ask(product, title=f"Question {i} on {n}")
            owner = factories.UserFactory()
            _owns(owner, product)
            _answer(question, owner, hours=i + 1)
    with django_assert_num_queries(2):
        assert len(health.product_health(period)) == 8
