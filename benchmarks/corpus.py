"""Benchmark corpus: write N synthetic daily logs as a tamatar site and an equivalent Hugo site.

    python benchmarks/corpus.py --logs 1000 --out benchmarks/corpus/1000

writes `OUT/tamatar/` (tamatar.yaml, logs/, projects/, resources/) and `OUT/hugo/`
(config.yaml, layouts/, content/logs/ with the same bodies and tags), plus
`OUT/corpus.json` describing what was generated. The output depends only on
`--logs`, `--seed` and `--end-date`: log number i (0 = newest) has the same title and
body whatever N is (except the oldest 60, whose links depend on N), so sizes share logs.
One log a day for `DAYS` days (27 years); a bigger corpus starts over at the newest day,
so 100,000 logs are ten a day (one a day would go back to 1753, before the dates tamatar
accepts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_text import TAG_POOL, LogRef, make_body, make_title
from hugo_site import write_hugo_skeleton

GENERATOR_VERSION = 2
DAYS = 10_000
DEFAULT_SEED = 20261120
DEFAULT_END_DATE = dt.date(2026, 11, 20)
LOGS_PER_PAGE = 20

PROJECTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("tamatar", "Tamatar", "A static-site generator for developer logs.", ("python", "jinja")),
    ("kvstore", "KV Store", "A log-structured key-value store.", ("rust",)),
    ("querylab", "Query Lab", "Experiments with the Postgres planner.", ("sql", "postgres")),
    ("tinyhttp", "Tiny HTTP", "An HTTP/1.1 server in Go for learning.", ("go",)),
    ("dotfiles", "Dotfiles", "Shell setup and small scripts.", ("bash",)),
    ("webui", "Web UI", "A dashboard for build timings.", ("javascript", "css")),
)
RESOURCES: tuple[tuple[str, str, str, str], ...] = (
    ("rust-book", "The Rust Programming Language", "https://doc.rust-lang.org/book/", "book"),
    ("pg-docs", "PostgreSQL: Using EXPLAIN", "https://www.postgresql.org/docs/", "documentation"),
    ("ddia", "Designing Data-Intensive Applications", "https://dataintensive.net/", "book"),
    ("go-tour", "A Tour of Go", "https://go.dev/tour/", "tutorial"),
    ("mdn-js", "MDN JavaScript Guide", "https://developer.mozilla.org/", "documentation"),
    ("asyncio", "asyncio docs", "https://docs.python.org/3/library/asyncio.html", "documentation"),
    ("crafting", "Crafting Interpreters", "https://craftinginterpreters.com/", "book"),
    ("perf-book", "Systems Performance", "https://www.brendangregg.com/", "book"),
    (
        "sqlite-qp",
        "The SQLite Query Planner",
        "https://www.sqlite.org/queryplanner.html",
        "article",
    ),
    ("jvns", "Julia Evans' zines", "https://wizardzines.com/", "article"),
)
_TAG_COLORS = {"rust": "#dea584", "python": "#3572a5", "go": "#00add8", "sql": "#e38c00"}

TAMATAR_YAML = """\
site:
  title: "Benchmark devlog"
  base_url: "https://bench.example.org/devlog/"
  description: "Synthetic daily logs for tamatar's benchmarks"
  language: en
  timezone: UTC
  logs_per_page: {per_page}
profile:
  name: "Bench Marker"
  bio: "Backend engineer. Learning **Rust** and databases in public."
  location: "Pune"
  skills: [rust, python, postgres, go]
  links:
    - {{label: Mastodon, url: "https://hachyderm.io/@bench"}}
feeds:
  formats: [atom, rss, json]
  per_tag: true
  full_content: true
  limit: 50
tags:
{tags}
"""


@dataclass(frozen=True)
class CorpusInfo:
    """What `generate_corpus` wrote; also saved as `corpus.json` next to the two sites."""

    logs: int
    seed: int
    end_date: str
    generator_version: int
    words: int
    tamatar_dir: str
    hugo_dir: str


@dataclass(frozen=True)
class _LogMeta:
    date: dt.date
    slug: str
    title: str

    @property
    def file_name(self) -> str:
        return f"{self.date.isoformat()}-{self.slug}.md"


def _slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _log_rng(seed: int, index: int, purpose: str) -> random.Random:
    # One stream per log and purpose: log i is the same whatever N is.
    return random.Random(f"{seed}:{index}:{purpose}")


def _plan_logs(count: int, seed: int, end_date: dt.date, days: int) -> list[_LogMeta]:
    seen: set[str] = set()
    metas: list[_LogMeta] = []
    for index in range(count):
        title = make_title(_log_rng(seed, index, "title"))
        base = _slugify(title)
        slug, suffix = base, 2
        while slug in seen:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        seen.add(slug)
        metas.append(_LogMeta(end_date - dt.timedelta(days=index % days), slug, title))
    return metas


def _frontmatter(meta: _LogMeta, rng: random.Random) -> tuple[dict[str, object], list[str]]:
    """Fields shared by both sites (name -> YAML text) and the log's tags."""
    tags = rng.sample(TAG_POOL, rng.randint(1, 4))
    fields: dict[str, object] = {"title": json.dumps(meta.title), "date": meta.date.isoformat()}
    fields["tags"] = "[" + ", ".join(tags) + "]"
    if rng.random() < 0.4:
        fields["project"] = rng.choice(PROJECTS)[0]
    if rng.random() < 0.6:
        fields["mood"] = rng.randint(1, 10)
        fields["productivity"] = rng.randint(1, 10)
        fields["focus_minutes"] = rng.randint(15, 300)
    if rng.random() < 0.15:
        fields["resources"] = "[" + rng.choice(RESOURCES)[0] + "]"
    return fields, tags


def _render_frontmatter(fields: dict[str, object]) -> str:
    return "---\n" + "".join(f"{key}: {value}\n" for key, value in fields.items()) + "---\n"


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _write_tamatar_static(root: Path) -> None:
    tags = "\n".join(
        f'  {tag}: {{color: "{color}", description: "Notes about {tag}"}}'
        for tag, color in _TAG_COLORS.items()
    )
    _write(root / "tamatar.yaml", TAMATAR_YAML.format(per_page=LOGS_PER_PAGE, tags=tags))
    (root / "projects").mkdir()
    for index, (slug, name, description, stack) in enumerate(PROJECTS):
        text = (
            f'name: "{name}"\ndescription: "{description}"\nstatus: active\n'
            f"tech_stack: [{', '.join(stack)}]\nstart_date: 2024-0{index + 1}-01\n"
            f"repo: bench/{slug}\nfeatured: {'true' if index < 3 else 'false'}\n"
        )
        _write(root / "projects" / f"{slug}.yaml", text)
    (root / "resources").mkdir()
    for index, (slug, title, url, kind) in enumerate(RESOURCES):
        text = (
            f'title: "{title}"\nurl: "{url}"\ntype: {kind}\nrating: {index % 5 + 1}\n'
            f"status: {('to-read', 'in-progress', 'done')[index % 3]}\n"
            f'review: "Worth it for the chapter on *{slug}*."\nadded: 2025-01-{index + 10}\n'
        )
        _write(root / "resources" / f"{slug}.yaml", text)


def _write_hugo_projects(root: Path) -> None:
    for slug, name, description, _stack in PROJECTS:
        text = f'---\ntitle: "{name}"\nslug: {slug}\n---\n{description}\n'
        _write(root / "content" / "projects" / f"{slug}.md", text)


def generate_corpus(
    out: Path,
    logs: int,
    *,
    seed: int = DEFAULT_SEED,
    end_date: dt.date = DEFAULT_END_DATE,
    days: int = DAYS,
) -> CorpusInfo:
    """Write `out/tamatar/`, `out/hugo/` and `out/corpus.json`, replacing what was there.

    Args:
        out: the corpus folder (created; its `tamatar/` and `hugo/` are replaced).
        logs: how many daily logs, one per day going backwards from `end_date`.
        seed: base seed; every log has its own stream derived from it.
        end_date: the date of the newest log.
        days: after this many days the dates start over at `end_date` (several logs a day).
    """
    tamatar_dir, hugo_dir = out / "tamatar", out / "hugo"
    for folder in (tamatar_dir, hugo_dir):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    _write_tamatar_static(tamatar_dir)
    write_hugo_skeleton(hugo_dir, per_page=LOGS_PER_PAGE)
    _write_hugo_projects(hugo_dir)
    (tamatar_dir / "logs").mkdir()
    metas = _plan_logs(logs, seed, end_date, days)
    words = 0
    for index, meta in enumerate(metas):
        rng = _log_rng(seed, index, "body")
        fields, _tags = _frontmatter(meta, rng)
        older = metas[index + 1 : index + 61]
        links = [LogRef(m.file_name, m.title) for m in rng.sample(older, min(3, len(older)))]
        body = make_body(rng, links)
        words += len(body.split())
        _write(tamatar_dir / "logs" / meta.file_name, _render_frontmatter(fields) + body)
        hugo_fields = {"title": fields["title"], "date": fields["date"], "slug": meta.slug}
        hugo_fields.update({k: v for k, v in fields.items() if k not in hugo_fields})
        _write(
            hugo_dir / "content" / "logs" / meta.file_name, _render_frontmatter(hugo_fields) + body
        )
    info = CorpusInfo(
        logs=logs,
        seed=seed,
        end_date=end_date.isoformat(),
        generator_version=GENERATOR_VERSION,
        words=words,
        tamatar_dir=str(tamatar_dir.resolve()),
        hugo_dir=str(hugo_dir.resolve()),
    )
    _write(out / "corpus.json", json.dumps(asdict(info), indent=2) + "\n")
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--logs", type=int, default=1000, help="number of daily logs")
    parser.add_argument("--out", type=Path, required=True, help="corpus folder to (re)write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--end-date", type=dt.date.fromisoformat, default=DEFAULT_END_DATE, help="newest log"
    )
    args = parser.parse_args(argv)
    if args.logs < 1:
        parser.error("--logs must be at least 1")
    info = generate_corpus(args.out, args.logs, seed=args.seed, end_date=args.end_date)
    print(f"wrote {info.logs} logs ({info.words} words) to {info.tamatar_dir} and {info.hugo_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
