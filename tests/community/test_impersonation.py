"""Nobody can pass for the host team, a host or the "Former member" account.

Reserved and look-alike handles and names are refused at sign-up and on the profile form;
the posts of deleted accounts go to the flagged "Former member" account only. Driven
through the real sign-up, profile and account-delete views.
"""
import importlib
import json

import pytest
from django.apps import apps
from django.urls import reverse

from community.models import Post, Thread, User
from community.services import conversations
from community.services.users import former_member_get

from .. import factories

pytestmark = pytest.mark.django_db

STRONG = "a long and unusual passphrase 42"
CYRILLIC_A, CYRILLIC_O = "\u0430", "\u043e"


@pytest.fixture
def hana(db):
    return factories.HostFactory(username="hana_okafor", display_name="Hana Okafor")


def _signup(client, **overrides):
    data = {"email": "newcomer@example.com", "username": "newcomer",
            "display_name": "New Comer", "password1": STRONG, "password2": STRONG,
            **overrides}
    return client.post(reverse("account_signup"), data)


# Sign-up ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("handle", "message"), [
    ("former_member", "reserved for the community"),
    ("Former_Member", "reserved for the community"),
    ("f0rmer_member", "reserved for the community"),
    ("admin", "reserved for the community"),
    ("Gravity_team", "reserved for the community"),
    ("hana_0kafor", "looks like a host"),
    ("HanaOkafor", "looks like a host"),
])
def test_signup_refuses_reserved_and_look_alike_handles(client, hana, handle, message):
    response = _signup(client, username=handle)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="newcomer@example.com"' in body and 'value="New Comer"' in body
    assert not User.objects.filter(email="newcomer@example.com").exists()
    # Another handle goes through, with a name that only mentions the host.
    assert _signup(client, username="hana_fan", display_name="Hana's biggest fan"
                   ).status_code == 302
    assert User.objects.get(username="hana_fan").display_name == "Hana's biggest fan"


@pytest.mark.parametrize(("name", "message"), [
    ("Hana Okafor Gravity team", "Gravity team"),
    ("H" + CYRILLIC_A + "na " + CYRILLIC_O + "kafor", "looks like a host"),
    ("Hana Okafor, host", "badge"),
    ("Former member", "deleted accounts"),
])
def test_signup_refuses_names_that_pass_for_the_host_team(client, hana, name, message):
    response = _signup(client, display_name=name)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert f'value="{name}"' in body  # what they typed is still there
    assert not User.objects.filter(email="newcomer@example.com").exists()


# Profile ---------------------------------------------------------------------------------

PROFILE = {"bio": "Lagers, mostly.", "location": "Ghent", "products": "", "interests": ""}


def test_profile_refuses_a_host_look_alike_name_and_keeps_the_input(client, member, hana):
    client.force_login(member)
    name = "Hana 0kafor"
    response = client.post(reverse("profile_edit"), {**PROFILE, "display_name": name})
    body = response.content.decode()
    assert response.status_code == 200 and "looks like a host" in body
    assert f'value="{name}"' in body and "Lagers, mostly." in body
    member.refresh_from_db()
    assert member.display_name != name and member.bio != "Lagers, mostly."
    # The host team may say who they are.
    client.force_login(hana)
    response = client.post(reverse("profile_edit"),
                           {**PROFILE, "display_name": "Hana Okafor, Gravity team"})
    assert response.status_code == 302
    hana.refresh_from_db()
    assert hana.display_name == "Hana Okafor, Gravity team"


# The "Former member" account ------------------------------------------------------------

def test_deleted_posts_never_go_to_a_member_called_former_member(client, client_as, member):
    # Registered before handles were reserved: the account exists, without the flag.
    squatter = factories.UserFactory(username="former_member", display_name="Former member")
    thread = conversations.thread_create(
        author=member, space=factories.SpaceFactory(), kind=Thread.Kind.QUESTION,
        title="Which hops for a pale ale?", body="Something citrusy, please.")
    post = conversations.post_create(author=member, thread=thread, body="My secret recipe.")

    client_as(member)
    client.post(reverse("account_delete"),
                {"posts": "anonymise", "password": factories.PASSWORD})
    assert not User.objects.filter(pk=member.pk).exists()

    post.refresh_from_db()
    thread.refresh_from_db()
    former = post.author
    assert former.is_former_member and former.pk != squatter.pk
    assert thread.author_id == former.pk
    assert not former.is_active and not former.has_usable_password()

    client_as(squatter)
    export = client.get(reverse("my_data_download"))
    assert export.status_code == 200
    assert "My secret recipe." not in json.dumps(export.json())
    edit = client.post(reverse("post_edit", args=[post.pk]), {"body": "Mine now."})
    assert edit.status_code == 403
    post.refresh_from_db()
    assert post.body == "My secret recipe."
    squatter.refresh_from_db()
    assert not squatter.is_former_member


def test_the_migration_makes_its_own_account_and_never_adopts_a_member():
    settle = importlib.import_module(
        "community.migrations.0017_former_member_account").former_member_settle
    User.objects.filter(is_former_member=True).delete()
    squatter = factories.UserFactory(username="former_member")

    settle(apps, None)

    former = User.objects.get(is_former_member=True)
    assert former.pk != squatter.pk and former.username != "former_member"
    assert not former.is_active and not former.has_usable_password()
    squatter.refresh_from_db()
    assert squatter.username == "former_member" and squatter.has_usable_password()
    assert former_member_get().pk == former.pk


def test_the_migration_keeps_an_existing_former_member_account_and_locks_it():
    settle = importlib.import_module(
        "community.migrations.0017_former_member_account").former_member_settle
    User.objects.filter(is_former_member=True).delete()
    old = factories.UserFactory(username="former_member", is_former_member=True)
    kept = conversations.thread_create(
        author=old, space=factories.SpaceFactory(), kind=Thread.Kind.DISCUSSION,
        title="An old thread of somebody gone", body="Kept.")

    settle(apps, None)

    old.refresh_from_db()
    assert old.username != "former_member" and not old.is_active
    assert not old.has_usable_password()
    assert Post.objects.get(pk=kept.opening_post_id).author_id == old.pk
    assert former_member_get().pk == old.pk


def test_a_claimed_import_does_not_keep_a_host_look_alike_name(client, hana):
    from community.services.users import claim_token

    imported = factories.UserFactory(username="hana_se12", display_name="Hana 0kafor",
                                     email=None, is_unclaimed=True, verified=False)
    url = reverse("account_claim", args=[claim_token(imported, "hana.k@example.com")])
    response = client.post(url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    imported.refresh_from_db()
    assert not imported.is_unclaimed and imported.email == "hana.k@example.com"
    assert imported.display_name == "" and imported.name == "hana_se12"
