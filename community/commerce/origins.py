"""The shop origins allowed to embed the widget: one ``scheme://host[:port]`` per line.

Hosts list them in the admin (``CommunitySettings.widget_origins``). The widget's page is
framed only by them (``Content-Security-Policy: frame-ancestors``) and its JSON is shared
only with them (``Access-Control-Allow-Origin``). An origin is exactly what a browser sends
in its ``Origin`` header: a scheme (http or https), a host and an optional port, nothing
after it, so a listed origin is compared as a string.
"""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

# A host name (letters, digits, hyphens, dots), an IPv4 address or a bracketed IPv6 one.
_ORIGIN = re.compile(
    r"^(?P<scheme>https?)://"
    r"(?P<host>\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)"
    r"(?::(?P<port>[0-9]{1,5}))?$")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalise(line: str) -> str:
    """``line`` as the browser would send it (lower case, no default port), or raise
    ``ValidationError`` naming what is wrong."""
    origin = line.strip().lower()
    found = _ORIGIN.match(origin)
    if found is None:
        raise ValidationError(
            gettext("%(line)s is not an origin: write scheme://host or scheme://host:port (http or "
            "https), with nothing after it, e.g. https://shop.example.com."),
            params={"line": line.strip()[:100]}, code="origin")
    port = found["port"]
    if port is not None and not 0 < int(port) < 65536:
        raise ValidationError(gettext("%(line)s has no such port."),
                              params={"line": line.strip()[:100]},
                              code="origin")
    if port == _DEFAULT_PORTS[found["scheme"]]:
        origin = origin.rsplit(":", 1)[0]
    return origin


def parse(text: str) -> list[str]:
    """The origins in ``text`` (one a line, blank lines skipped), normalised, without
    repeats; raises ``ValidationError`` listing every line that is not an origin."""
    origins, errors = [], []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        try:
            origin = normalise(line)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if origin not in origins:
            origins.append(origin)
    if errors:
        raise ValidationError(errors)
    return origins


def validate_origins(text: str) -> None:
    parse(text)


def listed(text: str) -> list[str]:
    """The valid origins in stored ``text`` (a line that fails is left out, never served)."""
    found = []
    for line in (text or "").splitlines():
        try:
            origin = normalise(line) if line.strip() else ""
        except ValidationError:
            continue
        if origin and origin not in found:
            found.append(origin)
    return found
