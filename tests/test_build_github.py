"""`tamatar build` with GitHub data from a real local server replaying recorded responses."""

from __future__ import annotations

import copy
import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub, Reply, example_reply, load_fixture

from tamatar_site.build import manifest
from tamatar_site.cachefile import read_versioned, write_versioned
from tamatar_site.cli import main

HELLO = "octocat/Hello-World"
HELLO_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
TOKEN = "ghp_buildTestToken0123456789abcdefSECRET"
# 2011-04-15 12:00 UTC: the day after the recorded commit.
EPOCH = str(int(dt.datetime(2011, 4, 15, 12, tzinfo=dt.UTC).timestamp()))
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        server.add("/users/octocat", example_reply("users-get-user.json", etag='W/"u"'))
        server.add(f"/repos/{HELLO}", example_reply("repos-get.json", etag='"r"'))
        server.add(f"/repos/{HELLO}/languages", example_reply("repos-list-languages.json"))
        commits = copy.deepcopy(load_fixture("openapi-examples/repos-list-commits.json"))
        commits[0]["commit"]["message"] = HOSTILE
        server.add(
            f"/repos/{HELLO}/commits",
            Reply(200, commits, {"Content-Type": "application/json", "ETag": 'W/"c"'}),
        )
        detail = copy.deepcopy(load_fixture("openapi-examples/repos-get-commit.json"))
        detail["commit"]["message"] = HOSTILE
        server.add(
            f"/repos/{HELLO}/commits/{HELLO_SHA}",
            Reply(200, detail, {"Content-Type": "application/json"}),
        )
        yield server


def make_site(root: Path, api_url: str, *, count_commits: bool = False) -> Path:
    site = root / "site"
    (site / "logs").mkdir(parents=True)
    (site / "projects").mkdir()
    (site / "tamatar.yaml").write_text(
        "site:\n"
        "  title: Octo log\n"
        "  base_url: https://octocat.github.io/log/\n"
        "  timezone: UTC\n"
        "github:\n"
        "  user: octocat\n"
        "  token_env: TAMATAR_TEST_TOKEN\n"
        f"  api_url: {api_url}\n"
        f"streaks: {{count_commits: {str(count_commits).lower()}}}\n",
        encoding="utf-8",
    )
    (site / "projects" / "hello.yaml").write_text(
        f"name: Hello World\nrepo: {HELLO}\nfeatured: true\n", encoding="utf-8"
    )
    (site / "logs" / "2011-04-14-bugs.md").write_text(
        "---\ntitle: Bug day\ndate: 2011-04-14\nproject: hello\ncommits: auto\n---\n"
        "Fixed every bug there was.\n",
        encoding="utf-8",
    )
    return site


def build(site: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        main,
        ["build", str(site), "-o", str(out), *extra],
        env={"TAMATAR_TEST_TOKEN": TOKEN, "SOURCE_DATE_EPOCH": EPOCH, "CI": "true"},
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_project_page_shows_the_repo_card_and_the_log_its_commits(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    site = make_site(tmp_path, gh.url)
    out = tmp_path / "out"
    build(site, out)
    project = (out / "projects" / "hello" / "index.html").read_text(encoding="utf-8")
    assert "repo-card" in project
    assert 'href="https://github.com/octocat/Hello-World"' in project
    log = (out / "logs" / "2011" / "04" / "14" / "bugs" / "index.html").read_text(encoding="utf-8")
    assert f"https://github.com/octocat/Hello-World/commit/{HELLO_SHA}" in log
    assert '<span class="additions">+104</span> <span class="deletions">\u22124</span>' in log
    # Remote text is escaped: the hostile commit message never becomes markup.
    assert "<script>alert" not in log and "<img src=x" not in log
    assert "&lt;script&gt;alert(" in log


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_a_fresh_github_cache_is_read_without_asking_github(gh: FakeGitHub, tmp_path: Path) -> None:
    site = make_site(tmp_path, gh.url)
    out = tmp_path / "out"
    build(site, out)
    assert len(gh.requests) == 6
    first = _files(out)
    gh.requests.clear()

    again = build(site, out)  # within github.max_age (an hour by default)
    assert gh.requests == []
    assert again.startswith("0 pages written")
    assert _files(out) == first

    build(site, out, "--refresh")
    assert len(gh.requests) == 6  # asked again, with the cache's validators
    assert all(r.header("if-none-match") for r in gh.requests_to("/users/octocat"))


def test_a_site_read_from_a_fresh_github_cache_takes_the_no_change_fast_path(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    site = make_site(tmp_path, gh.url)
    out = tmp_path / "out"
    manifest_file = site / manifest.MANIFEST
    build(site, out)  # asks GitHub: its answers are too recent to trust, no manifest
    time.sleep(0.05)  # past the clock tick of the files just written
    build(site, out)  # from the fresh cache: saves a manifest
    assert manifest_file.is_file()
    saved = manifest_file.stat().st_mtime_ns
    gh.requests.clear()

    assert build(site, out).startswith("0 pages written")
    assert manifest_file.stat().st_mtime_ns == saved  # the fast path: nothing rebuilt
    assert gh.requests == []

    # The manifest holds only while the cache it was built from is fresh.
    kept = read_versioned(manifest_file, manifest._identity())
    assert isinstance(kept, dict) and kept["github_fresh_until"] > time.time()
    write_versioned(manifest_file, manifest._identity(), {**kept, "github_fresh_until": 1.0})
    stale = manifest_file.stat().st_mtime_ns
    build(site, out)
    assert manifest_file.stat().st_mtime_ns != stale  # a normal build, saving a new one

    build(site, out, "--refresh")
    assert len(gh.requests) == 6


def test_a_sync_with_warnings_leaves_the_cache_stale_so_the_warning_stays(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    site = make_site(tmp_path, gh.url)
    (site / "projects" / "typo.yaml").write_text("name: Typo\nrepo: octocat/Helo\n")
    out = tmp_path / "out"
    for _ in range(2):
        result = CliRunner().invoke(
            main,
            ["build", str(site), "-o", str(out)],
            env={"TAMATAR_TEST_TOKEN": TOKEN, "SOURCE_DATE_EPOCH": EPOCH, "CI": "true"},
        )
        assert result.exit_code == 0, result.output
        assert "GitHub has no repository octocat/Helo (404)" in result.output
    assert not (site / ".tamatar" / "cache" / "github" / "last-sync.record").exists()


def test_the_github_cache_goes_stale_with_time_settings_and_new_wishes(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    site = make_site(tmp_path, gh.url)
    out = tmp_path / "out"
    build(site, out)
    record = site / ".tamatar" / "cache" / "github" / "last-sync.record"
    synced = json.loads(record.read_text(encoding="utf-8"))

    # older than github.max_age
    record.write_text(json.dumps({**synced, "at": synced["at"] - 61 * 60}), encoding="utf-8")
    gh.requests.clear()
    build(site, out)
    assert len(gh.requests) == 6

    # max_age: 0 asks on every build
    config = site / "tamatar.yaml"
    text = config.read_text().replace("  user: octocat\n", "  user: octocat\n  max_age: 0\n")
    config.write_text(text, encoding="utf-8")
    gh.requests.clear()
    build(site, out)
    assert len(gh.requests) == 6
    config.write_text(text.replace("  max_age: 0\n", ""), encoding="utf-8")
    build(site, out)

    # a log that wants commits of another day: its answers are not in the cache yet
    (site / "logs" / "2011-04-15-more.md").write_text(
        "---\ntitle: More bugs\ndate: 2011-04-15\nproject: hello\ncommits: auto\n---\nMore.\n",
        encoding="utf-8",
    )
    gh.requests.clear()
    build(site, out)
    assert gh.requests != []


def test_the_token_is_never_written_anywhere(gh: FakeGitHub, tmp_path: Path) -> None:
    site = make_site(tmp_path, gh.url)
    out = tmp_path / "out"
    output = build(site, out)
    assert TOKEN not in output
    # It was sent, to the API host only...
    assert any(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in gh.requests)
    # ...and appears in no file the build wrote: output, caches, anything under the site.
    written = [p for p in (*out.rglob("*"), *site.rglob("*")) if p.is_file()]
    assert any(".tamatar" in p.parts for p in written)
    for path in written:
        assert TOKEN.encode() not in path.read_bytes(), path


def test_commit_days_count_toward_streaks_when_configured(gh: FakeGitHub, tmp_path: Path) -> None:
    without = tmp_path / "a"
    with_commits = tmp_path / "b"
    site = make_site(without, gh.url)
    (site / "logs" / "2011-04-14-bugs.md").unlink()
    (site / "logs" / "2011-04-10-start.md").write_text(
        "---\ntitle: Start\ndate: 2011-04-10\n---\nStarted.\n", encoding="utf-8"
    )
    build(site, without / "out")
    site_b = make_site(with_commits, gh.url, count_commits=True)
    (site_b / "logs" / "2011-04-14-bugs.md").unlink()
    (site_b / "logs" / "2011-04-10-start.md").write_text(
        "---\ntitle: Start\ndate: 2011-04-10\n---\nStarted.\n", encoding="utf-8"
    )
    build(site_b, with_commits / "out")
    plain = (without / "out" / "index.html").read_text(encoding="utf-8")
    counted = (with_commits / "out" / "index.html").read_text(encoding="utf-8")
    # The recorded commit is on 2011-04-14, yesterday: with count_commits it makes a streak.
    assert "1 commit" not in plain
    assert "14 Apr 2011" in counted
    assert "1 commit" in counted


def test_offline_build_without_cache_warns_and_still_builds(tmp_path: Path) -> None:
    site = make_site(tmp_path, "http://127.0.0.1:9/")
    out = tmp_path / "out"
    output = build(site, out, "--offline")
    assert "tamatar.yaml:5:1: warning: GitHub:" in output
    assert (out / "projects" / "hello" / "index.html").exists()
    assert "repo-card" not in (out / "projects" / "hello" / "index.html").read_text("utf-8")


def test_build_works_inside_a_running_event_loop(gh: FakeGitHub, tmp_path: Path) -> None:
    """Embedding tamatar in async code (or a test driving a browser) must not break the sync."""
    import asyncio

    site = make_site(tmp_path, gh.url)
    out = tmp_path / "out"

    async def build_from_async_code() -> str:
        return build(site, out)

    asyncio.run(build_from_async_code())
    assert "repo-card" in (out / "projects" / "hello" / "index.html").read_text("utf-8")


def test_log_without_project_gets_full_commits_of_the_public_repos(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    """`repos: public` lists the repositories during the sync; a log with no project and
    `commits: auto` must still get the day's commits with their line counts."""
    listing = load_fixture("openapi-examples/users-list-repos.json")
    gh.add("/users/octocat/repos", Reply(200, listing, {"ETag": '"list"'}))
    site = make_site(tmp_path, gh.url)
    config = site / "tamatar.yaml"
    config.write_text(
        config.read_text("utf-8").replace("  token_env:", "  repos: public\n  token_env:"), "utf-8"
    )
    (site / "logs" / "2011-04-14-bugs.md").write_text(
        "---\ntitle: Bug day\ndate: 2011-04-14\ncommits: auto\n---\nFixed every bug there was.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    build(site, out)
    log = (out / "logs" / "2011" / "04" / "14" / "bugs" / "index.html").read_text(encoding="utf-8")
    assert f'href="https://github.com/octocat/Hello-World/commit/{HELLO_SHA}"' in log
    assert '<span class="commit-repo">octocat/Hello-World</span>' in log
    assert "&lt;script&gt;alert(" in log  # the message, escaped
    assert '<span class="additions">+104</span> <span class="deletions">\u22124</span>' in log
    assert [r.path for r in gh.requests].count(f"/repos/{HELLO}/commits/{HELLO_SHA}") == 1
