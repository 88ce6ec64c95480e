"""A real, small SAML 2.0 identity provider for tests: pysaml2's ``saml2.server.Server``
behind a WSGI app on a free loopback port.

It does what a company's IdP does for Gravity: publishes its metadata (entity id, signing
certificate, single sign-on address), takes the AuthnRequest Gravity redirects the browser
with, shows a sign-in form, and posts a signed Response (signed assertion too) back to
Gravity's assertion consumer service through the browser. Its key and certificate are made
when it starts, so no secret is kept in the repository.

``respond(...)`` signs a person in without a browser and returns what the browser would
post, optionally tampered with (``tamper="signature" | "audience" | "recipient" |
"expired"``), for the tests that check such answers are refused.
"""
import base64
import datetime
import html
import tempfile
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

XMLSEC = "/usr/bin/xmlsec1"

SP_METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"
      AuthnRequestsSigned="false" WantAssertionsSigned="true">
    <md:AssertionConsumerService index="0" isDefault="true"
        Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs_url}"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
"""

IDP_METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"
      WantAuthnRequestsSigned="false">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="{sso_url}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""


def key_and_certificate(common_name: str) -> tuple[bytes, bytes]:
    """A fresh RSA key and a self-signed certificate for it (PEM), valid for a day."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()),
            cert.public_bytes(serialization.Encoding.PEM))


def certificate_body(pem: bytes) -> str:
    """The certificate's base64 body, as metadata and settings carry it."""
    return "".join(line for line in pem.decode().splitlines() if "-----" not in line)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class StandInIdP:
    """``with StandInIdP(sp_entity_id=..., acs_url=..., people={...}) as idp: idp.metadata_url``

    ``people`` maps a login name to ``{"password": ..., "email": ..., "displayName": ...,
    "groups": [...]}``; every key but the password is released as an attribute of that
    name."""

    def __init__(self, *, sp_entity_id: str, acs_url: str, people: dict[str, dict]):
        self.people = people
        self.sp_entity_id = sp_entity_id
        self.acs_url = acs_url
        self.sign_ins: list[str] = []
        self._dir = tempfile.TemporaryDirectory(prefix="saml-idp-")
        folder = Path(self._dir.name)
        self.key_pem, self.cert_pem = key_and_certificate("Stand-in IdP")
        (folder / "idp.key").write_bytes(self.key_pem)
        (folder / "idp.crt").write_bytes(self.cert_pem)
        self.httpd = make_server("127.0.0.1", 0, self._app, server_class=_ThreadingServer,
                                 handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.entity_id = f"{self.url}/metadata"
        self.sso_url = f"{self.url}/sso"
        self.metadata_url = f"{self.url}/metadata"
        self._servers = {}
        self._folder = folder

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self._dir.cleanup()

    @property
    def metadata(self) -> str:
        return IDP_METADATA.format(entity_id=self.entity_id, sso_url=self.sso_url,
                                   cert=certificate_body(self.cert_pem))

    def _server(self, *, audience: str, acs_url: str, lifetime_minutes: int) -> Server:
        """pysaml2's IdP, configured for one audience (the SP it trusts) and lifetime."""
        cache_key = (audience, acs_url, lifetime_minutes)
        if cache_key not in self._servers:
            config = IdPConfig()
            config.load({
                "entityid": self.entity_id,
                "xmlsec_binary": XMLSEC,
                "key_file": str(self._folder / "idp.key"),
                "cert_file": str(self._folder / "idp.crt"),
                "metadata": {"inline": [SP_METADATA.format(entity_id=audience,
                                                           acs_url=acs_url)]},
                "service": {"idp": {
                    "endpoints": {"single_sign_on_service": [
                        (self.sso_url, BINDING_HTTP_REDIRECT)]},
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {"default": {
                        "lifetime": {"minutes": lifetime_minutes},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_BASIC,
                    }},
                }},
            })
            self._servers[cache_key] = Server(config=config)
        return self._servers[cache_key]

    def _request(self, saml_request: str):
        server = self._server(audience=self.sp_entity_id, acs_url=self.acs_url,
                              lifetime_minutes=5)
        return server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message

    def respond(self, login_url: str, *, login: str, tamper: str = "") -> dict:
        """Sign ``login`` in for the AuthnRequest in ``login_url`` (the address Gravity
        redirected to); return ``{"action", "SAMLResponse", "RelayState"}``, what the
        browser would post to Gravity."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(login_url).query).items()}
        return self._response(query["SAMLRequest"], query.get("RelayState", ""), login,
                              tamper=tamper)

    def _response(self, saml_request: str, relay_state: str, login: str, *,
                  tamper: str = "") -> dict:
        request = self._request(saml_request)
        audience = "https://somebody-else.example.com/sp" if tamper == "audience" else \
            self.sp_entity_id
        destination = request.assertion_consumer_service_url
        if tamper == "recipient":
            destination = destination.replace("/acs/", "/elsewhere/")
        server = self._server(audience=audience, acs_url=destination,
                              lifetime_minutes=-10 if tamper == "expired" else 5)
        person = {k: v for k, v in self.people[login].items() if k != "password"}
        identity = {k: v if isinstance(v, list) else [v] for k, v in person.items()}
        response = server.create_authn_response(
            identity, in_response_to=request.id, destination=destination,
            sp_entity_id=audience,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"idp-{login}"),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_response=True, sign_assertion=True, sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256)
        xml = str(response)
        if tamper == "signature":  # the signed assertion's address changed afterwards
            xml = xml.replace(person["email"], "intruder@example.com")
        self.sign_ins.append(login)
        return {"action": request.assertion_consumer_service_url,
                "SAMLResponse": base64.b64encode(xml.encode()).decode(),
                "RelayState": relay_state}

    # The WSGI app ----------------------------------------------------------------------

    def _app(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/metadata":
            return self._send(start_response, self.metadata, "application/samlmetadata+xml")
        if path == "/sso" and environ["REQUEST_METHOD"] == "GET":
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            return self._send(start_response, self._form(query.get("SAMLRequest", ""),
                                                         query.get("RelayState", "")))
        if path == "/sso" and environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode())
                    .items()}
            person = self.people.get(form.get("login", ""))
            if person is None or person["password"] != form.get("password"):
                return self._send(start_response, self._form(
                    form["SAMLRequest"], form.get("RelayState", ""),
                    error="Wrong name or password."), status="401 Unauthorized")
            posted = self._response(form["SAMLRequest"], form.get("RelayState", ""),
                                    form["login"])
            return self._send(start_response, self._post_back(posted))
        return self._send(start_response, "not here", "text/plain", "404 Not Found")

    @staticmethod
    def _send(start_response, body: str, content_type="text/html; charset=utf-8",
              status="200 OK"):
        data = body.encode()
        start_response(status, [("Content-Type", content_type),
                                ("Content-Length", str(len(data)))])
        return [data]

    @staticmethod
    def _form(saml_request: str, relay_state: str, error: str = "") -> str:
        e = html.escape
        return f"""<!doctype html><html lang="en"><head><title>Stand-in IdP</title></head>
<body><main><h1>Company sign-in</h1>{f'<p role="alert">{e(error)}</p>' if error else ''}
<form method="post" action="/sso">
<input type="hidden" name="SAMLRequest" value="{e(saml_request)}">
<input type="hidden" name="RelayState" value="{e(relay_state)}">
<label>Company login <input name="login" autocomplete="username"></label>
<label>Company password <input name="password" type="password"></label>
<button type="submit">Sign in to the company</button>
</form></main></body></html>"""

    @staticmethod
    def _post_back(posted: dict) -> str:
        """The page that carries the Response to Gravity (as IdPs do: a form posted by
        script, with a button for a browser without it)."""
        e = html.escape
        return f"""<!doctype html><html lang="en"><head><title>Signing you in</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="{e(posted['action'])}">
<input type="hidden" name="SAMLResponse" value="{e(posted['SAMLResponse'])}">
<input type="hidden" name="RelayState" value="{e(posted['RelayState'])}">
<noscript><button type="submit">Continue</button></noscript></form></body></html>"""
