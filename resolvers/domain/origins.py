"""网页来源 — the web origins whose pages may use a key (CORS), in one normal form.

An origin is ``scheme://host[:port]`` (RFC 6454): http or https, a host name or IP literal,
lower-cased, IDNA-encoded, the default port (80 / 443) dropped, no path, query, fragment or
credentials. Browsers send it in exactly that form in the ``Origin`` header, so stored origins
compare with ``==``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


class OriginError(ValueError):
    """Not a web origin; the message says why."""


def normalise_origin(text: str) -> str:
    """``text`` as a normalised origin, or ``OriginError``."""
    raw = text.strip()
    if not raw or any(c.isspace() for c in raw):
        raise OriginError("an origin is scheme://host[:port] without spaces")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as error:
        raise OriginError(f"not a URL ({error})") from error
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise OriginError("the scheme must be http or https")
    if parts.username is not None or parts.password is not None:
        raise OriginError("an origin carries no user name or password")
    if parts.path not in ("", "/") or parts.query or parts.fragment or raw.endswith(("?", "#")):
        raise OriginError("an origin has no path, query or fragment")
    host = parts.hostname
    if not host:
        raise OriginError("the host is missing")
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    else:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as error:
            raise OriginError("the host is not a valid domain name") from error
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"
