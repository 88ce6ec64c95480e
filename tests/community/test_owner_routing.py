"""Ask the owners: a question about a product goes to its verified owners first, then to
those who say they own it, then to others; never staff; within the cap; opt-out honoured."""
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.commerce import asks, ownership
from community.engine import routing
from community.engine.notifications import send_pending_emails
from community.models import Notification, Ownership, QuestionRoute, Tag, Thread

from .. import factories
from .test_routing_eval import _answer, _question

ORDER = Ownership.Source.ORDER


@pytest.fixture
def world(db):
    space = factories.SpaceFactory(name="Kettles")
    kettle = factories.ProductFactory(sku="KET-30", name="Pro Kettle 30L")
    asker = factories.UserFactory()
    expert = factories.UserFactory(username="expert")
    for days in (3, 5, 8, 12):  # answers a lot in the space lately: the best non-owner
        _answer(_question(space, asker, timezone.now() - timedelta(days=days + 1)), expert,
                timezone.now() - timedelta(days=days))
    verified = factories.UserFactory(username="verified_owner")
    declared = factories.UserFactory(username="declared_owner")
    ownership.ownership_verify(member=verified, product=kettle, source=ORDER,
                               purchased_on=date(2026, 3, 3))
    ownership.ownership_declare(member=declared, product=kettle)
    return {"space": space, "kettle": kettle, "asker": asker, "expert": expert,
            "verified": verified, "declared": declared}


def _about(w, *, tagged=False):
    question = _question(w["space"], w["asker"], timezone.now(), title="Does the lid rattle?",
                         tags=("kettles",) if tagged else ())
    if tagged:
        w["kettle"].tag = Tag.objects.get(name="kettles")
        w["kettle"].save(update_fields=["tag"])
    else:
        Thread.objects.filter(pk=question.pk).update(product=w["kettle"])
        question.refresh_from_db()
    return question


@pytest.mark.parametrize("tagged", [False, True], ids=["thread-product", "product-tag"])
def test_verified_owners_come_first_then_declared_then_others(world, tagged):
    question = _about(world, tagged=tagged)
    assert routing.candidates(question) == [world["verified"], world["declared"],
                                            world["expert"]]


def test_without_a_product_owners_are_not_put_first(world):
    question = _question(world["space"], world["asker"], timezone.now())
    assert routing.candidates(question)[0] == world["expert"]


def test_staff_owners_are_never_asked(world):
    host = factories.HostFactory()
    ownership.ownership_verify(member=host, product=world["kettle"], source=ORDER)
    assert host not in routing.candidates(_about(world), limit=10)


def test_the_weekly_cap_holds_for_owners_too(world, settings):
    settings.ROUTING_WEEKLY_CAP = 1
    earlier = _about(world)
    QuestionRoute.objects.create(thread=earlier, member=world["verified"])
    question = _about(world)
    assert routing.candidates(question) == [world["declared"], world["expert"]]


def test_an_owner_who_opted_out_is_not_put_first(world, client):
    client.force_login(world["verified"])
    from .test_notice_settings import _all_on

    response = client.post(reverse("notification_settings"), _all_on(accepts_owner_asks=False))
    assert response.status_code == 302
    world["verified"].refresh_from_db()
    assert world["verified"].accepts_owner_asks is False
    chosen = routing.candidates(_about(world), limit=10)
    assert chosen[0] == world["declared"] and world["verified"] not in chosen[:2]


def test_the_settings_page_offers_the_opt_out(client, member):
    client.force_login(member)
    page = client.get(reverse("notification_settings")).content.decode()
    assert "Ask me first about products I own" in page


def test_the_owner_ask_says_why_and_links_into_the_thread(world, settings):
    question = _about(world)
    asked = routing.route_question(thread_id=question.pk)
    assert asked == [world["verified"].pk, world["declared"].pk, world["expert"].pk]
    notice = Notification.objects.get(recipient=world["verified"], thread=question)
    assert notice.message == "You bought Pro Kettle 30L on 3 Mar 2026"
    declared = Notification.objects.get(recipient=world["declared"], thread=question)
    assert declared.message == "You said you own Pro Kettle 30L"
    assert Notification.objects.get(recipient=world["expert"], thread=question).message == ""

    send_pending_emails(kinds={Notification.Kind.ROUTED})
    sent = {m.to[0]: m for m in mail.outbox}
    email = sent[world["verified"].email]
    assert email.subject == ("You bought Pro Kettle 30L on 3 Mar 2026; a shopper asks: "
                             "“\u2068Does the lid rattle?\u2069”")
    link = next(line.split(": ", 1)[1] for line in email.body.splitlines()
                if line.startswith("Open it: "))
    assert "/owners/ask/" in link
    assert "Can you help?" in sent[world["expert"].email].subject

    visitor = Client()  # the link alone signs nobody in
    response = visitor.get(link.replace(settings.SITE_URL.rstrip("/"), ""))
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#reply"
    assert "_auth_user_id" not in visitor.session
    page = visitor.get(response["Location"]).content.decode()
    assert "Join the conversation" in page  # the usual sign-in rules

    owner = Client()
    owner.force_login(world["verified"])
    owner.get(link.replace(settings.SITE_URL.rstrip("/"), ""))
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_tampered_or_expired_link_says_so(client, world, monkeypatch):
    question = _about(world)
    token = asks.ask_token(thread_id=question.pk, member_id=world["verified"].pk)
    response = client.get(reverse("owner_ask", args=[token[:-3] + "abc"]))
    assert response.status_code == 400 and "This link does not work" in response.content.decode()
    import time

    now = time.time()
    with monkeypatch.context() as clock:  # the link was made 15 days ago (the clock only)
        clock.setattr(time, "time", lambda: now - (asks.MAX_AGE_DAYS + 1) * 86400)
        token = asks.ask_token(thread_id=question.pk, member_id=world["verified"].pk)
    response = client.get(reverse("owner_ask", args=[token]))
    assert response.status_code == 400 and "This link has expired" in response.content.decode()


def test_a_link_to_a_deleted_question_is_404(client, world):
    question = _about(world)
    token = asks.ask_token(thread_id=question.pk, member_id=world["verified"].pk)
    Thread.objects.filter(pk=question.pk).update(is_deleted=True)
    assert client.get(reverse("owner_ask", args=[token])).status_code == 404
