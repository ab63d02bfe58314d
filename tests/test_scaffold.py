"""`tamatar init`: a working sample site, base_url from the git remote, nothing overwritten."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Browser

from tamatar_site import __version__
from tamatar_site.cli import main
from tamatar_site.scaffold import (
    GitHubRepo,
    guess_base_url,
    init_site,
    parse_github_remote,
    slugify,
)


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("https://github.com/asha/devlog", "https://asha.github.io/devlog/"),
        ("https://github.com/asha/devlog.git", "https://asha.github.io/devlog/"),
        ("git@github.com:asha/devlog.git", "https://asha.github.io/devlog/"),
        ("ssh://git@github.com/asha/devlog.git", "https://asha.github.io/devlog/"),
        ("https://github.com/Asha/My.Notes/", "https://asha.github.io/My.Notes/"),
        ("https://github.com/asha/asha.github.io.git", "https://asha.github.io/"),
        ("git@github.com:Asha/asha.github.io.git", "https://asha.github.io/"),
        ("https://gitlab.com/asha/devlog.git", None),
        ("/srv/git/devlog.git", None),
    ],
)
def test_base_url_from_git_remote(remote: str, expected: str | None) -> None:
    assert guess_base_url(remote) == expected


def test_remote_parsing_keeps_owner_and_name() -> None:
    assert parse_github_remote("git@github.com:asha/devlog.git") == GitHubRepo("asha", "devlog")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Lifetimes finally clicked!", "lifetimes-finally-clicked"),
        ("  Über  café -- naïve  ", "uber-cafe-naive"),
        ("C++ & Rust: part 2", "c-rust-part-2"),
        ("日本語", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def _git_repo(path: Path, remote: str | None, branch: str = "main") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", branch, str(path)], check=True)
    if remote:
        subprocess.run(["git", "-C", str(path), "remote", "add", "origin", remote], check=True)
    return path


def _check(site: Path) -> str:
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 0, result.output
    return result.output


def test_init_in_a_github_repo_makes_a_valid_site(tmp_path: Path) -> None:
    site = _git_repo(tmp_path / "devlog", "https://github.com/asha/devlog.git")
    result = CliRunner().invoke(main, ["init", str(site)], env={"TZ": "Asia/Kolkata"})
    assert result.exit_code == 0, result.output
    assert f"created {site / 'tamatar.yaml'}" in result.output
    assert "base_url: https://asha.github.io/devlog/ (from the git remote asha/devlog)" in (
        result.output
    )
    config = yaml.safe_load((site / "tamatar.yaml").read_text())
    assert config["site"]["base_url"] == "https://asha.github.io/devlog/"
    assert config["site"]["timezone"] == "Asia/Kolkata"
    assert config["github"] == {"user": "asha", "token_env": "GITHUB_TOKEN"}
    project = yaml.safe_load((site / "projects" / "devlog.yaml").read_text())
    assert project["repo"] == "asha/devlog"
    logs = sorted((site / "logs").rglob("*.md"))
    assert len(logs) == 2
    workflow = (site / ".github" / "workflows" / "pages.yml").read_text()
    assert f'tamatar=={__version__}"' in workflow
    assert "branches: [main]" in workflow
    assert "ok: 2 logs, 1 project, 1 resource, 1 goal" in _check(site)


def test_init_ignores_the_output_and_local_caches(tmp_path: Path) -> None:
    init_site(tmp_path, remote="", timezone="UTC")
    ignored = (tmp_path / ".gitignore").read_text().splitlines()
    assert "/_site/" in ignored
    assert "/.tamatar/cache/*" in ignored
    assert "!/.tamatar/cache/github/" in ignored  # the GitHub cache may be committed


def test_gitignore_really_ignores_them(tmp_path: Path) -> None:
    site = _git_repo(tmp_path / "site", None)
    init_site(site, remote="", timezone="UTC")
    built = ["_site/index.html", "._site.tamatar-spare/index.html", ".tamatar/cache/content/x"]
    for name in (*built, ".tamatar/cache/github/y.json"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x")
    ignored = subprocess.run(
        ["git", "-C", str(site), "check-ignore", *built],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert ignored == built
    kept = subprocess.run(
        ["git", "-C", str(site), "check-ignore", ".tamatar/cache/github/y.json"], check=False
    )
    assert kept.returncode == 1


def test_init_without_a_remote_uses_localhost(tmp_path: Path) -> None:
    result = init_site(tmp_path / "site", remote="", timezone="Europe/Berlin")
    assert result.base_url == "http://localhost:8000/"
    assert result.repo is None
    config = yaml.safe_load((tmp_path / "site" / "tamatar.yaml").read_text())
    assert config["github"] == {"token_env": "GITHUB_TOKEN"}
    assert "# user: your-login" in (tmp_path / "site" / "tamatar.yaml").read_text()
    _check(tmp_path / "site")


def test_user_pages_repo_gets_the_root_url(tmp_path: Path) -> None:
    site = _git_repo(tmp_path / "site", "git@github.com:asha/asha.github.io.git")
    result = init_site(site, timezone="UTC")
    assert result.base_url == "https://asha.github.io/"


def test_workflow_deploys_from_the_current_branch(tmp_path: Path) -> None:
    site = _git_repo(tmp_path / "site", "git@github.com:asha/devlog.git", branch="trunk")
    result = init_site(site, timezone="UTC")
    assert (result.branch, result.branch_source) == ("trunk", "current")
    assert "branches: [trunk]" in (site / ".github" / "workflows" / "pages.yml").read_text()


def _git(*args: str) -> None:
    identity = ["-c", "user.name=Asha", "-c", "user.email=asha@example.com"]
    subprocess.run(["git", *identity, *args], check=True, capture_output=True)


def _clone_of_a_remote(tmp_path: Path, default_branch: str) -> Path:
    """A bare "remote" whose default branch is `default_branch`, cloned: the clone's git
    knows origin/HEAD, as in a repository cloned from GitHub."""
    remote = tmp_path / "remote.git"
    _git("init", "-q", "--bare", "-b", default_branch, str(remote))
    seed = tmp_path / "seed"
    _git("init", "-q", "-b", default_branch, str(seed))
    (seed / "README.md").write_text("devlog\n")
    _git("-C", str(seed), "add", "README.md")
    _git("-C", str(seed), "commit", "-q", "-m", "start")
    _git("-C", str(seed), "push", "-q", str(remote), default_branch)
    clone = tmp_path / "clone"
    _git("clone", "-q", str(remote), str(clone))
    return clone


def test_workflow_deploys_from_the_remotes_default_branch(tmp_path: Path) -> None:
    clone = _clone_of_a_remote(tmp_path, "main")
    _git("-C", str(clone), "checkout", "-q", "-b", "master")  # working on another branch
    result = CliRunner().invoke(main, ["init", str(clone)], env={"TZ": "UTC"})
    assert result.exit_code == 0, result.output
    workflow = (clone / ".github" / "workflows" / "pages.yml").read_text()
    assert "branches: [main]" in workflow
    assert "deploys on pushes to: main (the default branch of origin)" in result.output


def test_a_master_remote_deploys_from_master(tmp_path: Path) -> None:
    clone = _clone_of_a_remote(tmp_path, "master")
    result = init_site(clone, timezone="UTC")
    assert (result.branch, result.branch_source) == ("master", "remote")
    assert "branches: [master]" in (clone / ".github" / "workflows" / "pages.yml").read_text()


def test_a_local_master_repository_deploys_from_master(tmp_path: Path) -> None:
    site = _git_repo(tmp_path / "site", "git@github.com:asha/devlog.git", branch="master")
    result = CliRunner().invoke(main, ["init", str(site)], env={"TZ": "UTC"})
    assert result.exit_code == 0, result.output
    assert "branches: [master]" in (site / ".github" / "workflows" / "pages.yml").read_text()
    assert (
        "deploys on pushes to: master (the current branch; origin's default branch is not known)"
        in result.output
    )


def test_outside_git_the_workflow_deploys_from_main(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["init", str(site)], env={"TZ": "UTC", "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    )
    assert result.exit_code == 0, result.output
    assert "branches: [main]" in (site / ".github" / "workflows" / "pages.yml").read_text()
    assert "deploys on pushes to: main (no git branch yet)" in result.output


def test_init_never_overwrites(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "tamatar.yaml").write_text("site:\n  title: Mine\n")
    (site / ".gitignore").write_text("mine\n")
    result = CliRunner().invoke(main, ["init", str(site)])
    assert result.exit_code == 0, result.output
    assert f"skipped {site / 'tamatar.yaml'} (already exists)" in result.output
    assert f"skipped {site / '.gitignore'} (already exists)" in result.output
    assert (site / "tamatar.yaml").read_text() == "site:\n  title: Mine\n"
    assert (site / ".gitignore").read_text() == "mine\n"

    again = CliRunner().invoke(main, ["init", str(site)])
    assert again.exit_code == 0
    assert "created" not in again.output
    assert again.output.count("skipped") == 8


def test_sample_dates_follow_the_given_day(tmp_path: Path) -> None:
    import datetime as dt

    init_site(tmp_path, remote="", timezone="UTC", today=dt.date(2026, 1, 1))
    assert (tmp_path / "logs" / "2026" / "2026-01-01-hello-tamatar.md").is_file()
    assert (tmp_path / "logs" / "2025" / "2025-12-31-setting-up-my-devlog.md").is_file()
    goal = yaml.safe_load((tmp_path / "goals" / "daily-logs.yaml").read_text())
    assert goal["target_date"] == dt.date(2026, 1, 31)


def test_init_then_build_passes_the_build_checks(
    tmp_path: Path, vnu_command: tuple[str, Path], browser: Browser, axe_source: str
) -> None:
    """Issue 5: `init` in a git repo with a GitHub remote, then `build` passes issue 3's checks."""
    from qa import axe, crawl, feeds, vnu

    site = _git_repo(tmp_path / "devlog", "https://github.com/asha/devlog")
    assert CliRunner().invoke(main, ["init", str(site)]).exit_code == 0
    output = tmp_path / "out"
    output.mkdir()
    with crawl.serve_site(output, "/devlog/") as base_url:
        # A child process: the session's Chromium (playwright) keeps an event loop running in
        # this thread, where the GitHub sync's asyncio.run() would refuse to start.
        build = [sys.executable, "-m", "tamatar_site.cli", "build", str(site), "-o", str(output)]
        result = subprocess.run(
            [*build, "--offline", "--base-url", base_url],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        links = crawl.crawl(base_url, output, foreign_site_urls=["https://asha.github.io/devlog/"])
        log_page = min(p for p in output.glob("logs/*/*/*/*/index.html"))
        pages = [base_url, base_url + log_page.parent.relative_to(output).as_posix() + "/"]
        violations = [
            f"{url} ({scheme}): {v.format()}"
            for url in pages
            for scheme in ("light", "dark")
            for v in axe.run_axe(browser, url, axe_source, scheme)
        ]
    assert links.checked > 20
    assert links.problems == [], links.format_problems()
    feed_problems = [p for report in feeds.check_feeds(output) for p in report.problems]
    assert feed_problems == []
    java, jar = vnu_command
    html = vnu.run_vnu(output, jar=jar, java=java, also_check_css=True)
    assert html.errors == [], html.grouped()
    assert violations == []
