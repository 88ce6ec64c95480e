"""A mail provider's inbound hook: ``POST /mail/inbound/`` with the raw RFC 822 message.

Signed as the shop signs its calls (``community.signed_calls``): ``X-Mail-Timestamp`` (Unix
seconds) and ``X-Mail-Signature``, the hex HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed by
``MAIL_IN_SECRET``; a bad, missing or stale signature is 403, bytes that are not a message
400. Otherwise 200 with what became of the mail (``engine.mail_in.receive``): the provider
has delivered it, whether it was posted, refused (the member was told why) or ignored.
"""
from django.conf import settings
from django.http import JsonResponse
from django.http.request import RawPostDataException
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community import signed_calls
from community.engine.mail_in.message import Malformed
from community.engine.mail_in.receive import mail_receive

TIMESTAMP_HEADER = "X-Mail-Timestamp"
SIGNATURE_HEADER = "X-Mail-Signature"


@csrf_exempt  # the provider cannot hold our CSRF token: the HMAC signature stands in for it
@require_POST
def mail_inbound(request):
    timestamp = request.headers.get(TIMESTAMP_HEADER)
    given = request.headers.get(SIGNATURE_HEADER)
    try:
        if not (timestamp and given):
            raise signed_calls.Refused(403, "Missing signature.")
        try:
            body = request.body
        except RawPostDataException:  # a form, read as one before this view
            raise signed_calls.Refused(400, "The body must be a raw email message.") from None
        signed_calls.check_signed(secret=settings.MAIL_IN_SECRET, timestamp=timestamp,
                                  given=given, body=body, what="inbound mail hook")
        if not settings.MAIL_IN_DOMAIN:
            raise signed_calls.Refused(403, "Replies by email are off (no MAIL_IN_DOMAIN).")
        try:
            received = mail_receive(body, via="http")
        except Malformed as malformed:
            raise signed_calls.Refused(400, str(malformed)) from None
    except signed_calls.Refused as refused:
        return JsonResponse({"error": refused.reason}, status=refused.status)
    return JsonResponse(received.as_json())
