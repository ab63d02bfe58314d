"""Run the real `tamatar serve` in a child process for tests and benchmarks."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

_SERVING = re.compile(r"^Serving .* at (?P<url>http://\S+) \(Ctrl-C to stop\)$")


class ServeProcess:
    """`python -m tamatar_site.cli serve SITE --port 0 ...`, its output read line by line."""

    def __init__(self, site: Path, *args: str, env: dict[str, str] | None = None) -> None:
        command = [sys.executable, "-m", "tamatar_site.cli", "serve", str(site), "--port", "0"]
        self.process = subprocess.Popen(
            [*command, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.stdout, True)),
            threading.Thread(target=self._read, args=(self.process.stderr, self.stderr, False)),
        ]
        for reader in self._readers:
            reader.daemon = True
            reader.start()
        self.url = ""

    def _read(self, stream: object, sink: list[str], publish: bool) -> None:
        for line in stream:  # type: ignore[attr-defined]
            sink.append(line.rstrip("\n"))
            if publish:
                self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, pattern: str, timeout: float = 60.0) -> re.Match[str]:
        """The next stdout line matching `pattern` (a regular expression)."""
        deadline = time.monotonic() + timeout
        compiled = re.compile(pattern)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (self.process.poll() is not None and self.lines.empty()):
                raise AssertionError(
                    f"no line matching {pattern!r}; stdout={self.stdout} stderr={self.stderr}"
                )
            try:
                line = self.lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            match = compiled.search(line)
            if match:
                return match

    def wait_until_serving(self, timeout: float = 120.0) -> str:
        self.url = self.wait_for_line(_SERVING.pattern, timeout)["url"]
        return self.url

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def interrupt(self, timeout: float = 30.0) -> int:
        """Ctrl-C, then the exit code."""
        if self.running:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self._close()
        return code

    def kill(self) -> None:
        if self.running:
            self.process.kill()
            self.process.wait(timeout=10)
        self._close()

    def _close(self) -> None:
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
