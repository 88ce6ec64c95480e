"""A form posted twice (double click, resent request) creates one thing.

Forms carry a random ``nonce`` (``forms.SubmissionNonceMixin``). The first valid submission
claims it in the shared cache; a repeat finds the claim and is sent to what the first one
made instead of making it again.
"""
from django.core.cache import cache

TTL = 60 * 60
PENDING = "pending"


def _key(user, nonce: str) -> str:
    return f"submission:{user.pk}:{nonce}"


def claim(user, nonce: str) -> tuple[bool, str | None]:
    """(True, None) for a first submission; (False, url or None) for a repeat."""
    if not nonce:
        return True, None
    if cache.add(_key(user, nonce), PENDING, timeout=TTL):
        return True, None
    url = cache.get(_key(user, nonce))
    return False, None if url in (None, PENDING) else url


def complete(user, nonce: str, url: str) -> None:
    if nonce:
        cache.set(_key(user, nonce), url, timeout=TTL)


def release(user, nonce: str) -> None:
    if nonce:
        cache.delete(_key(user, nonce))
