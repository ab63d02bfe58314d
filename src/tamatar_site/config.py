"""Site configuration: the typed, documented schema of `tamatar.yaml`.

Every field carries a description; the README's configuration table mirrors them and a
test keeps the two in step. The field types the content files share with it (titles,
GitHub repositories, web addresses) are in `fieldtypes.py`.
"""

from __future__ import annotations

import re
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
from tamatar_site.fieldtypes import RepoName, Title, check_web_url
from tamatar_site.model import DEFAULT_ACHIEVEMENT_RULES, AchievementMetric

# defer_build: a model's validator is built when it first validates, not at import (a
# resumed one-log build validates one front matter and never the configuration).
_STRICT = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)
_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_TEL = re.compile(r"\+?[0-9().-]+")


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
    max_age: int = Field(
        default=60,
        ge=0,
        le=525600,
        description="Minutes a complete sync stays fresh: builds use the cache without asking"
        " GitHub meanwhile (0: ask on every build; `--refresh` asks now).",
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
