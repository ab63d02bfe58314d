"""`tamatar sync` through the real CLI against the fake GitHub server."""

from __future__ import annotations

import json
import re
import socket
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub, example_reply, reply_from_exchange

from tamatar_site.cli import main

HELLO_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
TOKEN = "ghp_cliSecretToken_9f8e7d6c5b4a39281706"


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        hello = "/repos/octocat/Hello-World"
        server.add("/users/octocat", example_reply("users-get-user.json", etag='"u1"'))
        server.add(hello, example_reply("repos-get.json", etag='"r1"'))
        server.add(f"{hello}/languages", example_reply("repos-list-languages.json", etag='"l1"'))
        server.add(f"{hello}/commits", example_reply("repos-list-commits.json", etag='"c1"'))
        server.add(f"{hello}/commits/{HELLO_SHA}", example_reply("repos-get-commit.json", '"d1"'))
        yield server


def make_site(root: Path, api_url: str) -> Path:
    files = {
        "tamatar.yaml": f"""
            site:
              title: Sync test
              timezone: Asia/Kolkata
            github:
              user: octocat
              token_env: TAMATAR_TEST_TOKEN
              api_url: {api_url}
            """,
        "projects/hello.yaml": """
            name: Hello
            repo: octocat/Hello-World
            """,
        "logs/2011-04-14-bugs.md": """
            ---
            title: Fixed all the bugs
            date: 2011-04-14
            project: hello
            commits: auto
            ---
            Done.
            """,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def test_sync_fills_the_cache_then_revalidates(gh: FakeGitHub, tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", gh.url)
    runner = CliRunner()
    env = {"TAMATAR_TEST_TOKEN": TOKEN, "CI": "true"}

    first = runner.invoke(main, ["sync", str(site)], env=env)
    assert first.exit_code == 0, first.output
    assert "GitHub: @octocat, 1 repository, 1 commit; 6 requests (0 not modified)" in first.output
    cache = site / ".tamatar" / "cache" / "github"
    entries = [json.loads(p.read_text()) for p in cache.glob("*.json")]
    assert {e["url"].removeprefix(gh.url).split("?")[0] for e in entries} == {
        "/users/octocat",
        "/repos/octocat/Hello-World",
        "/repos/octocat/Hello-World/languages",
        "/repos/octocat/Hello-World/community/profile",
        "/repos/octocat/Hello-World/commits",
        f"/repos/octocat/Hello-World/commits/{HELLO_SHA}",
    }
    commits_request = next(gh.requests_to("/repos/octocat/Hello-World/commits"))
    assert commits_request.query["since"] == "2011-04-14T00:00:00Z"  # the first log's date
    assert all(r.header("authorization") == f"Bearer {TOKEN}" for r in gh.requests)

    second = runner.invoke(main, ["sync", str(site), "--quiet"], env=env)
    assert second.exit_code == 0, second.output
    assert second.output == ""
    assert [r.header("if-none-match") for r in gh.requests[6:]].count(None) == 1  # the 404
    for path in site.rglob("*"):
        if path.is_file():
            assert TOKEN not in path.read_text(encoding="utf-8")


def test_sync_with_a_bad_token_warns_once_and_exits_zero(gh: FakeGitHub, tmp_path: Path) -> None:
    gh.add("/users/octocat", reply_from_exchange("hub4j-get-user-401-bad-credentials.json"))
    site = make_site(tmp_path / "site", gh.url)
    result = CliRunner().invoke(main, ["sync", str(site)], env={"TAMATAR_TEST_TOKEN": TOKEN})
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: GitHub rejected the token in $TAMATAR_TEST_TOKEN (401 Bad credentials): check"
        " or renew it; stopped asking GitHub; the cache is unchanged"
    ]
    assert TOKEN not in result.output


def _closed_port() -> int:
    with socket.socket() as probe:  # bound, never listening: connections are refused
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_sync_without_a_network_says_what_it_did_to_the_cache(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    site = make_site(tmp_path / "site", gh.url)
    assert CliRunner().invoke(main, ["sync", str(site), "--quiet"]).exit_code == 0
    cache = site / ".tamatar" / "cache" / "github"
    before = {p.name: p.read_bytes() for p in cache.glob("*.json")}
    config = site / "tamatar.yaml"
    unreachable = f"http://127.0.0.1:{_closed_port()}"
    config.write_text(config.read_text().replace(gh.url, unreachable), encoding="utf-8")

    result = CliRunner().invoke(main, ["sync", str(site), "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"warning: could not reach GitHub at {unreachable} (ConnectError); stopped asking"
        " GitHub; the cache is unchanged"
    ]
    assert "built" not in result.output  # sync builds nothing
    assert {p.name: p.read_bytes() for p in cache.glob("*.json")} == before


def test_sync_without_github_user_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "tamatar.yaml").write_text("site:\n  title: No GitHub\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sync", str(tmp_path)])
    assert result.exit_code == 1
    assert "no `github.user` is set, so there is nothing to sync" in result.output


def test_sync_reports_content_errors(tmp_path: Path) -> None:
    (tmp_path / "tamatar.yaml").write_text("site:\n  titel: Typo\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sync", str(tmp_path)])
    assert result.exit_code == 1
    assert "tamatar.yaml:2:3: error:" in result.output
    assert result.output.endswith("Error: 1 error; nothing was written\n")  # as `build` ends


def test_sync_stopped_midway_says_part_of_the_cache_was_refreshed(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    gh.add(
        "/repos/octocat/Hello-World",
        reply_from_exchange("hub4j-get-user-401-bad-credentials.json"),
    )
    site = make_site(tmp_path / "site", gh.url)
    result = CliRunner().invoke(main, ["sync", str(site), "--quiet"])
    assert result.exit_code == 0, result.output
    [warning] = result.output.splitlines()
    # The profile came first; how many of the repository's other requests were answered
    # before the 401 depends on their order.
    assert re.fullmatch(
        r"warning: GitHub answered 401 Unauthorized: this API needs a token in"
        r" \$TAMATAR_TEST_TOKEN; stopped asking GitHub; (1 answer was|\d+ answers were)"
        r" refreshed before that; the rest of the cache is unchanged",
        warning,
    ), warning
    assert (site / ".tamatar" / "cache" / "github").is_dir()
