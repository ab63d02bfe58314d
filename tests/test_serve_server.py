"""The dev server with a fake builder on port 0: base path, injection, SSE reloads, overlays."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tamatar_site.serve import BuildOutcome, LiveReloadServer, PortInUseError
from tamatar_site.serve.inject import EVENTS_PATH, OVERLAY_ID, SCRIPT_ID


@dataclass
class FakeBuilder:
    """Writes a tiny site into `output`; `errors` makes the next build fail like a bad file."""

    output: Path
    body: str = "first version"
    errors: tuple[str, ...] = ()
    crash: bool = False
    calls: int = 0
    pages: dict[str, str] = field(default_factory=dict)

    def __call__(self) -> BuildOutcome:
        self.calls += 1
        if self.crash:
            raise RuntimeError("builder bug")
        if self.errors:
            return BuildOutcome(errors=self.errors)
        head = "<!doctype html><html><head><title>t</title></head>"
        page = f"{head}<body><p>{self.body}</p></body></html>"
        files = {
            "index.html": page,
            "logs/2026/11/21/hello/index.html": page.replace("<p>", "<p>log: "),
            "style.css": "body { color: black; }",
            "404.html": "<!doctype html><html><body><h1>Nothing here</h1></body></html>",
            **self.pages,
        }
        for name, text in files.items():
            target = self.output / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return BuildOutcome(summary=f"{len(files)} pages written")


@pytest.fixture
def fake(tmp_path: Path) -> FakeBuilder:
    return FakeBuilder(tmp_path / "_site")


def _start(fake: FakeBuilder, base_path: str = "/devlog/", build: bool = True) -> LiveReloadServer:
    server = LiveReloadServer(fake.output, fake, host="127.0.0.1", port=0, base_path=base_path)
    if build:
        server.rebuild()
    server.start()
    return server


@pytest.fixture
def server(fake: FakeBuilder) -> Iterator[LiveReloadServer]:
    server = _start(fake)
    yield server
    server.stop()


def _origin(server: LiveReloadServer) -> str:
    return f"http://127.0.0.1:{server.port}"


def test_root_redirects_to_the_base_path(server: LiveReloadServer) -> None:
    response = httpx.get(_origin(server) + "/")
    assert response.status_code == 302
    assert response.headers["location"] == "/devlog/"
    assert server.url == f"http://127.0.0.1:{server.port}/devlog/"


def test_pages_are_served_under_the_base_path(server: LiveReloadServer) -> None:
    response = httpx.get(_origin(server) + "/devlog/", follow_redirects=True)
    assert response.status_code == 200
    assert "<p>first version</p>" in response.text
    log = httpx.get(_origin(server) + "/devlog/logs/2026/11/21/hello/")
    assert "<p>log: first version</p>" in log.text


def test_folder_without_slash_redirects(server: LiveReloadServer) -> None:
    response = httpx.get(_origin(server) + "/devlog/logs/2026/11/21/hello")
    assert response.status_code == 302
    assert response.headers["location"] == "/devlog/logs/2026/11/21/hello/"


def test_paths_outside_the_base_path_are_404(server: LiveReloadServer) -> None:
    response = httpx.get(_origin(server) + "/style.css")
    assert response.status_code == 404
    assert "Nothing here" in response.text


def test_missing_page_gets_the_sites_404_with_status_404(server: LiveReloadServer) -> None:
    response = httpx.get(_origin(server) + "/devlog/no/such/page/")
    assert response.status_code == 404
    assert "<h1>Nothing here</h1>" in response.text


def test_path_traversal_stays_inside_the_output(server: LiveReloadServer, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("top secret")
    for path in ("/devlog/../secret.txt", "/devlog/%2e%2e/secret.txt", "/devlog/..%2fsecret.txt"):
        response = httpx.get(_origin(server) + path)
        assert "top secret" not in response.text


def test_reload_script_only_in_served_html(server: LiveReloadServer, fake: FakeBuilder) -> None:
    page = httpx.get(_origin(server) + "/devlog/")
    assert f'<script id="{SCRIPT_ID}">' in page.text
    assert EVENTS_PATH in page.text
    assert page.text.index(SCRIPT_ID) < page.text.index("</body>")
    on_disk = (fake.output / "index.html").read_text()
    assert SCRIPT_ID not in on_disk and EVENTS_PATH not in on_disk
    css = httpx.get(_origin(server) + "/devlog/style.css")
    assert css.text == "body { color: black; }"
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    assert page.headers["cache-control"] == "no-store"


def test_head_request_has_no_body(server: LiveReloadServer) -> None:
    response = httpx.head(_origin(server) + "/devlog/")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


def _read_event(server: LiveReloadServer, since: str, trigger: threading.Thread | None) -> str:
    """Open the event stream, start `trigger`, return the data of the first reload event."""
    url = f"{_origin(server)}{EVENTS_PATH}?since={since}"
    with httpx.stream("GET", url, timeout=httpx.Timeout(10.0)) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream"
        if trigger is not None:
            trigger.start()
        event = ""
        for line in response.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event == "reload":
                return line.removeprefix("data: ")
    raise AssertionError("the stream ended without a reload event")


def test_sse_reload_event_after_a_rebuild(server: LiveReloadServer, fake: FakeBuilder) -> None:
    before = server.build_id
    fake.body = "second version"
    data = _read_event(server, before, threading.Thread(target=server.rebuild))
    assert data == server.build_id != before
    assert "<p>second version</p>" in httpx.get(_origin(server) + "/devlog/").text


def test_sse_reloads_at_once_when_the_page_is_older_than_the_build(
    server: LiveReloadServer,
) -> None:
    # A build that finished between loading the page and opening the stream is not missed.
    assert _read_event(server, "an-old-build", None) == server.build_id


def test_errors_show_over_the_last_good_page_then_recover(
    server: LiveReloadServer, fake: FakeBuilder
) -> None:
    fake.errors = ("logs/2026/bad.md:3:7: error: unknown key `titel` <b>",)
    outcome = server.rebuild()
    assert not outcome.ok
    page = httpx.get(_origin(server) + "/devlog/").text
    assert f'id="{OVERLAY_ID}"' in page
    assert "logs/2026/bad.md:3:7: error: unknown key `titel` &lt;b&gt;" in page
    assert "<b>" not in page.split(OVERLAY_ID, 1)[1].split("</pre>")[0]
    assert "<p>first version</p>" in page  # the last good page stays underneath
    assert page.index(OVERLAY_ID) < page.index("<p>first version</p>")

    fake.errors = ()
    fake.body = "fixed"
    assert server.rebuild().ok
    page = httpx.get(_origin(server) + "/devlog/").text
    assert OVERLAY_ID not in page
    assert "<p>fixed</p>" in page


def test_a_crashing_builder_does_not_stop_the_server(fake: FakeBuilder) -> None:
    logged: list[str] = []
    server = LiveReloadServer(fake.output, fake, port=0, log=logged.append)
    server.rebuild()
    server.start()
    try:
        fake.crash = True
        outcome = server.rebuild()
        assert outcome.errors == ("internal error: RuntimeError: builder bug",)
        assert "Traceback" in logged[0]
        page = httpx.get(_origin(server) + "/").text
        assert "internal error: RuntimeError: builder bug" in page
        fake.crash = False
        assert server.rebuild().ok
        assert OVERLAY_ID not in httpx.get(_origin(server) + "/").text
    finally:
        server.stop()


def test_first_build_failing_shows_an_error_page(fake: FakeBuilder) -> None:
    fake.errors = ("tamatar.yaml:2:3: error: unknown key `titl`",)
    server = _start(fake)
    try:
        response = httpx.get(_origin(server) + "/devlog/")
        assert response.status_code == 503
        assert "tamatar.yaml:2:3: error: unknown key `titl`" in response.text
        assert SCRIPT_ID in response.text
    finally:
        server.stop()


def test_port_in_use_raises_a_clear_error(server: LiveReloadServer, fake: FakeBuilder) -> None:
    with pytest.raises(PortInUseError) as caught:
        LiveReloadServer(fake.output, fake, host="127.0.0.1", port=server.port)
    assert str(caught.value) == f"[Errno 98] port {server.port} on 127.0.0.1 is already in use"


def test_stop_is_not_blocked_by_open_event_streams(fake: FakeBuilder) -> None:
    server = _start(fake)
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    connection.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert b"text/event-stream" in connection.recv(4096)
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    stopper.join(timeout=10)
    assert not stopper.is_alive()
    connection.close()


def test_ipv6_loopback(fake: FakeBuilder) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        server = LiveReloadServer(fake.output, fake, host="::1", port=0)
    except OSError as error:
        pytest.skip(f"IPv6 loopback unavailable: {error}")
    server.rebuild()
    server.start()
    try:
        assert server.url == f"http://[::1]:{server.port}/"
        assert "<p>first version</p>" in httpx.get(server.url).text
    finally:
        server.stop()


def test_content_types(fake: FakeBuilder) -> None:
    fake.pages = {"following.opml": "<opml/>", "feed.json": "{}", "feed.xml": "<feed/>"}
    server = _start(fake)
    try:
        types = {
            name: httpx.get(f"{_origin(server)}/devlog/{name}").headers["content-type"]
            for name in ("following.opml", "feed.json", "feed.xml", "style.css")
        }
        assert types == {
            "following.opml": "text/x-opml; charset=utf-8",
            "feed.json": "application/json; charset=utf-8",
            "feed.xml": "application/xml; charset=utf-8",
            "style.css": "text/css; charset=utf-8",
        }
    finally:
        server.stop()


def test_a_browser_dropping_its_connection_prints_no_traceback(
    server: LiveReloadServer, capfd: pytest.CaptureFixture[str]
) -> None:
    # A reset in the middle of a request, as a browser closing a tab or reloading sends.
    for _ in range(3):
        client = socket.create_connection((server.host, server.port))
        client.sendall(b"GET /devlog/ HTT")
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # linger 0: the kernel sends RST, not FIN
    response = httpx.get(_origin(server) + "/devlog/")  # the server goes on serving
    assert response.status_code == 200
    assert "Traceback" not in capfd.readouterr().err


def _raw_get(server: LiveReloadServer, target: str, timeout: float = 10.0) -> tuple[int, str]:
    """Send `GET target` as written (no client normalises it); (status, head of the answer)."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as client:
        client.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    return int(head.split(" ", 2)[1]), head


def _location(head: str) -> str:
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "location":
            return value.strip()
    raise AssertionError(f"no Location in {head!r}")


@pytest.mark.parametrize(
    "target",
    [
        "/%2F%2Fevil.example%2F..%2Flogs",
        "//evil.example/../logs",
        "/%2Fevil.example/../logs",
        "/\\evil.example/../logs",
    ],
)
def test_folder_redirects_stay_on_the_same_origin(fake: FakeBuilder, target: str) -> None:
    server = _start(fake, base_path="/")
    try:
        status, head = _raw_get(server, target)
    finally:
        server.stop()
    assert status in (302, 404), head
    if status == 302:
        location = _location(head)
        assert location.startswith("/") and not location.startswith("//"), location
        assert "\\" not in location and "evil" not in location
        assert location == "/logs/"


def test_a_very_long_path_is_answered_cleanly(
    server: LiveReloadServer, capfd: pytest.CaptureFixture[str]
) -> None:
    status, _ = _raw_get(server, "/devlog/" + "a" * 8000)
    assert status == 414
    status, _ = _raw_get(server, "/devlog/" + "b" * 300)  # one name too long for the disk
    assert status == 404
    status, _ = _raw_get(server, "/devlog/" + "c/" * 1500)
    assert status == 404
    assert httpx.get(_origin(server) + "/devlog/").status_code == 200
    assert "Traceback" not in capfd.readouterr().err


def test_many_requests_are_answered_while_event_streams_are_open(
    server: LiveReloadServer,
) -> None:
    streams = []
    for _ in range(50):
        stream = socket.create_connection((server.host, server.port), timeout=10)
        stream.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        streams.append(stream)
    try:
        for stream in streams:
            assert stream.recv(4096).startswith(b"HTTP/1.1 200")
        statuses: list[int] = []
        failures: list[BaseException] = []
        barrier = threading.Barrier(200)

        def fetch() -> None:
            try:
                barrier.wait(timeout=20)  # all connect at once: a burst on the backlog
                statuses.append(_raw_get(server, "/devlog/style.css", timeout=3.0)[0])
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=fetch) for _ in range(200)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert failures == []
        assert statuses == [200] * 200
    finally:
        for stream in streams:
            stream.close()
