"""Ownership: "I own this", removal, purchases that verify, orders that wait for an address."""
from datetime import date

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.signals import user_signed_up
from django.urls import reverse

from community.commerce import ownership
from community.models import EngagementEvent, Ownership, PendingOwnership, Thread, User
from community.models.commerce import email_digest
from community.services import conversations

from .. import factories

Kind = EngagementEvent.Kind
ORDER = Ownership.Source.ORDER


def _kinds():
    return list(EngagementEvent.objects.filter(kind__startswith="ownership_")
                .values_list("kind", flat=True))


@pytest.fixture
def kettle(db):
    return factories.ProductFactory(sku="KET-30", name="Pro Kettle 30L", slug="pro-kettle")


def test_declare_then_remove_records_each_once(member, kettle):
    ownership.ownership_declare(member=member, product=kettle)
    ownership.ownership_declare(member=member, product=kettle)  # already: nothing changes
    found = Ownership.objects.get(member=member, product=kettle)
    assert found.source == Ownership.Source.DECLARED and not found.is_verified
    assert ownership.ownership_remove(member=member, product=kettle)
    assert not ownership.ownership_remove(member=member, product=kettle)
    assert not Ownership.objects.exists()
    assert _kinds() == [Kind.OWNERSHIP_DECLARED, Kind.OWNERSHIP_REMOVED]


def test_a_purchase_upgrades_a_declared_ownership_and_keeps_the_earliest_date(member, kettle):
    ownership.ownership_declare(member=member, product=kettle)
    assert ownership.ownership_verify(member=member, product=kettle, source=ORDER,
                                      purchased_on=date(2026, 3, 3), order_ref="SO-2")
    assert not ownership.ownership_verify(member=member, product=kettle, source=ORDER,
                                          purchased_on=date(2026, 5, 1), order_ref="SO-3")
    assert ownership.ownership_verify(member=member, product=kettle, source=ORDER,
                                      purchased_on=date(2025, 12, 24), order_ref="SO-1")
    found = Ownership.objects.get(member=member, product=kettle)
    assert found.is_verified and found.source == ORDER
    assert (found.purchased_on, found.order_ref) == (date(2025, 12, 24), "SO-1")
    first = EngagementEvent.objects.filter(kind=Kind.OWNERSHIP_VERIFIED).first()
    assert first.payload["upgraded"] is True and first.subject_user_id == member.pk


def test_a_purchase_for_an_unknown_address_waits_under_its_digest(kettle):
    done = ownership.purchase_record(email="Shopper@Example.com", product=kettle,
                                     source=ORDER, purchased_on=date(2026, 1, 2))
    assert done.outcome == ownership.PENDING
    pending = PendingOwnership.objects.get()
    assert pending.email_digest == email_digest("shopper@example.com")
    assert "shopper" not in pending.email_digest.lower()
    again = ownership.purchase_record(email="shopper@example.com", product=kettle,
                                      source=ORDER, purchased_on=date(2026, 1, 2))
    assert again.outcome == ownership.UNCHANGED and PendingOwnership.objects.count() == 1


def test_confirming_the_address_turns_waiting_orders_into_verified_ownership(client, kettle):
    ownership.purchase_record(email="late@example.com", product=kettle, source=ORDER,
                              purchased_on=date(2026, 2, 1), order_ref="SO-9")
    late = factories.UserFactory(email="late@example.com", verified=False)
    address = EmailAddress.objects.create(user=late, email="Late@example.com", verified=False,
                                          primary=True)
    assert not Ownership.objects.exists()  # an unconfirmed address proves nothing
    key = EmailConfirmationHMAC(address).key
    client.post(reverse("account_confirm_email", args=[key]))
    found = Ownership.objects.get(member=late)
    assert found.is_verified and found.purchased_on == date(2026, 2, 1)
    assert not PendingOwnership.objects.exists()


def test_a_sign_up_whose_address_arrives_verified_is_an_owner_at_once(kettle):
    ownership.purchase_record(email="sso@example.com", product=kettle, source=ORDER)
    newcomer = factories.UserFactory(email="sso@example.com")  # verified by the provider
    user_signed_up.send(sender=User, request=None, user=newcomer)
    assert Ownership.objects.get(member=newcomer).is_verified


def test_a_purchase_for_an_unverified_account_waits(kettle):
    factories.UserFactory(email="unsure@example.com", verified=False)
    done = ownership.purchase_record(email="unsure@example.com", product=kettle, source=ORDER)
    assert done.outcome == ownership.PENDING and not Ownership.objects.exists()


# The button and its view ------------------------------------------------------------------

def _button(client, product, user=None):
    if user:
        client.force_login(user)
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/somewhere/")
    request.user = user or __import__("django.contrib.auth.models",
                                      fromlist=["AnonymousUser"]).AnonymousUser()
    return Template('{% include "community/_own_button.html" with product=product %}').render(
        RequestContext(request, {"product": product}))


def test_the_button_asks_anonymous_readers_to_sign_in(client, kettle):
    html = _button(client, kettle)
    assert "Sign in to say you own this" in html and "<form" not in html


def test_a_member_says_i_own_this_without_javascript_and_removes_it(client, member, kettle):
    html = _button(client, kettle, member)
    assert "I own this" in html and "csrfmiddlewaretoken" in html
    url = reverse("product_own", args=[kettle.slug])
    client.force_login(member)
    response = client.post(url, {"own": "1", "next": "/u/elsewhere/"})
    assert response.status_code == 302 and response.url == "/u/elsewhere/"
    assert "You own this" in _button(client, kettle, member)
    response = client.post(url, {"own": "0", "next": "https://evil.example/"}, follow=True)
    assert response.redirect_chain[0][0] == reverse("profile", args=[member.username])
    assert "no longer among the products you own" in response.content.decode()
    assert not Ownership.objects.exists()


def test_with_htmx_the_button_comes_back_in_its_new_state(client, member, kettle):
    client.force_login(member)
    response = client.post(reverse("product_own", args=[kettle.slug]),
                           {"own": "1", "next": "/products/"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "You own this" in html
    assert 'name="next" value="/products/"' in html  # still sends the member back there


def test_a_verified_owner_sees_the_date_and_remove(client, member, kettle):
    ownership.ownership_verify(member=member, product=kettle, source=ORDER,
                               purchased_on=date(2026, 3, 3))
    html = _button(client, kettle, member)
    assert "You own this (verified, bought 3 Mar 2026)" in html and "Remove" in html


def test_an_unknown_product_is_404(client, member):
    client.force_login(member)
    assert client.post(reverse("product_own", args=["nope"]), {"own": "1"}).status_code == 404


# Badge on answers, and the profile -----------------------------------------------------------

def _question(asker, answerer, kettle, *, tagged=False):
    thread = conversations.thread_create(author=asker, space=factories.SpaceFactory(name="Brew"),
                                         kind=Thread.Kind.QUESTION, title="Does the tap drip?",
                                         body="Mine does.",
                                         tags=["kettles"] if tagged else ())
    if tagged:
        kettle.tag = thread.tags.get()
        kettle.save(update_fields=["tag"])
    else:
        Thread.objects.filter(pk=thread.pk).update(product=kettle)
    conversations.post_create(author=answerer, thread=thread, body="Tighten the nut.")
    return thread


@pytest.mark.parametrize("tagged", [False, True], ids=["thread-product", "product-tag"])
def test_answers_by_owners_carry_a_badge_at_once(client, member, other_member, kettle,
                                                 settings, tagged):
    settings.PAGE_CACHE = True
    thread = _question(member, other_member, kettle, tagged=tagged)
    url = thread.get_absolute_url()
    assert "Verified owner" not in client.get(url).content.decode()  # cached for anonymous
    ownership.ownership_declare(member=other_member, product=kettle)
    page = client.get(url).content.decode()
    assert ">Owner<" in page and "Verified owner" not in page
    ownership.ownership_verify(member=other_member, product=kettle, source=ORDER)
    assert "Verified owner" in client.get(url).content.decode()
    ownership.ownership_remove(member=other_member, product=kettle)
    page = client.get(url).content.decode()
    assert "Verified owner" not in page and ">Owner<" not in page


def test_the_profile_lists_owned_products_and_the_owner_sees_what_they_mentioned(
        client, member, kettle):
    factories.ProductFactory(sku="FLT", name="Filter Pack")
    User.objects.filter(pk=member.pk).update(products="pro kettle 30l, Mystery Mash Tun")
    ownership.ownership_verify(member=member, product=kettle, source=ORDER)
    url = reverse("profile", args=[member.username])
    public = client.get(url).content.decode()
    assert "Pro Kettle 30L" in public and "Verified owner" in public
    assert "Products you mentioned" not in public and "Mystery Mash Tun" not in public
    client.force_login(member)
    own = client.get(url).content.decode()
    assert "Products you mentioned" in own and "Mystery Mash Tun" in own
    assert "(not in the catalogue)" in own and "Remove" in own


def test_the_profile_form_no_longer_edits_the_free_text_products(client, member):
    User.objects.filter(pk=member.pk).update(products="Old Kettle")
    client.force_login(member)
    client.post(reverse("profile_edit"), {"display_name": "Ada", "bio": "", "location": "",
                                          "interests": "", "products": "Typed"})
    member.refresh_from_db()
    assert member.products == "Old Kettle"  # kept, not overwritten


def test_the_thread_page_costs_the_same_however_many_owners_answer(client, member, kettle):
    from ..budgets import assert_flat, queries

    thread = _question(member, factories.UserFactory(), kettle)
    ownership.ownership_declare(member=thread.posts.last().author, product=kettle)
    url = thread.get_absolute_url()
    viewer = factories.UserFactory()
    small = {"anonymous": queries(client, url)}
    client.force_login(viewer)
    small["member"] = queries(client, url)
    for n in range(8):
        owner = factories.UserFactory()
        conversations.post_create(author=owner, thread=thread, body=f"Answer {n}.")
        if n % 2:
            ownership.ownership_verify(member=owner, product=kettle, source=ORDER)
        else:
            ownership.ownership_declare(member=owner, product=kettle)
    large = {"member": queries(client, url)}
    client.logout()
    large["anonymous"] = queries(client, url)
    assert_flat(small, large)
    assert client.get(url).content.decode().count("Verified owner") == 4


def test_my_data_download_holds_the_products_i_own(client, member, kettle):
    import json

    ownership.ownership_verify(member=member, product=kettle, source=ORDER,
                               purchased_on=date(2026, 3, 3), order_ref="SO-1")
    client.force_login(member)
    data = json.loads(client.get(reverse("my_data_download")).content)
    assert data["products_owned"] == [{
        "sku": "KET-30", "name": "Pro Kettle 30L", "source": "order",
        "verified_at": Ownership.objects.get().verified_at.isoformat(),
        "purchased_on": "2026-03-03", "order_ref": "SO-1"}]
    assert data["profile"]["owner_asks"] is True


@pytest.mark.django_db
def test_admins_read_ownerships_pending_orders_and_deliveries_but_change_none(client_as,
                                                                               admin_user):
    kettle = factories.ProductFactory(sku="ADM-1", name="Admin kettle")
    owner = factories.UserFactory(username="kettleowner")
    ownership.ownership_declare(member=owner, product=kettle)
    client = client_as(admin_user)
    page = client.get(reverse("admin:community_ownership_changelist")).content.decode()
    assert str(owner) in page and "Admin kettle" in page and "Said by the member" in page
    pk = Ownership.objects.get(member=owner).pk
    change = client.post(reverse("admin:community_ownership_change", args=[pk]), {})
    assert change.status_code == 403
    for name in ("pendingownership", "purchasedelivery"):
        assert client.get(reverse(f"admin:community_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:community_{name}_add")).status_code == 403
