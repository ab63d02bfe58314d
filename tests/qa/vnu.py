"""The Nu Html Checker (vnu.jar, from the npm package `vnu-jar`) over a built site.

Runs `java -jar vnu.jar --skip-non-html --format json DIR` once for the whole folder
(one JVM start, a second or two for a few hundred pages) and returns its messages as
data. The jar prints its JSON report on stderr.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class VnuMessage:
    """One finding of the checker; `kind` is "error", "warning" or "info"."""

    kind: str
    file: str
    line: int
    column: int
    message: str
    extract: str

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class VnuReport:
    """All messages for one folder, and how many HTML files were checked."""

    files_checked: int
    messages: list[VnuMessage]

    @property
    def errors(self) -> list[VnuMessage]:
        return [m for m in self.messages if m.kind == "error"]

    @property
    def warnings(self) -> list[VnuMessage]:
        return [m for m in self.messages if m.kind == "warning"]

    def summary(self) -> str:
        return (
            f"vnu: {self.files_checked} files checked, {len(self.errors)} errors, "
            f"{len(self.warnings)} warnings"
        )

    def grouped(self, kind: str = "error") -> str:
        """One line per distinct message: how often, and the first three places."""
        places: dict[str, list[str]] = {}
        for m in self.messages:
            if m.kind == kind:
                places.setdefault(m.message, []).append(f"{m.file}:{m.line}:{m.column}")
        return "\n".join(
            f"{len(where)}x {message}\n    at {', '.join(where[:3])}"
            for message, where in places.items()
        )


def _kind(raw: dict[str, object]) -> str:
    if raw.get("type") == "error" or raw.get("subType") == "fatal":
        return "error"
    if raw.get("type") == "non-document-error":
        return "error"
    if raw.get("subType") == "warning":
        return "warning"
    return "info"


def _relative(url: str, directory: Path) -> str:
    path = url.removeprefix("file:")
    root = str(directory.resolve())
    for prefix in (root + "/./", root + "/"):
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def run_vnu(
    directory: Path,
    *,
    jar: Path,
    java: str = "java",
    also_check_css: bool = False,
    timeout: float = 600,
) -> VnuReport:
    """Check every .html file under `directory` (and .css files when asked)."""
    args = [java, "-jar", str(jar), "--skip-non-html", "--format", "json", "--exit-zero-always"]
    if also_check_css:
        args.append("--also-check-css")
    completed = subprocess.run(
        [*args, str(directory.resolve())],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"vnu.jar exited {completed.returncode}: {completed.stderr[-2000:]}")
    raw_messages = json.loads(completed.stderr or '{"messages": []}')["messages"]
    messages = [
        VnuMessage(
            kind=_kind(raw),
            file=_relative(str(raw.get("url", "")), directory),
            line=int(raw.get("lastLine", raw.get("firstLine", 0))),
            column=int(raw.get("firstColumn", raw.get("lastColumn", 0))),
            message=str(raw.get("message", "")),
            extract=str(raw.get("extract", "")),
        )
        for raw in raw_messages
    ]
    suffixes = {".html", ".htm"} | ({".css"} if also_check_css else set())
    checked = sum(1 for f in directory.rglob("*") if f.is_file() and f.suffix in suffixes)
    return VnuReport(files_checked=checked, messages=messages)
