"""Benchmark: a GitHub sync of 50 repositories with 2,000 commits against the local fake server.

    .venv/bin/python benchmarks/github_sync.py [--repos 50] [--commits 2000] [--latency 0.0]

Bodies are GitHub's recorded examples (tests/fixtures/github/) with names and SHAs varied.
A fifth of the repositories get 6x the commits of the others, so their lists need 2 pages at
per_page=100. `--latency` adds a per-request delay in the server, to see what the bounded
concurrency buys over a real network. Prints the first sync (requests, wall time), the
second (conditional requests and 304s only, which it checks) and a build's read of the
cache while it is fresh (`github.max_age`: no request, which it checks).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fakegithub import FakeGitHub, Reply, load_fixture

from tamatar_site.config import GitHubSection
from tamatar_site.github.client import ClientSettings
from tamatar_site.github.enrich import LinkRequest
from tamatar_site.github.sync import SyncResult, sync_github

USER = "octocat"
SINCE = dt.date(2026, 1, 1)


def _etag(*parts: object) -> str:
    return '"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:32] + '"'


def commit_counts(repos: int, commits: int) -> list[int]:
    """Split `commits` over `repos`; every fifth repository gets a sixfold share."""
    weights = [6 if i % 5 == 0 else 1 for i in range(repos)]
    counts = [commits * w // sum(weights) for w in weights]
    counts[-1] += commits - sum(counts)
    return counts


def serve_corpus(gh: FakeGitHub, repos: int, commits: int, latency: float) -> list[LinkRequest]:
    user = load_fixture("openapi-examples/users-get-user.json")
    repo_body = load_fixture("openapi-examples/repos-get.json")
    languages = load_fixture("openapi-examples/repos-list-languages.json")
    commit_item = load_fixture("openapi-examples/repos-list-commits.json")[0]
    detail = load_fixture("openapi-examples/repos-get-commit.json")
    json_type = {"Content-Type": "application/json; charset=utf-8"}

    def reply(body: Any, *key: object, **headers: str) -> Reply:
        return Reply(200, body, {**json_type, "ETag": _etag(*key), **headers}, delay=latency)

    gh.add(f"/users/{USER}", reply(user, "user"))
    links: list[LinkRequest] = []
    start = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
    for index, count in enumerate(commit_counts(repos, commits)):
        name = f"{USER}/repo-{index:02d}"
        base = f"/repos/{name}"
        body = {**repo_body, "full_name": name, "html_url": f"https://github.com/{name}"}
        gh.add(base, reply(body, name))
        gh.add(f"{base}/languages", reply(languages, name, "languages"))
        gh.add(f"{base}/community/profile", reply({"health_percentage": 70}, name, "community"))
        items = []
        for number in range(count):
            item = copy.deepcopy(commit_item)
            sha = hashlib.sha1(f"{name}-{number}".encode()).hexdigest()
            item["sha"] = sha
            item["html_url"] = f"https://github.com/{name}/commit/{sha}"
            when = (start - dt.timedelta(hours=7 * number + index)).strftime("%Y-%m-%dT%H:%M:%SZ")
            item["commit"]["author"]["date"] = when
            items.append(item)
        pages = [items[i : i + 100] for i in range(0, len(items), 100)] or [[]]
        for page_number, page in enumerate(pages, start=1):
            headers = {}
            if page_number < len(pages):
                next_url = (
                    f"https://api.github.com{base}/commits?author={USER}&per_page=100"
                    f"&since={SINCE}T00:00:00Z&page={page_number + 1}"
                )
                headers["Link"] = f'<{next_url}>; rel="next"'
            query = {"page": str(page_number)} if page_number > 1 else None
            gh.add(f"{base}/commits", reply(page, name, page_number, **headers), query=query)
        if index < 10 and items:  # ten logs link one commit each: ten detail requests
            sha = items[0]["sha"]
            gh.add(f"{base}/commits/{sha}", reply({**detail, "sha": sha}, name, sha))
            links.append(LinkRequest(f"logs/{index}/", SINCE, (name,), (sha[:12],)))
    return links


def run(
    gh: FakeGitHub, cache: Path, repos: int, links: list[LinkRequest], fresh: bool = False
) -> SyncResult:
    config = GitHubSection.model_validate(
        {"user": USER, "repos": [f"{USER}/repo-{i:02d}" for i in range(repos)], "api_url": gh.url}
    )
    return sync_github(
        config, [], cache, offline=False, since=SINCE, token=None, links=links,
        settings=ClientSettings(), use_fresh_cache=fresh,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=50)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.0, help="server delay per request, s")
    args = parser.parse_args()
    with FakeGitHub() as gh, tempfile.TemporaryDirectory() as tmp:
        links = serve_corpus(gh, args.repos, args.commits, args.latency)
        first = run(gh, Path(tmp), args.repos, links)
        assert first.data is not None and not first.warnings, first.warnings
        assert len(first.data.commits) == args.commits and len(first.data.repos) == args.repos
        sent_before = len(gh.requests)
        second = run(gh, Path(tmp), args.repos, links)
        again = gh.requests[sent_before:]
        conditional = sum(1 for r in again if r.header("if-none-match"))
        assert second.data == first.data
        assert conditional == len(again) == second.requests, "second sync: unconditional request"
        assert second.statuses == {304: second.requests}, second.statuses
        sent_before = len(gh.requests)
        fresh = run(gh, Path(tmp), args.repos, links, fresh=True)
        assert fresh.fresh_until is not None and len(gh.requests) == sent_before
        assert fresh.data == first.data
    print(
        f"GitHub sync: {args.repos} repositories, {args.commits} commits, latency {args.latency} s"
    )
    print(
        f"  first sync:  {first.requests} requests, statuses {first.statuses}, "
        f"{first.seconds:.2f} s wall"
    )
    print(
        f"  second sync: {second.requests} requests, {conditional} conditional, "
        f"{second.not_modified} answered 304, {second.seconds:.2f} s wall"
    )
    print(f"  fresh cache: 0 requests, {fresh.seconds:.2f} s wall")


if __name__ == "__main__":
    main()
