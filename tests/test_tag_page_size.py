"""A log's many tags cost O(tags) of pages, not O(tags²): each tag page repeats the log's
card, and a card shows at most 8 tags ("+K more"); the log's own page shows them all.

(Per-tag feeds still list each entry's tags as categories, about 40 bytes a tag and feed;
the validation's limit on tags per log bounds that.)"""

from __future__ import annotations

from pathlib import Path

import lxml.html
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.validate.schemas import MAX_TAGS

CARD_TAGS = 8


def build_with_tags(root: Path, count: int) -> Path:
    tags = ", ".join(f"topic-number-{i:03d}" for i in range(count))
    site = write_site(
        root / f"site-{count}",
        {
            "logs/2026-11-20-many.md": f"---\ntitle: Many tags\ntags: [{tags}]\n---\nText.\n",
            "logs/2026-11-21-one.md": "---\ntitle: One tag\ntags: [topic-number-000]\n---\nMore.\n",
        },
    )
    output = root / f"out-{count}"
    result = CliRunner().invoke(
        main,
        ["build", str(site), "--offline", "-o", str(output)],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    assert result.exit_code == 0, result.output
    return output


def pages_size(output: Path) -> int:
    return sum(path.stat().st_size for path in output.rglob("*.html"))


def test_pages_grow_linearly_with_a_logs_tag_count(tmp_path: Path) -> None:
    quarter, half = MAX_TAGS // 4, MAX_TAGS // 2
    outputs = {n: build_with_tags(tmp_path, n) for n in (quarter, half, MAX_TAGS)}
    sizes = {n: pages_size(output) for n, output in outputs.items()}
    first, second = sizes[half] - sizes[quarter], sizes[MAX_TAGS] - sizes[half]
    # linear: twice the tags added cost at most twice as much (measured with 5, 10, 20:
    # 1.7 times; with every card showing all its tags it was 2.3 times)
    assert second < 2.1 * first, sizes
    # and a tag page is the same size whatever the number (over 8) of tags of its logs
    tag_pages = {
        (output / "tags/topic-number-000/index.html").stat().st_size
        for n, output in outputs.items()
        if n > CARD_TAGS
    }
    assert len(tag_pages) == 1 or max(tag_pages) - min(tag_pages) <= 2, tag_pages


def test_cards_show_eight_tags_and_the_log_page_all(tmp_path: Path) -> None:
    output = build_with_tags(tmp_path, MAX_TAGS)
    tag_page = lxml.html.parse(str(output / "tags/topic-number-000/index.html")).getroot()
    cards = tag_page.xpath("//article[.//a[normalize-space(.)='Many tags']]")
    assert len(cards) == 1
    assert len(cards[0].xpath(".//ul[@aria-label='Tags']/li/a")) == CARD_TAGS
    more = cards[0].xpath("normalize-space(.//ul[@aria-label='Tags']/li[last()])")
    assert more == f"+{MAX_TAGS - CARD_TAGS} more"
    log = lxml.html.parse(str(output / "logs/2026/11/20/many/index.html")).getroot()
    assert len(log.xpath("//main//ul[@aria-label='Tags']/li/a")) == MAX_TAGS
