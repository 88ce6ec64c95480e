"""A form posted twice (double click, resent request) creates one thing.

Forms carry a random ``nonce`` (``forms.SubmissionNonceMixin``). The first valid submission
claims it in the shared cache; a repeat finds the claim and is sent to what the first one
made instead of making it again. Views go through :func:`once`, which claims, makes,
remembers what was made and frees the claim when the making fails.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError

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


@dataclass
class Outcome:
    """What :func:`once` did: made it, found a repeat, or was refused."""

    made: Any = None
    repeat: bool = False
    url: str | None = None  # a repeat: what the first submission made, once it is made
    error: ValidationError | None = None  # refused: on the form, the nonce free again


def once(user, form, make: Callable[[], Any],
         url_of: Callable[[Any], str] | None = None) -> Outcome:
    """``make()`` for the first submission of ``form`` (a valid ``SubmissionNonceMixin``).

    A repeat makes nothing and gets the first one's URL. A refusal (``ValidationError``)
    goes on the form as a non-field error and frees the nonce, so the corrected form can
    be sent again; any other exception frees it and propagates. What was made is
    remembered by ``url_of(made)`` (its ``get_absolute_url()`` unless given)."""
    nonce = form.cleaned_data.get("nonce", "")
    first, url = claim(user, nonce)
    if not first:
        return Outcome(repeat=True, url=url)
    try:
        made = make()
    except ValidationError as error:
        release(user, nonce)
        form.add_error(None, error)
        return Outcome(error=error)
    except BaseException:
        release(user, nonce)
        raise
    complete(user, nonce, url_of(made) if url_of else made.get_absolute_url())
    return Outcome(made=made)
