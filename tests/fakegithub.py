"""A fake GitHub REST API: a real local HTTP server replaying recorded responses.

Routes map a path (and optionally query parameters) to one or more replies; a route with
several replies answers them in order and then repeats the last one. Replies carry the
recorded headers. A reply with an ETag or Last-Modified answers 304 to a matching
If-None-Match / If-Modified-Since, like GitHub. Link headers that point at
https://api.github.com are rewritten to this server, as GitHub gives its own host.
Every request is recorded for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "github"
_RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
_DROP = frozenset({"content-length", "status", "transfer-encoding", "content-encoding"})


def load_fixture(relative: str) -> Any:
    """The parsed JSON of a file under tests/fixtures/github/."""
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    drop: bool = False  # close the connection without an answer (a dropped connection)


def reply_from_exchange(relative: str) -> Reply:
    """A Reply from a recorded exchange under fixtures/github/exchanges/."""
    recorded = load_fixture(f"exchanges/{relative}")["response"]
    return Reply(recorded["status"], recorded["body"], dict(recorded["headers"]))


def example_reply(relative: str, etag: str | None = None, **headers: str) -> Reply:
    """A 200 Reply with an OpenAPI example body (bodies only: headers are given here)."""
    all_headers = {"Content-Type": "application/json; charset=utf-8", **headers}
    if etag:
        all_headers["ETag"] = etag
    return Reply(200, load_fixture(f"openapi-examples/{relative}"), all_headers)


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class _Route:
    path: str
    query: dict[str, str]
    replies: list[Reply]
    served: int = 0


def _matches(expected: str | None, given: str | None) -> bool:
    """Weak ETag comparison, as RFC 9110 asks for If-None-Match."""
    if not expected or not given:
        return False
    strip = lambda tag: tag.strip().removeprefix("W/")  # noqa: E731
    return any(strip(tag) == strip(expected) for tag in given.split(","))


class FakeGitHub:
    """Start with `with FakeGitHub() as gh:`; `gh.url` is the API root."""

    def __init__(self) -> None:
        self._routes: list[_Route] = []
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def add(self, path: str, *replies: Reply, query: Mapping[str, str] | None = None) -> None:
        self._routes.append(_Route(path, dict(query or {}), list(replies)))

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def requests_to(self, path: str) -> Iterator[SeenRequest]:
        return (r for r in self.requests if r.path == path)

    # -- serving ---------------------------------------------------------------------

    def _route_for(self, path: str, query: dict[str, str]) -> _Route | None:
        candidates = [
            r
            for r in reversed(self._routes)  # the newest route for a path wins
            if r.path == path and all(query.get(k) == v for k, v in r.query.items())
        ]
        return max(candidates, key=lambda r: len(r.query), default=None)

    def _answer(self, seen: SeenRequest) -> tuple[Reply, bool]:
        with self._lock:
            self.requests.append(seen)
            route = self._route_for(seen.path, seen.query)
            if route is None:
                return Reply(404, load_fixture("errors/404-not-found.json")), False
            reply = route.replies[min(route.served, len(route.replies) - 1)]
            route.served += 1
        headers = {k.lower(): v for k, v in reply.headers.items()}
        not_modified = reply.status == 200 and (
            _matches(headers.get("etag"), seen.header("if-none-match"))
            or (
                "last-modified" in headers
                and seen.header("if-modified-since") == headers["last-modified"]
            )
        )
        return reply, not_modified

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as separate writes

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                seen = SeenRequest(
                    "GET",
                    parts.path,
                    dict(parse_qsl(parts.query, keep_blank_values=True)),
                    {k.lower(): v for k, v in self.headers.items()},
                )
                reply, not_modified = fake._answer(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    return
                headers = {k: v for k, v in reply.headers.items() if k.lower() not in _DROP}
                if "link" in {k.lower() for k in headers}:
                    headers = {
                        k: v.replace("https://api.github.com", fake.url)
                        if k.lower() == "link"
                        else v
                        for k, v in headers.items()
                    }
                if not_modified:
                    keep = {"etag", "last-modified", "cache-control", "vary", *_RATE_HEADERS}
                    self.send_response(304)
                    for name, value in headers.items():
                        if name.lower() in keep:
                            self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                payload = b"" if reply.body is None else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if payload and reply.status != 304:
                        self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
