"""Scaffolding: `tamatar init` (a working sample site) and `tamatar new` (one file from a template).

Templates live in `scaffold_files/` as package data, with `@@NAME@@` placeholders (the
workflow is full of `${{ }}`, so neither `str.format` nor `string.Template` fits). Nothing here
ever overwrites a file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, get_args

import yaml

from tamatar_site import __version__
from tamatar_site.clock import build_today
from tamatar_site.layout import BUILT_IN_ROUTES

ContentKind = Literal["log", "project", "resource", "goal", "path", "snippet", "page"]
CONTENT_KINDS: tuple[str, ...] = get_args(ContentKind)

_GITHUB_REMOTE = re.compile(
    r"""^(?:
        (?:https?|git|ssh)://(?:[^@/]+@)?github\.com(?::\d+)?/   # https://github.com/u/r
      | (?:[^@/]+@)?github\.com:                                 # git@github.com:u/r
    )
    (?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$""",
    re.VERBOSE,
)
_PLACEHOLDER = re.compile(r"@@([A-Z0-9_]+)@@")
# Where this project's repository, and so its composite action (`action.yml`), is published.
ACTION_REPOSITORY = "tamatar/tamatar"

BranchSource = Literal["remote", "current", "default"]


class ScaffoldError(Exception):
    """A user-facing problem: a file exists, no site here, a title without letters."""


@dataclass(frozen=True)
class GitHubRepo:
    owner: str
    name: str

    @property
    def pages_url(self) -> str:
        """Where GitHub Pages serves this repository."""
        user_site = f"{self.owner.lower()}.github.io"
        if self.name.lower() == user_site:
            return f"https://{user_site}/"
        return f"https://{self.owner.lower()}.github.io/{self.name}/"


@dataclass
class InitResult:
    """What `init_site` did: files created, existing files left alone, the base_url chosen."""

    site_dir: Path
    base_url: str
    repo: GitHubRepo | None
    branch: str = "main"
    branch_source: BranchSource = "default"  # where `branch` came from (see deploy_branch)
    created: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


# --- small pure helpers ----------------------------------------------------------------------


def slugify(title: str) -> str:
    """`Lifetimes finally clicked!` -> `lifetimes-finally-clicked` (ASCII, lowercase, dashes)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def parse_github_remote(remote: str) -> GitHubRepo | None:
    """`https://github.com/u/r(.git)` or `git@github.com:u/r.git` -> GitHubRepo(u, r)."""
    match = _GITHUB_REMOTE.match(remote.strip())
    if match is None:
        return None
    return GitHubRepo(match["owner"], match["repo"])


def guess_base_url(remote: str | None) -> str | None:
    """The GitHub Pages URL for a git remote, or None when it is not on GitHub."""
    repo = parse_github_remote(remote) if remote else None
    return repo.pages_url if repo else None


def render(template: str, values: dict[str, str]) -> str:
    """Replace every `@@NAME@@`; a placeholder without a value is a bug, so it raises."""

    def value(match: re.Match[str]) -> str:
        return values[match[1]]

    return _PLACEHOLDER.sub(value, template)


def _template(name: str) -> str:
    return resources.files("tamatar_site").joinpath("scaffold_files", name).read_text("utf-8")


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# --- the machine around us -------------------------------------------------------------------


def _git(directory: Path, *args: str) -> str | None:
    try:
        completed = subprocess.run(
            ["git", "-C", str(directory), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    output = completed.stdout.strip()
    return output if completed.returncode == 0 and output else None


def git_remote_url(directory: Path) -> str | None:
    """The URL of `origin` (or of the first remote) of the repository holding `directory`."""
    probe = directory if directory.is_dir() else directory.parent
    origin = _git(probe, "remote", "get-url", "origin")
    if origin:
        return origin
    remotes = _git(probe, "remote")
    if remotes:
        return _git(probe, "remote", "get-url", remotes.splitlines()[0])
    return None


def deploy_branch(directory: Path) -> tuple[str, BranchSource]:
    """The branch the workflow deploys from, and where it came from: the default branch of
    `origin` when git knows it (`refs/remotes/origin/HEAD`, set by `git clone` or
    `git remote set-head origin --auto`), else the current branch, else `main`."""
    probe = directory if directory.is_dir() else directory.parent
    remote_head = _git(probe, "symbolic-ref", "--short", "refs/remotes/origin/HEAD")
    if remote_head and remote_head.startswith("origin/") and remote_head != "origin/HEAD":
        return remote_head.removeprefix("origin/"), "remote"
    current = _git(probe, "symbolic-ref", "--short", "HEAD")
    if current:
        return current, "current"
    return "main", "default"


def local_timezone() -> str:
    """The machine's IANA time zone ($TZ or /etc/localtime), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    except OSError:
        pass
    for name in candidates:
        if name in {"Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu"}:
            return "UTC"
        if name and "/" in name:
            try:
                zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
            return name
    return "UTC"


# --- tamatar init ----------------------------------------------------------------------------


def init_site(
    site_dir: Path,
    *,
    remote: str | None = None,
    timezone: str | None = None,
    today: dt.date | None = None,
    branch: str | None = None,
    action: bool = False,
) -> InitResult:
    """Write a small working site into `site_dir`; existing files are skipped, never replaced.

    `remote`, `timezone` and `branch` default to what git and the machine say. `action`
    writes the workflow that builds with this project's composite action (one `uses:` step)
    instead of the one that spells out every step.
    """
    site_dir.mkdir(parents=True, exist_ok=True)
    if branch is None:
        branch, branch_source = deploy_branch(site_dir)
    else:
        branch_source = "default"
    remote = git_remote_url(site_dir) if remote is None else remote
    repo = parse_github_remote(remote) if remote else None
    zone = timezone or local_timezone()
    day = today or build_today(zone)
    base_url = repo.pages_url if repo else "http://localhost:8000/"
    values = {
        "TITLE": _yaml_string(f"{repo.owner}'s devlog" if repo else "My devlog"),
        "BASE_URL": _yaml_string(base_url),
        "TIMEZONE": zone,
        "NAME": _yaml_string(repo.owner if repo else "Your Name"),
        "GITHUB": (
            f"  user: {repo.owner}"
            if repo
            else "  # user: your-login   # adds repos, stars, languages and commits from GitHub"
        ),
        "REPO": f"repo: {repo.owner}/{repo.name}\n" if repo else "# repo: owner/name\n",
        "OUTPUT_DIR": "_site",
        "TODAY": day.isoformat(),
        "YESTERDAY": (day - dt.timedelta(days=1)).isoformat(),
        "IN_30_DAYS": (day + dt.timedelta(days=30)).isoformat(),
        "BRANCH": branch,
        "VERSION": __version__,
        "ACTION": ACTION_REPOSITORY,
    }
    yesterday = day - dt.timedelta(days=1)
    files = {
        "tamatar.yaml": "tamatar.yaml",
        ".gitignore": "gitignore",
        ".github/workflows/pages.yml": "pages-action.yml" if action else "pages.yml",
        f"logs/{yesterday:%Y}/{yesterday:%Y-%m-%d}-setting-up-my-devlog.md": "logs-first.md",
        f"logs/{day:%Y}/{day:%Y-%m-%d}-hello-tamatar.md": "logs-second.md",
        "projects/devlog.yaml": "project.yaml",
        "resources/missing-semester.yaml": "resource.yaml",
        "goals/daily-logs.yaml": "goal.yaml",
    }
    result = InitResult(
        site_dir=site_dir, base_url=base_url, repo=repo, branch=branch, branch_source=branch_source
    )
    for relative, template in files.items():
        target = site_dir / relative
        text = render(_template(f"site/{template}"), values)
        (result.created if _write_new(target, text) else result.skipped).append(target)
    return result


def _write_new(target: Path, text: str) -> bool:
    """Write `target` unless it exists (checked atomically); True when written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    return True


def pages_workflow(*, branch: str = "main", output_dir: str = "_site", action: bool = False) -> str:
    """The GitHub Pages workflow that `tamatar init` writes (`action`: the one-step form)."""
    values = {
        "BRANCH": branch,
        "OUTPUT_DIR": output_dir,
        "VERSION": __version__,
        "ACTION": ACTION_REPOSITORY,
    }
    return render(_template(f"site/{'pages-action.yml' if action else 'pages.yml'}"), values)


# --- tamatar new -----------------------------------------------------------------------------


def site_timezone(site_dir: Path) -> str:
    """`site.timezone` from tamatar.yaml (UTC when unset); a missing file is an error."""
    config = site_dir / "tamatar.yaml"
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScaffoldError(
            f"{config} not found; run `tamatar init` first or pass the site folder"
        ) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return "UTC"  # `tamatar check` reports what is wrong with the file
    section = data.get("site") if isinstance(data, dict) else None
    zone = section.get("timezone") if isinstance(section, dict) else None
    if isinstance(zone, str):
        try:
            zoneinfo.ZoneInfo(zone)
            return zone
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return "UTC"


def new_file_path(kind: str, slug: str, day: dt.date) -> str:
    """Where a new file of `kind` goes, relative to the site."""
    if kind == "log":
        return f"logs/{day:%Y}/{day:%Y-%m-%d}-{slug}.md"
    folder = {"project": "projects", "resource": "resources", "goal": "goals", "path": "paths"}
    if kind == "snippet":
        return f"snippets/{slug}.md"
    if kind == "page":
        return f"pages/{slug}.md"
    return f"{folder[kind]}/{slug}.yaml"


def new_file(site_dir: Path, kind: str, title: str, *, today: dt.date | None = None) -> Path:
    """Write a new `kind` file titled `title`, dated today in the site's time zone.

    Raises:
        ScaffoldError: no tamatar.yaml, a title without letters or digits, or the file exists.
    """
    if kind not in CONTENT_KINDS:
        raise ScaffoldError(f"unknown kind `{kind}`; use one of {', '.join(CONTENT_KINDS)}")
    day = today or build_today(site_timezone(site_dir))
    title = title.strip()
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(
            f"cannot make a file name from the title {title!r}; "
            "use a title with some letters or digits"
        )
    if kind == "page" and slug in BUILT_IN_ROUTES:
        raise ScaffoldError(
            f"the page `/{slug}/` would clash with tamatar's built-in `{slug}` route; "
            "choose another title"
        )
    relative = new_file_path(kind, slug, day)
    target = site_dir / relative
    template = _template(f"new/{kind}.{'md' if kind in ('log', 'snippet', 'page') else 'yaml'}")
    text = render(template, {"TITLE": _yaml_string(title), "TODAY": day.isoformat()})
    if not _write_new(target, text):
        raise ScaffoldError(f"{relative} already exists; choose another title or edit that file")
    return target
