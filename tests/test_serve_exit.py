"""A real `tamatar serve` process: how fast SIGTERM and Ctrl-C end it, and its rebuild line."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from serve_process import ServeProcess

from tamatar_site.scaffold import init_site
from tamatar_site.serve.inject import EVENTS_PATH

# Exit times measured on the 2-core machine are 0.03-0.12 s; the bound leaves room for a
# loaded CI machine while still failing the 1-3 s the exit took before.
EXIT_WITHIN = 2.0
SIGNALS = [signal.SIGTERM, signal.SIGINT]


def _site(root: Path, logs: int) -> Path:
    init_site(root, remote="git@github.com:asha/devlog.git", timezone="UTC", branch="main")
    paragraph = "Some *text* with `code` and a [link](https://example.com/). " * 20
    for number in range(logs):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=number)
        log = root / "logs" / f"{day:%Y}" / f"{day}-note-{number}.md"
        log.parent.mkdir(parents=True, exist_ok=True)
        front = f"---\ntitle: Note {number}\ndate: {day}\ntags: [t{number % 7}]\n---\n"
        log.write_text(front + f"{paragraph}\n\n" * 8, encoding="utf-8")
    return root


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    return _site(tmp_path / "devlog", 0)


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Large enough that a full rebuild takes a good part of a second or more."""
    return _site(tmp_path_factory.mktemp("large") / "devlog", 300)


def _open_stream(url: str) -> socket.socket:
    """An open Server-Sent Events connection, as a page's reload script holds one."""
    parts = urlsplit(url)
    stream = socket.create_connection((parts.hostname or "", parts.port or 80), timeout=10)
    stream.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
    assert stream.recv(1024).startswith(b"HTTP/1.1 200")
    return stream


def _stop(server: ServeProcess, signum: int) -> float:
    """Send `signum`; the seconds until the process is gone."""
    started = time.monotonic()
    server.process.send_signal(signum)
    try:
        server.process.wait(timeout=30)
    finally:
        server.kill()
    return time.monotonic() - started


@pytest.fixture
def serve_processes() -> Iterator[list[ServeProcess]]:
    started: list[ServeProcess] = []
    yield started
    for server in started:
        server.kill()


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_signal_ends_serve_at_once_with_a_reload_stream_open(
    small_site: Path, signum: int, serve_processes: list[ServeProcess]
) -> None:
    server = ServeProcess(small_site, "--offline")
    serve_processes.append(server)
    url = server.wait_until_serving()
    with _open_stream(url) as stream:
        seconds = _stop(server, signum)
        stream.settimeout(5)
        rest = b""
        while chunk := stream.recv(4096):  # the stream is closed, not left hanging
            rest += chunk
    print(f"{signal.Signals(signum).name} with a reload stream open: exit in {seconds:.3f} s")
    assert seconds < EXIT_WITHIN
    assert server.process.returncode == 0
    assert server.stdout[-1] == "Stopped."
    assert "Traceback" not in "\n".join(server.stderr)


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_signal_during_a_rebuild_ends_serve_at_once(
    large_site: Path, signum: int, serve_processes: list[ServeProcess]
) -> None:
    server = ServeProcess(large_site, "--offline")
    serve_processes.append(server)
    server.wait_until_serving(timeout=300)
    staging = large_site / f"._site.tamatar-stage-{server.process.pid}"  # write.staging_folder
    config = large_site / "tamatar.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("title: ", f"title: T{time.time_ns()} ", 1), encoding="utf-8")
    deadline = time.monotonic() + 60
    while not staging.exists():  # the rebuild is writing its pages now
        assert time.monotonic() < deadline, server.stdout
        assert not any(line.startswith("Rebuilt") for line in server.stdout), server.stdout
        time.sleep(0.002)
    seconds = _stop(server, signum)
    print(f"{signal.Signals(signum).name} during a rebuild: exit in {seconds:.3f} s")
    assert seconds < EXIT_WITHIN
    assert server.process.returncode == 0
    assert server.stdout[-1] == "Stopped."
    assert not any(line.startswith("Rebuilt") for line in server.stdout)  # it was interrupted
    # The interrupted build's staged pages are deleted (by a detached process), and the
    # output is the last complete build's.
    deadline = time.monotonic() + 30
    while staging.exists():
        assert time.monotonic() < deadline, f"{staging} was left behind"
        time.sleep(0.05)
    assert (large_site / "_site" / "index.html").stat().st_size > 0
    leftovers = [p.name for p in large_site.iterdir() if ".tamatar-" in p.name]
    assert leftovers == []


def test_the_rebuild_line_names_only_the_sites_files(
    small_site: Path, serve_processes: list[ServeProcess]
) -> None:
    server = ServeProcess(small_site, "--offline")
    serve_processes.append(server)
    server.wait_until_serving()
    [log] = sorted((small_site / "logs").rglob("*hello-tamatar.md"))
    # What `sed -i` does: write a temporary file beside the log, then rename it over the log.
    temporary = log.parent / "sedNdAEa5"
    temporary.write_text(log.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    (small_site / "notes.txt").write_text("not part of the site\n", encoding="utf-8")
    os.replace(temporary, log)
    relative = log.relative_to(small_site).as_posix()
    line = server.wait_for_line(r"^Rebuilt after ")
    assert line.string.startswith(f"Rebuilt after {relative} ("), line.string
    server.interrupt()
    rebuilt = [line for line in server.stdout if line.startswith("Rebuilt")]
    assert rebuilt, server.stdout
    assert not any("sedNdAEa5" in line or "notes.txt" in line for line in rebuilt), rebuilt


@pytest.mark.parametrize(
    ("relative", "belongs"),
    [
        ("tamatar.yaml", True),
        ("logs/2026/2026-11-21-a.md", True),
        ("projects/a.yaml", True),
        ("paths/a.yml", True),
        ("static/img/x.png", True),
        ("templates/base.html", True),
        ("themes/mine/templates/base.html", True),
        ("logs/2026/sedNdAEa5", False),
        ("projects/notes.txt", False),
        ("notes.txt", False),
        ("README.md", False),
    ],
)
def test_which_changed_paths_belong_to_the_site(
    tmp_path: Path, relative: str, belongs: bool
) -> None:
    from tamatar_site.serve.watch import belongs_to_site

    theme = tmp_path / "elsewhere" / "theme"
    theme.mkdir(parents=True)
    assert belongs_to_site(tmp_path / "site" / relative, tmp_path / "site", theme) is belongs
    assert belongs_to_site(theme / "static" / "x.css", tmp_path / "site", theme.resolve())
