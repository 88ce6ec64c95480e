"""One received mail becomes a post, a refusal or nothing: :func:`mail_receive`.

Both ways in (the SMTP receiver, ``manage.py mail_in``, and the provider's hook,
``POST /mail/inbound/``) hand the raw message here. In order:

1. a mail seen before (by ``Message-ID``) changes nothing: ``repeat``;
2. a bounce or an automatic reply (``message.parse``: null sender, MAILER-DAEMON,
   ``multipart/report``, ``Auto-Submitted``, ``X-Autoreply``, ``Precedence``) is
   ``ignored``, never posted and never answered;
3. the reply address must be one this site signed (``address``) and the From address one
   of the member's confirmed addresses, else it is ``refused`` without a word (whoever
   wrote it is not the member);
4. the site's own rules decide the rest, through the site's own service:
   ``services.conversations.post_create`` (suspension, ``can_reply``, limits, the spam
   check, held posts), after the same look at the thread the thread page takes
   (``can_view_thread``). A photo attached goes through ``services.media.image_upload``
   like an upload; other attachments, and photos the pipeline refuses, are left out with a
   note. Refused: the member gets a short email saying why (``Auto-Submitted:
   auto-replied``, so that no robot answers it).

Each outcome is one ``InboundMail`` row; posted and refused mails record ``mail_posted`` or
``mail_refused`` in the same transaction.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePath

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from community import permissions
from community.engine import events
from community.models import InboundMail, Thread, User
from community.services import conversations, media

from . import address
from .message import Incoming, parse

log = logging.getLogger(__name__)

OUTCOME = InboundMail.Outcome
ALT_FALLBACK = "A photo sent by email"
SILENT = {"forged", "sender"}


@dataclass
class Received:
    """What became of a mail (the hook answers it as JSON, SMTP as a reply code)."""

    outcome: str  # posted, refused, ignored, repeat
    reason: str = ""  # the sentence: why it was refused or ignored
    post_id: int | None = None
    refusal: str = ""  # refused: forged, sender, permission, limit, empty

    @property
    def silent(self) -> bool:
        """Refused without telling anyone: nobody this site knows wrote it."""
        return self.refusal in SILENT

    def as_json(self) -> dict:
        return {"outcome": self.outcome, "reason": self.reason, "refusal": self.refusal,
                "post": self.post_id}


class _Refusal(Exception):
    def __init__(self, reason: str, sentence: str, *, tell: bool):
        super().__init__(sentence)
        self.reason, self.sentence, self.tell = reason, sentence, tell


def mail_receive(raw: bytes, *, via: str, envelope_sender: str | None = None,
                 envelope_recipients: tuple[str, ...] = ()) -> Received:
    """Handle one raw RFC 822 message (``message.Malformed`` when it is not one)."""
    mail = parse(raw, envelope_sender=envelope_sender,
                 envelope_recipients=envelope_recipients)
    if InboundMail.objects.filter(key=mail.key).exists():
        return Received("repeat")
    if mail.machine:
        _remember(mail, outcome=OUTCOME.IGNORED, reason=mail.machine[:300])
        return Received(OUTCOME.IGNORED, mail.machine)
    member = thread = None
    try:
        member, thread = _addressed(mail)
        _sender_check(mail, member)
        _may_reply(member, thread)
        photos, notes = _photos(mail, member)
        if not mail.text and not photos:
            raise _Refusal("empty", _("Your email had no text we could post: write your "
                                      "reply above the quoted message."), tell=True)
        return _post(mail, member, thread, photos, notes, via=via)
    except _Refusal as refusal:
        return _refuse(mail, member, thread, refusal, via=via)


def _addressed(mail: Incoming) -> tuple[User, Thread]:
    ours = [a for a in mail.recipients if address.is_ours(a)]
    for candidate in ours:
        try:
            member_id, thread_id = address.address_read(candidate)
        except address.Forged:
            continue
        member = User.objects.filter(pk=member_id).first()
        thread = Thread.objects.filter(pk=thread_id).first()
        if member is not None and thread is not None:
            return member, thread
    # Said only in the SMTP answer (ASCII, untranslated): nobody this site knows is told.
    raise _Refusal("forged", "This reply address is not one we gave out.", tell=False)


def _sender_check(mail: Incoming, member: User) -> None:
    """The mail comes from one of the member's confirmed addresses: a notice forwarded to
    someone else does not let them post as the member."""
    confirmed = {e.lower() for e in EmailAddress.objects.filter(
        user=member, verified=True).values_list("email", flat=True)}
    if mail.sender not in confirmed:
        raise _Refusal("sender", "The reply came from an address the member has not "
                       "confirmed.", tell=False)


def _may_reply(member: User, thread: Thread) -> None:
    """The thread page's look (``can_view_thread``) and its reply box's rule
    (``can_reply``, ``why_not``): the same sentence the site shows. ``post_create`` asks
    again; asking first keeps the photos of a refused reply from being stored."""
    if not permissions.can_view_thread(member, thread):
        raise _Refusal("permission", _("That thread is no longer on the site."), tell=True)
    if not permissions.can_reply(member, thread):
        raise _Refusal("permission", permissions.why_not(member, thread), tell=True)


def _alt(attachment) -> str:
    if attachment.description.strip():
        return attachment.description.strip()[:media.ALT_MAX]
    words = " ".join(PurePath(attachment.filename).stem.replace("_", " ").replace(
        "-", " ").split())
    return (words if words and not words.isdigit() else ALT_FALLBACK)[:media.ALT_MAX]


def _photos(mail: Incoming, member: User) -> tuple[list, list[str]]:
    """Photos stored through the media pipeline (as uploads waiting for their post), and
    a note for each attachment left out."""
    photos, notes = [], []
    for attachment in mail.attachments:
        name = attachment.filename or attachment.content_type
        if not attachment.is_image:
            notes.append(f"{name}: not a photo, left out")
            continue
        upload = SimpleUploadedFile(attachment.filename or "photo", attachment.data,
                                    content_type=attachment.content_type)
        try:
            photos.append(media.image_upload(uploader=member, upload=upload,
                                             alt_text=_alt(attachment)))
        except (ValidationError, PermissionDenied) as refused:
            notes.append(f"{name}: {' '.join(getattr(refused, 'messages', [str(refused)]))}")
    return photos, notes


def _remember(mail: Incoming, **fields) -> InboundMail | None:
    """The mail's row; None when another delivery of it got there first."""
    try:
        with transaction.atomic():
            return InboundMail.objects.create(key=mail.key, message_id=mail.message_id,
                                              sender=mail.sender[:254], **fields)
    except IntegrityError:
        return None


def _post(mail, member, thread, photos, notes, *, via: str) -> Received:
    body = "\n\n".join([mail.text, *(p.markdown for p in photos)]).strip()
    try:
        with transaction.atomic():
            row = _remember(mail, member=member, thread=thread,
                            outcome=OUTCOME.POSTED, notes="\n".join(notes))
            if row is None:
                return Received("repeat")
            post = conversations.post_create(author=member, thread=thread, body=body)
            row.post = post
            row.save(update_fields=["post"])
            events.MailPosted.record(actor=member, thread=thread, post=post, via=via,
                                     photos=len(photos), ignored=len(notes))
    except PermissionDenied as denied:
        raise _Refusal("permission", str(denied) or permissions.why_not(member, thread),
                       tell=True) from None
    except ValidationError as invalid:
        raise _Refusal("limit", " ".join(invalid.messages), tell=True) from None
    return Received(OUTCOME.POSTED, post_id=post.pk)


def _refuse(mail, member, thread, refusal: _Refusal, *, via: str) -> Received:
    from .bounce import bounce_send

    tell = refusal.tell and member is not None and bool(member.email)
    with transaction.atomic():
        row = _remember(mail, member=member, thread=thread, outcome=OUTCOME.REFUSED,
                        reason=refusal.sentence[:300])
        if row is None:
            return Received("repeat")
        events.MailRefused.record(actor=member, thread=thread, via=via,
                                  reason=refusal.reason, bounced=tell)
        if tell:
            transaction.on_commit(lambda: bounce_send(
                member=member, thread=thread, sentence=refusal.sentence, mail=mail))
    log.info("reply by email refused (%s): %s", refusal.reason, mail.message_id)
    return Received(OUTCOME.REFUSED, refusal.sentence, refusal=refusal.reason)
