"""Reply by email: a notice's reply address takes the member's answer into the thread.

Mail goes in as it would in production: by SMTP (``smtplib``) to the aiosmtpd receiver the
project runs, started here on a free loopback port, or by the provider's signed hook. The
posts are written by the site's own service, so its rules (suspension, limits) apply.
"""
import hashlib
import hmac
import io
import smtplib
import socket
import time
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from community.engine import engagement
from community.engine.mail_in import address
from community.engine.mail_in.message import reply_text
from community.engine.mail_in.receive import mail_receive
from community.engine.mail_in.smtp import controller
from community.models import EngagementEvent, InboundMail, Post, PostImage, Thread
from community.services import conversations, moderation
from community.tasks import send_notification_emails

from .. import factories

DOMAIN = "reply.example.org"
SECRET = "inbound-test-secret"  # noqa: S105  # nosec B105


@pytest.fixture(autouse=True)
def _mail_in(settings):
    settings.MAIL_IN_DOMAIN = DOMAIN
    settings.MAIL_IN_SECRET = SECRET


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def receiver():
    """The project's SMTP receiver on a free loopback port, for the test's length."""
    running = controller(host="127.0.0.1", port=_free_port())
    running.start()
    yield running
    running.stop()


def _smtp(receiver, message: EmailMessage, *, to=None, sender=None):
    with smtplib.SMTP(receiver.hostname, receiver.port, timeout=30) as client:
        return client.send_message(message, from_addr=sender, to_addrs=to)


def _reply(*, to: str, sender: str, text: str, message_id=None, **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Ada <{sender}>"
    message["To"] = to
    message["Subject"] = "Re: Bo replied in Which kettle?"
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.com")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


QUOTED = """Thanks, the 30 litre one boils in ten minutes.

--
Ada Lovelace
Brewing since 1843

On Tue, 1 Dec 2026 at 20:00, Gravity <community@localhost> wrote:
> Hi Ada,
> Bo replied in Which kettle?
> Open it: http://127.0.0.1:8000/n/1/
"""


def _scene(kind=Thread.Kind.DISCUSSION):
    ada = factories.UserFactory(username="ada", display_name="Ada Lovelace")
    bo = factories.UserFactory(username="bo", display_name="Bo")
    thread = conversations.thread_create(author=ada, space=factories.SpaceFactory(),
                                         kind=kind, title="Which kettle?", body="For 20 l?")
    return ada, bo, thread


def _address(member, thread) -> str:
    return address.reply_address(member_id=member.pk, thread_id=thread.pk)


def _posts_by(member, thread):
    return list(Post.objects.filter(thread=thread, author=member).exclude(
        kind=Post.Kind.OPENING).order_by("pk"))


def _png(color=(200, 120, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(buffer, "PNG")
    return buffer.getvalue()


# SMTP, end to end --------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_a_reply_to_a_notice_lands_once_in_its_thread_without_quote_or_signature(
        receiver, client):
    ada, bo, thread = _scene()
    conversations.post_create(author=bo, thread=thread, body="The 30 litre one.")
    engagement.process_pending()
    send_notification_emails()
    notice = next(m for m in mail.outbox if m.to == [ada.email])
    reply_to = notice.extra_headers["Reply-To"]
    assert reply_to == _address(ada, thread) and reply_to.endswith("@" + DOMAIN)
    assert "Reply to this email to post your reply" in notice.body

    message = _reply(to=reply_to, sender=ada.email, text=QUOTED)
    assert _smtp(receiver, message) == {}
    assert _smtp(receiver, message) == {}  # the same mail again: a retrying server
    posts = _posts_by(ada, thread)
    assert len(posts) == 1
    assert posts[0].body == "Thanks, the 30 litre one boils in ten minutes."
    assert posts[0].kind == Post.Kind.REPLY and posts[0].status == Post.Status.PUBLISHED
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "boils in ten minutes" in page
    assert "Brewing since 1843" not in page and "Open it:" not in page
    assert InboundMail.objects.get().outcome == InboundMail.Outcome.POSTED
    event = EngagementEvent.objects.get(kind=EngagementEvent.Kind.MAIL_POSTED)
    assert (event.actor_id, event.thread_id, event.post_id) == (ada.pk, thread.pk, posts[0].pk)
    assert event.payload == {"via": "smtp", "photos": 0, "ignored": 0}


@pytest.mark.django_db(transaction=True)
def test_the_same_mail_by_smtp_and_by_the_hook_at_once_lands_once(receiver, live_server):
    from concurrent.futures import ThreadPoolExecutor
    from urllib.request import Request, urlopen

    ada, bo, thread = _scene()
    message = _reply(to=_address(ada, thread), sender=ada.email, text="Only once, please.")
    body = message.as_bytes()
    headers = {k.removeprefix("HTTP_").replace("_", "-"): v for k, v in _signed(body).items()}

    def by_hook():
        request = Request(live_server.url + reverse("mail_inbound"), data=body,
                          headers={**headers, "Content-Type": "message/rfc822"})
        with urlopen(request, timeout=30) as answer:  # noqa: S310  # nosec B310 (loopback)
            return answer.status

    with ThreadPoolExecutor(max_workers=4) as pool:
        sent = [pool.submit(_smtp, receiver, message), pool.submit(by_hook),
                pool.submit(_smtp, receiver, message), pool.submit(by_hook)]
        assert [f.result() for f in sent] == [{}, 200, {}, 200]
    assert [p.body for p in _posts_by(ada, thread)] == ["Only once, please."]
    assert InboundMail.objects.count() == 1
    assert EngagementEvent.objects.filter(kind="mail_posted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_forged_or_altered_reply_address_is_refused(receiver):
    ada, bo, thread = _scene()
    real = _address(ada, thread)
    local, _, domain = real.partition("@")
    altered = local[:-1] + ("a" if local[-1] != "a" else "b") + "@" + domain
    other_thread = real.replace(local.split("-")[1].split(".")[0], "zz")
    made_up = f"reply+{ada.pk}-{thread.pk}.{'a' * 24}@{DOMAIN}"
    for forged in (altered, other_thread, made_up):
        with pytest.raises(smtplib.SMTPDataError) as refused:
            _smtp(receiver, _reply(to=forged, sender=ada.email, text="Let me in."))
        assert refused.value.smtp_code == 550
    with pytest.raises(smtplib.SMTPRecipientsRefused):  # not ours: nothing is relayed
        _smtp(receiver, _reply(to="someone@elsewhere.example", sender=ada.email, text="Hi"))
    assert _posts_by(ada, thread) == []
    assert mail.outbox == []  # nobody this site knows wrote it: nobody is answered
    refusals = EngagementEvent.objects.filter(kind=EngagementEvent.Kind.MAIL_REFUSED)
    assert [e.payload["reason"] for e in refusals] == ["forged"] * 3
    assert {e.actor_id for e in refusals} == {None}


@pytest.mark.django_db(transaction=True)
def test_a_suspended_members_reply_is_refused_with_a_bounce_saying_why(receiver):
    ada, bo, thread = _scene()
    moderation.suspend(actor=factories.HostFactory(), user=ada, reason="Spam links.",
                       ends_at=timezone.now() + timedelta(days=3))
    mail.outbox.clear()
    message_id = make_msgid(domain="mail.example.com")
    _smtp(receiver, _reply(to=_address(ada, thread), sender=ada.email,
                           text="I am back.", message_id=message_id))
    assert _posts_by(ada, thread) == []
    (bounce,) = mail.outbox
    assert bounce.to == [ada.email]
    assert "was not posted" in bounce.subject and "Which kettle?" in bounce.subject
    assert "Your account is suspended until" in bounce.body and "Spam links." in bounce.body
    assert bounce.extra_headers["Auto-Submitted"] == "auto-replied"  # no robot answers it
    assert bounce.extra_headers["In-Reply-To"] == message_id
    assert "Reply-To" not in bounce.extra_headers
    event = EngagementEvent.objects.get(kind=EngagementEvent.Kind.MAIL_REFUSED)
    assert event.actor_id == ada.pk
    assert event.payload == {"via": "smtp", "reason": "permission", "bounced": True}


@pytest.mark.django_db(transaction=True)
def test_bounces_and_automatic_replies_are_never_posted_nor_answered(receiver):
    ada, bo, thread = _scene()
    moderation.suspend(actor=factories.HostFactory(), user=ada, reason="Spam links.",
                       ends_at=timezone.now() + timedelta(days=3))
    mail.outbox.clear()
    to = _address(ada, thread)
    out_of_office = [
        _reply(to=to, sender=ada.email, text="I am away.", Auto_Submitted="auto-replied"),
        _reply(to=to, sender=ada.email, text="Away.", X_Autoreply="yes"),
        _reply(to=to, sender=ada.email, text="Away.", Precedence="auto_reply"),
        _reply(to=to, sender=ada.email, text="Digest.", Precedence="bulk"),
    ]
    for message in out_of_office:
        _smtp(receiver, message)
    report = (f"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
              f"To: {to}\r\nMessage-ID: {make_msgid()}\r\nMIME-Version: 1.0\r\n"
              "Content-Type: multipart/report; report-type=delivery-status; boundary=b1\r\n"
              "\r\n--b1\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
              "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
              "Reporting-MTA: dns; mx.example.com\r\n\r\n--b1--\r\n").encode()
    with smtplib.SMTP(receiver.hostname, receiver.port, timeout=30) as smtp:
        smtp.sendmail("", [to], report)
    _smtp(receiver, _reply(to=to, sender=ada.email, text="Returned."), sender="")  # null
    assert _posts_by(ada, thread) == []
    assert mail.outbox == []  # not even the suspended member's bounce
    assert set(InboundMail.objects.values_list("outcome", flat=True)) == {"ignored"}
    assert InboundMail.objects.count() == 6
    assert not EngagementEvent.objects.filter(kind__startswith="mail_").exists()


@pytest.mark.django_db(transaction=True)
def test_a_photo_attached_is_stored_and_shown_and_other_files_are_left_out(receiver,
                                                                          client):
    ada, bo, thread = _scene()
    message = _reply(to=_address(ada, thread), sender=ada.email, text="Here is mine.")
    message.add_attachment(_png(), maintype="image", subtype="png",
                           filename="copper-kettle-on-the-stove.png")
    message.add_attachment(b"%PDF-1.4 manual", maintype="application", subtype="pdf",
                           filename="manual.pdf")
    _smtp(receiver, message)
    (post,) = _posts_by(ada, thread)
    (image,) = PostImage.objects.filter(post=post)
    assert image.uploader_id == ada.pk and image.width == 640
    assert image.alt_text == "copper kettle on the stove"
    assert post.body.startswith("Here is mine.") and f"upload:{image.key}" in post.body
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'alt="copper kettle on the stove"' in page and image.urls()[-1][0] in page
    row = InboundMail.objects.get()
    assert row.notes == "manual.pdf: not a photo, left out"
    assert EngagementEvent.objects.get(kind="mail_posted").payload == {
        "via": "smtp", "photos": 1, "ignored": 1}


# The rules are the site's ----------------------------------------------------------------

@pytest.mark.django_db
def test_a_reply_in_a_question_is_an_answer_as_from_the_reply_box():
    ada, bo, thread = _scene(kind=Thread.Kind.QUESTION)
    raw = _reply(to=_address(bo, thread), sender=bo.email, text="The 30 litre one.").as_bytes()
    received = mail_receive(raw, via="http")
    (post,) = _posts_by(bo, thread)
    assert received.outcome == "posted" and received.post_id == post.pk
    assert post.kind == Post.Kind.ANSWER
    thread.refresh_from_db()
    assert thread.answer_count == 1


@pytest.mark.django_db
def test_a_notice_forwarded_to_someone_else_does_not_let_them_post(
        django_capture_on_commit_callbacks):
    ada, bo, thread = _scene()
    raw = _reply(to=_address(ada, thread), sender="eve@example.net", text="Hi!").as_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        received = mail_receive(raw, via="http")
    assert received.outcome == "refused" and received.refusal == "sender"
    assert _posts_by(ada, thread) == [] and mail.outbox == []


@pytest.mark.django_db
def test_a_new_members_reply_within_their_pause_is_refused_with_the_sites_sentence(
        django_capture_on_commit_callbacks):
    ada, bo, thread = _scene()
    newcomer = factories.NewMemberFactory()
    conversations.post_create(author=newcomer, thread=thread, body="First!")
    raw = _reply(to=_address(newcomer, thread), sender=newcomer.email,
                 text="And second.").as_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        received = mail_receive(raw, via="http")
    assert received.outcome == "refused" and received.refusal == "limit"
    assert [p.body for p in _posts_by(newcomer, thread)] == ["First!"]
    (bounce,) = mail.outbox
    assert bounce.to == [newcomer.email] and received.reason in bounce.body
    assert "wait" in received.reason.lower()


@pytest.mark.django_db
def test_an_html_only_reply_is_posted_as_its_text_without_the_quoted_part():
    ada, bo, thread = _scene()
    message = EmailMessage()
    message["From"] = ada.email
    message["To"] = _address(ada, thread)
    message["Message-ID"] = make_msgid()
    message.set_content(
        '<html><body><div dir="ltr">Use the <b>30&nbsp;litre</b> one.<br>'
        'See <a href="https://shop.example.com/k30">the kettle</a>.</div>'
        '<div class="gmail_quote"><div>On Tue, Bo wrote:</div>'
        '<blockquote>The 20 litre one?</blockquote></div></body></html>', subtype="html")
    mail_receive(message.as_bytes(), via="http")
    (post,) = _posts_by(ada, thread)
    assert post.body == ("Use the 30 litre one.\n"
                         "See the kettle (https://shop.example.com/k30).")


def test_quoted_text_and_signatures_are_cut_in_the_usual_shapes():
    assert reply_text(QUOTED) == "Thanks, the 30 litre one boils in ten minutes."
    assert reply_text("Sure.\n\nSent from my iPhone") == "Sure."
    assert reply_text("Ja, gern.\n\nAm 01.12.2026 um 20:00 schrieb Bo <b@x.de>:\n> Frage"
                      ) == "Ja, gern."
    assert reply_text("Yes.\n\n> quoted line\n> another") == "Yes."


def test_the_reply_address_survives_a_change_of_case_and_nothing_else(settings):
    real = address.reply_address(member_id=41, thread_id=977)
    assert address.address_read(real.upper()) == (41, 977)
    local, _, _ = real.partition("@")
    with pytest.raises(address.Forged):
        address.address_read(real.replace("@" + DOMAIN, "@elsewhere.example"))
    with pytest.raises(address.Forged):
        address.address_read(local.replace("-", "1-", 1) + "@" + DOMAIN)
    settings.MAIL_IN_DOMAIN = ""
    assert address.reply_address(member_id=41, thread_id=977) is None


@pytest.mark.django_db
def test_without_a_domain_notices_carry_no_reply_address(settings):
    settings.MAIL_IN_DOMAIN = ""
    ada, bo, thread = _scene()
    conversations.post_create(author=bo, thread=thread, body="The 30 litre one.")
    engagement.process_pending()
    send_notification_emails()
    notice = next(m for m in mail.outbox if m.to == [ada.email])
    assert "Reply-To" not in notice.extra_headers
    assert "Reply to this email" not in notice.body


# The provider's hook ------------------------------------------------------------------------

def _signed(body: bytes, *, at=None, secret=SECRET) -> dict:
    stamp = str(int(at if at is not None else time.time()))
    mac = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"HTTP_X_MAIL_TIMESTAMP": stamp, "HTTP_X_MAIL_SIGNATURE": f"sha256={mac}"}


def _hook(client, body: bytes, **headers):
    return client.post(reverse("mail_inbound"), data=body, content_type="message/rfc822",
                       **headers)


@pytest.mark.django_db
def test_the_provider_hook_posts_a_signed_mail_once(client):
    ada, bo, thread = _scene()
    body = _reply(to=_address(ada, thread), sender=ada.email, text=QUOTED).as_bytes()
    first = _hook(client, body, **_signed(body))
    assert first.status_code == 200 and first.json()["outcome"] == "posted"
    again = _hook(client, body, **_signed(body))
    assert again.status_code == 200 and again.json()["outcome"] == "repeat"
    assert [p.body for p in _posts_by(ada, thread)] == [
        "Thanks, the 30 litre one boils in ten minutes."]


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["none", "wrong secret", "altered body", "stale", "future"])
def test_the_provider_hook_refuses_a_bad_or_stale_signature(client, how):
    ada, bo, thread = _scene()
    body = _reply(to=_address(ada, thread), sender=ada.email, text="Hello").as_bytes()
    headers = {
        "none": {},
        "wrong secret": _signed(body, secret="guess"),
        "altered body": _signed(body.replace(b"Hello", b"Hullo")),
        "stale": _signed(body, at=time.time() - 301),
        "future": _signed(body, at=time.time() + 301),
    }[how]
    response = _hook(client, body, **headers)
    assert response.status_code == 403
    assert _posts_by(ada, thread) == [] and not InboundMail.objects.exists()


@pytest.mark.django_db
def test_the_provider_hook_refuses_what_is_not_a_mail_and_everything_without_a_secret(
        client, settings):
    for body in (b"", b"just some words, no headers at all"):
        response = _hook(client, body, **_signed(body))
        assert response.status_code == 400, body
    settings.MAIL_IN_SECRET = ""
    body = b"From: a@example.com\r\n\r\nHi"
    assert _hook(client, body, **_signed(body, secret="")).status_code == 403
    assert client.get(reverse("mail_inbound")).status_code == 405


@pytest.mark.django_db
def test_an_admin_reads_what_became_of_each_mail(client):
    from ..conftest import sign_in

    ada, bo, thread = _scene()
    raw = _reply(to=_address(ada, thread), sender="eve@example.net", text="Hi!").as_bytes()
    mail_receive(raw, via="http")
    sign_in(client, factories.AdminFactory())
    page = client.get(reverse("admin:community_inboundmail_changelist"))
    assert page.status_code == 200 and "The reply came from an address" in page.content.decode()
    assert client.get(reverse("admin:community_inboundmail_add")).status_code == 403


def test_the_smtp_receiver_command_needs_the_reply_domain(settings):
    from django.core.management import CommandError, call_command

    settings.MAIL_IN_DOMAIN = ""
    with pytest.raises(CommandError, match="MAIL_IN_DOMAIN"):
        call_command("mail_in", "--port", str(_free_port()))
