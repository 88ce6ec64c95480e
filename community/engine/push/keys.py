"""The VAPID key pair push messages are signed with (RFC 8292).

Production sets ``VAPID_PUBLIC_KEY``, ``VAPID_PRIVATE_KEY`` (both base64url: the public key
as the uncompressed P-256 point browsers take as ``applicationServerKey``, the private key
as its 32-byte scalar, what ``manage.py vapid_keys`` prints) and ``VAPID_SUBJECT`` (a
``mailto:`` or ``https:`` contact for push services). Without keys push is off: no button,
no messages, nothing else changes.

On the development server (``VAPID_DEV_KEYS``, on with ``DEBUG``) a pair is generated once,
on this machine, and kept in ``VAPID_DEV_FILE`` (``var/vapid-dev.json``, not in git), so
that subscriptions made there keep working across restarts.
"""
import base64
import json
import os
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings


@dataclass(frozen=True)
class Keys:
    public: str  # base64url, uncompressed point (65 bytes)
    private: str  # base64url, raw scalar (32 bytes)
    subject: str


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate() -> tuple[str, str]:
    """A new pair: (public, private), both base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return b64url(public), b64url(private)


def _dev_pair() -> tuple[str, str]:
    path = Path(settings.VAPID_DEV_FILE)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return stored["public"], stored["private"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    public, private = generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written under a temporary name and renamed: two processes starting together keep
    # one pair (the last rename wins, and both read it from then on).
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"public": public, "private": private}), encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    return stored["public"], stored["private"]


def vapid() -> Keys | None:
    """The site's keys, or None: push is off."""
    public, private = settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY
    if not (public and private):
        if not settings.VAPID_DEV_KEYS:
            return None
        public, private = _dev_pair()
    subject = settings.VAPID_SUBJECT or f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"
    return Keys(public=public, private=private, subject=subject)


def enabled() -> bool:
    return vapid() is not None
