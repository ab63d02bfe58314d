"""Site configuration: the typed, documented schema of `tamatar.yaml`.

Every field carries a description; the README's configuration table mirrors them and a
test keeps the two in step.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, field_validator

_STRICT = ConfigDict(extra="forbid", frozen=True)
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_REPO = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


def _check_repo(value: str) -> str:
    if not _REPO.match(value):
        raise ValueError(f"`{value}` is not a GitHub repository; write it as owner/name")
    return value


RepoName = Annotated[str, AfterValidator(_check_repo)]


class SiteSection(BaseModel):
    model_config = _STRICT

    title: str = Field(description="Site title, shown in the header and feeds.")
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
    url: HttpUrl = Field(description="Where it points.")


class ProfileSection(BaseModel):
    model_config = _STRICT

    name: str = Field(default="", description="Your name, shown on the home page.")
    bio: str = Field(default="", description="A short bio in Markdown.")
    avatar: str | None = Field(
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


def _check_color(value: str | None) -> str | None:
    if value is not None and not _COLOR.match(value):
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
    tags: dict[str, TagSection] = Field(default_factory=dict)
    following: list[FollowingEntry] = Field(default_factory=list)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with `/`."""
        path = self.site.base_url.path or "/"
        return path if path.endswith("/") else path + "/"
