"""Coverage-guided fuzzing (atheris) of the loader and the Markdown pipeline.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_targets.py loader --seconds 600
    .venv/bin/python fuzz/fuzz_targets.py markdown --seconds 600

Targets:

- `loader`: one content file's bytes (the first byte picks the kind: log, project,
  resource, goal, path or snippet) through UTF-8 decoding, front matter, YAML, schema
  validation, the record cache's encoding and the site-wide checks of a one-file site.
  Any exception is a crash (bad input must become diagnostics), and so is a diagnostic
  that is not one `path:line:column: severity: message` line.
- `markdown`: any text through the Markdown renderer (raw HTML escaped, links resolved);
  a crash is an exception, or HTML with unbalanced tags, a `<script>`, an `on*` attribute
  or a `javascript:`/`vbscript:`/`data:` URL (`tests/htmlcheck.py` parses it).

Each run seeds its corpus from `example-site/`, keeps going after a crash (each distinct
one, by exception type and place, is saved to `--crash-dir` once) and prints executions,
executions per second and crashes every 30 seconds and at the end. Exit status 1 when
there was a crash. Extra arguments after `--` go to libFuzzer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

with atheris.instrument_imports(include=["tamatar_site", "yaml", "markdown_it", "mdit_py_plugins"]):
    from tamatar_site.diagnostics import Diagnostics
    from tamatar_site.load.documents import KIND_EXTENSIONS, Kind, decode_text
    from tamatar_site.render.markdown import MarkdownRenderer
    from tamatar_site.validate.assemble import SiteAssembler
    from tamatar_site.validate.record_cache import decode_record, encode_record
    from tamatar_site.validate.records import parse_file

from htmlcheck import html_problems  # noqa: E402

KINDS: tuple[Kind, ...] = tuple(KIND_EXTENSIONS)
_STEMS = {"logs": "2026-01-05-fuzz", "snippets": "fuzz"}


class FuzzFailure(Exception):
    """The output broke a property (not an exception of the code under test)."""


def loader_target(data: bytes) -> None:
    if not data:
        return
    kind = KINDS[data[0] % len(KINDS)]
    body = data[1:]
    extension = KIND_EXTENSIONS[kind][0]
    stem = _STEMS.get(kind, "fuzz")
    path = f"{kind}/{stem}{extension}"
    diagnostics = Diagnostics()
    text = decode_text(path, body, diagnostics)
    if text is None:
        return
    record = parse_file(kind, path, stem, text)
    if decode_record(encode_record(record)) != record:
        raise FuzzFailure("the record cache does not give back the record it stored")
    assembler = SiteAssembler("UTC", dt.date(2026, 1, 10), diagnostics)
    assembler.add(record, text[record.body_offset :])
    assembler.finish(include_drafts=True)
    for item in (*record.diagnostics, *diagnostics.items):
        if "\n" in item.format() or item.line < 1 or item.column < 1:
            raise FuzzFailure(f"diagnostic not on one line or at no place: {item.format()!r}")


_RENDERER = MarkdownRenderer()


def _resolve(href: str) -> str:
    return "/resolved/" + href


def markdown_target(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    rendered = _RENDERER.render(text, resolve_link=_resolve, id_prefix="doc-")
    problems = html_problems(rendered.html)
    if problems:
        raise FuzzFailure("; ".join(problems[:3]))


TARGETS: dict[str, Callable[[bytes], None]] = {
    "loader": loader_target,
    "markdown": markdown_target,
}


def seed_corpus(target: str, folder: Path) -> None:
    """Example-site files as the first inputs (with their kind byte for `loader`)."""
    site = ROOT / "example-site"
    for index, kind in enumerate(KINDS):
        for file in sorted((site / kind).rglob("*")):
            if not file.is_file():
                continue
            data = file.read_bytes()
            if target == "loader":
                data = bytes([index]) + data
            elif file.suffix not in (".md", ".markdown"):
                continue
            (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


class Runner:
    """Wraps a target: counts executions, saves distinct crashes, stops at the deadline."""

    def __init__(self, name: str, seconds: float, crash_dir: Path) -> None:
        self.name = name
        self.target = TARGETS[name]
        self.start = time.monotonic()
        self.deadline = self.start + seconds
        self.next_report = self.start + 30
        self.crash_dir = crash_dir
        self.executions = 0
        self.crashes: dict[str, int] = {}  # signature -> times seen

    def __call__(self, data: bytes) -> None:
        self.executions += 1
        try:
            self.target(data)
        except Exception as exc:  # every exception is a finding
            self.record(exc, data)
        now = time.monotonic()
        if now >= self.next_report:
            self.report()
            self.next_report = now + 30
        if now >= self.deadline:
            self.report(final=True)
            sys.stdout.flush()
            os._exit(1 if self.crashes else 0)

    def record(self, exc: Exception, data: bytes) -> None:
        frames = traceback.extract_tb(exc.__traceback__)
        where = next(
            (
                f"{Path(f.filename).name}:{f.lineno}"
                for f in reversed(frames)
                if "tamatar_site" in f.filename
            ),
            f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?",
        )
        signature = f"{type(exc).__name__} at {where}"
        if isinstance(exc, FuzzFailure):
            signature = f"FuzzFailure: {str(exc)[:120]}"
        seen = self.crashes.get(signature, 0)
        self.crashes[signature] = seen + 1
        if seen == 0:
            self.crash_dir.mkdir(parents=True, exist_ok=True)
            file = self.crash_dir / f"{self.name}-{hashlib.sha1(data).hexdigest()[:12]}.bin"
            file.write_bytes(data)
            print(f"CRASH {signature}: {exc!r:.300} -> {file}", flush=True)

    def report(self, *, final: bool = False) -> None:
        elapsed = time.monotonic() - self.start
        label = "DONE" if final else "progress"
        print(
            f"[{self.name}] {label}: {self.executions} executions in {elapsed:.0f} s "
            f"({self.executions / max(elapsed, 1e-9):.0f}/s), "
            f"{sum(self.crashes.values())} crashing inputs, {len(self.crashes)} distinct",
            flush=True,
        )
        if final:
            for signature, count in sorted(self.crashes.items()):
                print(f"  {count:6d} x {signature}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("--seconds", type=float, default=60, help="how long to run")
    parser.add_argument("--crash-dir", type=Path, default=ROOT / ".fuzz-crashes")
    parser.add_argument("--max-len", type=int, default=16384, help="longest input, in bytes")
    parser.add_argument("libfuzzer", nargs="*", help="after --: libFuzzer options")
    args = parser.parse_args()
    corpus = Path(tempfile.mkdtemp(prefix=f"tamatar-fuzz-{args.target}-"))
    seed_corpus(args.target, corpus)
    runner = Runner(args.target, args.seconds, args.crash_dir)
    argv = [sys.argv[0], f"-max_len={args.max_len}", *args.libfuzzer, str(corpus)]
    atheris.Setup(argv, runner)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
