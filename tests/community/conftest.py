"""Fixtures shared by the community app's tests."""
import pytest

from community.services import conversations

from .. import factories


@pytest.fixture
def kettle_question(db):
    """A member's question, "Which kettle for 20 litres?", in the Kettles space."""
    return conversations.thread_create(author=factories.UserFactory(display_name="Ada Asker"),
                                       space=factories.SpaceFactory(name="Kettles"),
                                       kind="question", title="Which kettle for 20 litres?",
                                       body="Advice please.")
