"""Each mechanism of the pages layer can be switched off for the bench
(``community.pages.switches``): with any one off, every reader still sees the same facts,
and a write still shows on the next request."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from community.pages import switches
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


def _readers(member):
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(member)
    return {"anonymous": anonymous, "member": signed_in}


def _pages(thread):
    return [thread.get_absolute_url(), "/", f"/s/{thread.space.slug}/", "/search/?q=kettle"]


# Without the early bump only the one after commit is left: that case commits its writes.
@pytest.mark.parametrize("name", [None, *(
    pytest.param(name, marks=pytest.mark.django_db(transaction=True)) if name == "early-bump"
    else name for name in switches.MECHANISMS)])
def test_with_one_mechanism_off_every_reader_sees_every_write(settings, name):
    settings.PAGES_OFF = frozenset({name} if name else ())
    asker, helper, voter = (factories.UserFactory() for _ in range(3))
    space = factories.SpaceFactory(name="Kettles")
    thread = conversations.thread_create(author=asker, space=space, kind="question",
                                         title="Which kettle for twenty litres?",
                                         body="Advice please.")
    conversations.post_create(author=helper, thread=thread,
                                       body="The steel kettle with a tap.")
    readers = _readers(voter)
    for client in readers.values():
        for _ in range(2):  # the second from whatever the first kept
            for page in _pages(thread):
                response = client.get(page)
                assert response.status_code == 200, page
        assert "The steel kettle with a tap." in client.get(
            thread.get_absolute_url()).content.decode()
    conversations.post_create(author=asker, thread=thread, body="Thanks, ordered the steel one.")
    for who, client in readers.items():
        page = client.get(thread.get_absolute_url()).content.decode()
        assert "Thanks, ordered the steel one." in page, who
        assert "Which kettle for twenty litres?" in client.get("/").content.decode(), who


def test_an_unknown_name_stops_the_start(settings):
    settings.PAGES_OFF = frozenset({"cards", "no-such-thing"})
    with pytest.raises(ImproperlyConfigured, match="no-such-thing"):
        switches.check()
