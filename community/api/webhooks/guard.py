"""The SSRF guard: a webhook goes only to a public address, and to the address checked.

:func:`resolve` looks the host up once and refuses an address that is private, loopback,
link-local, multicast, reserved, unspecified or otherwise not global (IPv4 and IPv6, an
IPv4-mapped IPv6 address judged as the IPv4 one); every address the name resolves to must
pass, so a name that answers with a public and a private address is refused. The sender
then connects to the address returned (:mod:`community.api.webhooks.delivery`), never
looking the name up again, so a DNS answer that changes between check and use does not
matter. ``https`` is required unless ``settings.WEBHOOKS_ALLOW_LOOPBACK`` (the tests, a
developer's machine), which also lets loopback addresses through.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class UnsafeAddress(ValueError):
    """The URL may not receive webhooks; the message says why, for the admin."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written in the URL (the Host header and the TLS server name)
    port: int
    address: str  # the checked IP address to connect to
    path: str  # path and query


def _allow_loopback() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_LOOPBACK", False))


def address_refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``ip`` may not receive a webhook, or None."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return address_refusal(ip.ipv4_mapped)
    if ip.is_loopback:
        return None if _allow_loopback() else _("a loopback address")
    for test, what in (("is_unspecified", _("an unspecified address")),
                       ("is_link_local", _("a link-local address")),
                       ("is_multicast", _("a multicast address")),
                       ("is_private", _("a private address")),
                       ("is_reserved", _("a reserved address"))):
        if getattr(ip, test):
            return what
    if not ip.is_global:
        return _("an address that is not public")
    return None


def parse(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeAddress(_("The address is not a valid URL.")) from error
    scheme = (parts.scheme or "").lower()
    if scheme not in ("http", "https"):
        raise UnsafeAddress(_("Use an https:// address."))
    if scheme == "http" and not _allow_loopback():
        raise UnsafeAddress(_("Use an https:// address: webhooks are signed, not encrypted."))
    if not parts.hostname:
        raise UnsafeAddress(_("The address names no host."))
    if parts.username or parts.password:
        raise UnsafeAddress(_("Put no user name or password in the address."))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def resolve(url: str) -> Target:
    """The checked target of ``url`` (:class:`UnsafeAddress` if it may not be sent to)."""
    scheme, host, port, path = parse(url)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        found = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise UnsafeAddress(_("The host %(host)s could not be found.")
                                % {"host": host}) from error
        found = []
        for info in infos:
            ip = ipaddress.ip_address(info[4][0].split("%", 1)[0])
            if ip not in found:
                found.append(ip)
        if not found:
            raise UnsafeAddress(_("The host %(host)s could not be found.") % {"host": host})
    for ip in found:
        refusal = address_refusal(ip)
        if refusal:
            raise UnsafeAddress(_("%(host)s resolves to %(ip)s, %(refusal)s: webhooks go only "
                                  "to public addresses.")
                                % {"host": host, "ip": ip, "refusal": refusal})
    return Target(scheme=scheme, host=host, port=port, address=str(found[0]), path=path)
