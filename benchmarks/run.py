"""Benchmark runner: tamatar against Hugo on the same synthetic corpus, pair by pair.

    .venv/bin/python benchmarks/run.py                      # 1,000, 10,000 and 100,000 logs
    .venv/bin/python benchmarks/run.py --sizes 1000,10000 --verify-identical

For each size it generates the corpus once (benchmarks/corpus/<N>/, reused while the
generator is unchanged) and then, repetition by repetition so that machine noise hits both
tools alike: a Hugo cold build, a tamatar cold build (empty output and content cache), a
tamatar rebuild with nothing changed, and a tamatar rebuild after appending a sentence to
one log. In the first repetition it then runs `tamatar serve` on the corpus
(`serve_rebuild.py`): its first build, three edits of one log (the rebuild time the server
prints), and a restart once the server saved its state (seconds until it serves; without
--no-serve). It prints a table of medians: wall time, peak memory, pages written, time per
log, and the ratio tamatar/Hugo. Hugo is skipped at 100,000 logs unless --hugo-100k.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_SEED, GENERATOR_VERSION, generate_corpus
from measure import Measurement, run_measured
from serve_rebuild import measure as measure_serve

BENCHMARKS = Path(__file__).resolve().parent
DEFAULT_SIZES = (1000, 10000, 100000)
HUGO_LIMIT_WITHOUT_FLAG = 10000
SERVE_EDITS = 3
ENTRY_POINT = "import sys; from tamatar_site.entry import main; sys.argv[0] = 'tamatar'; main()"
# Caches a cold build must not see; the GitHub response cache is input, not a build cache.
KEPT_CACHES = frozenset({"github"})
# "Now" for every build: the day after the newest log, so no log is in the future.
SOURCE_DATE_EPOCH = str(int(dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC).timestamp()))


@dataclass
class SizeResult:
    """Every measurement at one corpus size."""

    logs: int
    hugo_cold: list[Measurement] = field(default_factory=list)
    tamatar_cold: list[Measurement] = field(default_factory=list)
    tamatar_no_change: list[Measurement] = field(default_factory=list)
    tamatar_one_edit: list[Measurement] = field(default_factory=list)
    hugo_pages: tuple[int, int] | None = None  # (html pages, all files)
    tamatar_pages: tuple[int, int] | None = None
    identical: bool | None = None  # incremental output == cold output, when verified
    serve: dict[str, float | int] = field(default_factory=dict)  # serve_rebuild.measure's
    failures: list[str] = field(default_factory=list)


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ensure_corpus(work: Path, logs: int, seed: int) -> Path:
    """The corpus folder for `logs`, generated unless an identical one is already there."""
    folder = work / str(logs)
    manifest = folder / "corpus.json"
    if manifest.is_file():
        info = json.loads(manifest.read_text())
        if (info.get("logs"), info.get("seed"), info.get("generator_version")) == (
            logs,
            seed,
            GENERATOR_VERSION,
        ):
            return folder
    _log(f"generating {logs} logs into {folder}")
    generate_corpus(folder, logs, seed=seed)
    return folder


def _clear(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def clear_tamatar_caches(site: Path) -> None:
    """Delete every build cache under `<site>/.tamatar/cache/` except the GitHub responses."""
    cache_root = site / ".tamatar" / "cache"
    if cache_root.is_dir():
        for entry in cache_root.iterdir():
            if entry.name not in KEPT_CACHES:
                _clear(entry)


def count_output(out: Path) -> tuple[int, int]:
    """(HTML pages, all files) under an output folder."""
    files = [path for path in out.rglob("*") if path.is_file()]
    return sum(1 for path in files if path.suffix == ".html"), len(files)


def differing_files(left: Path, right: Path) -> list[str]:
    """Relative paths present in only one tree or with different bytes. The search index
    (`pagefind/`) is left out: an incremental build's is a base and a delta, which find
    what a cold build's single index finds (tests/test_search.py), in other files."""
    names = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    names |= {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    names = {name for name in names if name.parts[0] != "pagefind"}
    return sorted(
        str(name)
        for name in names
        if not ((left / name).is_file() and (right / name).is_file())
        or (left / name).read_bytes() != (right / name).read_bytes()
    )


class Tamatar:
    """How to call `tamatar build` (options detected from its --help)."""

    def __init__(self, command: Sequence[str], env: dict[str, str]) -> None:
        self.command = list(command)
        self.env = env
        help_text = subprocess.run(
            [*self.command, "build", "--help"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        self.available = help_text.returncode == 0
        self.extra = [o for o in ("--offline", "--quiet") if o in help_text.stdout]

    def build(self, site: Path, out: Path) -> Measurement:
        command = [*self.command, "build", str(site), "-o", str(out), *self.extra]
        return run_measured(command, env=self.env)


def snapshot_source(commit: str, into: Path) -> Path:
    """Extract `src/` and `themes/` of a commit into `into/<sha>/` and return the folder to put
    on PYTHONPATH (the package finds the shipped themes beside `src/`, as in a checkout).

    Others keep editing the working tree while a long run goes on; a snapshot measures one
    version from start to end.
    """
    repo = BENCHMARKS.parent
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{commit}^{{commit}}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    folder = into / f"src-{sha[:12]}"
    if not (folder / "src" / "tamatar_site").is_dir() or not (folder / "themes").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", sha, "src", "themes"],
            cwd=repo,
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    _log(f"measuring tamatar at commit {sha[:12]} ({folder / 'src'})")
    return folder / "src"


def hugo_cold(site: Path, out: Path, env: dict[str, str]) -> Measurement:
    """A Hugo build with no output and no resource cache."""
    _clear(out)
    _clear(site / "resources")
    return run_measured(["hugo", "--quiet", "-s", str(site), "-d", str(out)], env=env)


def append_sentence(log: Path, count: int) -> None:
    """The one-edited-log change: a new sentence at the end of the body."""
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\nEdit number {count}: one more sentence about the cache.\n")


def _record(result: SizeResult, label: str, runs: list[Measurement], m: Measurement) -> bool:
    status = "ok" if m.returncode == 0 else f"FAILED (exit {m.returncode})"
    memory = f"{m.tree_pss_peak_bytes / 2**20:.0f} MB PSS, {m.peak_bytes / 2**20:.0f} MB RSS sum"
    _log(
        f"{result.logs} logs: {label}: {m.seconds:.2f} s wall, "
        f"{m.cpu_seconds:.2f} s CPU, {memory}, {status}"
    )
    if m.returncode != 0:
        result.failures.append(f"{label}: exit {m.returncode}\n{m.output_tail}")
        print(m.output_tail, file=sys.stderr)
        return False
    runs.append(m)
    return True


def bench_size(
    logs: int,
    args: argparse.Namespace,
    tamatar: Tamatar,
    env: dict[str, str],
) -> SizeResult:
    """Measure one corpus size; see the module docstring for the order of the runs."""
    corpus = ensure_corpus(args.work, logs, args.seed)
    site, hugo_site = corpus / "tamatar", corpus / "hugo"
    if args.lean:
        site = lean_copy(site)
    out_root = args.out / str(logs)
    tamatar_out, hugo_out = out_root / "tamatar", out_root / "hugo"
    run_hugo = not args.no_hugo and (logs <= HUGO_LIMIT_WITHOUT_FLAG or args.hugo_100k)
    run_tamatar = tamatar.available and not args.no_tamatar
    repeats = args.repeats or (3 if logs <= 1000 else 2 if logs <= 10000 else 1)
    result = SizeResult(logs)
    edited = sorted((site / "logs").glob("*.md"))[logs // 2]
    original = edited.read_bytes()
    try:
        for rep in range(1, repeats + 1):
            _log(f"{logs} logs: repetition {rep}/{repeats}")
            if run_hugo:
                _record(result, "hugo cold", result.hugo_cold, hugo_cold(hugo_site, hugo_out, env))
            if not run_tamatar:
                continue
            _clear(tamatar_out)
            _clear(tamatar_out.with_name(f".{tamatar_out.name}.tamatar-spare"))  # write/swap.py
            clear_tamatar_caches(site)
            if not args.warm_template_cache:
                _clear(Path(env["XDG_CACHE_HOME"]))  # compiled templates too: nothing warm
            if not _record(
                result, "tamatar cold", result.tamatar_cold, tamatar.build(site, tamatar_out)
            ):
                continue
            nochange = tamatar.build(site, tamatar_out)
            _record(result, "tamatar no-change", result.tamatar_no_change, nochange)
            append_sentence(edited, rep)
            edit = tamatar.build(site, tamatar_out)
            _record(result, "tamatar one edit", result.tamatar_one_edit, edit)
            if rep == 1 and not args.no_serve:
                _log(f"{logs} logs: tamatar serve")
                result.serve = measure_serve(logs, SERVE_EDITS, site=site, env=tamatar.env)
        if run_hugo and hugo_out.is_dir():
            result.hugo_pages = count_output(hugo_out)
        if run_tamatar and tamatar_out.is_dir():
            result.tamatar_pages = count_output(tamatar_out)
            if args.verify_identical and result.tamatar_one_edit:
                result.identical = verify_identical(site, tamatar_out, out_root, tamatar)
    finally:
        edited.write_bytes(original)
    return result


def lean_copy(site: Path) -> Path:
    """The corpus site beside itself with `search: false` and `social_images: false`: the
    pages and feeds the Hugo site has, without the index and images it has not."""
    lean = site.with_name(f"{site.name}-lean")
    _clear(lean)
    shutil.copytree(site, lean, ignore=shutil.ignore_patterns(".tamatar", "_site"))
    with (lean / "tamatar.yaml").open("a", encoding="utf-8") as config:
        config.write("search: false\nsocial_images: false\n")
    return lean


def verify_identical(site: Path, incremental: Path, out_root: Path, tamatar: Tamatar) -> bool:
    """Cold-build the same (edited) input elsewhere and compare with the incremental output."""
    cold = out_root / "tamatar-verify"
    _clear(cold)
    clear_tamatar_caches(site)
    if tamatar.build(site, cold).returncode != 0:
        return False
    differences = differing_files(incremental, cold)
    for name in differences[:20]:
        _log(f"differs after an incremental build: {name}")
    return not differences


def _median(runs: Sequence[Measurement], cpu: bool = False) -> float | None:
    if not runs:
        return None
    return statistics.median(m.cpu_seconds if cpu else m.seconds for m in runs)


def _paired_ratio(tamatar: Sequence[Measurement], hugo: Sequence[Measurement]) -> float | None:
    """Median of the per-repetition ratios (each pair ran back to back, under the same load)."""
    if not tamatar or len(tamatar) != len(hugo):
        return None
    return statistics.median(t.seconds / h.seconds for t, h in zip(tamatar, hugo, strict=True))


def _peak_mb(runs: Sequence[Measurement]) -> str:
    """Peak memory as "PSS / RSS sum" in MB: the exact figure, then the upper bound."""
    if not runs:
        return "—"
    pss = max(m.tree_pss_peak_bytes for m in runs) / 2**20
    return f"{pss:.0f} / {max(m.peak_bytes for m in runs) / 2**20:.0f}"


def _fmt(value: float | None, unit: str = "s", digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f} {unit}".strip()


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return numerator / denominator if numerator and denominator else None


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def format_table(results: Sequence[SizeResult]) -> str:
    """Two Markdown tables of medians, one row per size: wall time, then CPU and memory."""
    wall: list[list[str]] = []
    cpu: list[list[str]] = []
    for r in results:
        hugo, cold = _median(r.hugo_cold), _median(r.tamatar_cold)
        nochange, edit = _median(r.tamatar_no_change), _median(r.tamatar_one_edit)
        wall.append(
            [
                f"{r.logs:,}",
                _fmt(hugo),
                _fmt(cold),
                _fmt(_ratio(cold, hugo), "x"),
                _fmt(_paired_ratio(r.tamatar_cold, r.hugo_cold), "x"),
                _fmt(nochange),
                _fmt(_ratio(nochange, cold), "x"),
                _fmt(edit),
                _fmt(r.serve.get("rebuild_median_seconds")),
                _fmt(r.serve.get("ready_seconds")),
                _fmt(hugo * 1000 / r.logs if hugo else None, "", 3),
                _fmt(cold * 1000 / r.logs if cold else None, "", 3),
                f"{len(r.hugo_cold)}/{len(r.tamatar_cold)}",
            ]
        )
        hugo_cpu, cold_cpu = _median(r.hugo_cold, cpu=True), _median(r.tamatar_cold, cpu=True)
        cpu.append(
            [
                f"{r.logs:,}",
                _fmt(hugo_cpu),
                _fmt(cold_cpu),
                _fmt(_ratio(cold_cpu, hugo_cpu), "x"),
                _fmt(_median(r.tamatar_no_change, cpu=True)),
                _fmt(_median(r.tamatar_one_edit, cpu=True)),
                _peak_mb(r.hugo_cold),
                _peak_mb(r.tamatar_cold + r.tamatar_no_change + r.tamatar_one_edit),
                f"{r.hugo_pages[0]:,} / {r.hugo_pages[1]:,}" if r.hugo_pages else "—",
                f"{r.tamatar_pages[0]:,} / {r.tamatar_pages[1]:,}" if r.tamatar_pages else "—",
            ]
        )
    wall_header = [
        "logs", "Hugo cold", "tamatar cold", "tamatar/Hugo", "paired ratio", "no-change",
        "no-change/cold", "one edit", "serve one edit", "serve ready", "ms/log Hugo",
        "ms/log tamatar", "runs H/T",
    ]  # fmt: skip
    cpu_header = [
        "logs", "Hugo CPU", "tamatar cold CPU", "CPU ratio", "no-change CPU", "one edit CPU",
        "peak MB Hugo (PSS / RSS)", "peak MB tamatar (PSS / RSS)",
        "HTML/files Hugo", "HTML/files tamatar",
    ]  # fmt: skip
    return (
        "Wall time (medians)\n"
        + _table(wall_header, wall)
        + "\n\nCPU time (user+system, all processes; medians), peak memory, output\n"
        + _table(cpu_header, cpu)
    )


def _parse_sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=_parse_sizes, default=list(DEFAULT_SIZES))
    parser.add_argument("--repeats", type=int, default=0, help="default: 3 / 2 / 1 by size")
    parser.add_argument("--hugo-100k", action="store_true", help="also run Hugo above 10,000")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-tamatar", action="store_true")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve measurements")
    parser.add_argument(
        "--lean", action="store_true", help="tamatar with search and social images off"
    )
    parser.add_argument("--verify-identical", action="store_true", help="compare with a cold build")
    parser.add_argument("--work", type=Path, default=BENCHMARKS / "corpus", help="corpora")
    parser.add_argument("--out", type=Path, default=BENCHMARKS / "out", help="build outputs")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--tamatar", default=str(Path(sys.executable).with_name("tamatar")))
    parser.add_argument(
        "--commit", help="measure the src/ of this git commit (e.g. HEAD), not the working tree"
    )
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    parser.add_argument(
        "--warm-template-cache",
        action="store_true",
        help="keep the per-user compiled templates between cold builds (as after a first build)",
    )
    args = parser.parse_args(argv)
    if shutil.which("hugo") is None and not args.no_hugo:
        parser.error("hugo is not installed (apt-get install -y hugo), or pass --no-hugo")
    # The per-user cache (compiled templates) of these builds, apart from the user's own.
    user_cache = args.out / "user-cache"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "XDG_CACHE_HOME": str(user_cache)}
    # An installed tamatar has its bytecode: measure that, not a recompile of every module.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [args.tamatar]
    if args.commit:
        source = snapshot_source(args.commit, args.out)
        env["PYTHONPATH"] = str(source)
        # What the installed `tamatar` runs: the entry point where the snapshot has one.
        command = [sys.executable, "-m", "tamatar_site.cli"]
        if (source / "tamatar_site" / "entry.py").is_file():
            command = [sys.executable, "-c", ENTRY_POINT]
    tamatar = Tamatar(command, env)
    if not tamatar.available and not args.no_tamatar:
        _log(f"`{' '.join(command)} build` is not available: measuring Hugo only")
    results = [bench_size(logs, args, tamatar, env) for logs in args.sizes]
    if args.lean:
        print("tamatar with `search: false` and `social_images: false`")
    print(format_table(results))
    for r in results:
        if r.identical is not None:
            print(f"{r.logs:,} logs: incremental output identical to a cold build: {r.identical}")
        for failure in r.failures:
            print(f"{r.logs:,} logs: FAILED {failure.splitlines()[0]}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
