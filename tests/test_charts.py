"""Stats charts drawn wide and narrow (render/charts.py): the phone variant has fewer x
labels and bigger text, ids stay unique, the CSS shows one variant per screen width, the
rendered text is at least 11 px on a 390 px phone, and the GitHub activity partial
takes its colours from the chart classes."""

from __future__ import annotations

import datetime as dt
import re
import types
import xml.etree.ElementTree as ET
import zoneinfo
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from qa.axe import run_axe
from qa.vnu import run_vnu

from tamatar_site.compute.heatmap import MONTH_ABBREVIATIONS
from tamatar_site.compute.stats import compute_stats
from tamatar_site.load.themes import resolve_theme_dir
from tamatar_site.model import Log
from tamatar_site.render.charts.stats import (
    NARROW,
    NARROW_FONT_SIZE,
    NARROW_WIDTH,
    WIDE,
    chart_css,
    render_focus_per_week,
    render_logs_per_month,
    render_logs_per_week,
    render_mood_productivity,
    render_responsive,
)
from tamatar_site.render.charts.svg import WIDTH, Chart
from tamatar_site.render.templates import make_environment

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
TODAY = dt.date(2026, 11, 21)


def week_logs() -> list[Log]:
    """One log every other day for half a year, with mood and focus minutes."""
    logs = []
    for offset in range(0, 182, 2):
        day = TODAY - dt.timedelta(days=offset)
        logs.append(
            Log(
                source=f"logs/{day}.md",
                slug=str(day),
                title=str(day),
                date=day,
                timestamp=dt.datetime(day.year, day.month, day.day, 9, tzinfo=KOLKATA),
                body="",
                body_line=1,
                mood=offset % 9 + 1,
                productivity=9 - offset % 9,
                focus_minutes=offset,
            )
        )
    return logs


STATS = compute_stats(week_logs(), TODAY)
WEEKS = STATS.weeks[-26:]


def responsive_charts() -> list[Chart]:
    return [
        render_responsive(lambda size: render_logs_per_week(WEEKS, size=size)),
        render_responsive(lambda size: render_logs_per_month(STATS.months[-12:], size=size)),
        render_responsive(lambda size: render_mood_productivity(WEEKS, size=size)),
        render_responsive(lambda size: render_focus_per_week(WEEKS, size=size)),
    ]


def svgs(markup: str) -> list[str]:
    return re.findall(r"<svg .*?</svg>", markup)


def x_labels(svg: str) -> list[str]:
    """The texts under the x axis (the y axis labels are numbers, the legend has no anchor)."""
    return re.findall(r'text-anchor="(?:middle|end)">([^<]*[A-Za-z][^<]*)</text>', svg)


def test_sizes_describe_the_wide_and_narrow_variants() -> None:
    assert (WIDE.width, WIDE.font_size, WIDE.css_class, WIDE.id_suffix) == (
        WIDTH,
        None,
        "chart-wide",
        "",
    )
    assert (NARROW.width, NARROW.font_size, NARROW.css_class, NARROW.id_suffix) == (
        NARROW_WIDTH,
        NARROW_FONT_SIZE,
        "chart-narrow",
        "-narrow",
    )
    assert NARROW_WIDTH < WIDTH and NARROW_FONT_SIZE > 11


def test_responsive_chart_holds_a_wide_and_a_narrow_svg() -> None:
    chart = render_responsive(lambda size: render_logs_per_week(WEEKS, size=size))
    opening = '<div class="chart-variants"><svg class="chart bar-chart chart-wide"'
    assert chart.svg.startswith(opening)
    wide, narrow = svgs(chart.svg)
    assert 'viewBox="0 0 640 200" role="img"' in wide  # no inline font size
    assert 'class="chart bar-chart chart-narrow" viewBox="0 0 340 200"' in narrow
    assert 'style="font-size:14px"' in narrow
    assert chart.table == render_logs_per_week(WEEKS).table  # one table for both


def test_narrow_variant_has_fewer_x_labels_in_bigger_text() -> None:
    for chart in responsive_charts():
        wide, narrow = svgs(chart.svg)
        wide_labels, narrow_labels = x_labels(wide), x_labels(narrow)
        assert 2 <= len(narrow_labels) <= 4 < len(wide_labels)
        assert narrow_labels[-1] == wide_labels[-1]  # both end at the newest period
        assert f"font-size:{NARROW_FONT_SIZE}px" in narrow and "font-size" not in wide
        # the y axis stays: 0, half and the top of the scale, in both
        y_labels = [
            re.findall(r'x="38" y="[\d.]+" text-anchor="end">([\d.]+)<', svg)
            for svg in (wide, narrow)
        ]
        assert y_labels[0] == y_labels[1] and len(y_labels[0]) == 3


def test_a_label_on_the_right_edge_ends_there() -> None:
    chart = render_responsive(lambda size: render_mood_productivity(WEEKS, size=size))
    wide, narrow = svgs(chart.svg)
    newest = x_labels(wide)[-1]
    assert f'x="639" y="208" text-anchor="end">{newest}</text>' in wide
    assert f'x="339" y="208" text-anchor="end">{newest}</text>' in narrow
    bars = render_responsive(lambda size: render_logs_per_week(WEEKS, size=size))
    assert 'text-anchor="end">' + newest not in bars.svg  # bars stop short of the edge


def test_week_labels_of_the_narrow_logs_chart() -> None:
    chart = render_responsive(lambda size: render_logs_per_week(WEEKS, size=size))
    narrow = svgs(chart.svg)[1]
    starts = [w.start for w in WEEKS]
    expected = [f"{d.day} {MONTH_ABBREVIATIONS[d.month - 1]}" for d in starts[::-7][::-1]]
    assert x_labels(narrow) == expected


def test_ids_are_unique_across_both_variants() -> None:
    markup = "".join(chart.svg for chart in responsive_charts())
    ids = re.findall(r' id="([^"]+)"', markup)
    assert len(ids) == 16 and len(set(ids)) == 16
    assert {"logs-week-title", "logs-week-narrow-title", "mood-narrow-desc"} <= set(ids)
    for svg in svgs(markup):
        ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def test_default_size_keeps_the_plain_markup() -> None:
    svg = render_logs_per_week(WEEKS).svg
    assert svg.startswith('<svg class="chart bar-chart" viewBox="0 0 640 200" role="img"')


def test_empty_narrow_chart_keeps_its_class_and_font_size() -> None:
    chart = render_responsive(lambda size: render_mood_productivity([], size=size))
    wide, narrow = svgs(chart.svg)
    assert 'class="chart line-chart chart-wide" viewBox="0 0 640 40"' in wide
    assert 'class="chart line-chart chart-narrow" viewBox="0 0 340 40"' in narrow
    assert 'style="font-size:14px"' in narrow and "No data yet</text>" in narrow


def test_css_shows_one_variant_per_screen_width() -> None:
    css = chart_css()
    assert ".chart-variants>.chart-narrow{display:none}" in css
    assert (
        "@media (max-width:30rem){.chart-variants>.chart-wide{display:none}"
        ".chart-variants>.chart-narrow{display:block}}"
    ) in css
    assert "container" not in css  # the Nu Html Checker rejects container queries


def test_activity_partial_uses_the_chart_classes(tmp_path: Path) -> None:
    theme = resolve_theme_dir("default", tmp_path)
    env = make_environment(theme, None, base_path="/", base_url="https://example.org/")
    weeks = tuple(
        types.SimpleNamespace(start=dt.date(2026, 1, 5) + dt.timedelta(weeks=i), count=i % 3)
        for i in range(6)
    )
    html = env.get_template("partials/github/activity.html").render(weeks=weeks)
    assert html.count('class="chart-bar"') == 4  # the weeks with commits
    assert html.count('fill="currentColor" fill-opacity="0.2"') == 2  # the empty weeks
    assert "#" not in re.sub(r"<title>.*?</title>", "", html)  # no hard-coded colour


# --- in a browser: one visible chart per width, readable text, valid and axe clean ---


def write_page(directory: Path) -> Path:
    body = "".join(
        f'<section><h2>Chart {i}</h2><div class="chart-svg">{chart.svg}</div></section>'
        for i, chart in enumerate(responsive_charts())
    )
    page = directory / "charts.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Charts</title><style>{chart_css()}"
        "body{margin:0 29px;color:#1f2328;background:#fff}"
        "@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}}"
        "</style></head><body><main><h1>Charts</h1>"
        # Prose for the checker's language detection: on the charts' labels alone it
        # sometimes guessed another language than `lang` says (a warning).
        "<p>These charts show how many logs were written each week and each month, how "
        "the mood of a day relates to the work done, and the hours of focus per week. "
        "Each chart has a wide and a narrow variant, and the page shows the one that "
        "fits the width of the window.</p>"
        f"{body}</main></body></html>",
        encoding="utf-8",
    )
    return page


def test_page_with_both_variants_is_valid_html5(
    tmp_path: Path, vnu_command: tuple[str, Path]
) -> None:
    java, jar = vnu_command
    write_page(tmp_path)
    report = run_vnu(tmp_path, jar=jar, java=java)
    assert report.files_checked == 1
    assert [m.format() for m in report.messages if m.kind != "info"] == []


VISIBLE = """() => [...document.querySelectorAll('svg.chart')]
  .filter(s => getComputedStyle(s).display !== 'none')
  .map(s => {
    const text = s.querySelector('text');
    const size = parseFloat(getComputedStyle(text).fontSize);
    const width = s.getBoundingClientRect().width;
    return [s.getAttribute('class'), Math.round(10 * size * width / s.viewBox.baseVal.width) / 10];
  })"""


@pytest.mark.browser
@pytest.mark.parametrize(
    ("width", "variant", "smallest", "largest"),
    [(390, "chart-narrow", 11, 16), (1280, "chart-wide", 11, 30)],
)
def test_one_variant_shows_with_readable_text(
    tmp_path: Path, browser: Browser, width: int, variant: str, smallest: float, largest: float
) -> None:
    url = write_page(tmp_path).as_uri()
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        visible = page.evaluate(VISIBLE)
        accessible_names = page.evaluate(
            "() => [...document.querySelectorAll('svg.chart')]"
            ".filter(s => s.checkVisibility()).map(s => s.getAttribute('aria-labelledby'))"
        )
    finally:
        context.close()
    assert [cls.split()[-1] for cls, _ in visible] == [variant] * 4
    assert all(smallest <= px <= largest for _, px in visible), visible
    assert len(accessible_names) == 4 and all(
        name.endswith("-narrow-title") == (variant == "chart-narrow") for name in accessible_names
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_variants_pass_axe(
    tmp_path: Path, browser: Browser, axe_source: str, width: int, scheme: str
) -> None:
    url = write_page(tmp_path).as_uri()
    violations = run_axe(
        browser, url, axe_source, "dark" if scheme == "dark" else "light", viewport_width=width
    )
    assert [v.format() for v in violations] == []
