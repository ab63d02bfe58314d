"""Micro-benchmark: render the Markdown bodies of a corpus with MarkdownRenderer
(markdown-it-py and tamatar's rules, Pygments included).

    .venv/bin/python benchmarks/bench_markdown.py [--logs 1000] [--repeats 3]

Prints the median wall and CPU time per body over the repeats, with the highlight cache
cleared before each repeat (as in a cold build, where every code block is new). On a
shared machine compare the CPU figures: they move less with other processes' load.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tamatar_site.render.markdown import MarkdownRenderer, highlight

HERE = Path(__file__).resolve().parent


def load_bodies(logs: int) -> list[str]:
    folder = HERE / "corpus" / str(logs) / "tamatar" / "logs"
    if not folder.is_dir():
        raise SystemExit(f"{folder} is missing: generate it with benchmarks/corpus.py")
    bodies = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[1]
        bodies.append(text)
    return bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    bodies = load_bodies(args.logs)
    renderer = MarkdownRenderer()
    renderer.render("warm-up `x`\n\n```python\nx = 1\n```\n")
    walls, cpus = [], []
    for _ in range(args.repeats):
        highlight._highlight_cached.cache_clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        for body in bodies:
            renderer.render(body, resolve_link=lambda path: None)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    count = len(bodies)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(
        f"{count} bodies: {wall / count * 1000:.3f} ms wall, {cpu / count * 1000:.3f} ms CPU "
        f"per body (medians; CPU per run: " + ", ".join(f"{t:.3f} s" for t in cpus) + ")"
    )


if __name__ == "__main__":
    main()
