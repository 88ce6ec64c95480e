"""The short email a member gets when their reply by email was not posted, saying why.

It answers their mail (``In-Reply-To``) and says it was written by a machine
(``Auto-Submitted: auto-replied``, RFC 3834) so that no auto-responder answers it back;
``receive`` never answers a mail that says the same of itself. No Reply-To: answering it
reaches nobody.
"""
from __future__ import annotations

from community.emails import absolute, language_of, send_templated


def bounce_send(*, member, thread, sentence: str, mail) -> None:
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    if mail.message_id:
        headers.update({"In-Reply-To": mail.message_id, "References": mail.message_id})
    send_templated(
        to=member.email,
        template="mail_in_refused",
        context={"recipient": member, "thread": thread, "reason": sentence,
                 "subject": mail.subject,
                 "thread_url": absolute(thread.get_absolute_url()) if thread else ""},
        headers=headers, language=language_of(member),
    )
