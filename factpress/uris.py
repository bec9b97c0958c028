"""Addresses as machines require them: an editor's IRI (Cyrillic path, IDN host) written as a URI.

Pages link to what editors wrote (browsers accept both, and show it as written); the data files,
feeds and ClaimReview promise RFC 3986 URIs (`format: uri` in docs/api.schema.json), so there the
host is written in ASCII (IDNA) and every other character outside ASCII is percent-encoded.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import quote, urlsplit, urlunsplit

#: What the path, query and fragment may keep as written: RFC 3986's reserved and unreserved characters, and '%',
#: but '[' and ']' (only an IPv6 host has them) and '#' (the fragment's start, never in one).
_KEEP = "%:/?@!$&'()*+,;=-._~"


#: A '%' that starts no escape (`100%`): written as %25, or the URI is invalid.
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


#: The port each scheme means when none is written: `https://example.org:443/` is `https://example.org/`.
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_host(url: str) -> str:
    """An http(s) address's host and port as one writes them canonically (RFC 3986 6.2.3).

    The host in lower case and in ASCII (IDNA), the scheme's default port left out: a site
    published at `https://Example.ORG:443/` has its canonical links, sitemap and feeds at
    `https://example.org/`, the address search engines and readers' browsers name it by. An
    address whose host cannot be read so (a user name, a bad IDN) is returned as written.
    """
    parts = urlsplit(url)
    host = parts.hostname
    if not host or "@" in parts.netloc:
        return parts.netloc
    try:
        port = parts.port
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return parts.netloc
    host = f"[{host}]" if ":" in host else host  # an IPv6 address
    return host if port is None or port == DEFAULT_PORTS.get(parts.scheme) else f"{host}:{port}"


def as_uri(url: str) -> str:
    """The URI form of an http(s) address; an address already a URI is returned as it is.

    Besides the host in ASCII and other characters percent-encoded, a bracket past the host
    (PHP's `?ids[]=1`) and a second '#' (a route `#/a#b`) are escaped: browsers take them, RFC 3986 does not.
    """
    if "%" in url:
        url = _LONE_PERCENT.sub("%25", url)
    if url.isascii() and not _needs_escapes(url):
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii() and parts.hostname and "@" not in netloc:
        with contextlib.suppress(UnicodeError, ValueError):
            netloc = parts.hostname.encode("idna").decode("ascii") + (f":{parts.port}" if parts.port else "")
    path, query, fragment = (quote(part, safe=_KEEP) for part in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme, netloc, path, query, fragment))


def _needs_escapes(url: str) -> bool:
    """Whether an ASCII address has a bracket past its host or a '#' in its fragment (cheap tests first)."""
    if "[" not in url and "]" not in url and url.count("#") < 2:
        return False
    parts = urlsplit(url)
    return any(ch in part for part in (parts.path, parts.query, parts.fragment) for ch in "[]#")
