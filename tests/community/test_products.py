"""The catalogue's pages: the product list, a product's page with its questions and answers,
asking from it, and the host's product editing; caches on, as in production."""
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from community.commerce import catalogue
from community.models import EngagementEvent, Ownership, PostImage, Product, Thread
from community.pages import HEADER
from community.services import conversations, media, moments

from .. import budgets, factories

pytestmark = pytest.mark.django_db


def _jpeg(colour=(180, 110, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("kettle.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def space():
    return factories.SpaceFactory(name="Kettles")


@pytest.fixture
def kettle(host, space):
    tag = conversations.tags_resolve(["summit-kettle"])[0]
    return catalogue.product_create(host=host, sku="K30", name="Summit kettle 30 L",
                                    line="Summit", description="Stainless, with a tap.",
                                    shop_url="https://shop.example.com/k30", space=space,
                                    tag=tag)


@pytest.fixture
def hop_filter(host, kettle):
    return catalogue.product_create(host=host, sku="F30", name="Hop filter", line="Summit",
                                    parent=kettle)


def _ask(member, product, title="Does the tap drip after a year?", **kwargs):
    return conversations.thread_create(author=member, space=product.space, kind="question",
                                       title=title, body="Mine does a little.",
                                       product=product, **kwargs)


# The list ----------------------------------------------------------------------------

def test_the_list_has_an_empty_state(client):
    page = client.get(reverse("products")).content.decode()
    assert "No products yet" in page


def test_the_list_shows_products_on_sale_by_line(client, host, kettle, hop_filter):
    catalogue.product_create(host=host, sku="H1", name="Harbour fermenter", line="Harbour")
    catalogue.product_create(host=host, sku="OLD", name="Retired mill", line="Summit",
                             is_active=False)
    page = client.get(reverse("products")).content.decode()
    assert "Summit kettle 30 L" in page and "Harbour fermenter" in page
    assert "Retired mill" not in page
    assert "accessory for" in page  # the filter names its main product
    summit = client.get(reverse("products") + "?line=Summit").content.decode()
    assert "Summit kettle 30 L" in summit and "Harbour fermenter" not in summit
    assert 'aria-current="page"><bdi>Summit' in summit
    empty = client.get(reverse("products") + "?line=Nowhere").content.decode()
    assert "Nothing in this line" in empty


def test_the_list_pages(client, host):
    for n in range(30):
        catalogue.product_create(host=host, sku=f"S{n:02d}", name=f"Spare part {n:02d}",
                                 line="Summit")
    first = client.get(reverse("products") + "?line=Summit").content.decode()
    assert "Spare part 00" in first and "Spare part 29" not in first
    assert 'href="?line=Summit&amp;page=2"' in first
    second = client.get(reverse("products") + "?line=Summit&page=2").content.decode()
    assert "Spare part 29" in second and "Spare part 00" not in second


# The product's page --------------------------------------------------------------------

def test_the_page_shows_the_product_its_family_and_the_shop(client, kettle, hop_filter):
    catalogue.product_image_add(host=kettle_host(kettle), product=kettle, upload=_jpeg(),
                                alt_text="The kettle from the front")
    page = client.get(kettle.get_absolute_url()).content.decode()
    assert "<bdi>Summit kettle 30 L</bdi>" in page and "Stainless, with a tap." in page
    assert 'href="https://shop.example.com/k30" rel="noopener"' in page
    assert 'alt="The kettle from the front"' in page
    assert hop_filter.get_absolute_url() in page and "Accessories" in page
    assert f'href="{reverse("ask")}?product={kettle.slug}"' in page
    accessory = client.get(hop_filter.get_absolute_url()).content.decode()
    assert "An accessory for" in accessory and kettle.get_absolute_url() in accessory
    assert "No questions yet" in accessory


def kettle_host(product):
    return EngagementEvent.objects.filter(kind="product_created",
                                          payload__product=product.pk).get().actor


def test_questions_about_it_by_product_or_tag_with_owner_answers_marked(client, kettle):
    asker, owner, guesser = (factories.UserFactory(display_name=n)
                             for n in ("Ada Asker", "Olga Owner", "Gus Guess"))
    asked_here = _ask(asker, kettle)
    tagged = conversations.thread_create(author=asker, space=kettle.space, kind="question",
                                         title="Which gasket fits the 30 L?", body="Help.",
                                         tags=["summit-kettle"])
    conversations.thread_create(author=asker, space=kettle.space, kind="question",
                                title="Unrelated question on mash pH", body="Hm.")
    Ownership.objects.create(member=owner, product=kettle, verified_at=timezone.now(),
                             source=Ownership.Source.ORDER)
    Ownership.objects.create(member=guesser, product=kettle)
    conversations.post_create(author=owner, thread=asked_here, body="Mine never drips.")
    conversations.post_create(author=guesser, thread=asked_here, body="A little, yes.")
    page = client.get(kettle.get_absolute_url()).content.decode()
    assert asked_here.title in page and tagged.title in page
    assert "Unrelated question on mash pH" not in page
    assert "Mine never drips." in page
    olga = page.split("Olga Owner")[1][:200]
    assert "Verified owner" in olga
    assert ">Owner</span>" in page.split("Gus Guess")[1][:200]
    assert "No answer yet" in page  # the tagged one


def test_questions_page_and_hide_what_readers_may_not_see(client, host, kettle):
    asker = factories.UserFactory()
    for n in range(12):
        _ask(asker, kettle, title=f"Question number {n:02d} about the tap")
    gone = _ask(asker, kettle, title="A question a host removed")
    Thread.objects.filter(pk=gone.pk).update(is_deleted=True)
    page = client.get(kettle.get_absolute_url()).content.decode()
    assert "Question number 11" in page and "Question number 00" not in page
    assert "A question a host removed" not in page
    assert 'href="?page=2"' in page
    second = client.get(kettle.get_absolute_url() + "?page=2").content.decode()
    assert "Question number 00" in second


def test_related_conversations_and_moments(client, host, kettle):
    conversations.thread_create(author=factories.UserFactory(), space=kettle.space,
                                kind="discussion", title="Show your kettle setups",
                                body="Pictures!")
    now = timezone.now()
    moments.moment_create(host=host, space=kettle.space, title="Boil day photos",
                          brief="Show us.", opens_at=now - timezone.timedelta(hours=1),
                          closes_at=now + timezone.timedelta(days=2))
    conversations.thread_create(author=factories.UserFactory(), space=kettle.space,
                                kind="discussion", title="Summit kettle mods thread",
                                body="Show them.", tags=["summit-kettle"])
    conversations.thread_create(author=factories.UserFactory(),
                                space=factories.SpaceFactory(name="Elsewhere"),
                                kind="discussion", title="Off-topic in another space",
                                body="Hi.")
    page = client.get(kettle.get_absolute_url()).content.decode()
    assert "Around this product" in page
    assert "Show your kettle setups" in page and "Boil day photos" in page
    assert "Off-topic in another space" not in page
    near = page.split("Around this product")[1]
    assert near.index("Summit kettle mods thread") < near.index("Show your kettle setups")


def test_an_unknown_product_is_not_found(client):
    assert client.get(reverse("product", args=["no-such-thing"])).status_code == 404


# Asking from the page ------------------------------------------------------------------

def test_asking_from_the_page_names_the_product_and_its_space(client_as, kettle):
    other = factories.SpaceFactory(name="General")
    member = factories.UserFactory()
    client = client_as(member)
    form = client.get(reverse("ask") + f"?product={kettle.slug}").content.decode()
    assert f'name="product" value="{kettle.slug}"' in form
    assert "Your question is about" in form and "Summit kettle 30 L" in form
    response = client.post(reverse("ask"), {
        "space": other.pk, "title": "How long does the element last?",
        "body": "Thinking of buying one.", "tags": "", "product": kettle.slug})
    assert response.status_code == 302
    thread = Thread.objects.get(title="How long does the element last?")
    assert thread.product == kettle and thread.space == kettle.space
    assert list(thread.tags.values_list("name", flat=True)) == ["summit-kettle"]
    assert "How long does the element last?" in Client().get(
        kettle.get_absolute_url()).content.decode()


def test_a_product_with_a_space_leaves_no_space_to_pick(client_as, host, kettle):
    client = client_as(factories.UserFactory())
    form = client.get(reverse("ask") + f"?product={kettle.slug}").content.decode()
    assert 'name="space"' not in form
    assert "Asked in" in form and "the product's space" in form
    assert f'href="{kettle.space.get_absolute_url()}"' in form
    # Sent without a space (the form offers none): the question lands in the product's.
    response = client.post(reverse("ask"), {
        "title": "Does the lid fit snugly?", "body": "Steam escapes on mine.",
        "tags": "", "product": kettle.slug})
    assert response.status_code == 302
    thread = Thread.objects.get(title="Does the lid fit snugly?")
    assert thread.product == kettle and thread.space == kettle.space

    # A product without a space of its own: the member picks one, as for any question.
    spaceless = catalogue.product_create(host=host, sku="M1", name="Grain mill")
    other = factories.SpaceFactory(name="Milling")
    form = client.get(reverse("ask") + f"?product={spaceless.slug}").content.decode()
    assert 'name="space"' in form and "Asked in" not in form
    assert client.post(reverse("ask"), {
        "title": "How fine does it crush?", "body": "For a lager.", "tags": "",
        "product": spaceless.slug}).status_code == 400  # no space chosen
    assert client.post(reverse("ask"), {
        "space": other.pk, "title": "How fine does it crush?", "body": "For a lager.",
        "tags": "", "product": spaceless.slug}).status_code == 302
    thread = Thread.objects.get(title="How fine does it crush?")
    assert thread.product == spaceless and thread.space == other


def test_the_question_names_its_product_renamed_or_not(client, host, kettle):
    thread = _ask(factories.UserFactory(), kettle)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'About <a href="{kettle.get_absolute_url()}"><bdi>Summit kettle 30 L' in page
    catalogue.product_edit(host=host, product=kettle, name="Summit kettle 35 L")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Summit kettle 35 L" in page and "Summit kettle 30 L" not in page
    other = _ask(factories.UserFactory(), kettle, title="Is the thermometer accurate?")
    Thread.objects.filter(pk=other.pk).update(product=None)
    assert "thread-product" not in client.get(other.get_absolute_url()).content.decode()


def test_the_ask_form_refuses_an_unknown_product(client_as, space):
    client = client_as(factories.UserFactory())
    assert client.get(reverse("ask") + "?product=made-up").status_code == 404
    response = client.post(reverse("ask"), {
        "space": space.pk, "title": "How long does the element last?",
        "body": "Thinking of buying one.", "product": "made-up"})
    assert response.status_code == 400
    assert "That product is not in the catalogue." in response.content.decode()
    assert not Thread.objects.filter(title__startswith="How long").exists()


def test_only_a_question_is_about_a_product(kettle):
    with pytest.raises(ValidationError):
        conversations.thread_create(author=factories.UserFactory(), space=kettle.space,
                                    kind="discussion", title="Kettle chat", body="Hi",
                                    product=kettle)


# Caches on: every write shows at once ------------------------------------------------

def test_the_page_is_kept_for_visitors_and_every_write_shows_at_once(host, kettle):
    visitor, as_member, as_host = Client(), Client(), Client()
    member = factories.UserFactory()
    as_member.force_login(member)
    as_host.force_login(host)
    url, listing = kettle.get_absolute_url(), reverse("products")

    def everyone(address=url):
        return [c.get(address).content.decode() for c in (visitor, as_member, as_host)]

    assert visitor.get(url)[HEADER] == "miss" and visitor.get(url)[HEADER] == "hit"
    assert visitor.get(listing)[HEADER] == "miss" and visitor.get(listing)[HEADER] == "hit"
    catalogue.product_edit(host=host, product=kettle, name="Summit kettle 30 L, mark II",
                           description="Now with a thermometer.")
    assert all("Now with a thermometer." in page for page in everyone())
    assert all("Summit kettle 30 L, mark II" in page for page in everyone(listing))
    thread = _ask(member, kettle, title="Is the thermometer accurate?")
    assert all("Is the thermometer accurate?" in page for page in everyone())
    conversations.post_create(author=factories.UserFactory(), thread=thread,
                              body="Within half a degree.")
    assert all("Within half a degree." in page for page in everyone())
    accessory = catalogue.product_create(host=host, sku="T30", name="Spare tap",
                                         parent=kettle)
    assert all("Spare tap" in page for page in everyone())
    catalogue.product_image_add(host=host, product=kettle, upload=_jpeg(),
                                alt_text="Mark II from above")
    assert all('alt="Mark II from above"' in page for page in everyone())
    catalogue.product_edit(host=host, product=accessory, name="Spare tap, brass")
    assert all("Spare tap, brass" in page for page in everyone())


@pytest.mark.page_cache_off(reason="the budget is the cost of rendering the page")
def test_the_page_costs_the_same_with_1_or_30_questions(client, client_as, kettle,
                                                        hop_filter):
    asker = factories.UserFactory()
    Ownership.objects.create(member=asker, product=kettle)

    def ask(n):
        for i in range(n):
            thread = _ask(asker, kettle, title=f"Question {i} about the lid")
            conversations.post_create(author=factories.UserFactory(), thread=thread,
                                      body="First answer.")
            conversations.post_create(author=factories.UserFactory(), thread=thread,
                                      body="Second answer.")
            conversations.post_create(author=factories.UserFactory(), thread=thread,
                                      body="Third answer.")

    url = kettle.get_absolute_url()
    member = factories.UserFactory()
    ask(1)
    small = {"anonymous": budgets.queries(client, url),
             "member": budgets.queries(client_as(member), url)}
    ask(29)
    catalogue.product_create(host=kettle_host(kettle), sku="G30", name="Gasket",
                             parent=kettle)
    client.logout()
    large = {"anonymous": budgets.queries(client, url),
             "member": budgets.queries(client_as(member), url)}
    budgets.assert_flat(small, large)
    # The member: their own button; both: the partners' offers panel.
    assert large == {"anonymous": 9, "member": 11}, large
    small_list = budgets.queries(client, reverse("products"))
    for n in range(20):
        catalogue.product_create(host=kettle_host(kettle), sku=f"X{n}", name=f"Extra {n}")
    assert budgets.queries(client, reverse("products")) == small_list


# The host's editing -------------------------------------------------------------------

def test_only_hosts_write_the_catalogue(member, kettle):
    with pytest.raises(PermissionDenied):
        catalogue.product_create(host=member, sku="X1", name="Mine")
    with pytest.raises(PermissionDenied):
        catalogue.product_edit(host=member, product=kettle, name="Hijacked")


def test_a_family_is_one_level_deep(host, kettle, hop_filter):
    with pytest.raises(ValidationError, match="itself an accessory"):
        catalogue.product_create(host=host, sku="G1", name="Gasket", parent=hop_filter)
    with pytest.raises(ValidationError, match="own accessory"):
        catalogue.product_edit(host=host, product=kettle, parent=kettle)
    with pytest.raises(ValidationError, match="accessories of its own"):
        other = catalogue.product_create(host=host, sku="K50", name="Summit kettle 50 L")
        catalogue.product_edit(host=host, product=kettle, parent=other)


def test_a_host_adds_and_edits_a_product_through_the_forms(client_as, host, kettle, space):
    client = client_as(host)
    assert "Summit kettle 30 L" in client.get(reverse("host_products")).content.decode()
    bad = client.post(reverse("product_create"), {
        "sku": "K30", "name": "Duplicate", "shop_url": "javascript:alert(1)"})
    assert bad.status_code == 400
    assert "not a web address" in bad.content.decode()
    response = client.post(reverse("product_create"), {
        "sku": "L30", "name": "Kettle lid", "line": "Summit", "parent_sku": "K30",
        "tag": "", "is_active": "on", "shop_url": "https://shop.example.com/l30"})
    lid = Product.objects.get(sku="L30")
    assert response.status_code == 302 and lid.parent == kettle
    assert EngagementEvent.objects.filter(kind="product_created",
                                          payload__product=lid.pk).exists()
    duplicate = client.post(reverse("product_create"), {"sku": "L30", "name": "Again"})
    assert duplicate.status_code == 400 and "with this SKU" in duplicate.content.decode()
    edit = client.post(reverse("product_edit", args=[lid.slug]), {
        "name": "Kettle lid, glass", "line": "Summit", "parent_sku": "NOPE", "tag": ""})
    assert edit.status_code == 400 and "No product has the SKU NOPE" in edit.content.decode()
    edit = client.post(reverse("product_edit", args=[lid.slug]), {
        "sku": "CHANGED", "name": "Kettle lid, glass", "line": "Summit", "parent_sku": "",
        "tag": "lids", "space": space.pk})
    lid.refresh_from_db()
    assert edit.status_code == 302 and lid.name == "Kettle lid, glass"
    assert lid.sku == "L30" and lid.parent is None and lid.tag.name == "lids"
    assert not lid.is_active  # the box was left unticked
    event = EngagementEvent.objects.filter(kind="product_edited").last()
    assert set(event.payload["changed"]) >= {"name", "parent", "tag", "is_active"}


def test_a_host_adds_and_removes_photos(client_as, host, kettle):
    client = client_as(host)
    url = reverse("product_images", args=[kettle.slug])
    assert "No photos yet" in client.get(url).content.decode()
    refused = client.post(url, {"photo": _jpeg()})  # no description
    assert refused.status_code == 400
    hostile = SimpleUploadedFile("x.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    assert client.post(url, {"photo": hostile, "photo_alt": "x"}).status_code == 400
    assert client.post(url, {"photo": _jpeg(), "photo_alt": "The tap"}).status_code == 302
    (image,) = kettle.images.select_related("image")
    assert image.image.alt_text == "The tap"
    # A product's photo is no orphan: the daily clean-up leaves it.
    PostImage.objects.filter(pk=image.image_id).update(
        created_at=timezone.now() - timezone.timedelta(days=30))
    media.orphans_delete()
    assert PostImage.objects.filter(pk=image.image_id).exists()
    response = client.post(reverse("product_image_remove", args=[image.pk]))
    assert response.status_code == 302 and not kettle.images.exists()
    assert not PostImage.objects.filter(pk=image.image_id).exists()


def test_members_cannot_remove_photos(client_as, host, kettle):
    image = catalogue.product_image_add(host=host, product=kettle, upload=_jpeg(),
                                        alt_text="Front")
    response = client_as(factories.UserFactory()).post(
        reverse("product_image_remove", args=[image.pk]))
    assert response.status_code == 403 and kettle.images.exists()


def test_an_edit_in_the_admin_shows_on_the_page_at_once(client, kettle):
    from ..conftest import sign_in

    admin_user = factories.AdminFactory()
    visitor = Client()
    assert "Summit kettle 30 L" in visitor.get(kettle.get_absolute_url()).content.decode()
    sign_in(client, admin_user)
    response = client.post(reverse("admin:community_product_change", args=[kettle.pk]), {
        "sku": kettle.sku, "name": "Summit kettle 30 L, admin edit", "slug": kettle.slug,
        "line": "Summit", "description": kettle.description, "shop_url": kettle.shop_url,
        "is_active": "on", "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Summit kettle 30 L, admin edit" in visitor.get(
        kettle.get_absolute_url()).content.decode()
    assert EngagementEvent.objects.filter(kind="product_edited", actor=admin_user).exists()


def test_a_kept_product_page_costs_no_query(kettle):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    visitor = Client()
    url = kettle.get_absolute_url()
    visitor.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = visitor.get(url)
    assert response[HEADER] == "hit" and len(ctx.captured_queries) == 0
    visitor.get(reverse("products"))
    assert visitor.get(reverse("products"))[HEADER] == "hit"
    # A product made later at an address that was not found first is found at once.
    assert visitor.get(reverse("product", args=["spare-lid"])).status_code == 404
    catalogue.product_create(host=kettle_host(kettle), sku="L1", name="Spare lid")
    assert visitor.get(reverse("product", args=["spare-lid"])).status_code == 200


def test_a_member_reads_the_questions_from_a_kept_fragment(kettle):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _ask(factories.UserFactory(), kettle, title="Is the lid glass or steel?")
    member = Client()
    member.force_login(factories.UserFactory())
    url = kettle.get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        member.get(url)
    with CaptureQueriesContext(connection) as second:
        page = member.get(url).content.decode()
    assert "Is the lid glass or steel?" in page
    assert len(second.captured_queries) <= len(first.captured_queries) - 5


@pytest.mark.parametrize("remove_posts", [False, True])
def test_a_host_leaving_keeps_the_products_photos(rf, kettle, remove_posts):
    from django.contrib.sessions.middleware import SessionMiddleware

    from community.services import users

    leaving = factories.HostFactory()
    image = catalogue.product_image_add(host=leaving, product=kettle, upload=_jpeg(),
                                        alt_text="Front")
    request = rf.post("/settings/delete/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = leaving
    users.account_delete(request=request, user=leaving, remove_posts=remove_posts)
    image.refresh_from_db()
    assert image.image.uploader.is_former_member
    assert 'alt="Front"' in Client().get(kettle.get_absolute_url()).content.decode()


def test_saying_i_own_this_shows_on_the_product_page_at_once(host, kettle):
    from community.commerce import ownership

    member = factories.UserFactory(display_name="Olga Owner")
    thread = _ask(factories.UserFactory(), kettle, title="Does the lid fit snugly?")
    conversations.post_create(author=member, thread=thread, body="Snug, yes.")
    visitor, as_member = Client(), Client()
    as_member.force_login(member)
    url = kettle.get_absolute_url()
    assert "Sign in to say you own this" in visitor.get(url).content.decode()
    assert "I own this" in as_member.get(url).content.decode()
    assert ">Owner</span>" not in visitor.get(url).content.decode()
    ownership.ownership_declare(member=member, product=kettle)
    assert "You own this" in as_member.get(url).content.decode()
    assert ">Owner</span>" in visitor.get(url).content.decode().split("Olga Owner")[1][:200]
