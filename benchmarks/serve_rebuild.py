"""Rebuild latency of `tamatar serve`: edit one log of a 1,000-log site, time until the reload.

    python benchmarks/serve_rebuild.py [--logs 1000] [--edits 20] [--json out.json]
    python benchmarks/serve_rebuild.py --logs 10000      # copies benchmarks/corpus/10000

Copies the corpus of that size from benchmarks/corpus/N/tamatar when it was generated
already (`--corpus DIR` names another one), else generates it with benchmarks/corpus.py,
into a temporary folder (without its caches or output); then starts the real
`tamatar serve --offline --port 0` in a child process, then edits the newest log `--edits`
times. For each edit it measures, from the write on disk:

- reload: until the server sends the `reload` Server-Sent Event to an open page (what a
  browser waits for, minus its own page load);
- build: the rebuild time the server prints ("Rebuilt after ... (X.XXs)").

It prints the median and max of both, and the first (cold) build. Then it waits until the
server has saved its state (idle after the last rebuild), stops it and starts it again on
the same port: `ready` is the time from that start to the `Serving` line (the quick start
of an unchanged site).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate_corpus

from tamatar_site.build import manifest

BENCHMARKS = Path(__file__).resolve().parent

_SERVING = re.compile(r"^Serving .* at (?P<url>http://\S+) \(Ctrl-C to stop\)$")
_BUILT = re.compile(r"^Built: .* in (?P<seconds>[0-9.]+)s")
_REBUILT = re.compile(r"^Rebuilt after .* \((?P<seconds>[0-9.]+)s\)")
_SINCE = re.compile(r"since=(?P<id>[0-9a-f]+-[0-9]+)")


MANIFEST, CLOCK = manifest.MANIFEST, manifest.CLOCK_FILE


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(
    site: Path, port: int, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    command = [sys.executable, "-m", "tamatar_site.cli", "serve", str(site), "--offline"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**(env or os.environ), "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return process, lines


def _wait_for(
    lines: queue.Queue[str],
    pattern: re.Pattern[str],
    timeout: float,
    process: subprocess.Popen[str],
) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if process.poll() is not None:  # the server died: say so instead of waiting
                last = "\n".join(seen[-15:])
                raise SystemExit(f"tamatar serve exited ({process.returncode}):\n{last}") from None
            continue
        seen.append(line)
        match = pattern.search(line)
        if match:
            return match
        if line.startswith(("Built: failed", "Rebuilt")) and "failed" in line:
            raise SystemExit(f"the build failed: {line}")
    raise SystemExit(f"timed out waiting for {pattern.pattern}")


def _edit(log: Path, original: str, number: int) -> None:
    log.write_text(original + f"\nBenchmark edit number {number}.\n", encoding="utf-8")


def _site_copy(tmp: Path, logs: int, corpus: Path | None) -> Path:
    """A fresh copy of the corpus's tamatar site in `tmp` (generated when there is none)."""
    source = corpus or BENCHMARKS / "corpus" / str(logs) / "tamatar"
    if not (source / "tamatar.yaml").is_file():
        if corpus is not None:
            raise SystemExit(f"no tamatar site in {corpus}")
        return Path(generate_corpus(tmp, logs).tamatar_dir)
    site = tmp / "tamatar"
    shutil.copytree(source, site, ignore=shutil.ignore_patterns(".tamatar", "_site"))
    return site


def measure(
    logs: int,
    edits: int,
    corpus: Path | None = None,
    *,
    site: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, float | int]:
    """Serve a copy of the corpus (or `site` itself), edit its newest log `edits` times,
    then restart the server; the figures by name."""
    with tempfile.TemporaryDirectory(prefix="tamatar-serve-bench-") as tmp:
        site = site or _site_copy(Path(tmp), logs, corpus)
        port = _free_port()
        figures = _edits(site, port, logs, edits, env)
        figures["ready_seconds"], figures["quick_start"] = _restart(site, port, env)
    return figures


def _edits(
    site: Path, port: int, logs: int, edits: int, env: dict[str, str] | None
) -> dict[str, float | int]:
    """The first serve: its build, `edits` edits of one log, until its state is saved."""
    newest = max((site / "logs").rglob("*.md"))
    original = newest.read_text(encoding="utf-8")
    process, lines = _start(site, port, env)
    reloads: list[float] = []
    builds: list[float] = []
    try:
        started = time.monotonic()
        cold = float(_wait_for(lines, _BUILT, max(900.0, logs * 0.2), process)["seconds"])
        url = _wait_for(lines, _SERVING, 60, process)["url"]
        print(f"first build of {logs} logs: {cold:.2f}s (serving after "
              f"{time.monotonic() - started:.1f}s)")  # fmt: skip
        events = "/".join(url.split("/", 3)[:3]) + "/__tamatar/events"
        build_id = _SINCE.search(httpx.get(url, timeout=60).text)
        assert build_id is not None, "no reload script in the served page"
        since = build_id["id"]
        for number in range(edits):
            with httpx.stream("GET", f"{events}?since={since}", timeout=300) as stream:
                written = time.monotonic()
                _edit(newest, original, number)
                for line in stream.iter_lines():
                    if line.startswith("data: "):
                        since = line.removeprefix("data: ")
                        break
                reloads.append(time.monotonic() - written)
            builds.append(float(_wait_for(lines, _REBUILT, 300, process)["seconds"]))
            print(
                f"edit {number + 1:2d}: reload event after {reloads[-1]:.3f}s "
                f"(build {builds[-1]:.3f}s)"
            )
            time.sleep(0.2)  # a person does not save twice in the same instant
        restored = time.time()
        newest.write_text(original, encoding="utf-8")
        if edits:
            _wait_for(lines, _REBUILT, 300, process)
        _wait_saved(site, restored, process)
    finally:
        if newest.read_text(encoding="utf-8") != original:  # stopped early: put it back
            newest.write_text(original, encoding="utf-8")
        _interrupt(process)
    return {
        "logs": logs,
        "edits": edits,
        "cold_build_seconds": cold,
        "reload_median_seconds": statistics.median(reloads) if reloads else 0.0,
        "reload_max_seconds": max(reloads, default=0.0),
        "rebuild_median_seconds": statistics.median(builds) if builds else 0.0,
        "rebuild_max_seconds": max(builds, default=0.0),
    }


def _wait_saved(site: Path, since: float, process: subprocess.Popen[str]) -> None:
    """Until the server has saved its state (the manifest) after `since` (time.time())."""
    deadline = time.monotonic() + 300
    manifest = site / MANIFEST
    while not (manifest.is_file() and manifest.stat().st_mtime >= since):
        if time.monotonic() > deadline or process.poll() is not None:
            raise SystemExit("the server did not save its state")
        time.sleep(0.1)


def _restart(site: Path, port: int, env: dict[str, str] | None) -> tuple[float, int]:
    """Start the server again: seconds until it serves, and 1 if no build ran before (the
    build clock file, which every build rewrites first, was not touched)."""
    clock = site / CLOCK
    before = clock.stat().st_mtime_ns
    started = time.monotonic()
    process, lines = _start(site, port, env)
    try:
        _wait_for(lines, _SERVING, 900, process)
        ready = time.monotonic() - started
        quick = int(clock.stat().st_mtime_ns == before)
    finally:
        _interrupt(process)
    print(f"restarted unchanged: serving after {ready:.2f}s ({'no build' if quick else 'built'})")
    return ready, quick


def _interrupt(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:  # still building: stop it
        print("tamatar serve did not stop within 60 s of Ctrl-C; killed it")
        process.kill()
        process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--logs", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--corpus", type=Path, help="a tamatar site to copy (default: the corpus)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures = measure(args.logs, args.edits, args.corpus)
    print(
        f"serve rebuild, {figures['logs']} logs, {figures['edits']} edits of one log: "
        f"reload event median {figures['reload_median_seconds']:.3f}s, "
        f"max {figures['reload_max_seconds']:.3f}s; "
        f"rebuild median {figures['rebuild_median_seconds']:.3f}s, "
        f"max {figures['rebuild_max_seconds']:.3f}s; "
        f"ready after a restart {figures['ready_seconds']:.2f}s"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
