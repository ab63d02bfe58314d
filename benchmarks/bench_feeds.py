"""Benchmark: CPU time of writing every feed (Atom, RSS, JSON Feed, per-tag Atom) of a corpus.

    .venv/bin/python benchmarks/bench_feeds.py --logs 1000
    PYTHONPATH=<other src> .venv/bin/python benchmarks/bench_feeds.py --logs 1000  # another version

Loads the benchmark corpus (benchmarks/corpus/<N>/, generated if missing), renders the log
bodies and page contexts once, then times, in this process, with `time.process_time`:

- cold: making the feed groups (fingerprints) and rendering all of them, as a build with
  no earlier output does;
- warm: making the groups of a build whose feeds' inputs did not change (nothing is
  rendered: `pagewriter.write_documents` keeps the files whose fingerprint is unchanged);
- one edit: the newest log's HTML changed; the groups whose fingerprint changed are rendered,
  with the entries the runs before kept in the process, as in `tamatar serve`.

Prints the least CPU time of `--repeat` runs of each, and the number of feed entries written cold.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_SEED
from run import BENCHMARKS, ensure_corpus

from tamatar_site.build.inputs import compute_route_inputs
from tamatar_site.render.documents import outputs as documents
from tamatar_site.render.pages.common import RouteInputs
from tamatar_site.validate.loader import ContentLoader

NOW = dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)


def _best_seconds(work: Callable[[], object], repeat: int) -> float:
    """The least CPU time of `repeat` runs: on a shared machine, the least disturbed one."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--logs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--work", type=Path, default=BENCHMARKS / "corpus")
    args = parser.parse_args(argv)
    site_dir = ensure_corpus(args.work, args.logs, DEFAULT_SEED) / "tamatar"
    loaded = ContentLoader(site_dir, cache_file=None).load(include_drafts=False)
    assert loaded.config is not None and loaded.site is not None, loaded.diagnostics
    config, site = loaded.config, loaded.site
    inputs = compute_route_inputs(config, site, NOW)

    def groups(of: RouteInputs = inputs) -> list[documents.DocumentGroup]:
        return list(documents._feeds(of))

    def cold() -> None:
        if hasattr(documents, "_KeptEntries"):  # (older versions keep no entries)
            documents._KEPT = documents._KeptEntries()  # none kept from an earlier run
        for group in groups():
            group.render()

    built = groups()
    fingerprints = {group.paths: group.fingerprint for group in built}
    entries = 0
    for group in built:
        for document in group.render():
            entries += document.data.count(b"<entry>") + document.data.count(b"<item>")
            entries += document.data.count(b'\n      "id": ')

    newest = site.logs[0].source
    original = inputs.bodies[newest]
    edited_body = dataclasses.replace(original, html=original.html + "<p>One more sentence.</p>\n")
    edited = dataclasses.replace(inputs, bodies={**inputs.bodies, newest: edited_body})

    def one_edit() -> None:
        for group in groups(edited):
            if fingerprints[group.paths] != group.fingerprint:
                group.render()

    cold_s = _best_seconds(cold, args.repeat)
    warm_s = _best_seconds(groups, args.repeat)
    edit_s = _best_seconds(one_edit, args.repeat)
    print(f"{args.logs} logs, {len(built)} feeds, {entries} entries written cold")
    print(f"cold:     {cold_s:.3f} s CPU ({1e6 * cold_s / entries:.0f} µs per entry)")
    print(f"warm:     {warm_s:.3f} s CPU (fingerprints only, nothing rendered)")
    print(f"one edit: {edit_s:.3f} s CPU (the feeds that carry the newest log)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
