"""`manage.py seed_demo` builds a believable community, and running it twice adds nothing."""
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from community.demo.data import DEMO_PASSWORD
from community.models import Collection, Moment, Post, Space, Thread, User
from partners.models import Organisation

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", "--allow-production", "--quiet-progress", verbosity=0)


def _counts():
    return (User.objects.count(), Space.objects.count(), Thread.objects.count(),
            Post.objects.count(), Organisation.objects.count())


def test_seed_demo_builds_the_community_once(client):
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first

    assert User.objects.filter(is_host=True).count() == 2
    members = User.objects.filter(is_host=False, is_superuser=False, is_former_member=False)
    assert members.count() >= 40
    assert Organisation.objects.get(status=Organisation.Status.VERIFIED).memberships.count() == 2
    assert Space.objects.count() >= 4
    # Customers talking to each other: threads with replies from several members.
    peer_threads = [
        t for t in Thread.objects.filter(author_is_staff=False)
        if t.posts.filter(author_role=Post.Role.MEMBER).values("author").distinct().count() >= 3
    ]
    assert len(peer_threads) >= 5
    # ...and the brand talking alone.
    brand_alone = [
        t for t in Thread.objects.filter(author_is_staff=True)
        if not t.posts.exclude(author_role=Post.Role.STAFF).exists()
    ]
    assert brand_alone
    assert Thread.objects.filter(accepted_answer__isnull=False).exists()
    assert Thread.objects.filter(kind=Thread.Kind.QUESTION, answer_count=0).exists()
    assert User.objects.filter(invited_by__isnull=False).count() >= 5
    # Members' collections, built through the services; the hosts feature one.
    best = Collection.objects.get(title="Best of fermentation")
    assert best.is_public and best.featured_by.is_host and best.items.count() == 4
    assert best.items.filter(post__isnull=False).exists()  # an answer, not only threads
    assert Collection.objects.filter(is_public=True).count() == 2
    # A running moment, its photos drawn locally and stored at every size; two picks.
    moment = Moment.objects.get(title="Show us your brew day")
    assert moment.is_open and moment.cover is not None
    assert moment.entries.count() == 5 and moment.entries.filter(image__isnull=False).count() == 4
    assert all(len(e.image.variants) >= 2 for e in moment.entries.exclude(image=None))
    assert moment.entries.filter(featured_at__isnull=False).count() == 2
    assert Post.objects.filter(parent__moment_entry__moment=moment).count() == 4
    # A small catalogue: a kettle with its accessories, photos through the media pipeline,
    # and questions asked from products' pages.
    from community.models import Product

    kettle = Product.objects.get(sku="PK-30")
    assert kettle.accessories.count() == 3 and kettle.images.count() == 1
    assert len(kettle.images.get().image.variants) >= 2
    assert Thread.objects.filter(product__sku="SF-25", answer_count=2).exists()
    assert Product.objects.count() == 6
    assert Product.objects.filter(images__isnull=False).count() == 4
    # Owners, verified by orders or declared, before the questions: the fermenter's owner
    # answers with the badge, and their answer counts as commerce.
    from community.models import EngagementEvent, Ownership

    assert Ownership.objects.filter(product=kettle, verified_at__isnull=False).count() == 2
    assert Ownership.objects.filter(product=kettle, verified_at__isnull=True).count() == 1
    fermenter_question = Thread.objects.get(product__sku="SF-25")
    page = client.get(fermenter_question.get_absolute_url()).content.decode()
    assert "Verified owner" in page
    assert EngagementEvent.objects.filter(kind="post_created", payload__has_key="owner",
                                          thread_id=fermenter_question.pk).count() == 2


def test_demo_accounts_can_sign_in(client):
    _seed()
    response = client.post(
        reverse("account_login"),
        {"login": "aisha@demo.gravity.test", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("profile_edit")).status_code == 200


def test_seed_demo_refuses_with_debug_off_unless_told(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(username="aisha").exists()


def test_demo_feed_shows_customers_talking_to_each_other_first():
    from community.selectors.feeds import feed_page

    _seed()
    threads = feed_page(tab="conversations").threads
    assert threads[0].member_participants >= 3 and not threads[0].author_is_staff
    staff_positions = [i for i, t in enumerate(threads) if t.author_is_staff]
    assert staff_positions and min(staff_positions) > len(threads) // 2


def test_demo_dashboard_shows_trends_and_warns_about_the_brand_only_space(client):
    _seed()
    client.force_login(User.objects.get(username="hana"))
    page = client.get(reverse("host_dashboard")).content.decode()
    assert "Brewing classes: you are teaching a class, not hosting a party." in page
    assert page.count("<rect") >= 2 * 5  # a bar per day, for both charts
    assert "Fermentation: you are teaching" not in page
    assert "You are teaching a class" not in page  # the community as a whole is a party


def test_demo_gives_the_hosts_work_to_do(client):
    _seed()
    _seed()  # idempotent: one advert, one pair of flags
    client.force_login(User.objects.get(username="hana"))
    welcome = client.get(reverse("welcome_queue")).content.decode()
    assert "Priya Nair" in welcome and "Tomás Ruiz" in welcome
    assert "Aisha Bello" not in welcome  # members of long standing are not newcomers
    queue = client.get(reverse("review_queue")).content.decode()
    assert queue.count("cheap-kegs.example") == 1 and "Hidden by community flags." in queue
    client.logout()
    thread_page = client.get(
        Thread.objects.get(title="Post your brew day photos").get_absolute_url())
    assert "cheap-kegs" not in thread_page.content.decode()  # hidden from readers


# Committed, as under make run: the demo's notifications are mailed after each commit.
@pytest.mark.django_db(transaction=True)
def test_seeding_under_make_run_prints_a_few_lines_not_the_demo_mail(settings, capsys):
    from io import StringIO

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = StringIO()
    call_command("seed_demo", "--allow-production", "--quiet-progress", stdout=out)
    printed = capsys.readouterr().out  # where the console backend writes mail
    assert "Subject:" not in printed
    lines = out.getvalue().splitlines()
    assert len(lines) <= 4 and lines[0].startswith("Demo community ready")
    assert "notification emails between demo members were not sent" in out.getvalue()
    assert "printed in this terminal" in lines[-1]
