"""Mail is written in its recipient's language (``User.language``), whoever caused it and
whatever language the request or the worker was in; "follow my browser" gets the site's."""
import pytest
from django.core import mail
from django.utils import translation

from community.engine import engagement
from community.models import Thread
from community.services import conversations, invitations
from community.tasks import send_notification_emails

from .. import factories

pytestmark = pytest.mark.django_db


def _answered(asker, answerer):
    space = factories.SpaceFactory(name="Brewing")
    question = conversations.thread_create(author=asker, space=space, title="Why is it thin?",
                                           kind=Thread.Kind.QUESTION, body="Help?")
    conversations.post_create(author=answerer, thread=question, body="Mash hotter.")
    engagement.process_pending()
    send_notification_emails()
    return next(m for m in mail.outbox if m.to == [asker.email])


@pytest.mark.parametrize(("language", "greeting", "open_it"), [
    ("es", "Hola, Ana:", "Abrirlo: "),
    ("ar", "مرحبًا Ana،", None),
    ("", "Hi Ana,", "Open it: "),
])
def test_a_notice_email_is_in_the_recipients_language(language, greeting, open_it):
    asker = factories.UserFactory(display_name="Ana", language=language)
    answerer = factories.UserFactory(display_name="Bo", language="en")
    with translation.override("ar" if language != "ar" else "es"):  # the writer's language
        sent = _answered(asker, answerer)
    assert greeting in sent.body
    if open_it:
        assert open_it in sent.body
    assert greeting in sent.alternatives[0][0]


def test_an_invitation_is_in_the_language_of_the_member_who_invites(
        django_capture_on_commit_callbacks):
    inviter = factories.UserFactory(display_name="Ana", language="es")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(inviter=inviter, emails=["friend@example.com"])
    sent = next(m for m in mail.outbox if m.to == ["friend@example.com"])
    assert sent.subject.startswith("Ana te invita a la comunidad")
