"""The shop's Q&A widget: its framed page, its JSON, the origins that may use them, and its
cache (kept for visitors, fresh after every question, answer, edit and acceptance)."""
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.commerce import origins as shop_origins
from community.commerce import widget as selectors
from community.models import CommunitySettings, Ownership, Product, Thread
from community.pages import HEADER
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db

SHOP = "https://shop.example.com"


def make_product(sku="SUMMIT-KETTLE-20", name="Summit kettle", space=None, **extra):
    space = space or factories.SpaceFactory(name="Kettles")
    return Product.objects.create(sku=sku, name=name, slug=sku.lower(), space=space, **extra)


def ask_about(product, *, author=None, title="Does the Summit kettle fit a 30 cm hob?"):
    thread = conversations.thread_create(
        author=author or factories.UserFactory(), space=product.space,
        kind=Thread.Kind.QUESTION, title=title, body="Mine is small.")
    Thread.objects.filter(pk=thread.pk).update(product=product)
    thread.product = product
    return thread


def list_origins(text):
    row = CommunitySettings.get()
    row.widget_origins = text
    row.save()


@pytest.fixture
def product():
    CommunitySettings.get()  # the settings row exists, as on any site (its creation bumps "site")
    return make_product()


@pytest.fixture
def shop():
    list_origins(f"{SHOP}\nhttp://127.0.0.1:8000")


def widget_url(product):
    return reverse("widget", kwargs={"sku": product.sku})


def json_url(product):
    return reverse("widget_json", kwargs={"sku": product.sku})


# Origins ------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, origin", [
    ("https://shop.example.com", "https://shop.example.com"),
    ("  HTTPS://Shop.Example.com  ", "https://shop.example.com"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("https://shop.example.com:443", "https://shop.example.com"),
    ("http://[::1]:8080", "http://[::1]:8080"),
])
def test_an_origin_is_written_as_the_browser_sends_it(line, origin):
    assert shop_origins.normalise(line) == origin


@pytest.mark.parametrize("line", [
    "shop.example.com", "https://shop.example.com/", "https://shop.example.com/products",
    "ftp://shop.example.com", "https://", "https://shop.example.com:99999", "*",
    "https://*.example.com", "javascript:alert(1)", "https://shop.example.com?x=1",
])
def test_what_is_not_an_origin_is_refused_with_the_line(line):
    with pytest.raises(ValidationError) as refused:
        shop_origins.parse(f"https://fine.example.com\n{line}")
    assert "is not an origin" in " ".join(refused.value.messages) or "port" in " ".join(
        refused.value.messages)


def test_the_admin_refuses_a_bad_origin_and_keeps_good_ones(client, admin_user):
    from ..conftest import sign_in

    sign_in(client, admin_user)
    url = reverse("admin:community_communitysettings_change", args=[1])
    CommunitySettings.get()
    page = client.get(url)
    assert page.status_code == 200 and "Shop widget" in page.content.decode()
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data["widget_origins"] = "https://shop.example.com/kettles"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "is not an origin" in refused.content.decode()
    data["widget_origins"] = "https://shop.example.com\nhttp://localhost:8000"
    assert client.post(url, data).status_code == 302
    assert CommunitySettings.get().widget_origin_list() == [
        "https://shop.example.com", "http://localhost:8000"]


# The framed page --------------------------------------------------------------------------

def test_the_frame_may_be_embedded_by_listed_origins_only(client, product, shop):
    response = client.get(widget_url(product))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert f"frame-ancestors {SHOP} http://127.0.0.1:8000" in csp
    assert "X-Frame-Options" not in response
    # Every other page still refuses every frame.
    home = client.get(reverse("home"))
    assert home["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in home["Content-Security-Policy"]


def test_with_no_origin_listed_nobody_may_frame_it(client, product):
    response = client.get(widget_url(product))
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_kept_page_carries_the_headers_of_the_origins_listed_now(client, product, shop):
    assert client.get(widget_url(product))[HEADER] == "miss"
    list_origins("https://other-shop.example.com")
    kept = client.get(widget_url(product))
    assert "frame-ancestors https://other-shop.example.com;" in kept["Content-Security-Policy"] \
        or kept["Content-Security-Policy"].endswith("frame-ancestors https://other-shop.example.com")
    assert SHOP not in kept["Content-Security-Policy"]


def test_the_frame_shows_questions_answers_and_marks_owners_and_staff(client, product, host):
    question = ask_about(product)
    owner, declared = factories.UserFactory(display_name="Olive Owner"), factories.UserFactory(
        display_name="Dee Clared")
    Ownership.objects.create(member=owner, product=product, verified_at=timezone.now(),
                             source=Ownership.Source.ORDER)
    Ownership.objects.create(member=declared, product=product)
    answer = conversations.post_create(author=owner, thread=question, body="Yes, it fits.")
    conversations.post_create(author=declared, thread=question, body="Mine fits too.")
    conversations.post_create(author=host, thread=question, body="The base is 22 cm.")
    conversations.answer_accept(actor=question.author, answer=answer)
    other = make_product(sku="TRAIL-2", name="Trail 2 tent", space=product.space)
    ask_about(other, title="Is the Trail 2 tent good in wind?")

    page = client.get(widget_url(product)).content.decode()
    assert "Does the Summit kettle fit a 30 cm hob?" in page
    assert "Trail 2 tent" not in page
    assert page.index("Yes, it fits.") < page.index("Mine fits too.")  # accepted first
    assert "Verified owner" in page and "Owns this" in page and "Accepted answer" in page
    assert "team</span>" in page  # the host's answer carries the brand's badge
    assert 'target="_blank"' in page
    assert "Sign in to ask" in page
    assert "<main" in page and "<h1" in page


def test_the_json_lists_the_same_with_marks(client, product, shop):
    question = ask_about(product)
    owner = factories.UserFactory(display_name="Olive Owner")
    Ownership.objects.create(member=owner, product=product, verified_at=timezone.now())
    conversations.post_create(author=owner, thread=question, body="Yes, it fits.")
    response = client.get(json_url(product), HTTP_ORIGIN=SHOP)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["product"]["sku"] == product.sku
    assert body["product"]["url"].startswith("http://testserver/")
    [shown] = body["questions"]
    assert shown["title"] == question.title and shown["answer_count"] == 1
    assert shown["answers"][0]["owner"] == "verified"
    assert shown["answers"][0]["author"] == "Olive Owner"
    assert shown["answers"][0]["staff"] is False


def test_hidden_deleted_and_held_content_is_left_out(client, product, host):
    shown = ask_about(product, title="A question everyone may read")
    hidden = ask_about(product, title="A question waiting for review")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    gone = conversations.post_create(author=factories.UserFactory(), thread=shown,
                                     body="An answer since deleted")
    conversations.post_delete(actor=host, post=gone)
    page = client.get(widget_url(product)).content.decode()
    assert "A question everyone may read" in page
    assert "waiting for review" not in page and "since deleted" not in page


def test_answers_are_capped_and_questions_paged(client, product):
    question = ask_about(product)
    for n in range(selectors.ANSWERS_SHOWN + 2):
        conversations.post_create(author=factories.UserFactory(), thread=question,
                                  body=f"Answer number {n}")
    body = json.loads(client.get(json_url(product)).content)
    assert len(body["questions"][0]["answers"]) == selectors.ANSWERS_SHOWN
    assert body["questions"][0]["more_answers"] == 2
    for n in range(selectors.PAGE_SIZE):
        ask_about(product, title=f"Another question number {n}")
    first = json.loads(client.get(json_url(product)).content)
    second = json.loads(client.get(json_url(product), {"page": 2}).content)
    assert len(first["questions"]) == selectors.PAGE_SIZE and first["has_next"] is True
    assert len(second["questions"]) == 1 and second["has_next"] is False
    assert "Older questions" in client.get(widget_url(product)).content.decode()


def test_an_empty_product_says_so(client, product):
    page = client.get(widget_url(product)).content.decode()
    assert "No questions about Summit kettle yet." in page
    assert json.loads(client.get(json_url(product)).content)["questions"] == []


@pytest.mark.parametrize("sku", ["NO-SUCH-SKU", "x" * 300])
def test_an_unknown_or_withdrawn_product_is_not_found(client, sku):
    make_product(sku="OLD-1", is_active=False)
    assert client.get(reverse("widget", kwargs={"sku": sku})).status_code == 404
    assert client.get(reverse("widget_json", kwargs={"sku": sku})).status_code == 404
    assert client.get(reverse("widget", kwargs={"sku": "OLD-1"})).status_code == 404


def test_bad_pages_fall_back_to_the_first(client, product):
    ask_about(product)
    for raw in ("abc", "-3", "0", "9" * 40):
        assert client.get(json_url(product), {"page": raw}).status_code == 200


def test_queries_stay_flat_however_many_questions(client, product, django_assert_num_queries):
    def fill(n):
        for i in range(n):
            q = ask_about(product, title=f"Question number {i} about it")
            for _ in range(2):
                conversations.post_create(author=factories.UserFactory(), thread=q, body="Yes.")

    fill(2)
    with django_assert_num_queries(3):
        selectors.widget_page(product)
    fill(8)
    with django_assert_num_queries(3):
        found = selectors.widget_page(product)
    assert len(found.items) == 10


# The ask box ------------------------------------------------------------------------------

def test_a_member_gets_the_ask_form_that_posts_through_the_ask_page(client_as, member,
                                                                    product):
    robot_speed = CommunitySettings.get()  # the test types faster than a person
    robot_speed.min_fill_seconds = 0
    robot_speed.save()
    client = client_as(member)
    page = client.get(widget_url(product)).content.decode()
    assert f'action="{reverse("ask")}?product={product.slug}"' in page
    assert "Sign in to ask" not in page
    assert '<label for="id_title">Your question:</label>' in page
    response = client.post(f"{reverse('ask')}?product={product.slug}", {
        "space": product.space.pk, "title": "Does the lid come off for cleaning?",
        "body": "Asking from the shop.", "started": _started(page), "nonce": "widget-1"})
    assert response.status_code == 302
    asked = Thread.objects.get(title="Does the lid come off for cleaning?")
    assert asked.kind == Thread.Kind.QUESTION and asked.space == product.space


def _started(page):
    import re

    return re.search(r'name="started" value="([^"]+)"', page).group(1)


# CORS -------------------------------------------------------------------------------------

def test_json_is_shared_with_a_listed_origin_only(client, product, shop):
    listed = client.get(json_url(product), HTTP_ORIGIN=SHOP)
    assert listed["Access-Control-Allow-Origin"] == SHOP
    assert "Origin" in listed["Vary"]
    assert "Access-Control-Allow-Credentials" not in listed
    other = client.get(json_url(product), HTTP_ORIGIN="https://evil.example.net")
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other
    assert "Access-Control-Allow-Origin" not in client.get(json_url(product))
    # The kept copy does not carry the first reader's origin to the next one.
    again = client.get(json_url(product), HTTP_ORIGIN="https://evil.example.net")
    assert again[HEADER] == "hit" and "Access-Control-Allow-Origin" not in again


def test_a_preflight_is_answered_for_a_listed_origin_only(client, product, shop):
    ok = client.options(json_url(product), HTTP_ORIGIN=SHOP,
                        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == SHOP
    assert ok["Access-Control-Allow-Methods"] == "GET"
    refused = client.options(json_url(product), HTTP_ORIGIN="https://evil.example.net",
                             HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert "Access-Control-Allow-Origin" not in refused
    assert client.post(json_url(product), HTTP_ORIGIN=SHOP).status_code == 405
    head = client.head(json_url(product), HTTP_ORIGIN=SHOP)
    assert head.status_code == 200 and head["Access-Control-Allow-Origin"] == SHOP


# The cache --------------------------------------------------------------------------------

def test_the_widget_is_kept_for_visitors_and_fresh_after_every_write(client, host, member,
                                                                     product):
    visitor, as_member, as_host = Client(), Client(), Client()
    as_member.force_login(member)
    as_host.force_login(host)
    urls = (widget_url(product), json_url(product))

    def everyone():
        return [c.get(u).content.decode() for c in (visitor, as_member, as_host) for u in urls]

    first = visitor.get(urls[0])
    assert first[HEADER] == "miss"
    assert visitor.get(urls[0])[HEADER] == "hit"
    assert visitor.get(urls[1])[HEADER] == "miss"
    assert visitor.get(urls[1])[HEADER] == "hit"
    question = ask_about(product, title="Can it boil 20 litres in an hour?")
    assert all("Can it boil 20 litres in an hour?" in page for page in everyone())
    answer = conversations.post_create(author=member, thread=question, body="About 50 minutes.")
    assert all("About 50 minutes." in page for page in everyone())
    conversations.post_edit(actor=member, post=answer, body="About 45 minutes on gas.")
    assert all("45 minutes on gas" in page for page in everyone())
    conversations.answer_accept(actor=question.author, answer=answer)
    assert all(("Accepted answer" in page or '"accepted":true' in page) for page in everyone())
    conversations.post_delete(actor=host, post=answer)
    assert all("45 minutes on gas" not in page for page in everyone())


# The demo shop ----------------------------------------------------------------------------

def test_the_demo_shop_embeds_the_widget_with_its_script(client, product, settings):
    settings.DEMO_SHOP = True
    page = client.get(reverse("demo_shop_product", kwargs={"sku": product.sku}))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-sku="{product.sku}"' in html and "widget/gravity-widget.js" in html
    assert client.get(reverse("demo_shop")).status_code == 200


def test_the_demo_shop_is_closed_unless_switched_on(client, product, settings):
    settings.DEMO_SHOP = False
    assert client.get(reverse("demo_shop")).status_code == 404
    assert client.get(reverse("demo_shop_product", kwargs={"sku": product.sku})).status_code \
        == 404
