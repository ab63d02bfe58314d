"""Log summaries: the opening prose (never a heading, table or code), or the text before a
`<!-- more -->` line, in the lists, feeds and API of a real build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.render.markdown import MarkdownRenderer

CONFIG = """\
site:
  title: Summaries
  base_url: https://asha.github.io/devlog/
  timezone: UTC
"""

BENCH = """\
---
title: Benchmarks
date: 2026-11-19
---
## Setup

1 M random values on my laptop:

| workload | tidepool | sled |
| --- | --- | --- |
| random writes | 410 k ops/s | 290 k ops/s |

```rust
fn main() { println!("tidepool"); }
```

Reads of missing keys are fast thanks to the bloom filters.
"""

MARKED = """\
---
title: Marked
date: 2026-11-20
---
The short version: compaction works.

<!-- more -->

The long version follows, with every detail of the size-tiered strategy.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("summaries")
    site = write_site(
        root / "site",
        {"logs/2026-11-19-bench.md": BENCH, "logs/2026-11-20-marked.md": MARKED},
        config=CONFIG,
    )
    out = root / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(site), "-o", str(out), "--offline"],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    assert result.exit_code == 0, result.output
    return out


def _summaries(out: Path) -> dict[str, str]:
    api = json.loads((out / "api/v1/logs.json").read_text(encoding="utf-8"))
    return {log["title"]: log["summary"] for log in api["logs"]}


def test_summary_is_the_opening_prose_without_tables_or_code(built: Path) -> None:
    assert _summaries(built)["Benchmarks"] == (
        "1 M random values on my laptop: Reads of missing keys are fast thanks to the bloom "
        "filters."
    )
    timeline = (built / "logs/index.html").read_text(encoding="utf-8")
    assert "1 M random values on my laptop: Reads of missing keys" in timeline
    assert "410 k ops/s" not in timeline and "println" not in timeline


def test_more_marker_ends_the_summary_and_is_not_shown(built: Path) -> None:
    assert _summaries(built)["Marked"] == "The short version: compaction works."
    page = (built / "logs/2026/11/20/marked/index.html").read_text(encoding="utf-8")
    assert "more --" not in page and "&lt;!--" not in page
    assert "The long version follows" in page
    feed = (built / "feed.json").read_text(encoding="utf-8")
    item = next(i for i in json.loads(feed)["items"] if i["title"] == "Marked")
    assert item["summary"] == "The short version: compaction works."


@pytest.mark.parametrize("unsafe_html", [False, True])
def test_marker_renders_as_nothing_and_stays_out_of_the_search_text(unsafe_html: bool) -> None:
    rendered = MarkdownRenderer(unsafe_html=unsafe_html).render("One.\n<!--more-->\n\nTwo.\n")
    assert rendered.html == "<p>One.</p>\n<p>Two.</p>\n"
    assert rendered.text == "One.\nTwo."  # word counts and search keep everything else
    assert (rendered.lead, rendered.lead_marked) == ("One.", True)


def test_word_count_still_counts_tables() -> None:
    rendered = MarkdownRenderer().render("Intro.\n\n| a | b |\n| --- | --- |\n| c | d |\n")
    assert rendered.text.split() == ["Intro.", "a", "b", "c", "d"]
    assert (rendered.lead, rendered.lead_marked) == ("Intro.", False)
