"""Benchmark profiling: sample one tamatar build with py-spy (workers included) and summarise.

    .venv/bin/python benchmarks/profile_build.py --logs 1000                 # cold build
    .venv/bin/python benchmarks/profile_build.py --logs 10000 --mode no-change
    .venv/bin/python benchmarks/profile_build.py --summarise build.raw       # an existing profile

Prints the top functions by inclusive and by self time (seconds of samples, all
processes together) and the time per process, from py-spy's collapsed-stack output.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_SEED
from run import (
    BENCHMARKS,
    SOURCE_DATE_EPOCH,
    Tamatar,
    append_sentence,
    clear_tamatar_caches,
    ensure_corpus,
    snapshot_source,
)

_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^():]*)(?::\d+)?\)$")
_SITE_PACKAGES = re.compile(r"^.*?/(site-packages|lib/python3\.\d+)/")


def _frame_key(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match:
        return frame
    where = _SITE_PACKAGES.sub("", match["file"])
    return f"{match['func']} ({where})"


def _top(counter: Counter[str], total: int, rate: int, top: int) -> list[str]:
    return [
        f"  {count / rate:7.2f} s  {100 * count / total:5.1f}%  {key}"
        for key, count in counter.most_common(top)
    ]


def summarise(raw: Path, rate: int, top: int = 25) -> str:
    """Top-N tables from py-spy `--format raw` output sampled at `rate` Hz.

    Forked workers inherit their parent's Python stack, so a sample belongs to the process
    named by the last `process N:"…"` frame of its stack; the first one is the build itself.
    """
    inclusive: dict[str, Counter[str]] = {"main": Counter(), "workers": Counter()}
    self_time: Counter[str] = Counter()
    per_process: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        processes = [i for i, f in enumerate(frames) if f.startswith("process ")]
        own = frames[processes[-1]].split(":", 1)[0] if processes else "?"
        role = "main" if len(processes) <= 1 else "workers"
        keys = [_frame_key(f) for f in frames[(processes[-1] + 1 if processes else 0) :]]
        total += count
        per_process[own] += count
        for key in set(keys):
            inclusive[role][key] += count
        if keys:
            self_time[keys[-1]] += count
    total = max(total, 1)
    lines = [f"samples: {total} ({total / rate:.2f} s of CPU across processes at {rate} Hz)"]
    lines.append(
        "per process: " + ", ".join(f"{p} {n / rate:.2f} s" for p, n in per_process.items())
    )
    for role, counter in inclusive.items():
        if counter:
            lines.append(f"\ntop {top} by inclusive time, {role}:")
            lines += _top(counter, total, rate, top)
    lines.append(f"\ntop {top} by self time, all processes:")
    lines += _top(self_time, total, rate, top)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--logs", type=int, default=1000)
    parser.add_argument("--mode", choices=("cold", "no-change", "edit"), default="cold")
    parser.add_argument("--rate", type=int, default=250, help="samples per second")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--summarise", type=Path, help="only summarise this raw profile")
    parser.add_argument("--commit", help="profile the src/ of this git commit (e.g. HEAD)")
    parser.add_argument("--tamatar", default=str(Path(sys.executable).with_name("tamatar")))
    args = parser.parse_args(argv)
    if args.summarise:
        print(summarise(args.summarise, args.rate, args.top))
        return 0
    site = ensure_corpus(BENCHMARKS / "corpus", args.logs, DEFAULT_SEED) / "tamatar"
    out = BENCHMARKS / "out" / str(args.logs) / "tamatar-profile"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    command = [args.tamatar]
    if args.commit:
        env["PYTHONPATH"] = str(snapshot_source(args.commit, BENCHMARKS / "out"))
        command = [sys.executable, "-m", "tamatar_site.cli"]
    tamatar = Tamatar(command, env)
    if not tamatar.available:
        parser.error(f"`{' '.join(command)} build` is not available")
    build = [*command, "build", str(site), "-o", str(out), *tamatar.extra]
    if args.mode == "cold":
        subprocess.run(["rm", "-rf", str(out)], check=True)
        clear_tamatar_caches(site)
    else:
        subprocess.run(build, env=env, check=True, capture_output=True)
    edited = sorted((site / "logs").glob("*.md"))[args.logs // 2]
    original = edited.read_bytes()
    if args.mode == "edit":
        append_sentence(edited, 1)
    raw = BENCHMARKS / "out" / f"profile-{args.logs}-{args.mode}.raw"
    spy = [str(Path(sys.executable).with_name("py-spy")), "record", "--subprocesses"]
    spy += ["-r", str(args.rate), "-f", "raw", "-o", str(raw), "--", *build]
    try:
        subprocess.run(spy, env=env, check=True)
    finally:
        edited.write_bytes(original)
    print(summarise(raw, args.rate, args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
