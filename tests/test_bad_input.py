"""Input nobody should send gets a clear client error, never a 500: control characters
(PostgreSQL refuses NUL in text), a Host header the site does not serve, a body larger
than the site accepts, and dashboard periods off the calendar."""
import pytest
from django.test import Client
from django.urls import reverse

from community.host.dashboard import PERIOD_RANGE

from . import factories
from .test_permission_matrix import _visitor

NOT_ALLOWED = "The request contained a character that is not allowed."


def _signed_in(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# (role, url name, its arguments, the query) for a view reading each parameter.
QUERIES = [
    ("anonymous", "search", {}, {"q": "nul\x00"}),
    ("anonymous", "search", {}, {"tag": "\x00"}),
    ("anonymous", "search", {}, {"space": "a\x00b", "by": "\x00"}),
    ("member", "ask", {}, {"space": "\x00", "title": "kettle\x00"}),
    ("anonymous", "profile", {"username": "owner"}, {"activity": "\x00"}),
    ("member", "thread", {"pk": "thread", "slug": "x"}, {"reply_to": "\x00"}),
    ("anonymous", "purpose:projects", {}, {"status": "\x00", "sort": "\x00"}),
    ("staff", "member_suspend", {"username": "owner"}, {"reason": "\x00"}),
    ("anonymous", "home", {}, {"tab": "\x1b[31m"}),
    ("anonymous", "home", {}, {"nul\x00key": "1"}),
]


@pytest.mark.parametrize(("role", "url_name", "arguments", "query"), QUERIES)
def test_a_control_character_in_a_parameter_is_a_400(db, world, role, url_name, arguments,
                                                     query):
    arguments = {name: world[value].pk if name == "pk" else value
                 for name, value in arguments.items()}
    response = _signed_in(_visitor(world, role)).get(reverse(url_name, kwargs=arguments), query)
    assert response.status_code == 400
    assert NOT_ALLOWED in response.content.decode()


def test_a_control_character_in_a_form_or_the_path_is_a_400(db, world):
    client = _signed_in(_visitor(world, "member"))
    thread = world["thread"]
    posts = thread.posts.count()
    reply = client.post(reverse("thread_reply", kwargs={"pk": thread.pk}), {"body": "hi\x00there"})
    assert reply.status_code == 400 and NOT_ALLOWED in reply.content.decode()
    key = client.post(reverse("thread_reply", kwargs={"pk": thread.pk}), {"body\x00": "x"})
    assert key.status_code == 400
    path = client.get("/u/owner%00/")
    assert path.status_code == 400 and NOT_ALLOWED in path.content.decode()
    assert thread.posts.count() == posts  # nothing was written
    # Tabs and line breaks are text like any other.
    body = "First line\r\n\tindented\nlast"
    client.post(reverse("thread_reply", kwargs={"pk": thread.pk}), {"body": body, "nonce": "n1"})
    assert thread.posts.filter(body__contains="indented").exists()
    assert client.get(reverse("search"), {"q": "kettle\tlitres"}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "a b", "localhost:xyz", "", "[::1"])
def test_a_bad_host_gets_the_sites_400_page(db, settings, host):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["example.org"]
    client = Client(raise_request_exception=False)
    for method in (client.get, client.post):
        response = method("/search/?q=x", HTTP_HOST=host)
        assert response.status_code == 400, (host, response.status_code)
        page = response.content.decode()
        assert "That request did not make sense to us" in page
        assert 'class="site-header"' in page and "Log in" in page


def test_a_body_above_the_limit_is_refused_unread(db, settings):
    client = Client()
    declared = str(200 * 1024 * 1024)
    response = client.post(reverse("account_signup"), b"email=a", CONTENT_LENGTH=declared,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    page = response.content.decode()
    assert "That was too large to send" in page and "at most 6 MB" in page
    assert "at most 4 MB" in page  # the image limit, for the one place that takes files
    under = client.post(reverse("account_signup"), {"email": "x" * 1000})
    assert under.status_code == 200


@pytest.mark.parametrize("query", [
    {"since": "9999-12-31"}, {"until": "9999-12-31"},
    {"since": "0001-01-01", "until": "9999-12-31"}, {"since": "0001-01-01"},
    {"days": str(10**9)}, {"days": "-5"}, {"since": "0000-01-01"},
    {"since": "99999-01-01"}, {"until": "2026-02-30"},
])
def test_dashboard_periods_off_the_calendar_say_so(client, db, query):
    client.force_login(factories.HostFactory())
    page = client.get(reverse("host_dashboard"), query)
    assert page.status_code == 200
    assert 'class="form-error"' in page.content.decode()
    # The CSV says why rather than give another period's figures under this one's name.
    csv = client.get(reverse("host_dashboard_csv"), query)
    assert csv.status_code == 400 and "No CSV for this period." in csv.content.decode()


def test_a_dashboard_period_beyond_the_range_names_the_range(client, db):
    client.force_login(factories.HostFactory())
    page = client.get(reverse("host_dashboard"), {"since": "1900-01-01"}).content.decode()
    assert str(PERIOD_RANGE) in page
