"""A new member reads the new-member limits before writing, not first as a refusal."""
import pytest
from django.urls import reverse

from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db

NOTE = "While you are new here: one post every 30 seconds"


def test_new_members_see_their_limits_on_the_ask_form_and_the_reply_box(client):
    thread = conversations.thread_create(author=factories.UserFactory(),
                                         space=factories.SpaceFactory(), kind="question",
                                         title="Which kettle?", body="Advice please.")
    newcomer = factories.NewMemberFactory()
    client.force_login(newcomer)
    ask = client.get(reverse("ask")).content.decode()
    assert NOTE in ask and "10 replies in your first day" in ask
    assert NOTE in client.get(thread.get_absolute_url()).content.decode()
    # A member with full rights reading the same page (its body is cached by shape) does not.
    client.force_login(factories.UserFactory())
    assert NOTE not in client.get(thread.get_absolute_url()).content.decode()
    assert NOTE not in client.get(reverse("ask")).content.decode()
