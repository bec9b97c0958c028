"""Addresses as machines require them: an editor's IRI (Cyrillic path, IDN host) written as a URI.

Pages link to what editors wrote (browsers accept both, and show it as written); the data files,
feeds and ClaimReview promise RFC 3986 URIs (`format: uri` in docs/api.schema.json), so there the
host is written in ASCII (IDNA) and every other character outside ASCII is percent-encoded.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import quote, urlsplit, urlunsplit

#: What each part may keep as written: RFC 3986's reserved and unreserved characters, and '%'.
_KEEP = "%:/?#[]@!$&'()*+,;=-._~"


#: A '%' that starts no escape (`100%`): written as %25, or the URI is invalid.
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def as_uri(url: str) -> str:
    """The URI form of an http(s) address; an address already in ASCII, with no lone '%', is returned as it is."""
    if "%" in url:
        url = _LONE_PERCENT.sub("%25", url)
    if url.isascii():
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii() and parts.hostname and "@" not in netloc:
        with contextlib.suppress(UnicodeError, ValueError):
            netloc = parts.hostname.encode("idna").decode("ascii") + (f":{parts.port}" if parts.port else "")
    path, query, fragment = (quote(part, safe=_KEEP) for part in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme, netloc, path, query, fragment))
