"""`tamatar serve` for real: port in use, Ctrl-C, and no reload script in built files."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from serve_process import ServeProcess

from tamatar_site.cli import main
from tamatar_site.scaffold import init_site
from tamatar_site.serve.inject import EVENTS_PATH, SCRIPT_ID


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "devlog"
    init_site(site, remote="git@github.com:asha/devlog.git", timezone="UTC", branch="main")
    return site


def _assert_no_reload_script(output: Path) -> None:
    pages = list(output.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert EVENTS_PATH not in text and SCRIPT_ID not in text, page


def test_port_in_use_is_one_clear_line(site: Path) -> None:
    with socket.socket() as taken, socket.socket() as next_one:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # The next port is taken too (by us, or already by someone else): not the suggestion.
        with contextlib.suppress(OSError):
            next_one.bind(("127.0.0.1", port + 1))
        result = CliRunner().invoke(main, ["serve", str(site), "--port", str(port)])
        assert result.exit_code == 1
        match = re.fullmatch(
            rf"Error: port {port} on 127\.0\.0\.1 is already in use; stop the other server "
            r"or pick another port with --port (?P<free>\d+) \(free now\) or --port 0"
            r" \(any free port\)\n",
            result.output,
        )
        assert match, result.output
        free = int(match["free"])
        assert free > port + 1
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", free))  # really free


def test_port_zero_picks_a_free_port_and_names_it(site: Path) -> None:
    server = ServeProcess(site, "--offline")  # runs `tamatar serve --port 0`
    try:
        url = server.wait_until_serving()
        port = int(url.split(":")[2].split("/")[0])
        assert port != 0
        assert httpx.get(url, timeout=30).status_code == 200
    finally:
        server.interrupt()


def test_serve_needs_a_site(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'tamatar.yaml'} not found; run `tamatar init" in result.output


def test_build_output_has_no_reload_script(site: Path, tmp_path: Path) -> None:
    build = [sys.executable, "-m", "tamatar_site.cli", "build", str(site)]
    result = subprocess.run(
        [*build, "-o", str(tmp_path / "out"), "--offline"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    _assert_no_reload_script(tmp_path / "out")


def test_serve_then_ctrl_c_stops_cleanly(site: Path) -> None:
    server = ServeProcess(site, "--offline")
    try:
        url = server.wait_until_serving()
        assert url.endswith("/devlog/")
        page = httpx.get(url, timeout=30)
        assert page.status_code == 200
        assert SCRIPT_ID in page.text
        assert httpx.get(url.removesuffix("devlog/"), timeout=30).status_code == 302
        links = httpx.get(url + "feed.xml", timeout=30)
        assert links.status_code == 200 and SCRIPT_ID not in links.text
        assert f'href="{url}' in links.text or f"<id>{url}" in links.text  # local base_url
    finally:
        code = server.interrupt()
    assert code == 0, server.stderr
    assert "Traceback" not in "\n".join(server.stderr + server.stdout)
    assert server.stdout[-1] == "Stopped."
    assert server.stdout[0] == f"Building devlog for {url} ..."
    assert server.stdout[1].startswith("Built: ")
    _assert_no_reload_script(site / "_site")  # serve writes the same files as build
