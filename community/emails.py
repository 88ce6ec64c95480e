"""Outgoing mail: rendered from ``templates/emails/``, plain text plus HTML."""
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Invitation


def absolute(path: str) -> str:
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{path}"


def language_of(person) -> str:
    """The language mail to ``person`` is written in: the one saved on their profile
    (``User.language``), else the site's (``LANGUAGE_CODE``). A worker does not know the
    browser a member last read the site with, so "follow my browser" means the site's."""
    chosen = getattr(person, "language", "") or ""
    return chosen if chosen and translation.check_for_language(chosen) else \
        settings.LANGUAGE_CODE


def send_templated(*, to: str, template: str, context: dict, headers: dict | None = None,
                   language: str | None = None):
    """Render ``emails/<template>`` (subject, text, HTML) in ``language`` (the recipient's:
    :func:`language_of`; the site's when None) and send it to ``to``."""
    context = {"site_name": settings.SITE_NAME, "brand": settings.BRAND, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        # One line, whatever names and titles hold: a line break in a header is refused.
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt",
                                            context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[to], headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    message.send()


def invitation_email_send(*, invitation_id: int) -> bool:
    """Send an email invitation once; a second delivery of the task sends nothing."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("inviter")
            .filter(pk=invitation_id, kind=Invitation.Kind.EMAIL)
            .first()
        )
        if invitation is None or invitation.inviter is None or invitation.emailed_at:
            return False
        send_templated(
            to=invitation.email,
            template="invitation",
            context={
                "invitation": invitation,
                "inviter": invitation.inviter,
                "accept_url": absolute(invitation.get_absolute_url()),
                "max_age_days": settings.INVITE_MAX_AGE_DAYS,
            },
            # Whoever is invited most likely reads the language of the member who invites.
            language=language_of(invitation.inviter),
        )
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])
    return True
