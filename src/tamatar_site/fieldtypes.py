"""Checked field types that `tamatar.yaml` and the content files share.

A title (its length, no invisible control characters, which tags may not hold either), a
GitHub repository in any form a user pastes, and an absolute web address: the site config
and the content schemas (`validate/schemas.py`) check them the same way, with the same
messages.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, PlainValidator

_OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}")
_REPO_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
_SCP_REMOTE = re.compile(r"[A-Za-z0-9._-]+@([^:/]+):(.*)")  # git@github.com:owner/name.git
_GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})

MAX_TITLE_LENGTH = 200
"""Longest title (or project name) in characters."""

# Characters that change how the text around them is shown without showing themselves:
# bidirectional overrides and isolates can make a title or tag read differently from what
# it is, zero-width characters make two tags that look the same differ.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\ufeff\u2060")
# Zero-width joiners and non-joiners are part of emoji sequences and of some scripts:
# titles may hold them, tags and slugs may not.
_NOT_IN_TITLES = BIDI_CONTROLS | frozenset("\u200b\ufeff\u2060")
_NOT_IN_TAGS = BIDI_CONTROLS | ZERO_WIDTH


def invisible_character(text: str, *, in_tag: bool = False) -> str | None:
    """A description of the first invisible control character in `text`, or None."""
    if text.isascii():
        return None
    refused = _NOT_IN_TAGS if in_tag else _NOT_IN_TITLES
    for position, character in enumerate(text, 1):
        if character in refused:
            name = unicodedata.name(character, "ZERO WIDTH NO-BREAK SPACE")
            return (
                f"contains the invisible character U+{ord(character):04X} ({name}) at "
                f"character {position}; remove it: it can make the text read differently "
                "from what it is"
            )
    return None


def _check_title(value: str) -> str:
    problem = invisible_character(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Title = Annotated[str, Field(max_length=MAX_TITLE_LENGTH), AfterValidator(_check_title)]
"""A title: text of at most MAX_TITLE_LENGTH characters without bidi overrides."""


def parse_repo(value: object) -> str:
    """`owner/name` from what a user pastes: owner/name, a GitHub URL (https, ssh, git@),
    `github.com/owner/name`, with or without `.git` and a trailing slash.

    Raises:
        ValueError: not a GitHub repository (another host, or no owner/name in it).
    """
    if not isinstance(value, str):
        raise ValueError("must be a GitHub repository written as owner/name")
    text = value.strip()
    host: str | None = None
    path = text
    scp = _SCP_REMOTE.fullmatch(text)
    if scp is not None:
        host, path = scp.group(1), scp.group(2)
    elif "://" in text:
        parts = urlsplit(text)
        host, path = parts.hostname or "", parts.path
    elif "." in text.split("/", 1)[0]:  # an owner has no dots: `github.com/owner/name`
        host, _, path = text.partition("/")
    if host is not None and host.lower() not in _GITHUB_HOSTS:
        raise ValueError(
            f"`{value}` is not on GitHub (its host is `{host}`); tamatar reads repositories "
            "from GitHub only: write it as owner/name"
        )
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) >= 2:
        owner, name = segments[0], segments[1].removesuffix(".git")
        if (
            _OWNER.fullmatch(owner)
            and _REPO_NAME.fullmatch(name)
            and name not in (".", "..")
            and (host is not None or len(segments) == 2)
        ):
            return f"{owner}/{name}"
    raise ValueError(
        f"`{value}` is not a GitHub repository: write it as owner/name (such as "
        "octocat/hello-world) or paste its GitHub URL"
    )


RepoName = Annotated[str, PlainValidator(parse_repo)]
"""A GitHub repository in any form a user pastes, stored as owner/name."""


# Characters a URL may not hold (RFC 3986): percent-encoded, as a browser would send them,
# so an `href` holding the URL is valid HTML and a quote in it is no attribute's end.
_URL_ILLEGAL = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')


def check_web_url(value: object) -> str:
    """An absolute http(s) URL with a host, stripped of surrounding spaces."""
    if not isinstance(value, str):
        raise ValueError("must be a URL starting with https:// or http://")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in parts.netloc:
        raise ValueError(f"`{value}` is not a web address; it must start with https:// or http://")
    return _URL_ILLEGAL.sub(lambda match: f"%{ord(match.group()):02X}", value.strip())
