"""Webhook signing secrets are kept sealed: the database holds each one encrypted
(Fernet: AES-128-CBC with an HMAC-SHA256, from ``cryptography``), so a copy of the
database or of a backup does not let anyone sign requests as Gravity.

The keys come from ``WEBHOOK_SECRET_KEYS`` (comma-separated Fernet keys, the newest first:
a secret sealed with any of them opens, new ones are sealed with the first), else one key
derived from ``SECRET_KEY`` (HKDF-SHA256). To change keys, put the new one first, run
``manage.py webhook_secrets_reseal``, then drop the old one.
"""
from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

INFO = b"gravity webhook signing secrets"


class Unsealable(Exception):
    """No configured key opens this sealed secret (``WEBHOOK_SECRET_KEYS`` changed)."""


def _derived(secret_key: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(
        secret_key.encode())
    return base64.urlsafe_b64encode(raw)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    chosen = [key.encode() for key in keys] or [_derived(secret_key)]
    return MultiFernet([Fernet(key) for key in chosen])


def _box() -> MultiFernet:
    keys = tuple(k.strip() for k in getattr(settings, "WEBHOOK_SECRET_KEYS", ()) if k.strip())
    return _fernet(keys, settings.SECRET_KEY)


def seal(secret: str) -> str:
    return _box().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _box().decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise Unsealable("No key in WEBHOOK_SECRET_KEYS opens this webhook secret.") from error


def reseal(sealed: str) -> str:
    """``sealed`` under the first key (``MultiFernet.rotate``)."""
    return _box().rotate(sealed.encode()).decode()
