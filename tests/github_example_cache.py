"""Regenerate the example site's committed GitHub cache from recorded GitHub responses.

    .venv/bin/python tests/github_example_cache.py [SITE]     # default: example-site

A local FakeGitHub serves the recordings of tests/fixtures/github/ (GitHub's OpenAPI examples
for octocat and octocat/Hello-World, github3.py's recording of PyCQA/flake8 and of
sigmavirus24/github3.py's commits; everything else gets GitHub's recorded 404). The real
client syncs the site through a transport that sends https://api.github.com requests to that
server, so the cache holds exactly what a sync against GitHub with these answers would write.
The old cache is removed first. The output depends only on the site and the recordings.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fakegithub import FakeGitHub, Reply, example_reply, reply_from_exchange

from tamatar_site.github.cache import site_cache_dir
from tamatar_site.github.sync import SyncResult, sync_site
from tamatar_site.validate import load_site

HELLO = "/repos/octocat/Hello-World"
HELLO_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"


class _ToFakeServer(httpx.AsyncBaseTransport):
    """Send every request to the fake server, whatever host its URL names."""

    def __init__(self, target: str) -> None:
        self._target = httpx.URL(target)
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self._target.scheme, host=self._target.host, port=self._target.port
        )
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def serve_recordings(gh: FakeGitHub) -> None:
    gh.add("/users/octocat", example_reply("users-get-user.json"))
    gh.add(HELLO, example_reply("repos-get.json"))
    gh.add(f"{HELLO}/languages", example_reply("repos-list-languages.json"))
    gh.add(f"{HELLO}/commits", example_reply("repos-list-commits.json"))
    gh.add(f"{HELLO}/commits/{HELLO_SHA}", example_reply("repos-get-commit.json"))
    gh.add("/repos/PyCQA/flake8", reply_from_exchange("github3-get-repository-200-weak-etag.json"))
    commits = reply_from_exchange("github3-list-commits-200-link.json")
    # Only page 1 of 111 was recorded: drop its Link so the sync does not ask for page 2.
    headers = {k: v for k, v in commits.headers.items() if k.lower() != "link"}
    gh.add("/repos/sigmavirus24/github3.py/commits", Reply(commits.status, commits.body, headers))


def regenerate(site_dir: Path) -> SyncResult:
    loaded = load_site(site_dir)
    if loaded.config is None or loaded.site is None:
        raise SystemExit(f"{site_dir}: the site has errors; run `tamatar check {site_dir}`")
    shutil.rmtree(site_cache_dir(site_dir), ignore_errors=True)
    with FakeGitHub() as gh:
        serve_recordings(gh)
        client = httpx.AsyncClient(transport=_ToFakeServer(gh.url))
        return sync_site(site_dir, loaded.config, loaded.site, environ={}, http_client=client)


def main() -> None:
    site_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "example-site")
    result = regenerate(site_dir)
    for warning in result.warnings:
        print(f"warning: {warning}")
    files = sorted(site_cache_dir(site_dir).glob("*.json"))
    print(f"{len(files)} files in {site_cache_dir(site_dir)} ({result.requests} requests)")


if __name__ == "__main__":
    main()
