"""What users paste is accepted: every form of a GitHub repository, mailto: and tel: links."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main

REPO_FORMS = [
    "a-b/c.d",
    "https://github.com/a-b/c.d",
    "https://github.com/a-b/c.d.git",
    "https://github.com/a-b/c.d/",
    "http://www.github.com/a-b/c.d",
    "https://github.com/a-b/c.d/tree/main/src",
    "git@github.com:a-b/c.d.git",
    "ssh://git@github.com/a-b/c.d.git",
    "github.com/a-b/c.d",
    "github.com/a-b/c.d/",
]


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def _check(site: Path, *options: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(main, ["check", str(site), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout.splitlines(), result.stderr


@pytest.mark.parametrize("form", REPO_FORMS)
def test_every_pasted_form_of_a_repository_is_accepted(tmp_path: Path, form: str) -> None:
    site = write_site(tmp_path / "site", {"projects/p.yaml": f'name: P\nrepo: "{form}"\n'})
    code, lines, summary = _check(site)
    assert (code, lines) == (0, [])
    assert summary.startswith("ok: 0 logs, 1 project")


def test_pasted_repositories_are_stored_as_owner_slash_name(tmp_path: Path) -> None:
    files = {
        f"projects/p{index}.yaml": f'name: P{index}\nrepo: "{form}"\n'
        for index, form in enumerate(REPO_FORMS)
    }
    site = write_site(tmp_path / "site", files)
    result = CliRunner().invoke(main, ["build", str(site), "--offline", "-q"])
    assert result.exit_code == 0, result.output
    for index in range(len(REPO_FORMS)):
        page = (site / "_site" / "projects" / f"p{index}" / "index.html").read_text("utf-8")
        assert 'href="https://github.com/a-b/c.d"' in page
        assert ">a-b/c.d on GitHub ↗</a>" in page


def test_repositories_in_github_repos_accept_urls_too(tmp_path: Path) -> None:
    config = (
        "site:\n  title: T\ngithub:\n  repos:\n"
        "    - https://github.com/a/b.git\n    - git@github.com:c/d.git\n"
    )
    site = write_site(tmp_path / "site", {"tamatar.yaml": config})
    assert _check(site)[:2] == (0, [])


@pytest.mark.parametrize(
    "form, message",
    [
        (
            "https://gitlab.com/a/b",
            "`https://gitlab.com/a/b` is not on GitHub (its host is `gitlab.com`); tamatar "
            "reads repositories from GitHub only: write it as owner/name",
        ),
        (
            "git@bitbucket.org:a/b.git",
            "`git@bitbucket.org:a/b.git` is not on GitHub (its host is `bitbucket.org`); "
            "tamatar reads repositories from GitHub only: write it as owner/name",
        ),
        (
            "https://github.com/a",
            "`https://github.com/a` is not a GitHub repository: write it as owner/name "
            "(such as octocat/hello-world) or paste its GitHub URL",
        ),
        (
            "a/b/c",
            "`a/b/c` is not a GitHub repository: write it as owner/name "
            "(such as octocat/hello-world) or paste its GitHub URL",
        ),
        (
            "-a/b",
            "`-a/b` is not a GitHub repository: write it as owner/name "
            "(such as octocat/hello-world) or paste its GitHub URL",
        ),
        (
            "a/..",
            "`a/..` is not a GitHub repository: write it as owner/name "
            "(such as octocat/hello-world) or paste its GitHub URL",
        ),
    ],
)
def test_other_hosts_and_garbage_are_refused(tmp_path: Path, form: str, message: str) -> None:
    site = write_site(tmp_path / "site", {"projects/p.yaml": f'name: P\nrepo: "{form}"\n'})
    code, lines, _ = _check(site)
    assert code == 1
    assert lines == [f"projects/p.yaml:2:1: error: `repo`: {message}"]


PROFILE = """\
site:
  title: T
profile:
  links:
    - {label: Mail, url: "mailto:me@example.org"}
    - {label: Phone, url: "tel:+49 30 1234567"}
    - {label: Web, url: "https://example.org"}
"""


def test_mailto_and_tel_profile_links_are_accepted_and_shown(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"tamatar.yaml": PROFILE})
    assert _check(site)[:2] == (0, [])
    result = CliRunner().invoke(main, ["build", str(site), "--offline", "-q"])
    assert result.exit_code == 0, result.output
    index = (site / "_site" / "index.html").read_text("utf-8")
    assert '<a href="mailto:me@example.org" rel="me noopener noreferrer">Mail</a>' in index
    assert '<a href="tel:+49301234567" rel="me noopener noreferrer">Phone</a>' in index
    assert '<a href="https://example.org/" rel="me noopener noreferrer">Web</a>' in index


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "mailto:", "tel:call-me", "ftp://x.org/"],
)
def test_other_profile_link_schemes_are_refused(tmp_path: Path, url: str) -> None:
    config = f'site:\n  title: T\nprofile:\n  links:\n    - {{label: X, url: "{url}"}}\n'
    site = write_site(tmp_path / "site", {"tamatar.yaml": config})
    code, lines, _ = _check(site)
    assert code == 1
    assert lines == [
        f"tamatar.yaml:5:18: error: `profile.links[0].url`: `{url}` is not a link a profile "
        "can show: write a web address (https://...), mailto:you@example.org or tel:+15551234"
    ]
