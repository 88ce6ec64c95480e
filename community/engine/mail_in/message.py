"""What an incoming mail says: who sent it, to which addresses, whether a machine wrote it,
the member's new text (quoted text and signature stripped) and its attachments.

The reply is cut from the quoted notice and the signature by ``mail-parser-reply``
(:data:`LANGUAGES`: the "On ... wrote:" lines it knows); a mail with no plain-text part has
its HTML turned into text first (:func:`html_to_text`), leaving out the quoted part mail
programs mark in it.
"""
from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from mailparser_reply import EmailReplyParser

# The languages whose reply headers ("On ... wrote:", "Am ... schrieb:") are recognised.
LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]
# Addresses that only machines write from.
MACHINE_SENDERS = {"mailer-daemon", "postmaster"}
MACHINE_PRECEDENCE = {"bulk", "auto_reply", "list", "junk"}
ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")


class Malformed(Exception):
    """The bytes are not an RFC 822 message with a sender."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes
    description: str = ""

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@dataclass
class Incoming:
    message_id: str
    key: str  # what the mail is known by (``InboundMail.key``)
    sender: str  # the From address, lower case
    recipients: list[str]
    machine: str  # why a machine wrote it ("" for a person)
    text: str  # the new text, quotes and signature stripped
    attachments: list[Attachment] = field(default_factory=list)
    subject: str = ""


def parse(raw: bytes, *, envelope_sender: str | None = None,
          envelope_recipients: tuple[str, ...] = ()) -> Incoming:
    """Read ``raw``; ``envelope_*``: what the SMTP conversation said (``MAIL FROM``,
    ``RCPT TO``), when it came by SMTP."""
    if not raw or not raw.strip():
        raise Malformed("The message is empty.")
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        sender = parseaddr(str(message.get("From", "")))[1].strip().lower()
    except (ValueError, TypeError, IndexError, LookupError) as error:  # broken headers
        raise Malformed(f"The message cannot be read: {error}") from None
    if "@" not in sender:
        raise Malformed("The message has no From address.")
    message_id = str(message.get("Message-ID", "") or "").strip()
    key = hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()
    recipients = list(envelope_recipients)
    for name in ADDRESS_HEADERS:
        values = [str(v) for v in message.get_all(name, [])]
        recipients += [address for _, address in getaddresses(values) if address]
    text, attachments = _content(message) if not (machine := _machine(
        message, sender, envelope_sender)) else ("", [])
    return Incoming(message_id=message_id[:255], key=key, sender=sender,
                    recipients=list(dict.fromkeys(r.strip().lower() for r in recipients)),
                    machine=machine, text=text, attachments=attachments,
                    subject=str(message.get("Subject", "") or "")[:200])


def _machine(message: EmailMessage, sender: str, envelope_sender: str | None) -> str:
    """Why the mail is a bounce or an automatic reply, or "" for a person's mail."""
    if envelope_sender is not None and envelope_sender.strip("<> ") == "":
        return "null sender (a bounce)"
    if sender.split("@")[0] in MACHINE_SENDERS:
        return f"sent by {sender.split('@')[0]}"
    if message.get_content_type() == "multipart/report":
        return "a delivery or read report"
    auto = str(message.get("Auto-Submitted", "") or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "an automatic reply"
    precedence = str(message.get("Precedence", "") or "").strip().lower()
    if precedence in MACHINE_PRECEDENCE:
        return f"Precedence: {precedence}"
    return ""


def _content(message: EmailMessage) -> tuple[str, list[Attachment]]:
    plain = html_part = None
    attachments = []
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        disposition = part.get_content_disposition()
        if disposition == "attachment" or part.get_filename() or kind.startswith("image/"):
            data = part.get_payload(decode=True) or b""
            attachments.append(Attachment(
                filename=(part.get_filename() or "").strip()[:200], content_type=kind,
                data=data, description=str(part.get("Content-Description", "") or "")))
        elif kind == "text/plain" and plain is None:
            plain = part
        elif kind == "text/html" and html_part is None:
            html_part = part
    if plain is not None:
        text = _decoded(plain)
    elif html_part is not None:
        text = html_to_text(_decoded(html_part))
    else:
        text = ""
    return reply_text(text), attachments


def _decoded(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeDecodeError):  # an unknown or wrong charset
        return (part.get_payload(decode=True) or b"").decode("utf-8", "replace")


def reply_text(text: str) -> str:
    """The new text of a reply: without the quoted mail below it, its signature, nor the
    lines quoted with ``>`` left at the end."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    parsed = EmailReplyParser(languages=LANGUAGES).read(text)
    body = parsed.replies[0].body if parsed.replies else text
    lines = body.rstrip().split("\n")
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines).strip()


class _Text(HTMLParser):
    """HTML to plain text: blocks on their own lines, links with their address, nothing
    of scripts, styles or the quoted mail (``blockquote``, Gmail's and Outlook's marks)."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
              "ul", "ol", "pre", "hr"}
    SKIPPED = {"script", "style", "head", "title", "blockquote"}
    QUOTE_MARKS = ("gmail_quote", "moz-cite-prefix", "divrplyfwdmsg", "appendonsend",
                   "yahoo_quoted")
    VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping: list[str] = []  # the open tags whose content is left out
        self.href: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        marks = " ".join((value or "") for name, value in attrs
                         if name in ("class", "id")).lower()
        if self.skipping:
            if tag not in self.VOID:
                self.skipping.append(tag)
            return
        if tag in self.SKIPPED or any(mark in marks for mark in self.QUOTE_MARKS):
            if tag not in self.VOID:
                self.skipping.append(tag)
            return
        if tag in self.BLOCKS:
            self.out.append("\n")
        if tag == "li":
            self.out.append("- ")
        if tag == "a":
            self.href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if self.skipping:
            if tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag == "a" and self.href:
            href = self.href.pop()
            if href and href.startswith(("http://", "https://")) and href not in "".join(
                    self.out[-3:]):
                self.out.append(f" ({href})")
        if tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(source: str) -> str:
    parser = _Text()
    parser.feed(source or "")
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.out).split("\n")]
    out, blank = [], False
    for line in lines:
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
        out.append(line)
        blank = False
    return "\n".join(out)
