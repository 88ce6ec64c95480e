"""Partners' offers on products: who puts them up, the host's approval where the site asks
for one, the live window, the counted redirect (never an open one) and the product page's
panel, whose cache name follows the clock."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from community.commerce import panels
from community.models import CommunitySettings, EngagementEvent, Product
from community.pages import invalidation
from partners import offers
from partners.events import Kind
from partners.models import Offer
from tests import factories

pytestmark = pytest.mark.django_db

NOW = timezone.now


@pytest.fixture
def organisation():
    return factories.OrganisationFactory(name="Northfield Hop Farm")


@pytest.fixture
def colleague(organisation):
    return factories.PartnerFactory(organisation=organisation)


@pytest.fixture
def product():
    return Product.objects.create(sku="PRO-KETTLE-30L", name="Pro Kettle 30L",
                                  slug="pro-kettle-30l")


def _offer(actor, organisation, product, *, starts=-1, ends=24, **extra):
    return offers.offer_create(
        actor=actor, organisation=organisation, product=product,
        title=extra.pop("title", "10% off hops with the kettle"),
        terms=extra.pop("terms", "Show your community name at checkout."),
        url=extra.pop("url", "https://northfield.example.com/kettle-offer"),
        starts_at=NOW() + timedelta(hours=starts), ends_at=NOW() + timedelta(hours=ends))


def test_a_partner_puts_an_offer_live_and_it_is_recorded(colleague, organisation, product):
    offer = _offer(colleague, organisation, product)
    assert offer.is_live()
    event = EngagementEvent.objects.get(kind=Kind.OFFER_CREATED)
    assert event.payload["product"] == product.pk and event.payload["offer"] == offer.pk
    assert invalidation.stale(event).tags == {f"product:{product.pk}",
                                              f"organisation:{organisation.pk}"}
    assert offers.live_offers(product) == [offer]


def test_only_its_people_and_hosts_put_offers_and_only_for_a_verified_partner(
        organisation, product, member, host):
    other = factories.PartnerFactory()  # another organisation's person
    for outsider in (member, other):
        with pytest.raises(PermissionDenied):
            _offer(outsider, organisation, product)
    assert _offer(host, organisation, product).is_live()
    applied = factories.OrganisationFactory(status="applied")
    applicant = factories.PartnerFactory(organisation=applied)
    with pytest.raises(PermissionDenied):
        _offer(applicant, applied, product)


@pytest.mark.parametrize("url", ["http://northfield.example.com/", "javascript:alert(1)",
                                 "ftp://northfield.example.com/x", "not a url"])
def test_an_offer_links_to_https_only(colleague, organisation, product, url):
    with pytest.raises(ValidationError):
        _offer(colleague, organisation, product, url=url)
    assert not Offer.objects.exists()


def test_an_offer_ends_after_it_starts_and_not_in_the_past(colleague, organisation, product):
    with pytest.raises(ValidationError, match="end after it starts"):
        _offer(colleague, organisation, product, starts=5, ends=2)
    with pytest.raises(ValidationError, match="already be over"):
        _offer(colleague, organisation, product, starts=-5, ends=-2)


def test_where_the_site_asks_an_offer_waits_for_a_host(client_as, colleague, organisation,
                                                       product, host):
    settings_row = CommunitySettings.get()
    settings_row.partner_posts_need_approval = True
    settings_row.save()
    offer = _offer(colleague, organisation, product)
    assert not offer.is_live() and offers.live_offers(product) == []
    assert EngagementEvent.objects.get(kind=Kind.OFFER_CREATED).payload["held"] is True
    review = client_as(host).get(reverse("partners:review")).content.decode()
    assert "10% off hops with the kettle" in review
    with pytest.raises(PermissionDenied):
        offers.offer_approve(actor=colleague, offer=offer)
    response = client_as(host).post(reverse("partners:offer_approve", args=[offer.pk]))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.is_live() and offer.approved_by == host
    assert EngagementEvent.objects.filter(kind=Kind.OFFER_APPROVED).count() == 1
    # A host's own offer never waits.
    assert _offer(host, organisation, product, title="Host's own").is_live()


def test_only_a_live_offer_is_shown(colleague, organisation, product):
    live = _offer(colleague, organisation, product, title="Live now")
    _offer(colleague, organisation, product, starts=2, ends=10, title="Later")
    ended = _offer(colleague, organisation, product, title="Ending")
    Offer.objects.filter(pk=ended.pk).update(ends_at=NOW() - timedelta(minutes=1))
    assert offers.live_offers(product) == [live]


def test_the_redirect_counts_the_click_and_goes_to_the_stored_address_only(
        client, colleague, organisation, product):
    offer = _offer(colleague, organisation, product)
    response = client.get(reverse("partners:offer_go", args=[offer.pk]),
                          {"next": "https://evil.example.net/", "url": "https://evil.example.net"})
    assert response.status_code == 302
    assert response["Location"] == "https://northfield.example.com/kettle-offer"
    assert response["Cache-Control"] == "no-store"
    offer.refresh_from_db()
    assert offer.click_count == 1
    event = EngagementEvent.objects.get(kind=Kind.OFFER_CLICKED)
    assert event.actor_id is None and event.payload["offer"] == offer.pk
    assert invalidation.stale(event).tags == set()


def test_an_ended_future_or_unknown_offer_is_not_followed(client, colleague, organisation,
                                                           product):
    later = _offer(colleague, organisation, product, starts=3, ends=9)
    assert client.get(reverse("partners:offer_go", args=[later.pk])).status_code == 404
    Offer.objects.filter(pk=later.pk).update(starts_at=NOW() - timedelta(hours=9),
                                             ends_at=NOW() - timedelta(hours=1))
    assert client.get(reverse("partners:offer_go", args=[later.pk])).status_code == 404
    assert client.get(reverse("partners:offer_go", args=[999999])).status_code == 404
    later.refresh_from_db()
    assert later.click_count == 0


def test_the_panel_shows_live_offers_in_its_template(colleague, organisation, product,
                                                     django_assert_num_queries):
    assert panels.render_list(product, None) == []
    _offer(colleague, organisation, product)
    with django_assert_num_queries(1):
        [(template, context)] = panels.render_list(product, None)
    assert template == "partners/_offers_panel.html"
    html = render_to_string(template, {"panel": context})  # as the product page includes it
    assert "10% off hops with the kettle" in html and "Northfield Hop Farm" in html
    assert 'rel="nofollow sponsored noopener"' in html
    assert reverse("partners:offer_go", args=[context["offers"][0].pk]) in html


def test_the_product_page_cache_name_changes_when_an_offer_starts_or_ends(
        colleague, organisation, product):
    """The clock, not an event, starts and ends an offer: the product page's cache is named
    by the offers live now, as a moment's page is by its open/closed state."""
    before = panels.cache_names(product.pk)
    offer = _offer(colleague, organisation, product, starts=1, ends=5)
    assert panels.cache_names(product.pk) == before  # not live yet: the same page
    Offer.objects.filter(pk=offer.pk).update(starts_at=NOW() - timedelta(minutes=1))
    live = panels.cache_names(product.pk)
    assert live != before and f"{offer.pk}" in live[0]
    Offer.objects.filter(pk=offer.pk).update(ends_at=NOW() - timedelta(seconds=1))
    assert panels.cache_names(product.pk) == before


def test_kept_names_cost_no_query_until_the_clock_passes_a_start_or_end(
        colleague, organisation, product, django_assert_num_queries):
    from community import pages

    def remember(parts, compute):
        return pages.remember(parts, compute, tags=(f"product:{product.pk}",))

    import time

    if NOW().second >= 55:  # the kept copy is the minute's: stay inside one minute
        time.sleep(61 - NOW().second)
    offer = _offer(colleague, organisation, product, starts=-1, ends=5)
    first = panels.cache_names(product.pk, remember=remember)
    with django_assert_num_queries(0):
        assert panels.cache_names(product.pk, remember=remember) == first
    # The offer ends under the kept copy (no event: the clock): it is asked again at once.
    Offer.objects.filter(pk=offer.pk).update(ends_at=NOW() + timedelta(milliseconds=300))
    pages.invalidate(f"product:{product.pk}")  # the copy made above knew the old end
    assert panels.cache_names(product.pk, remember=remember) == first
    time.sleep(0.4)
    with django_assert_num_queries(1):
        ended = panels.cache_names(product.pk, remember=remember)
    assert ended != first and ended[0].endswith(":none")


def test_the_offers_page_lists_clicks_and_takes_a_new_offer(client_as, colleague,
                                                            organisation, product):
    client = client_as(colleague)
    url = reverse("partners:offers", args=[organisation.slug])
    assert "No offers yet" in client.get(url).content.decode()
    start = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(url, {"sku": "NOPE", "title": "x", "terms": "y",
                            "url": "http://insecure.example.com", "starts_at": start,
                            "ends_at": end})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "No product on sale has this SKU." in page and "must start with https://" in page
    done = client.post(url, {"sku": product.sku, "title": "Free hop sampler",
                             "terms": "With every kettle.", "starts_at": start, "ends_at": end,
                             "url": "https://northfield.example.com/sampler"})
    assert done.status_code == 302
    listed = client.get(url).content.decode()
    assert "Free hop sampler" in listed and "Live" in listed


def test_a_partner_withdraws_an_offer_and_undoes_it_and_the_product_page_follows(
        client, colleague, organisation, product):
    offer = _offer(colleague, organisation, product, title="Free hop sampler")
    page = product.get_absolute_url()
    assert "Free hop sampler" in client.get(page).content.decode()
    assert "Free hop sampler" in client.get(page).content.decode()  # kept for visitors
    partner = client.__class__()
    partner.force_login(colleague)
    done = partner.post(reverse("partners:offer_withdraw", args=[offer.pk]), follow=True)
    listing = done.content.decode()
    assert "no longer shows on the product" in listing and "Withdrawn" in listing
    assert ">Undo<" in listing  # the offer just withdrawn offers its undo
    assert "Free hop sampler" not in client.get(page).content.decode()
    offer.refresh_from_db()
    assert not offer.is_live() and offers.live_offers(product) == []
    assert client.get(reverse("partners:offer_go", args=[offer.pk])).status_code == 404
    partner.post(reverse("partners:offer_withdraw", args=[offer.pk]), {"restore": "1"})
    assert "Free hop sampler" in client.get(page).content.decode()
    kinds = list(EngagementEvent.objects.filter(kind=Kind.OFFER_WITHDRAWN)
                 .values_list("payload__withdrawn", flat=True).order_by("pk"))
    assert kinds == [True, False]


def test_only_its_people_and_hosts_withdraw_and_an_ended_offer_stays_ended(
        colleague, organisation, product):
    offer = _offer(colleague, organisation, product)
    with pytest.raises(PermissionDenied):
        offers.offer_withdraw(actor=factories.UserFactory(), offer=offer)
    offers.offer_withdraw(actor=factories.HostFactory(), offer=offer)
    Offer.objects.filter(pk=offer.pk).update(ends_at=NOW() - timedelta(minutes=1),
                                             starts_at=NOW() - timedelta(hours=2))
    with pytest.raises(ValidationError, match="already ended"):
        offers.offer_withdraw(actor=colleague, offer=offer, withdrawn=False)


def test_a_partner_changes_an_offer_and_a_held_site_asks_a_host_again(
        client, colleague, organisation, product):
    offer = _offer(colleague, organisation, product, title="Free hop sampler")
    partner = client.__class__()
    partner.force_login(colleague)
    url = reverse("partners:offer_edit", args=[offer.pk])
    form = partner.get(url).content.decode()
    assert 'value="Free hop sampler"' in form and "SKU" not in form  # its product stays
    bad = partner.post(url, {"title": "Two samplers", "terms": "x", "url": "http://no.example",
                             "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-08T10:00"})
    assert bad.status_code == 400 and "https://" in bad.content.decode()
    assert 'value="Two samplers"' in bad.content.decode()  # what was typed is kept
    ends = (NOW() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    starts = (NOW() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    done = partner.post(url, {"title": "Two samplers", "terms": "With the kettle.",
                              "url": "https://northfield.example.com/two",
                              "starts_at": starts, "ends_at": ends})
    assert done.status_code == 302
    offer.refresh_from_db()
    assert (offer.title, offer.url, offer.is_live()) == (
        "Two samplers", "https://northfield.example.com/two", True)
    assert "Two samplers" in client.get(product.get_absolute_url()).content.decode()
    row = CommunitySettings.get()
    row.partner_posts_need_approval = True
    row.save()
    offers.offer_edit(actor=colleague, offer=offer, title="Three samplers", terms="x",
                      url=offer.url, starts_at=offer.starts_at, ends_at=offer.ends_at)
    offer.refresh_from_db()
    assert offer.approved_at is None and not offer.is_live()  # back to a host
    with pytest.raises(PermissionDenied):
        offers.offer_edit(actor=factories.UserFactory(), offer=offer, title="Mine",
                          terms="x", url=offer.url, starts_at=offer.starts_at,
                          ends_at=offer.ends_at)
