"""A real, tiny OpenID Connect provider for tests: an HTTP server on a free loopback port.

It speaks the authorization-code flow the way a real provider does (discovery document,
authorize redirect with ``code`` and ``state``, token endpoint returning an RS256-signed
``id_token``, JWKS, userinfo), so allauth's openid_connect provider runs unmodified.
"""
import base64
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class StandInProvider:
    """``with StandInProvider(client_id=..., user={...}) as provider: provider.url``"""

    def __init__(self, *, client_id: str, user: dict):
        self.client_id = client_id
        self.user = user
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def _id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url, "aud": self.client_id, "sub": self.user["sub"], "iat": now,
            "exp": now + 300, "email": self.user["email"], "email_verified": True,
            "name": self.user.get("name", ""),
        }
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "standin"})

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, payload, status=200):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._json({
                        "issuer": provider.url,
                        "authorization_endpoint": f"{provider.url}/authorize",
                        "token_endpoint": f"{provider.url}/token",
                        "userinfo_endpoint": f"{provider.url}/userinfo",
                        "jwks_uri": f"{provider.url}/jwks",
                        "response_types_supported": ["code"],
                        "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "token_endpoint_auth_methods_supported": ["client_secret_post"],
                    })
                if url.path == "/authorize":
                    if query.get("client_id") != provider.client_id:
                        return self._json({"error": "unauthorized_client"}, 400)
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    target = query["redirect_uri"] + "?" + urlencode(
                        {"code": code, "state": query.get("state", "")}
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                    return None
                if url.path == "/jwks":
                    public = provider.key.public_key().public_numbers()
                    return self._json({"keys": [{
                        "kty": "RSA", "kid": "standin", "use": "sig", "alg": "RS256",
                        "n": _b64(public.n), "e": _b64(public.e),
                    }]})
                if url.path == "/userinfo":
                    if self.headers.get("Authorization") != "Bearer standin-access-token":
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json({**provider.user, "email_verified": True})
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                if urlparse(self.path).path != "/token":
                    return self._json({"error": "not_found"}, 404)
                issued = provider.codes.pop(form.get("code", ""), None)
                if issued is None or form.get("client_id") != provider.client_id:
                    return self._json({"error": "invalid_grant"}, 400)
                return self._json({
                    "access_token": "standin-access-token", "token_type": "Bearer",
                    "expires_in": 300, "id_token": provider._id_token(issued.get("nonce")),
                })

        return Handler
