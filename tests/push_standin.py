"""A real, tiny push service for tests (RFC 8030): an HTTP server on a free loopback port.

It does what a browser vendor's push service does with a message, short of waking a phone:
checks the VAPID ``Authorization: vapid t=<JWT>,k=<public key>`` header (RFC 8292: the
ES256 signature against ``k``, ``aud`` is this service's origin, ``exp`` in the future and
at most 24 hours away, ``sub`` a mailto: or https: contact), decrypts the ``aes128gcm``
body (RFC 8291) with the subscription's private key, as the browser would, and records
what it read. The test makes each subscription's key pair itself (:meth:`subscribe`), as a
browser does, and can have the service answer 410, 404, 429 or 500 instead of 201.
"""
import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """One browser's subscription: its endpoint, and the private half of its keys."""

    name: str
    endpoint: str
    key: ec.EllipticCurvePrivateKey
    auth: bytes
    answers: list[int] = field(default_factory=list)  # next statuses, then 201

    def info(self) -> dict:
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "keys": {"p256dh": _b64(public),
                                                    "auth": _b64(self.auth)}}


@dataclass
class Received:
    device: str
    status: int  # what the service answered
    payload: dict | None  # the decrypted message (None: refused before decrypting)
    claims: dict | None
    headers: dict
    error: str = ""


class PushStandIn:
    """``with PushStandIn(vapid_public=...) as service: device = service.subscribe()``"""

    def __init__(self, *, vapid_public: str | None = None):
        self.vapid_public = vapid_public
        self.devices: dict[str, Device] = {}
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def subscribe(self, *, answers: list[int] | None = None) -> Device:
        name = _b64(os.urandom(9))
        device = Device(name=name, endpoint=f"{self.url}/push/{name}",
                        key=ec.generate_private_key(ec.SECP256R1()), auth=os.urandom(16),
                        answers=list(answers or []))
        self.devices[name] = device
        return device

    def delivered(self, device: Device | None = None) -> list[dict]:
        """The messages accepted (201), decrypted, in order."""
        return [r.payload for r in self.received
                if r.status == 201 and (device is None or r.device == device.name)]

    def _check(self, headers) -> dict:
        scheme, _, params = (headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError("no vapid authorization")
        parts = dict(part.strip().split("=", 1) for part in params.split(","))
        token, public = parts["t"], parts["k"]
        if self.vapid_public and public != self.vapid_public:
            raise ValueError("not the application server's key")
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(public))
        claims = jwt.decode(token, key, algorithms=["ES256"], audience=self.url,
                            options={"require": ["aud", "exp", "sub"]})
        if claims["exp"] > time.time() + 24 * 3600:
            raise ValueError("exp more than 24 hours away")
        if not str(claims["sub"]).startswith(("mailto:", "https:")):
            raise ValueError("sub is not a contact")
        return claims

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, text: str = ""):
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", "60")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text.encode())

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                name = self.path.rsplit("/", 1)[-1]
                device = service.devices.get(name)
                headers = {k: self.headers.get(k) for k in
                           ("TTL", "Topic", "Urgency", "Content-Encoding")}
                if device is None:
                    return self._answer(404, "no such subscription")
                try:
                    claims = service._check(self.headers)
                    if headers["Content-Encoding"] != "aes128gcm":
                        raise ValueError("not aes128gcm")
                    payload = json.loads(http_ece.decrypt(
                        body, private_key=device.key, auth_secret=device.auth,
                        version="aes128gcm"))
                except Exception as error:  # noqa: BLE001  (what a real service refuses)
                    with service.lock:
                        service.received.append(Received(name, 400, None, None, headers,
                                                         repr(error)))
                    return self._answer(400, repr(error))
                with service.lock:
                    status = device.answers.pop(0) if device.answers else 201
                    service.received.append(Received(name, status, payload, claims, headers))
                return self._answer(status)

        return Handler
