"""Site configuration: the typed, documented schema of `tamatar.yaml`.

Every field carries a description; the README's configuration table mirrors them and a
test keeps the two in step.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from typing import Annotated, Literal
from urllib.parse import urlsplit

import babel
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    PlainValidator,
    field_validator,
    model_validator,
)

from tamatar_site.diagnostics import did_you_mean
from tamatar_site.model import DEFAULT_ACHIEVEMENT_RULES, AchievementMetric

_STRICT = ConfigDict(extra="forbid", frozen=True, strict=True)
_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}")
_REPO_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
_SCP_REMOTE = re.compile(r"[A-Za-z0-9._-]+@([^:/]+):(.*)")  # git@github.com:owner/name.git
_GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})
_TEL = re.compile(r"\+?[0-9().-]+")

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


def _check_link_url(value: object) -> str:
    """A profile link: a web address (normalised as before), `mailto:` or `tel:`."""
    if isinstance(value, str):
        text = value.strip()
        scheme, _, rest = text.partition(":")
        if scheme.lower() == "mailto" and rest and "@" in rest and rest.isprintable():
            if not any(character.isspace() for character in rest):
                return text
        elif scheme.lower() == "tel" and _TEL.fullmatch(rest.replace(" ", "")):
            return "tel:" + rest.replace(" ", "")
        elif scheme.lower() in ("http", "https"):
            return str(HttpUrl(check_web_url(text)))
    raise ValueError(
        f"`{value}` is not a link a profile can show: write a web address (https://...), "
        "mailto:you@example.org or tel:+15551234"
    )


def _check_avatar(value: object) -> str | None:
    """A local path (checked to exist later) or an http(s) URL: no other scheme."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("must be a path such as static/avatar.png, or an https:// URL")
    text = value.strip()
    parts = urlsplit(text)
    has_scheme = parts.scheme or parts.netloc or ":" in text.split("/", 1)[0]
    if has_scheme and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise ValueError(
            f"`{value}` is neither a path in the site (such as static/avatar.png) nor "
            "a web address starting with https:// or http://"
        )
    return text


def babel_locale(language: str) -> babel.Locale | None:
    """The Babel locale of `site.language`, a BCP 47 tag (`pt-BR` -> `pt_BR`), or None when
    Babel knows no such language (the themes are then shown in English, with a warning)."""
    try:
        return babel.Locale.parse(language.strip().replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return None


class SiteSection(BaseModel):
    model_config = _STRICT

    title: Title = Field(description="Site title, shown in the header and feeds.")
    base_url: HttpUrl = Field(
        default=HttpUrl("http://localhost:8000/"),
        description="Public URL of the site; its path part (e.g. /devlog/) prefixes every link.",
    )
    description: str = Field(default="", description="One-line description for feeds and meta.")
    language: str = Field(default="en", description="BCP 47 language tag of the content.")
    timezone: str = Field(
        default="UTC", description="IANA time zone; all dates, streaks and the heatmap use it."
    )
    theme: str = Field(
        default="default",
        description="The site's themes/NAME, else a shipped theme (default, minimal), or a path.",
    )
    logs_per_page: int = Field(default=20, ge=1, le=1000, description="Logs per timeline page.")
    output_dir: str = Field(default="_site", description="Output folder, relative to the site.")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            message = f"unknown time zone `{value}` (use an IANA name such as Europe/Berlin)"
            raise ValueError(message) from None
        return value

    @field_validator("base_url")
    @classmethod
    def _ends_with_slash(cls, value: HttpUrl) -> HttpUrl:
        if not str(value).endswith("/"):
            return HttpUrl(str(value) + "/")
        return value


class LinkConfig(BaseModel):
    model_config = _STRICT

    label: str = Field(description="Text of the link.")
    url: Annotated[str, PlainValidator(_check_link_url)] = Field(
        description="Where it points: a web address, `mailto:` or `tel:`."
    )


class ProfileSection(BaseModel):
    model_config = _STRICT

    name: Title = Field(default="", description="Your name, shown on the home page.")
    bio: str = Field(default="", description="A short bio in Markdown.")
    avatar: Annotated[str | None, PlainValidator(_check_avatar)] = Field(
        default=None,
        description="Path of an image under static/, a URL, or empty for the GitHub avatar.",
    )
    location: str | None = Field(default=None, description="Where you are.")
    skills: list[str] = Field(default_factory=list, description="Skills shown as badges.")
    links: list[LinkConfig] = Field(default_factory=list, description="Profile links.")


class GitHubSection(BaseModel):
    model_config = _STRICT

    user: str | None = Field(default=None, description="GitHub login whose data enriches the site.")
    token_env: str | None = Field(
        default=None, description="Name of the environment variable that holds a token."
    )
    repos: Literal["projects", "public"] | list[RepoName] = Field(
        default="projects",
        description="Which repositories: `projects` (the projects' repo:), `public`, or a list.",
    )
    api_url: HttpUrl = Field(
        default=HttpUrl("https://api.github.com"), description="REST API root (GHE or tests)."
    )
    commits_since: int | None = Field(
        default=None,
        ge=1,
        le=36500,
        description="Fetch commits of the last N days instead of since the first log.",
    )


FeedFormat = Literal["atom", "rss", "json"]


def _all_feed_formats() -> list[FeedFormat]:
    return ["atom", "rss", "json"]


class FeedsSection(BaseModel):
    model_config = _STRICT

    formats: list[FeedFormat] = Field(
        default_factory=_all_feed_formats, description="Feeds to write."
    )
    per_tag: bool = Field(default=True, description="Write an Atom feed per tag.")
    full_content: bool = Field(default=True, description="Full HTML in entries, else summaries.")
    limit: int = Field(default=50, ge=1, le=10000, description="Newest entries per feed.")


class MarkdownSection(BaseModel):
    model_config = _STRICT

    unsafe_html: bool = Field(default=False, description="Pass raw HTML through (else escaped).")


class StreaksSection(BaseModel):
    model_config = _STRICT

    count_commits: bool = Field(
        default=False, description="Days with GitHub commits count as active days."
    )
    grace_days: int = Field(default=0, ge=0, le=30, description="Missed days a streak survives.")


_RULE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
BUILT_IN_RULES = {rule.id: rule for rule in DEFAULT_ACHIEVEMENT_RULES}


def _known_rule(value: str) -> str:
    if value not in BUILT_IN_RULES:
        hint = did_you_mean(value, BUILT_IN_RULES)
        raise ValueError(f"is not a built-in achievement{hint}; add your own under `custom`")
    return value


def _rule_id(value: str) -> str:
    if not _RULE_ID.fullmatch(value):
        raise ValueError(f"`{value}` is not an id: use lowercase letters, digits and dashes")
    if value in BUILT_IN_RULES:
        raise ValueError(f"`{value}` is a built-in achievement; change it under `rules`")
    return value


class RuleChange(BaseModel):
    """A built-in achievement as changed in tamatar.yaml; `false` alone turns it off."""

    model_config = _STRICT

    enabled: bool = Field(default=True, description="false turns the rule off.")
    threshold: int | None = Field(default=None, ge=1, le=1_000_000, description="New threshold.")
    title: Title | None = Field(default=None, description="New title.")

    @model_validator(mode="before")
    @classmethod
    def _on_or_off(cls, value: object) -> object:
        return {"enabled": value} if isinstance(value, bool) else value


class CustomRule(BaseModel):
    model_config = _STRICT

    id: Annotated[str, AfterValidator(_rule_id)] = Field(description="Slug; badges/<id>.svg.")
    title: Title = Field(description="The badge's title.")
    metric: AchievementMetric = Field(description="What is counted (see Achievements).")
    threshold: int = Field(ge=1, le=1_000_000, description="The value that earns it.")
    tag: str | None = Field(default=None, description="The tag counted by `tag_logs`.")

    @model_validator(mode="after")
    def _tag_for_tag_logs(self) -> CustomRule:
        if (self.metric == "tag_logs") != (self.tag is not None):
            raise ValueError("`tag` is needed with the metric tag_logs, and only with it")
        return self


class AchievementsSection(BaseModel):
    model_config = _STRICT

    rules: dict[Annotated[str, AfterValidator(_known_rule)], RuleChange] = Field(
        default_factory=dict, description="Built-in rules by id: false, or what to change."
    )
    custom: list[CustomRule] = Field(default_factory=list, description="Rules of your own.")


def _check_color(value: str | None) -> str | None:
    if value is not None and not _COLOR.fullmatch(value):
        raise ValueError(f"`{value}` is not a colour; write #rgb or #rrggbb")
    return value


class TagSection(BaseModel):
    model_config = _STRICT

    color: Annotated[str | None, AfterValidator(_check_color)] = Field(
        default=None, description="Colour of the tag badge, #rrggbb."
    )
    description: str = Field(default="", description="Shown on the tag's page.")


class FollowingEntry(BaseModel):
    model_config = _STRICT

    name: str = Field(description="Who you follow.")
    url: HttpUrl = Field(description="Their site.")
    feed: HttpUrl | None = Field(default=None, description="Their feed, for the OPML file.")


class SiteConfig(BaseModel):
    """The whole `tamatar.yaml`."""

    model_config = _STRICT

    site: SiteSection
    profile: ProfileSection = Field(default_factory=ProfileSection)
    github: GitHubSection = Field(default_factory=GitHubSection)
    feeds: FeedsSection = Field(default_factory=FeedsSection)
    markdown: MarkdownSection = Field(default_factory=MarkdownSection)
    streaks: StreaksSection = Field(default_factory=StreaksSection)
    achievements: AchievementsSection = Field(default_factory=AchievementsSection)
    tags: dict[str, TagSection] = Field(default_factory=dict)
    following: list[FollowingEntry] = Field(default_factory=list)
    search: bool = Field(
        default=True,
        description="Full-text search: a Pagefind index, a /search/ page and a search box.",
    )
    social_images: bool = Field(
        default=True,
        description="Draw an Open Graph image (og/*.png, 1200x630) for the home page, each "
        "log and each project; `false` keeps the og: text tags without images.",
    )
    calendar: bool = Field(
        default=True,
        description="Write calendar.ics (goal target dates, goal and project milestones, "
        "learning-path steps with dates) and link it from the goals page.",
    )

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with `/`."""
        path = self.site.base_url.path or "/"
        return path if path.endswith("/") else path + "/"
