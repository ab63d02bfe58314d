"""Profile cards for a GitHub profile README: standalone SVG files, one per colour scheme.

Each card is drawn from a frozen `...Card` value (numbers and names only, so its `repr` is
the fingerprint of its files) in a `Palette`. The charts inside are the primitives of
`render/charts/svg.py`, nested as `<svg>` elements and coloured by a `<style>` in the card
(no CSS variables from a page, no fonts or images from anywhere: GitHub shows README images
through its proxy, which blocks every request an image makes). Every card is an image with a
title and a description that states its numbers (`role="img"`); every text is escaped.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from tamatar_site.render.charts.share import render_share_bar, share_bar_height
from tamatar_site.render.charts.svg import (
    SHARE_CLASSES,
    Category,
    Share,
    day_label,
    esc,
    open_svg,
    render_bar_chart,
)
from tamatar_site.render.charts.units import plural

WIDTH = 495  # the width profile READMEs are used to (two cards side by side)
FONT = '-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif'
SVG_NS = "http://www.w3.org/2000/svg"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Palette:
    """A card's colours in one scheme; `shares` colour `share-0`.. of the share bar."""

    name: str  # file name suffix: `streak-light.svg`
    background: str
    border: str
    text: str
    muted: str
    accent: str
    shares: tuple[str, ...]


LIGHT = Palette(
    "light", "#ffffff", "#d0d7de", "#1f2328", "#59636e", "#1a7f37",
    ("#3a6fb0", "#c2571a", "#2f8a5b", "#8e4ec6", "#b8860b", "#d0417e", "#2a8a9a", "#6b6b6b"),
)  # fmt: skip
DARK = Palette(
    "dark", "#0d1117", "#30363d", "#e6edf3", "#9198a1", "#3fb950",
    ("#79a8e8", "#f0a35e", "#6fd39b", "#c29bf0", "#e8c55a", "#f08cb6", "#6fd0df", "#b0b0b0"),
)  # fmt: skip
SCHEMES = (LIGHT, DARK)


@dataclass(frozen=True)
class StreakCard:
    site: str
    current: int
    current_since: dt.date | None
    longest: int
    longest_start: dt.date | None
    longest_end: dt.date | None
    active_days: int
    logs: int


@dataclass(frozen=True)
class WeekCard:
    site: str
    days: tuple[tuple[dt.date, int], ...]  # the last 7 days, oldest first, with their logs


@dataclass(frozen=True)
class LanguagesCard:
    site: str
    languages: tuple[tuple[str, float], ...]  # name, percent


@dataclass(frozen=True)
class TagsCard:
    site: str
    tags: tuple[tuple[str, int], ...]  # name, logs


@dataclass(frozen=True)
class ProjectCard:
    slug: str
    name: str
    status: str
    summary: str
    tech_stack: tuple[str, ...]
    logs: int
    stars: int | None = None  # None without GitHub data
    forks: int | None = None


def _days(count: int) -> str:
    return plural(count, ("day", "days"))


def _style(palette: Palette) -> str:
    shares = "".join(
        f".share-{i}{{fill:{color}}}" for i, color in enumerate(palette.shares[:SHARE_CLASSES])
    )
    return (
        f"<style>text{{font-family:{FONT};fill:{palette.text}}}"
        f".bg{{fill:{palette.background};stroke:{palette.border}}}"
        f".h{{font-size:15px;font-weight:600}}.big{{font-size:28px;font-weight:600;"
        f"fill:{palette.accent}}}.m{{font-size:12px}}.m,.chart-text,.chart-text text{{"
        f"fill:{palette.muted}}}.chart-grid{{stroke:{palette.muted};stroke-opacity:.25}}"
        f".chart-bar,.bar{{fill:{palette.accent}}}{shares}</style>"
    )


def _card(name: str, height: float, title: str, desc: str, body: str, palette: Palette) -> str:
    """A whole card: the `<svg>` (title, description, style), its frame and `body`."""
    head = open_svg(WIDTH, height, f"card-{name}", "card", title, desc)
    head = head.replace("<svg ", f'<svg xmlns="{SVG_NS}" width="{WIDTH}" height="{height:g}" ', 1)
    frame = (
        f'<rect class="bg" x="0.5" y="0.5" width="{WIDTH - 1}" height="{height - 1:g}" rx="6"/>'
        f'<text class="h" x="20" y="30">{esc(title)}</text>'
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{head}{_style(palette)}{frame}{body}</svg>\n'


def _nested(svg: str, x: float, y: float, width: float, height: float) -> str:
    """A chart's `<svg>` placed in a card, hidden from screen readers (the card's
    description already says its numbers)."""
    return (
        str(svg)
        .replace("<svg ", f'<svg x="{x:g}" y="{y:g}" width="{width:g}" height="{height:g}" ', 1)
        .replace(' role="img"', ' aria-hidden="true"', 1)
    )


def _footer(site: str, height: float) -> str:
    return f'<text class="m" x="20" y="{height - 12:g}">{esc(site)}</text>'


def render_streak_card(card: StreakCard, palette: Palette) -> str:
    since = f" since {day_label(card.current_since)}" if card.current_since else ""
    longest = ""
    if card.longest_start and card.longest_end:
        longest = f" ({day_label(card.longest_start)} to {day_label(card.longest_end)})"
    desc = (
        f"Current streak {_days(card.current)}{since}; longest streak {_days(card.longest)}"
        f"{longest}; {_days(card.active_days)} active; {plural(card.logs, ('log', 'logs'))}."
    )
    figures = (
        (card.current, "current streak"),
        (card.longest, "longest streak"),
        (card.active_days, "active days"),
        (card.logs, "logs"),
    )
    body = "".join(
        f'<text class="big" x="{20 + i * 118}" y="78">{value:,}</text>'
        f'<text class="m" x="{20 + i * 118}" y="98">{esc(label)}</text>'
        for i, (value, label) in enumerate(figures)
    )
    height = 140
    return _card(
        "streak", height, "Learning streak", desc, body + _footer(card.site, height), palette
    )


def render_week_card(card: WeekCard, palette: Palette) -> str:
    total = sum(count for _, count in card.days)
    per_day = ", ".join(
        f"{WEEKDAYS[day.weekday()]} {day_label(day)}: {count}" for day, count in card.days
    )
    first, last = card.days[0][0], card.days[-1][0]
    desc = (
        f"{plural(total, ('log', 'logs'))} in the last 7 days, {day_label(first)} to "
        f"{day_label(last)}: {per_day}."
    )
    categories = [Category(WEEKDAYS[day.weekday()], day_label(day)) for day, _ in card.days]
    chart = render_bar_chart(
        categories,
        [count for _, count in card.days],
        title="Logs per day",
        id_prefix="card-week-chart",
        category_header="Day",
        width=640,  # drawn wide enough for a label under every day, then scaled down
        height=200,
        font_size=17,
    )
    height = 214
    body = _nested(chart.svg, 10, 40, 460, 144) + _footer(card.site, height)
    return _card("week", height, "Last 7 days", desc, body, palette)


def render_languages_card(card: LanguagesCard, palette: Palette) -> str:
    desc = ", ".join(f"{name} {percent:.1f}%" for name, percent in card.languages) + "."
    if not card.languages:
        desc = "No language data yet."
    shares = [Share(name, percent / 100) for name, percent in card.languages]
    chart = render_share_bar(shares, title="Languages", id_prefix="card-lang-chart", width=455)
    chart_height = share_bar_height(len(shares), 455)
    height = 40 + chart_height + 30
    body = _nested(chart.svg, 20, 44, 455, chart_height) + _footer(card.site, height)
    return _card("languages", height, "Top languages", desc, body, palette)


def render_tags_card(card: TagsCard, palette: Palette) -> str:
    desc = "; ".join(f"{name}: {plural(count, ('log', 'logs'))}" for name, count in card.tags)
    desc = desc + "." if desc else "No tags yet."
    most = max((count for _, count in card.tags), default=1)
    rows = []
    for i, (name, count) in enumerate(card.tags):
        y = 50 + i * 24
        bar = 250 * count / most
        rows.append(
            f'<text x="20" y="{y + 12}">{esc(_clip(name, 22))}</text>'
            f'<rect class="bar" x="180" y="{y + 2}" width="{bar:.1f}" height="12" rx="3"/>'
            f'<text class="m" x="{186 + bar:.1f}" y="{y + 12}">{count:,}</text>'
        )
    height = 50 + len(card.tags) * 24 + 30
    body = "".join(rows) + _footer(card.site, height)
    return _card("tags", height, "Top tags", desc, body, palette)


def render_project_card(card: ProjectCard, palette: Palette) -> str:
    facts = [card.status, plural(card.logs, ("log", "logs"))]
    if card.stars is not None:
        facts.append(plural(card.stars, ("star", "stars")))
    if card.forks is not None:
        facts.append(plural(card.forks, ("fork", "forks")))
    stack = ", ".join(card.tech_stack)
    desc = f"{card.name}: {'; '.join(facts)}." + (f" Built with {stack}." if stack else "")
    if card.summary:
        desc += f" {card.summary}"
    lines = textwrap.wrap(card.summary, 70, max_lines=2, placeholder=" …")
    body = [
        f'<text class="m" x="20" y="{56 + i * 18}">{esc(line)}</text>'
        for i, line in enumerate(lines)
    ]
    y = 56 + len(lines) * 18 + 8
    if stack:
        body.append(f'<text x="20" y="{y}">{esc(_clip(stack, 70))}</text>')
        y += 22
    body.append(f'<text class="m" x="20" y="{y}">{esc(" · ".join(facts))}</text>')
    height = y + 20
    return _card(f"project-{card.slug}", height, _clip(card.name, 50), desc, "".join(body), palette)


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def last_days(
    dates: Iterable[dt.date], today: dt.date, count: int = 7
) -> tuple[tuple[dt.date, int], ...]:
    """Logs per day for the `count` days up to `today`, oldest first."""
    first = today - dt.timedelta(days=count - 1)
    counts = dict.fromkeys((first + dt.timedelta(days=i) for i in range(count)), 0)
    for day in dates:
        if day in counts:
            counts[day] += 1
    return tuple(counts.items())
