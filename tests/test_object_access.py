"""Object-level access: what is hidden stays hidden, everywhere it could leak.

One community holds an object of each hidden kind (a thread waiting for review, a hidden
reply, a deleted thread and post, a project nobody has approved, an organisation still
applying, partner content held for a host). A second user of every role then opens each
object's own address, and every list, feed, search and Atom feed: none may show it. Hosts
see the held objects (so the markers are really there to leak).
"""
import pytest
from django.urls import reverse

from community.models import CommunitySettings, Thread
from community.services import conversations, moderation
from partners import services as partner_services
from purpose import services as purpose_services

from . import factories
from .conftest import make_role_user, sign_in_as

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "unverified", "new_member", "member", "partner_other"]
# One made-up word per hidden object, so a leak anywhere on a page is found by its word.
HELD = "quillabrew"
HIDDEN_REPLY = "mothwort"
DELETED_THREAD = "zephyrmalt"
DELETED_POST = "gruitcask"
PROPOSED = "orchardvat"
APPLYING = "Fennelworks"
HELD_PARTNER = "sorrelkiln"
MARKERS = [HELD, HIDDEN_REPLY, DELETED_THREAD, DELETED_POST, PROPOSED, APPLYING, HELD_PARTNER]


@pytest.fixture
def world():
    host = factories.HostFactory(username="host_on_duty")
    author = factories.UserFactory(username="regular")
    newcomer = factories.NewMemberFactory(username="newcomer")
    space = factories.SpaceFactory(name="Kettles")
    public = conversations.thread_create(
        author=author, space=space, kind=Thread.Kind.QUESTION, title="Which kettle to buy?",
        body="Looking for advice on kettles.", tags=["kettles"])
    held = conversations.thread_create(
        author=newcomer, space=space, kind=Thread.Kind.DISCUSSION,
        title=f"My first {HELD} brew", body=f"All about {HELD}.", hold="first post",
        tags=["kettles"])
    hidden = conversations.post_create(author=author, thread=public,
                                       body=f"A {HIDDEN_REPLY} answer.")
    moderation.review_hide(actor=host, post=hidden, reason="spam")
    gone = conversations.thread_create(
        author=author, space=space, kind=Thread.Kind.DISCUSSION,
        title=f"The {DELETED_THREAD} thread", body=f"{DELETED_THREAD} everywhere.",
        tags=["kettles"])
    moderation.review_delete(actor=host, post=gone.opening_post, reason="off topic")
    removed = conversations.post_create(author=author, thread=public,
                                        body=f"A {DELETED_POST} reply.")
    conversations.post_delete(actor=author, post=removed)
    proposed = purpose_services.project_propose(
        author=author, title=f"The {PROPOSED} project", goal=f"{PROPOSED} goal",
        description=f"{PROPOSED} description", space=space)
    applying = partner_services.organisation_apply(
        user=factories.UserFactory(username="applicant"), name=f"{APPLYING} Ltd",
        description=f"{APPLYING} makes things.")
    settings_row = CommunitySettings.get()
    settings_row.partner_posts_need_approval = True
    settings_row.save()
    organisation = factories.OrganisationFactory(name="Northfield Hop Farm")
    colleague = factories.PartnerFactory(username="farmer", organisation=organisation)
    held_partner = partner_services.partner_publish(
        author=colleague, organisation=organisation, kind="howto", space=space,
        title=f"Growing {HELD_PARTNER} hops", body=f"{HELD_PARTNER} in pots.")
    gone.refresh_from_db()
    assert gone.is_deleted and Thread.objects.get(pk=held.pk).is_hidden
    return {
        "host": host, "author": author, "newcomer": newcomer, "space": space,
        "public": public, "held": held, "hidden": hidden, "gone": gone, "removed": removed,
        "proposed": proposed, "applying": applying, "organisation": organisation,
        "held_partner": held_partner.thread,
    }


def _lists(w):
    """Every page that lists threads, posts, projects, organisations or people."""
    pages = [reverse("home"), reverse("latest_feed"), reverse("purpose:projects"),
             reverse("partners:organisations"), reverse("notifications"),
             reverse("purpose:my_projects"), reverse("similar_questions") + "?title=brew",
             reverse("space", args=[w["space"].slug]),
             reverse("space_feed", args=[w["space"].slug]),
             reverse("tags"), reverse("tag", args=["kettles"]),
             reverse("tag_feed", args=["kettles"]),
             reverse("thread", args=[w["public"].pk, w["public"].slug]),
             reverse("partners:organisation", args=[w["organisation"].slug])]
    pages += [f"{reverse('home')}?tab={tab}" for tab in ("latest", "unanswered", "solved")]
    pages += [reverse("profile", args=[u.username]) for u in (w["author"], w["newcomer"])]
    pages += [f"{reverse('profile', args=[w['author'].username])}?tab={tab}"
              for tab in ("questions", "answers", "threads", "posts")]
    # Search echoes what was typed, so it is asked for the words beside each marker.
    pages += [f"{reverse('search')}?q={words}" for words in (
        "first brew", "answer", "thread everywhere", "reply", "project", "makes things",
        "growing hops", "pots", "kettles")]
    pages += [f"{reverse('purpose:projects')}?status=proposed"]
    return pages


def _objects(w):
    """Each hidden object's own addresses."""
    return {
        "held thread": reverse("thread", args=[w["held"].pk, w["held"].slug]),
        "deleted thread": reverse("thread", args=[w["gone"].pk, w["gone"].slug]),
        "hidden reply": reverse("post_permalink", args=[w["hidden"].pk]),
        "deleted reply": reverse("post_permalink", args=[w["removed"].pk]),
        "held partner content": reverse("thread", args=[w["held_partner"].pk,
                                                        w["held_partner"].slug]),
        "proposed project": reverse("purpose:project", args=[w["proposed"].slug]),
        "applying organisation": reverse("partners:organisation", args=[w["applying"].slug]),
        "held thread's edit form": reverse("post_edit", args=[w["held"].opening_post_id]),
    }


@pytest.mark.parametrize("role", VISITORS)
def test_no_list_feed_or_search_shows_a_hidden_object(client, world, role):
    sign_in_as(client, role, make_role_user(role))
    leaks = []
    for url in _lists(world):
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.content.decode()
        leaks += [(url, word) for word in MARKERS if word.lower() in body.lower()]
    assert not leaks, f"{role} saw hidden objects: {leaks}"


@pytest.mark.parametrize("role", VISITORS)
def test_a_hidden_objects_own_address_is_not_found(client, world, role):
    sign_in_as(client, role, make_role_user(role))
    shown = {}
    for name, url in _objects(world).items():
        response = client.get(url, follow=True)
        body = response.content.decode().lower()
        if response.status_code == 200 and any(word.lower() in body for word in MARKERS):
            shown[name] = url
        assert response.status_code in (200, 403, 404), (name, response.status_code)
    assert not shown, f"{role} opened hidden objects: {shown}"


def test_hosts_see_what_waits_for_them(client, world):
    """The markers are really in the community: the host's queue and pages show them."""
    client.force_login(world["host"])
    queue = client.get(reverse("review_queue")).content.decode()
    assert HELD in queue and HELD_PARTNER in queue
    assert HIDDEN_REPLY in client.get(reverse("post_permalink", args=[world["hidden"].pk]),
                                      follow=True).content.decode()
    assert PROPOSED in client.get(f"{reverse('purpose:projects')}?status=proposed").content.decode()
    assert APPLYING in client.get(reverse("partners:review")).content.decode()


def test_the_author_sees_their_own_held_thread(client, world):
    client.force_login(world["newcomer"])
    page = client.get(reverse("thread", args=[world["held"].pk, world["held"].slug]))
    assert page.status_code == 200 and HELD in page.content.decode()
    # ...and nobody else's held content through it.
    assert HELD_PARTNER not in client.get(reverse("home")).content.decode()


def test_another_members_drafts_and_data_are_theirs(client, world):
    """Per-member pages answer with the visitor's own data, whatever id is tried."""
    intruder = factories.UserFactory(username="intruder")
    client.force_login(intruder)
    export = client.get(reverse("my_data_download")).content.decode()
    assert "regular" not in export and "intruder" in export
    mine = client.get(reverse("purpose:my_projects")).content.decode()
    assert PROPOSED not in mine
    edit = client.get(reverse("post_edit", args=[world["public"].opening_post_id]))
    assert edit.status_code == 403
