"""The dev server: static files under the base path, Server-Sent Events reloads, error overlays.

`LiveReloadServer` takes a `builder` callable and never dies of a failed build: the builder's
errors are kept and shown over the last good page until a later build succeeds (mkdocs'
`LiveReloadServer(builder=...)`, Zola's error injection).
"""

from __future__ import annotations

import errno
import mimetypes
import posixpath
import socket
import sys
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tamatar_site.serve.inject import EVENTS_PATH, error_page, inject

_KEEPALIVE_SECONDS = 10.0
# Longer request targets get 414: no file of a site has a path this long.
MAX_PATH_LENGTH = 4096
# Types the platform's mime table may lack; text types get `; charset=utf-8` below.
_EXTRA_TYPES = {
    ".opml": "text/x-opml",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".avif": "image/avif",
    ".webp": "image/webp",
}
_TEXT_TYPES = {
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "application/xml",
    "image/svg+xml",
}


@dataclass(frozen=True)
class BuildOutcome:
    """What a builder reports: the error lines to show (empty when it succeeded)."""

    errors: tuple[str, ...] = ()
    summary: str = ""
    warnings: tuple[str, ...] = ()
    changed_output: bool = True  # False: the build wrote and removed nothing

    @property
    def ok(self) -> bool:
        return not self.errors


Builder = Callable[[], BuildOutcome]


class PortInUseError(OSError):
    """The address is taken; the CLI turns this into a one-line message and exit code 1."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(errno.EADDRINUSE, f"port {port} on {host} is already in use")
        self.host = host
        self.port = port


@dataclass
class _BuildState:
    """The last build as the server shows it; guarded by the server's condition."""

    build_id: str
    errors: tuple[str, ...] = ()
    succeeded_once: bool = False


def normalise_base_path(base_path: str) -> str:
    """`devlog` or `/devlog` -> `/devlog/`; empty -> `/`."""
    path = "/" + base_path.strip("/")
    return path if path == "/" else path + "/"


# A client that went away mid-request: a browser closing a tab or reloading a page.
_DROPPED = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class LiveReloadServer(ThreadingHTTPServer):
    """Serves `root` under `base_path` and tells open pages to reload after each build."""

    daemon_threads = True  # SSE connections never keep the process alive
    # One thread per connection, so open event streams never hold up other requests; the
    # listen backlog lets a burst of connections (a page with many assets, many tabs)
    # wait for accept() instead of being dropped (socketserver's default is 5).
    request_queue_size = 1024
    block_on_close = False  # server_close() must not wait for SSE handler threads
    allow_reuse_address = False  # a port in use is an error, not a silent takeover

    def __init__(
        self,
        root: Path,
        builder: Builder,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        base_path: str = "/",
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.root = root
        self.builder = builder
        self.base_path = normalise_base_path(base_path)
        self.log = log or (lambda message: None)
        self._instance = f"{time.time_ns():x}"
        self._counter = 0
        self._changed = threading.Condition()
        self._state = _BuildState(build_id=self._next_build_id())
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        if ":" in host:
            self.address_family = socket.AF_INET6
        try:
            super().__init__((host, port), _Handler)
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES) and port:
                raise PortInUseError(host, port) from None
            raise

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """A browser that drops a connection (a closed tab, a reload) is no error to print;
        anything else is reported as socketserver does (a traceback on stderr)."""
        if isinstance(sys.exc_info()[1], _DROPPED):
            return
        super().handle_error(request, client_address)

    # -- addresses -------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return str(self.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """Where to open the site: http://HOST:PORT/<base path>."""
        host = self.host
        if host in {"0.0.0.0", "::", ""}:
            host = "localhost"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}{self.base_path}"

    # -- builds ----------------------------------------------------------------------------

    def _next_build_id(self) -> str:
        self._counter += 1
        return f"{self._instance}-{self._counter}"

    @property
    def build_id(self) -> str:
        with self._changed:
            return self._state.build_id

    @property
    def errors(self) -> tuple[str, ...]:
        with self._changed:
            return self._state.errors

    @property
    def has_good_build(self) -> bool:
        with self._changed:
            return self._state.succeeded_once

    def rebuild(self) -> BuildOutcome:
        """Run the builder, record its outcome and wake every open page. Never raises."""
        try:
            outcome = self.builder()
        except Exception as error:  # a bug in the build must not stop the server
            self.log(traceback.format_exc().rstrip())
            outcome = BuildOutcome(errors=(f"internal error: {type(error).__name__}: {error}",))
        self.set_outcome(outcome)
        return outcome

    def set_outcome(self, outcome: BuildOutcome) -> None:
        with self._changed:
            self._state.build_id = self._next_build_id()
            self._state.errors = outcome.errors
            self._state.succeeded_once = self._state.succeeded_once or outcome.ok
            self._changed.notify_all()

    def set_base_path(self, base_path: str) -> None:
        self.base_path = normalise_base_path(base_path)

    def wait_for_change(self, since: str, timeout: float) -> str | None:
        """Block until the build id differs from `since`; return it, or None on timeout/stop."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._state.build_id == since and not self._stopping.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)
            return None if self._stopping.is_set() else self._state.build_id

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, wake the SSE connections so they end, and close the socket."""
        self._stopping.set()
        with self._changed:
            self._changed.notify_all()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: LiveReloadServer
    protocol_version = "HTTP/1.1"
    server_version = "tamatar-serve"

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not worth a line each; errors are reported by the build loop."""

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    # -- routing ---------------------------------------------------------------------------

    def _respond(self, *, head: bool) -> None:
        if len(self.path) > MAX_PATH_LENGTH:
            self.close_connection = True
            self._send_bytes(
                HTTPStatus.REQUEST_URI_TOO_LONG, b"URI too long\n", "text/plain", head=head
            )
            return
        parsed = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parsed.path)
        if path == EVENTS_PATH:
            if head:
                self._send_bytes(HTTPStatus.OK, b"", "text/event-stream", head=True)
            else:
                self._stream_events(urllib.parse.parse_qs(parsed.query).get("since", [""])[0])
            return
        base = self.server.base_path
        if base != "/" and path in ("/", base.rstrip("/")):
            self._redirect(base)
            return
        if not path.startswith(base):
            self._not_found(head=head)
            return
        relative = posixpath.normpath(path[len(base) :]).lstrip("/")
        if relative in (".", ""):
            relative = ""
        target = self._resolve(relative)
        if target is None:
            self._not_found(head=head)
            return
        if target.is_dir():
            if not path.endswith("/"):
                # To the folder's own path, never to the request's: `//host/..` would leave
                # the site (a protocol-relative URL).
                location = base + urllib.parse.quote(f"{relative}/" if relative else "")
                self._redirect(location + (f"?{parsed.query}" if parsed.query else ""))
                return
            target = target / "index.html"
            if not target.is_file():
                self._not_found(head=head)
                return
        self._send_file(target, HTTPStatus.OK, head=head)

    def _resolve(self, relative: str) -> Path | None:
        root = self.server.root.resolve()
        try:
            target = (root / relative).resolve()
        except (OSError, ValueError):
            return None
        if target != root and root not in target.parents:
            return None  # ../ tricks and symlinks out of the output folder
        try:
            return target if target.exists() else None
        except OSError:  # a name too long for the file system
            return None

    # -- responses -------------------------------------------------------------------------

    def _not_found(self, *, head: bool) -> None:
        page = self._resolve("404.html")
        if page is not None and page.is_file():
            self._send_file(page, HTTPStatus.NOT_FOUND, head=head)
            return
        self._send_html(HTTPStatus.NOT_FOUND, "<!doctype html><title>Not found</title>", head=head)

    def _send_file(self, target: Path, status: HTTPStatus, *, head: bool) -> None:
        content_type = (
            _EXTRA_TYPES.get(target.suffix.lower())
            or mimetypes.guess_type(target.name)[0]
            or "application/octet-stream"
        )
        try:
            data = target.read_bytes()
        except OSError:  # swapped away by a build in progress
            if status == HTTPStatus.OK:
                self._not_found(head=head)
            else:
                self._send_html(status, "<!doctype html><title>Not found</title>", head=head)
            return
        if content_type == "text/html":
            self._send_html(status, data.decode("utf-8", errors="replace"), head=head)
            return
        if content_type.startswith("text/") or content_type in _TEXT_TYPES:
            content_type += "; charset=utf-8"
        self._send_bytes(status, data, content_type, head=head)

    def _send_html(self, status: HTTPStatus, page: str, *, head: bool) -> None:
        server = self.server
        errors = server.errors
        if not server.has_good_build and status == HTTPStatus.NOT_FOUND:
            # Nothing was ever built: show the errors instead of a bare 404.
            page = error_page(build_id=server.build_id, errors=errors)
            status = HTTPStatus.SERVICE_UNAVAILABLE
        else:
            page = inject(page, build_id=server.build_id, errors=errors)
        self._send_bytes(status, page.encode("utf-8"), "text/html; charset=utf-8", head=head)

    def _send_bytes(
        self, status: HTTPStatus, data: bytes, content_type: str, *, head: bool
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self._write(data)

    def _redirect(self, location: str) -> None:
        if not location.startswith("/") or location.startswith("//"):
            location = self.server.base_path  # same origin, always
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except _DROPPED:
            self.close_connection = True
            return False
        return True

    def _stream_events(self, since: str) -> None:
        """Server-Sent Events: `reload` whenever the build id moves past `since`."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        server = self.server
        if not self._write(b"retry: 500\n\n"):
            return
        current = since or server.build_id
        while not server.stopping:
            changed = server.wait_for_change(current, _KEEPALIVE_SECONDS)
            if server.stopping:
                return
            if changed is None:
                if not self._write(b": keepalive\n\n"):
                    return
                continue
            current = changed
            if not self._write(f"event: reload\ndata: {changed}\n\n".encode()):
                return
