"""Inline SVG charts: heatmap cells and titles, bars, lines, share bar, tables, escaping,
determinism, no colours in the markup, and valid HTML5 (Nu Html Checker)."""

from __future__ import annotations

import collections
import datetime as dt
import re
import xml.etree.ElementTree as ET
import zoneinfo
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from qa.axe import run_axe
from qa.vnu import run_vnu

from tamatar_site.compute.heatmap import compute_heatmap
from tamatar_site.compute.stats import compute_stats
from tamatar_site.model import Log
from tamatar_site.render.charts.heatmap import render_heatmap_svg
from tamatar_site.render.charts.share import render_share_bar
from tamatar_site.render.charts.stats import (
    chart_css,
    render_focus_per_week,
    render_logs_per_month,
    render_logs_per_week,
    render_mood_productivity,
)
from tamatar_site.render.charts.svg import (
    Category,
    ChartTable,
    Series,
    Share,
    render_bar_chart,
    render_chart_table,
    render_line_chart,
)

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
TODAY = dt.date(2026, 11, 21)
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(\"x\")</script> & 'q'"


def make_log(date: dt.date, slug: str, mood: int | None = None, focus: int | None = None) -> Log:
    return Log(
        source=f"logs/{slug}.md",
        slug=slug,
        title=slug,
        date=date,
        timestamp=dt.datetime(date.year, date.month, date.day, 8, tzinfo=KOLKATA),
        body="",
        body_line=1,
        mood=mood,
        productivity=None if mood is None else 10 - mood,
        focus_minutes=focus,
    )


def sample_logs() -> list[Log]:
    logs = []
    for offset in range(0, 120, 3):
        day = TODAY - dt.timedelta(days=offset)
        for k in range(offset % 4):
            logs.append(make_log(day, f"{day}-{k}", mood=(offset % 7) + 2, focus=offset))
    logs.append(make_log(TODAY, "today-a"))
    logs.append(make_log(TODAY, "today-b"))
    logs.append(make_log(TODAY, "today-c"))
    return sorted(logs, key=lambda log: log.date, reverse=True)


def parse(svg: str) -> ET.Element:
    """The SVG as XML: it must be well-formed, with the SVG namespace added for parsing."""
    return ET.fromstring(str(svg).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def assert_accessible_and_colourless(svg: str) -> None:
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == title_id and title.text
    assert desc is not None and desc.get("id") == desc_id and desc.text
    assert re.fullmatch(r"0 0 \d+(\.\d+)? \d+(\.\d+)?", root.get("viewBox") or "")
    assert root.get("width") is None and root.get("height") is None
    # No colours, inline styles, scripts or external references in the markup.
    assert not re.search(r"(fill|stroke)=\"(?!none)|style=|#[0-9a-fA-F]{3,6}\b|<script|href", svg)
    assert not re.search(r"\d\.\d{3,}", svg), "numbers carry at most two decimals"


# --- heatmap --------------------------------------------------------------------------


def test_heatmap_has_a_rect_with_a_title_per_day_and_level_classes() -> None:
    heatmap = compute_heatmap(sample_logs(), TODAY)
    chart = render_heatmap_svg(heatmap)
    assert_accessible_and_colourless(chart.svg)
    root = parse(chart.svg)
    day_rects = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(day_rects) == 365
    levels = collections.Counter(c.level for c in heatmap.cells)
    rendered = collections.Counter(int(r.get("class", "")[-1]) for r in day_rects)
    assert rendered == levels
    assert all(re.fullmatch(r"hm-cell hm-l[0-4]", r.get("class", "")) for r in day_rects)
    titles = [r.find(f"{SVG}title").text for r in day_rects]  # type: ignore[union-attr]
    assert titles[-1] == "3 logs on 21 Nov 2026"
    assert titles[0] == "No logs on 22 Nov 2025"
    assert "1 log on 12 Nov 2026" in titles
    assert "3 logs on 18 Nov 2026" in titles
    # The legend shows the five levels from "Less" to "More".
    legend = [r.get("class") for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is None]
    assert legend == [f"hm-cell hm-l{level}" for level in range(5)]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[:2] == ["Dec", "Jan"] and {"Mon", "Wed", "Fri", "Less", "More"} <= set(texts)
    desc = root.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert desc == (
        f"{heatmap.total} logs on {heatmap.active_days} days from 22 Nov 2025 to 21 Nov 2026. "
        "Darker squares mean more logs; the table has the numbers."
    )


def test_heatmap_with_commits_names_both_and_tabulates_months() -> None:
    logs = [make_log(TODAY, "a"), make_log(TODAY, "b")]
    heatmap = compute_heatmap(logs, TODAY, {TODAY: 5, TODAY - dt.timedelta(days=1): 1})
    chart = render_heatmap_svg(heatmap, id_prefix="home heatmap")
    assert "<title>2 logs and 5 commits on 21 Nov 2026</title>" in chart.svg
    assert "<title>1 commit on 20 Nov 2026</title>" in chart.svg
    assert "<title>No activity on 19 Nov 2026</title>" in chart.svg
    assert 'aria-labelledby="home-heatmap-title"' in chart.svg
    table = chart.table
    assert table.headers == ("Month", "Logs", "Commits", "Active days")
    assert table.rows[0] == ("Nov 2025", "0", "0", "0")
    assert table.rows[-1] == ("Nov 2026", "2", "6", "2")
    assert len(table.rows) == 13
    assert table.caption == "Activity per month, 22 Nov 2025 to 21 Nov 2026"


# --- bar, line and share charts ---------------------------------------------------------


def test_bar_chart_bars_titles_scale_and_table() -> None:
    categories = [Category(f"W{i}", f"Week {i}") for i in range(1, 5)]
    chart = render_bar_chart(
        categories, [3, 0, 1, 7], title="Logs per week", id_prefix="bars", category_header="Week"
    )
    assert_accessible_and_colourless(chart.svg)
    root = parse(chart.svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]
    assert [b.find(f"{SVG}title").text for b in bars] == [  # type: ignore[union-attr]
        "Week 1: 3 logs",
        "Week 3: 1 log",
        "Week 4: 7 logs",
    ]
    heights = [float(b.get("height", "0")) for b in bars]
    assert heights[2] / heights[1] == pytest.approx(7)
    axis = [t.text for t in root.iter(f"{SVG}text")]
    assert axis[:3] == ["0", "5", "10"]  # the scale tops out at a round 10
    assert chart.table == ChartTable(
        "Logs per week",
        ("Week", "Logs"),
        (("Week 1", "3"), ("Week 2", "0"), ("Week 3", "1"), ("Week 4", "7")),
    )
    assert root.find(f"{SVG}desc").text == (  # type: ignore[union-attr]
        "11 logs over 4 periods, from Week 1 to Week 4; the most was 7 logs."
    )


def test_bar_chart_labels_at_most_eight_categories_and_the_last() -> None:
    categories = [Category(f"c{i}", f"category {i}") for i in range(26)]
    chart = render_bar_chart(categories, list(range(26)), title="t", id_prefix="many")
    labels = re.findall(r">(c\d+)</text>", chart.svg)
    assert len(labels) <= 8
    assert labels[-1] == "c25"


def test_line_chart_breaks_at_gaps_and_has_a_legend() -> None:
    categories = [Category(str(i), f"week {i}") for i in range(5)]
    series = [
        Series("Mood", (7.0, 8.0, None, 6.5, 7.25)),
        Series("Productivity", (None, 5.0, 6.0, None, None)),
    ]
    chart = render_line_chart(categories, series, title="Mood", id_prefix="mood")
    assert_accessible_and_colourless(chart.svg)
    root = parse(chart.svg)
    plot_paths = [
        p.get("class")
        for p in root.iter(f"{SVG}path")
        if p.get("class", "").startswith("chart-line") and "L" in p.get("d", "")
    ]
    # Mood: two segments; productivity: one; plus one legend sample each.
    assert plot_paths.count("chart-line chart-s1") == 3
    assert plot_paths.count("chart-line chart-s2") == 2
    circles = list(root.iter(f"{SVG}circle"))
    assert [c.find(f"{SVG}title").text for c in circles] == [  # type: ignore[union-attr]
        "Mood, week 0: 7",
        "Mood, week 1: 8",
        "Mood, week 3: 6.5",
        "Mood, week 4: 7.25",
    ]
    squares = [r for r in root.iter(f"{SVG}rect") if "chart-s2" in r.get("class", "")]
    assert len(squares) == 2
    assert chart.table.headers == ("Period", "Mood", "Productivity")
    assert chart.table.rows[2] == ("week 2", "-", "6")
    legend = [t.text for t in root.iter(f"{SVG}text")][-2:]
    assert legend == ["Mood", "Productivity"]
    assert "Mood averaged 7.19 out of 10; Productivity averaged 5.5 out of 10" in chart.svg


def test_share_bar_normalises_and_escapes_labels() -> None:
    shares = [Share("Rust", 3), Share(HOSTILE, 1)]
    chart = render_share_bar(shares, title="Languages", id_prefix="langs")
    assert_accessible_and_colourless(chart.svg)
    assert "<script" not in chart.svg
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;: 25.0%" in chart.svg
    )
    root = parse(chart.svg)
    segments = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [(s.get("class"), s.get("width")) for s in segments] == [
        ("share share-0", "480"),
        ("share share-1", "160"),
    ]
    assert chart.table.rows == (("Rust", "75.0%"), (HOSTILE, "25.0%"))


def test_hostile_text_is_escaped_everywhere() -> None:
    categories = [Category(HOSTILE, HOSTILE)]
    bar = render_bar_chart([*categories], [2], title=HOSTILE, id_prefix='x" onload="y')
    line = render_line_chart(categories, [Series(HOSTILE, (5.0,))], title=HOSTILE, id_prefix="l")
    for chart in (bar, line):
        assert "<script" not in chart.svg
        parse(chart.svg)  # still well-formed
        table = render_chart_table(chart.table)
        assert "<script" not in table
        assert "&lt;script&gt;" in table
    assert 'aria-labelledby="x-onload-y-title"' in bar.svg


def test_empty_inputs_say_so() -> None:
    for chart in (
        render_bar_chart([], [], title="Logs", id_prefix="e1"),
        render_line_chart([], [], title="Mood", id_prefix="e2"),
        render_share_bar([], title="Languages", id_prefix="e3"),
        render_mood_productivity([]),
    ):
        assert ">No data yet</text>" in chart.svg
        assert_accessible_and_colourless(chart.svg)


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError, match="same length"):
        render_bar_chart([Category("a", "a")], [], title="t", id_prefix="p")
    with pytest.raises(ValueError, match="does not match"):
        render_line_chart([], [Series("s", (1.0,))], title="t", id_prefix="p")


def test_chart_table_markup() -> None:
    table = ChartTable("Logs per month", ("Month", "Logs"), (("Nov 2026", "3"),))
    assert render_chart_table(table) == (
        '<table class="chart-table"><caption>Logs per month</caption>'
        '<thead><tr><th scope="col">Month</th><th scope="col">Logs</th></tr></thead>'
        '<tbody><tr><th scope="row">Nov 2026</th><td>3</td></tr></tbody></table>'
    )


def test_stats_adapters_label_weeks_and_months() -> None:
    stats = compute_stats(sample_logs(), TODAY)
    week = render_logs_per_week(stats.weeks[-3:])
    assert [row[0] for row in week.table.rows] == [
        "Week of 2 Nov 2026",
        "Week of 9 Nov 2026",
        "Week of 16 Nov 2026",
    ]
    month = render_logs_per_month(stats.months)
    assert month.table.rows[-1][0] == "Nov 2026"
    assert re.findall(r">(\w+(?: \d{4})?)</text>", month.svg)[-1] == "Nov"
    focus = render_focus_per_week(stats.weeks[-2:])
    assert focus.table.headers == ("Week", "Focus minutes")
    assert "minutes</title>" in focus.svg
    mood = render_mood_productivity(stats.weeks[-4:])
    assert mood.table.headers == ("Week", "Mood", "Productivity")


# --- determinism and validity ---------------------------------------------------------


def all_charts() -> list[str]:
    logs = sample_logs()
    stats = compute_stats(logs, TODAY)
    commits = {TODAY - dt.timedelta(days=d): d % 5 for d in range(0, 200, 7)}
    charts = [
        render_heatmap_svg(compute_heatmap(logs, TODAY, commits)),
        render_logs_per_week(stats.weeks),
        render_logs_per_month(stats.months),
        render_focus_per_week(stats.weeks),
        render_mood_productivity(stats.weeks),
        render_share_bar(
            [Share("Rust", 0.61), Share("Python", 0.3), Share(HOSTILE, 0.09)],
            title="Languages",
            id_prefix="languages",
        ),
        render_bar_chart([], [], title="Nothing", id_prefix="nothing"),
    ]
    return [f"{chart.svg}{render_chart_table(chart.table)}" for chart in charts]


def test_output_is_deterministic() -> None:
    first, second = all_charts(), all_charts()
    assert first == second
    assert "".join(first).count("<svg ") == 7


def test_chart_css_colours_every_class_for_light_and_dark() -> None:
    css = chart_css()
    for name in [f"hm-l{i}" for i in range(5)] + [f"share-{i}" for i in range(8)]:
        assert f".{name}{{fill:var(--{name})}}" in css
    assert "@media (prefers-color-scheme:dark)" in css
    assert ".chart-text,.chart-text text{fill:currentColor}" in css


def write_chart_page(directory: Path) -> Path:
    body = "".join(
        f"<section><h2>Chart {i}</h2>{html}</section>" for i, html in enumerate(all_charts())
    )
    page = directory / "charts.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Charts</title>'
        f"<style>{chart_css()}"
        "body{color:#1f2328;background:#fff}"
        "@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}}"
        "</style></head><body><main><h1>Charts</h1>"
        f"{body}</main></body></html>",
        encoding="utf-8",
    )
    return page


def test_charts_are_valid_html5(tmp_path: Path, vnu_command: tuple[str, Path]) -> None:
    java, jar = vnu_command
    write_chart_page(tmp_path)
    report = run_vnu(tmp_path, jar=jar, java=java)
    assert report.files_checked == 1
    assert [m.format() for m in report.messages if m.kind != "info"] == []


def test_narrow_charts_use_fewer_labels_and_legend_columns() -> None:
    categories = [Category(f"c{i}", f"category {i}") for i in range(26)]
    chart = render_bar_chart(categories, [1] * 26, title="t", id_prefix="narrow", width=400)
    assert 'viewBox="0 0 400 200"' in chart.svg
    assert len(re.findall(r">(c\d+)</text>", chart.svg)) <= 5
    shares = [Share(name, 1) for name in "abcd"]
    legend = render_share_bar(shares, title="t", id_prefix="s", width=400)
    xs = re.findall(r'<text class="chart-text" x="([\d.]+)"', legend.svg)
    assert xs == ["18", "218", "18", "218"]  # two columns


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_pass_axe_and_follow_the_colour_scheme(
    tmp_path: Path, browser: Browser, axe_source: str, scheme: str
) -> None:
    url = write_chart_page(tmp_path).as_uri()
    violations = run_axe(browser, url, axe_source, "dark" if scheme == "dark" else "light")
    assert [v.format() for v in violations] == []
    context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light")
    try:
        page = context.new_page()
        page.goto(url)
        fills = page.evaluate(
            "() => ['hm-l0', 'hm-l4', 'chart-bar'].map(c =>"
            " getComputedStyle(document.querySelector('.' + c)).fill)"
        )
        text = page.evaluate("() => getComputedStyle(document.querySelector('svg text')).fill")
    finally:
        context.close()
    expected = {
        "light": ["rgb(235, 237, 240)", "rgb(33, 110, 57)", "rgb(47, 125, 79)"],
        "dark": ["rgb(22, 27, 34)", "rgb(57, 211, 83)", "rgb(79, 191, 127)"],
    }
    assert fills == expected[scheme]
    assert text == ("rgb(31, 35, 40)" if scheme == "light" else "rgb(230, 237, 243)")
