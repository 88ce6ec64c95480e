"""Attackers' first tries: markup marked safe outside the renderer, a forged cross-site
POST, and a GET that changes something."""
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from . import factories
from .test_permission_matrix import MATRIX, POST_MATRIX, _visitor

ROOT = Path(__file__).resolve().parent.parent
CODE = [p for d in ("community", "purpose", "partners", "config")
        for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts]
TEMPLATES = list((ROOT / "templates").rglob("*.html"))
RENDERER = ROOT / "community" / "content" / "rendering.py"


def test_only_the_renderer_marks_strings_as_markup():
    marks = re.compile(r"\bmark_safe\b|\bSafeString\b|\bSafeText\b|\bformat_html\b")
    offenders = [str(p.relative_to(ROOT)) for p in CODE
                 if p != RENDERER and marks.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"markup marked safe outside community/content/rendering.py: {offenders}"
    unsafe = re.compile(r"\|\s*safe\b(?!_)|\{%\s*autoescape\s+off")
    offenders = [str(p.relative_to(ROOT)) for p in TEMPLATES
                 if unsafe.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"HTML templates that turn escaping off: {offenders}"


# The URLs that take a POST without our token: RFC 8058 one-click unsubscribe, whose
# signed link is the key (tests/community/test_notify.py), and the shop's purchase call and
# a mail provider's inbound hook, whose HMAC signatures are
# (tests/community/test_purchase_webhook.py, tests/community/test_mail_in.py); and OAuth 2's
# token and revocation endpoints, which third-party apps call with their client credentials
# and a PKCE verifier, never from a page of ours (tests/api/test_oauth.py); and the service
# worker's push renewal, which has no token to send and proves the device by its old
# subscription's secret, never by cookies (tests/community/test_push.py).
CSRF_EXEMPT = {"unsubscribe", "shop_purchase_webhook", "mail_inbound", "oauth:token",
               "oauth:revoke", "push_renew"}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(set(POST_MATRIX) - CSRF_EXEMPT))
def test_a_post_without_the_csrf_token_is_refused(world, url_name):
    _, kwargs, data = POST_MATRIX[url_name]
    user = _visitor(world, "staff")  # the role allowed the most
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    data = {k: (world["space"].pk if v == "SPACE" else v) for k, v in data.items()}
    url = reverse(url_name, kwargs=kwargs(world, user))
    response = client.post(url, data)
    assert response.status_code == 403, f"{url_name} accepted a POST without a CSRF token"
    for unsafe in (client.put, client.patch, client.delete):
        assert unsafe(url).status_code == 403, f"{url_name} accepted {unsafe.__name__}"


# The audit trail records refusals, GET or not: a log, not the community's state.
COUNTED = [m for label in ("community", "purpose", "partners")
           for m in apps.get_app_config(label).get_models()
           if m._meta.label != "community.AuditRecord" and not m._meta.proxy]


def _rows() -> dict[str, int]:
    """Each table's row count, in one query (it is read after each of ~240 GETs)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = [quote(m._meta.db_table) for m in COUNTED]  # the models' own names
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})"  # noqa: S608
                                             for t in tables))
        counts = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(COUNTED, counts, strict=True)}


# A partner's offer is followed through a link that counts the click (its count and its
# event): the one GET whose purpose is a record (tests/partners/test_offers.py).
COUNTED_ON_GET = {"partners:offer_go": {"partners.Offer", "community.EngagementEvent"}}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "member", "partner", "staff"])
def test_no_get_changes_anything(client, world, role):
    user = _visitor(world, role)
    if user is not None:
        client.force_login(user)
    factories.UserFactory()  # warm the sequence caches the counts below do not see
    before = _rows()
    changed = []
    for name, row in MATRIX.items():
        client.get(reverse(name, kwargs=row.kwargs(world, user)))
        after = _rows()
        counted = COUNTED_ON_GET.get(name, set())  # following the link is what is counted
        moved = {k: (before[k], after[k]) for k in after
                 if after[k] != before[k] and k not in counted}
        if moved:
            changed.append((name, moved))
        before = after
    assert not changed, f"GET requests that changed rows: {changed}"


@pytest.mark.django_db
def test_extra_post_fields_change_nothing(client_as):
    from community.models import Post, Thread, User
    from partners.models import Organisation
    from purpose.models import Contribution, Project

    superusers = set(User.objects.filter(is_superuser=True))  # the module's shared world's
    member = factories.UserFactory(username="mallory")
    victim = factories.UserFactory(username="victim")
    space = factories.SpaceFactory(name="Kettles")
    client = client_as(member)
    client.post(reverse("profile_edit"), {
        "display_name": "Mallory", "bio": "", "location": "", "products": "", "interests": "",
        "is_staff": "on", "is_superuser": "on", "is_host": "on", "trust_level": "2",
        "peer_help": "9999", "engagement": "9999", "username": "admin2"})
    member.refresh_from_db()
    assert (member.is_staff, member.is_superuser, member.is_host) == (False, False, False)
    assert member.peer_help == 0 and member.username == "mallory"

    client.post(reverse("discuss"), {
        "space": space.pk, "title": "An ordinary discussion", "body": "Hello.", "nonce": "x1",
        "author": victim.pk, "author_role": "staff", "is_pinned": "on", "social_score": "99",
        "is_featured": "on"})
    thread = Thread.objects.get(title="An ordinary discussion")
    assert thread.author == member and not (thread.is_pinned or thread.is_featured)
    assert thread.opening_post.author_role == Post.Role.MEMBER and thread.social_score < 99

    client.post(reverse("purpose:project_propose"), {
        "title": "Barn raising", "goal": "A barn", "description": "Together", "status": "open",
        "member_count": "500", "organisation": "1"})
    project = Project.objects.get(title="Barn raising")
    assert project.status == "proposed" and project.member_count == 1
    assert project.organisation is None

    client.post(reverse("purpose:contribute", args=[project.slug]), {})  # not open: refused
    Project.objects.filter(pk=project.pk).update(status="open")
    client.post(reverse("purpose:contribute", args=[project.slug]), {
        "kind": "idea", "title": "Red doors", "body": "Paint them red", "nonce": "c1",
        "vote_count": "99", "is_winner": "on", "author": victim.pk})
    contribution = Contribution.objects.get(title="Red doors")
    assert contribution.vote_count == 0 and not contribution.is_winner
    assert contribution.author == member

    client.post(reverse("partners:apply"), {
        "name": "Mallory Ltd", "description": "Us", "status": "verified",
        "decided_by": victim.pk})
    assert Organisation.objects.get(name="Mallory Ltd").status == "applied"
    assert set(User.objects.filter(is_superuser=True)) == superusers
