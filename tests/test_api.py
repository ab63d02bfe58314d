"""The JSON API: every file of the example site's `api/v1/` against its published schema,
the schemas against the models, the index, paging, incremental rewrites and HTML safety."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.render.documents import api_models as m
from tamatar_site.render.documents.api import LOGS_PER_PAGE, dump_document
from tamatar_site.render.documents.api_outputs import API_DOCUMENTS, api_schema

EXAMPLE = Path(__file__).resolve().parents[1] / "example-site"
EXAMPLE_URL = "https://octocat.github.io/devlog/"
HOSTILE = 'A </script><b>"quoted"</b> & more — ünïcode'


def _build(site: Path, out: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["build", str(site), "-o", str(out), "--offline"],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("api")
    site = tmp / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("_site", "content"))
    _build(site, tmp / "out")
    return tmp / "out" / "api" / "v1"


def _schema_name(relative: str) -> str:
    """The name of the schema a file of `api/v1/` follows."""
    if relative == "logs.json" or relative.startswith("logs/page/"):
        return "logs"
    if relative.startswith("logs/"):
        return "log"
    return relative.removesuffix(".json")


def _documents(api: Path) -> dict[str, Any]:
    return {
        path.relative_to(api).as_posix(): json.loads(path.read_bytes())
        for path in sorted(api.rglob("*.json"))
        if path.relative_to(api).parts[0] != "schemas"
    }


def _schema(api: Path, name: str) -> Any:
    return json.loads((api / "schemas" / f"{name}.schema.json").read_bytes())


def test_every_file_is_valid_against_its_published_schema(api: Path) -> None:
    documents = _documents(api)
    assert len([path for path in documents if _schema_name(path) == "log"]) == 44
    for name in API_DOCUMENTS:
        Draft202012Validator.check_schema(_schema(api, name))
    checked = set()
    for relative, document in documents.items():
        name = _schema_name(relative)
        validator = Draft202012Validator(
            _schema(api, name), format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        errors = [error.message for error in validator.iter_errors(document)]
        assert errors == [], relative
        checked.add(name)
    assert checked == set(API_DOCUMENTS)


def test_a_schema_rejects_a_document_of_the_wrong_shape(api: Path) -> None:
    validator = Draft202012Validator(_schema(api, "log"))
    log = json.loads((api / "logs/2026-10-02-borrowck.json").read_bytes())
    assert validator.is_valid(log)
    assert not validator.is_valid({**log, "mood": "happy"})
    assert not validator.is_valid({key: value for key, value in log.items() if key != "html"})


def test_published_schemas_are_what_the_models_generate(api: Path) -> None:
    assert sorted(path.name for path in (api / "schemas").iterdir()) == sorted(
        f"{name}.schema.json" for name in API_DOCUMENTS
    )
    for name in API_DOCUMENTS:
        schema_id = f"{EXAMPLE_URL}api/v1/schemas/{name}.schema.json"
        published = _schema(api, name)
        assert published == api_schema(name, schema_id)
        assert published["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert published["$id"] == schema_id


def test_the_index_lists_every_file_with_its_schema(api: Path) -> None:
    index = json.loads((api / "index.json").read_bytes())
    prefix = f"{EXAMPLE_URL}api/v1/"
    listed = {
        entry["url"].removeprefix(prefix): entry["schema_url"].removeprefix(prefix)
        for entry in index["documents"]
    }
    assert len(listed) == len(index["documents"])
    assert listed == {
        relative: f"schemas/{_schema_name(relative)}.schema.json" for relative in _documents(api)
    }


def test_a_log_file_holds_every_field_its_html_and_summary(api: Path) -> None:
    log = json.loads((api / "logs/2026-10-02-borrowck.json").read_bytes())
    listed = json.loads((api / "logs.json").read_bytes())["logs"]
    item = next(item for item in listed if item["slug"] == "borrowck")
    assert item["api_url"] == f"{EXAMPLE_URL}api/v1/logs/2026-10-02-borrowck.json"
    assert (log["title"], log["date"], log["url"]) == (item["title"], item["date"], item["url"])
    assert log["summary"] == item["summary"] != ""
    assert log["tags"] == [{"slug": "rust", "name": "Rust", "url": f"{EXAMPLE_URL}tags/rust/"}]
    assert log["resources"] == ["rustonomicon"] and log["words"] > 50
    assert "<strong>two-phase borrows</strong>" in log["html"]
    assert 'href="/' not in log["html"] and 'src="/' not in log["html"]  # absolute links


def test_collections_and_stats(api: Path) -> None:
    documents = _documents(api)
    assert documents["profile.json"]["name"] == "Mona Octocat"
    assert documents["profile.json"]["avatar"] == f"{EXAMPLE_URL}avatar.svg"
    projects = {p["slug"]: p for p in documents["projects.json"]["projects"]}
    assert projects["tidepool"]["logs"] > 0 and projects["tidepool"]["description_html"]
    assert documents["resources.json"]["resources"] and documents["goals.json"]["goals"]
    assert documents["paths.json"]["paths"] and documents["snippets.json"]["snippets"]
    stats = documents["stats.json"]
    assert stats["totals"]["logs"] == 44 == stats["streaks"]["active_days"]
    heatmap_logs = sum(day["logs"] for day in stats["heatmap"]["days"])
    assert heatmap_logs == 44 and all(
        day["logs"] or day["commits"] for day in stats["heatmap"]["days"]
    )
    assert sum(month["logs"] for month in stats["months"]) == 44
    assert stats["snippet_languages"] and all(share["percent"] > 0 for share in stats["languages"])


def _log_file(day: int, title: str | None = None) -> tuple[str, str]:
    date = f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}"
    return f"logs/{date}-day-{day}.md", (
        f"---\ntitle: {title or f'Day {day}'}\ndate: {date}\ntags: [t{day % 3}]\n---\n"
        f"Notes of day {day}.\n"
    )


def test_large_sites_page_the_log_list(tmp_path: Path) -> None:
    count = 2 * LOGS_PER_PAGE + 5
    files = dict(_log_file(day) for day in range(count))
    site = write_site(tmp_path / "site", files, config=None)
    (site / "tamatar.yaml").write_text(
        "site:\n  title: Many\n  base_url: https://example.org/many/\n", encoding="utf-8"
    )
    _build(site, tmp_path / "out")
    api = tmp_path / "out/api/v1"
    root = "https://example.org/many/api/v1/"
    pages = [
        json.loads((api / path).read_bytes())
        for path in ("logs.json", "logs/page/2.json", "logs/page/3.json")
    ]
    assert not (api / "logs/page/1.json").exists() and not (api / "logs/page/4.json").exists()
    assert [len(page["logs"]) for page in pages] == [LOGS_PER_PAGE, LOGS_PER_PAGE, 5]
    assert [(p["page"], p["pages"], p["total"]) for p in pages] == [
        (n, 3, count) for n in (1, 2, 3)
    ]
    assert [(p["prev"], p["next"]) for p in pages] == [
        (None, f"{root}logs/page/2.json"),
        (f"{root}logs.json", f"{root}logs/page/3.json"),
        (f"{root}logs/page/2.json", None),
    ]
    assert {p["first"] for p in pages} == {f"{root}logs.json"}
    assert {p["last"] for p in pages} == {f"{root}logs/page/3.json"}
    items = [item for page in pages for item in page["logs"]]
    assert [item["slug"] for item in items] == [f"day-{day}" for day in reversed(range(count))]
    assert all((api / item["api_url"].removeprefix(root)).is_file() for item in items)
    validator = Draft202012Validator(_schema(api, "logs"))
    assert all(validator.is_valid(page) for page in pages)
    index = json.loads((api / "index.json").read_bytes())
    assert [e["url"] for e in index["documents"] if e["name"] == "logs"] == [
        f"{root}logs.json",
        f"{root}logs/page/2.json",
        f"{root}logs/page/3.json",
    ]


def test_an_edit_rewrites_that_logs_file_and_a_deletion_removes_it(tmp_path: Path) -> None:
    files = dict(_log_file(day) for day in range(6))
    site = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    _build(site, out)
    logs = out / "api/v1/logs"

    def stamps() -> dict[str, int]:
        return {path.name: path.stat().st_mtime_ns for path in logs.glob("*.json")}

    before = stamps()
    path, _ = _log_file(2)
    (site / path).write_text(_log_file(2, HOSTILE)[1], encoding="utf-8")
    _build(site, out)
    after = stamps()
    assert [name for name in before if before[name] != after[name]] == ["2026-01-03-day-2.json"]
    assert json.loads((logs / "2026-01-03-day-2.json").read_bytes())["title"] == HOSTILE
    listed = json.loads((out / "api/v1/logs.json").read_bytes())["logs"]
    assert [item["title"] for item in listed if item["slug"] == "day-2"] == [HOSTILE]

    (site / _log_file(3)[0]).unlink()
    _build(site, out)
    assert sorted(stamps()) == [f"2026-01-0{day + 1}-day-{day}.json" for day in (0, 1, 2, 4, 5)]
    assert json.loads((out / "api/v1/logs.json").read_bytes())["total"] == 5


def test_one_item_per_line_and_no_markup_characters() -> None:
    tag = m.TagCount(slug="x", name=HOSTILE, url="https://example.org/tags/x/", logs=1)
    data = dump_document(m.Tags(tags=[tag, tag]))
    assert data.decode("utf-8").splitlines()[:3] == ["{", '  "version": 1,', '  "tags": [']
    assert len(data.splitlines()) == 3 + 2 + 2
    assert not {b"<", b">", b"&"} & {bytes([c]) for c in data}  # \u003c etc.
    assert json.loads(data)["tags"][0]["name"] == HOSTILE
    assert json.loads(dump_document(m.Tags(tags=[]))) == {"version": 1, "tags": []}


def test_logs_of_one_slug_on_different_days_have_their_own_files(tmp_path: Path) -> None:
    files = {
        f"logs/2026-11-0{day}-notes.md": f"---\ntitle: Notes {day}\n---\nDay {day}.\n"
        for day in (1, 2)
    }
    site = write_site(tmp_path / "site", files)
    _build(site, tmp_path / "out")
    logs = tmp_path / "out/api/v1/logs"
    assert sorted(p.name for p in logs.glob("*.json")) == [
        "2026-11-01-notes.json",
        "2026-11-02-notes.json",
    ]
    assert json.loads((logs / "2026-11-02-notes.json").read_bytes())["title"] == "Notes 2"


def test_a_log_moved_to_another_day_is_listed_under_its_new_file(tmp_path: Path) -> None:
    # The log keeps its slug, title and place in the list: only its file name changes.
    files = {
        "logs/2026-11-01-a.md": "---\ntitle: A\n---\nFirst.\n",
        "logs/2026-11-10-b.md": "---\ntitle: B\n---\nSecond.\n",
    }
    site = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    _build(site, out)
    (site / "logs/2026-11-01-a.md").rename(site / "logs/2026-11-02-a.md")
    _build(site, out)
    _build(site, tmp_path / "cold")
    index = json.loads((out / "api/v1/index.json").read_bytes())
    urls = [entry["url"] for entry in index["documents"] if entry["name"] == "log"]
    assert [url.rsplit("/", 1)[1] for url in urls] == ["2026-11-10-b.json", "2026-11-02-a.json"]
    assert (out / "api/v1/index.json").read_bytes() == (
        tmp_path / "cold/api/v1/index.json"
    ).read_bytes()


def test_a_tag_renamed_in_one_log_is_renamed_in_the_files_of_the_others(tmp_path: Path) -> None:
    # A tag's display form is the site's, not the log's: editing A changes B's files.
    files = {
        "logs/2026-11-01-a.md": "---\ntitle: A\ntags: [Rust]\n---\nFirst.\n",
        "logs/2026-11-10-b.md": "---\ntitle: B\ntags: [rust]\n---\nSecond.\n",
    }
    site = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    _build(site, out)
    before = json.loads((out / "api/v1/logs/2026-11-10-b.json").read_bytes())["tags"][0]["name"]
    source = site / "logs/2026-11-01-a.md"
    source.write_text(source.read_text().replace("[Rust]", "[RUST]"))
    _build(site, out)
    _build(site, tmp_path / "cold")
    after = json.loads((out / "api/v1/logs/2026-11-10-b.json").read_bytes())["tags"][0]["name"]
    assert (before, after) == ("Rust", "RUST")
    for path in ("api/v1/logs/2026-11-10-b.json", "api/v1/logs.json", "feed.xml", "feed.json"):
        assert (out / path).read_bytes() == (tmp_path / "cold" / path).read_bytes(), path
