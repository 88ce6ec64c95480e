"""Shared fixtures: one fixture per role, a clean cache namespace, mail helpers."""
import re
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from . import factories

# "partner" belongs to the organisation a test's objects belong to (the matrix adds them to
# it); "partner_other" belongs to another organisation only; "unverified" signed up but has
# not followed the verification link.
ROLES = ["anonymous", "unverified", "new_member", "member", "partner", "partner_other", "staff",
         "admin"]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test gets its own key prefix in the shared Redis, so rate limits do not leak."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": prefix},
    }
    cache.close()
    yield
    cache.close()


@pytest.fixture(autouse=True)
def _page_cache(request, settings):
    """The caches are on in every test, as in production: a write bumps what it makes stale
    at once as well as after commit (``community.pages.versions``), so a test, whose transaction
    never commits, reads its own writes. A test that must see pages rendered afresh says
    why: ``@pytest.mark.page_cache_off(reason="...")``."""
    off = request.node.get_closest_marker("page_cache_off")
    if off is not None and not (off.kwargs.get("reason") or off.args):
        pytest.fail("@pytest.mark.page_cache_off needs a reason")
    settings.PAGE_CACHE = off is None


@pytest.fixture(autouse=True)
def _posting_rate(request, settings):
    """Fixtures write dozens of posts by one member in a second, far past the posting rate
    every role has: it is on in the tests about it (``@pytest.mark.posting_rate``). A new
    member's pause between posts and first-day limits always apply."""
    settings.POSTING_RATE = bool(request.node.get_closest_marker("posting_rate"))


@pytest.fixture(autouse=True)
def _webhooks_to_loopback(settings):
    """Webhook receivers in the tests listen on a loopback port (production refuses them)."""
    settings.WEBHOOKS_ALLOW_LOOPBACK = True


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The objects the URL tables point at (``tests.test_permission_matrix._world``), built
    once per module and worker rather than once per test: a world costs about 0.3 s and a
    thousand tests (the permission matrix, the fuzz, the security and bad-input checks) each
    need one. It is written in a transaction that stays open for the module; each test's own
    transaction is a savepoint inside it, rolled back after the test, so every test starts
    from this same world, and the module's transaction is rolled back at its end. Every
    later test of the module sees the world, whether it asks for it or not (as with Django's
    ``setUpTestData``), and a test that must commit (``transaction=True``) does not belong
    in a module that uses it."""
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    from .test_permission_matrix import _world

    caches = {**settings.CACHES, "default": {**settings.CACHES["default"],
                                            "KEY_PREFIX": f"world-{uuid.uuid4().hex[:12]}"}}
    with django_db_blocker.unblock(), override_settings(
            CACHES=caches, POSTING_RATE=False, PAGE_CACHE=True,
            WEBHOOKS_ALLOW_LOOPBACK=True, MEDIA_ROOT=tmp_path_factory.mktemp("world-media")):
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as Django's TestCase marks its own (durable blocks)
        atomic.__enter__()
        try:
            yield _world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.close()


@pytest.fixture
def member(db):
    return factories.UserFactory()


@pytest.fixture
def other_member(db):
    return factories.UserFactory()


@pytest.fixture
def new_member(db):
    return factories.NewMemberFactory()


@pytest.fixture
def host(db):
    return factories.HostFactory()


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory()


@pytest.fixture
def partner(db):
    return factories.PartnerFactory()


def make_role_user(role):
    return {
        "anonymous": lambda: None,
        "unverified": lambda: factories.UserFactory(verified=False),
        "new_member": factories.NewMemberFactory,
        "member": factories.UserFactory,
        "partner": factories.PartnerFactory,
        "partner_other": factories.PartnerFactory,
        "staff": factories.HostFactory,
        "admin": factories.AdminFactory,
    }[role]()


def sign_in_as(client, role, user):
    """Sign ``client`` in as ``user`` the way ``role`` can: an unverified account goes
    through the real login form, which must not give it a session."""
    if role == "unverified":
        client.post(reverse("account_login"), {"login": user.email,
                                               "password": factories.PASSWORD})
        assert "_auth_user_id" not in client.session, "an unverified account signed in"
    elif user is not None and user.is_staff:
        sign_in(client, user)
    elif user is not None:
        client.force_login(user)


def sign_in(client, user):
    """Sign ``client`` in through the site's sign-in form, as a person does: the session
    then records when, which the admin asks about (``community/identity/adminsite.py``)."""
    client.post(reverse("account_login"), {"login": user.email, "password": factories.PASSWORD})
    assert client.session.get("_auth_user_id") == str(user.pk), "the sign-in failed"
    return client


@pytest.fixture
def client_as(client):
    """``client_as(user)`` logs the test client in as ``user`` (None stays anonymous); an
    admin signs in through the form, so the admin takes the sign-in as recent."""

    def login(user):
        client.logout()
        if user is not None and user.is_staff:
            sign_in(client, user)
        elif user is not None:
            client.force_login(user)
        return client

    return login


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)
