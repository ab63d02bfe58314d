"""Micro-benchmark: render the Markdown bodies of a corpus with MarkdownRenderer.

    .venv/bin/python benchmarks/bench_markdown.py [--logs 1000] [--repeats 3]

Prints the median time per body over the repeats, with the highlight cache cleared
before each repeat (as in a cold build, where every code block is new).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tamatar_site.render import highlight
from tamatar_site.render.markdown import MarkdownRenderer

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
    times = []
    for _ in range(args.repeats):
        highlight._highlight_cached.cache_clear()
        start = time.perf_counter()
        for body in bodies:
            renderer.render(body, resolve_link=lambda path: None)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(
        f"{len(bodies)} bodies: median {median:.3f} s total, "
        f"{median / len(bodies) * 1000:.3f} ms per body (runs: "
        + ", ".join(f"{t:.3f}" for t in times)
        + ")"
    )


if __name__ == "__main__":
    main()
