"""The URLs of Markdown links and images, checked, normalized and resolved.

Every link and image destination goes through here:

1. `normalize_url` (markdown-it's `normalizeLink` in `renderer.py`) percent-encodes
   what may not stand in an attribute as written (`my notes.md` -> `my%20notes.md`),
   keeping escapes already there, as markdown-it does; a non-ASCII host name becomes
   punycode, and an IPv6 host keeps its brackets (markdown-it's own would encode them).
   The rest is called by `rules.py`:
2. `is_safe_url` is the allow-list: http(s), mailto, tel and relative URLs, and for
   images also `data:image/png|gif|jpeg|webp`. Anything else stays text.
3. `resolve_relative` sends a relative path through the caller's `LinkResolver`,
   keeping its `?query` and `#fragment`.
4. `is_external` tells which links get `rel` (`markdown_rules.EXTERNAL_REL`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, unquote, urlsplit

__all__ = ["LinkResolver", "is_external", "is_safe_url", "normalize_url", "resolve_relative"]

LinkResolver = Callable[[str], str | None]
"""Maps a relative link's path, as written and percent-decoded, without its `?query`
and `#fragment` (`../2025/x.md`), to a URL, or None to keep the link as written.
The query and fragment are put back on the returned URL."""

_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_IMAGE_DATA_RE = re.compile(r"data:image/(?:png|gif|jpeg|webp)[;,]", re.IGNORECASE)
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL_AND_SPACE_RE = re.compile(r"[\x00-\x20\x7f]")
# What a URL may keep as written (as markdown-it's mdurl.encode): the rest is %-encoded,
# and so is a `%` that does not start an escape.
_NEEDS_ENCODING_RE = re.compile(r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9;/?:@&=+$,\-_.!~*'()#%]+")
# An IPv6 host (`http://[::1]:8000/`) keeps its brackets.
_IPV6_HOST_RE = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/?#\[\]]*\[[0-9A-Fa-f:.]+\]")


def is_safe_url(url: str, *, image: bool = False) -> bool:
    """True when `url` may become an `href` (or, with `image`, a `src`).

    Browsers ignore ASCII whitespace and control characters inside a scheme
    (`java\\tscript:`), so they are removed before the scheme is read; URLs may come
    percent-encoded (`java%09script:`), so they are decoded first. A relative link
    whose decoded first segment looks like a scheme (`a%3Ab`) is refused too: rare,
    and safer than guessing.
    """
    compact = _CONTROL_AND_SPACE_RE.sub("", unquote(url))
    match = _SCHEME_RE.match(compact)
    if match is None:
        return True  # relative: a path, `?query` or `#fragment`
    scheme = match.group(1).lower()
    if scheme in _LINK_SCHEMES:
        return True
    return image and _IMAGE_DATA_RE.match(compact) is not None


def normalize_url(url: str) -> str:
    """`url` percent-encoded for an attribute: spaces, non-ASCII and stray `%` escaped."""
    if not url.isascii():
        url = _punycode_host(url)
    host = _IPV6_HOST_RE.match(url)
    if host is not None:
        return host.group(0) + _NEEDS_ENCODING_RE.sub(_encode_match, url[host.end() :])
    return _NEEDS_ENCODING_RE.sub(_encode_match, url)


def _encode_match(match: re.Match[str]) -> str:
    return quote(match.group(0), safe="", errors="surrogatepass")


def _punycode_host(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname
        if not host or host.isascii() or parts.scheme.lower() not in ("http", "https"):
            return url
        ascii_host = host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return url  # not a valid host name: it is percent-encoded as it is
    netloc = parts.netloc.replace(host, ascii_host, 1)
    return parts._replace(netloc=netloc).geturl()


def resolve_relative(href: str, resolve_link: LinkResolver | None) -> str:
    """`href`, or for a relative path the resolver's URL with the query and fragment kept."""
    if resolve_link is None:
        return href
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return href  # absolute, protocol-relative, or only a #fragment / ?query
    resolved = resolve_link(unquote(parts.path))
    if resolved is None:
        return href
    if parts.query:
        resolved += "?" + parts.query
    if parts.fragment:
        resolved += "#" + parts.fragment
    return resolved


def is_external(href: str) -> bool:
    """True for absolute http(s) and protocol-relative (`//host/x`) URLs."""
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    return scheme in ("http", "https") or (not scheme and bool(parts.netloc))
