"""The benchmark corpus generator writes the same valid logs to a tamatar and a Hugo site."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from click.testing import CliRunner

from tamatar_site.cli import main

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
LOGS = 15


def _load_corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCHMARKS / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()


def _split(text: str) -> tuple[dict[str, object], str]:
    _, head, body = text.split("---\n", 2)
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data, body


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    corpus.generate_corpus(out, LOGS)
    return out


def test_one_log_per_day_going_backwards(generated: Path) -> None:
    names = sorted((generated / "tamatar" / "logs").iterdir(), reverse=True)
    assert len(names) == LOGS
    assert names[0].name.startswith("2026-11-20-")
    assert names[-1].name.startswith(f"2026-11-{20 - LOGS + 1:02d}-")
    data, _ = _split(names[0].read_text(encoding="utf-8"))
    assert str(data["date"]) == "2026-11-20"
    assert isinstance(data["title"], str) and data["title"]


def test_bodies_are_realistic_markdown(generated: Path) -> None:
    for path in (generated / "tamatar" / "logs").iterdir():
        data, body = _split(path.read_text(encoding="utf-8"))
        tags = data["tags"]
        assert isinstance(tags, list) and 1 <= len(tags) <= 4
        assert set(tags) <= set(corpus.TAG_POOL)
        fences = re.findall(r"^```(\w+)\n(.*?)^```$", body, flags=re.M | re.S)
        assert len(fences) == 1
        language, code = fences[0]
        assert language in {"python", "rust", "sql", "js", "go", "bash"}
        assert 10 <= len(code.splitlines()) <= 20
        prose = re.sub(r"^```.*?^```$", "", body, flags=re.M | re.S)
        assert 300 <= len(prose.split()) <= 1000
        assert re.search(r"^- |^1\. ", body, flags=re.M)


def test_links_point_at_existing_logs(generated: Path) -> None:
    logs = generated / "tamatar" / "logs"
    targets = set()
    for path in logs.iterdir():
        targets.update(re.findall(r"\]\((\d{4}-\d\d-\d\d-[a-z0-9-]+\.md)\)", path.read_text()))
    assert targets
    assert all((logs / target).is_file() for target in targets)


def test_hugo_site_has_the_same_bodies(generated: Path) -> None:
    for path in (generated / "tamatar" / "logs").iterdir():
        ours, our_body = _split(path.read_text(encoding="utf-8"))
        hugo, hugo_body = _split((generated / "hugo" / "content" / "logs" / path.name).read_text())
        assert hugo_body == our_body
        assert hugo["tags"] == ours["tags"]
        assert hugo["slug"] == path.name[len("2026-11-20-") : -len(".md")]
    assert (generated / "hugo" / "layouts" / "_default" / "single.html").is_file()


def test_same_seed_same_bytes_and_sizes_share_newest_logs(tmp_path: Path) -> None:
    # Log i links to logs i+1..i+60, so only the oldest 60 logs depend on N.
    corpus.generate_corpus(tmp_path / "a", 70)
    corpus.generate_corpus(tmp_path / "b", 75)
    corpus.generate_corpus(tmp_path / "c", 70)
    for path in sorted((tmp_path / "a" / "tamatar" / "logs").iterdir(), reverse=True)[:10]:
        other = tmp_path / "b" / "tamatar" / "logs" / path.name
        assert other.read_bytes() == path.read_bytes()
    for path in (tmp_path / "a").rglob("*.md"):
        assert (tmp_path / "c" / path.relative_to(tmp_path / "a")).read_bytes() == path.read_bytes()


def test_cli_writes_the_corpus(tmp_path: Path) -> None:
    script = BENCHMARKS / "corpus.py"
    command = [sys.executable, str(script), "--logs", "3", "--out", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stdout.startswith("wrote 3 logs")
    assert len(list((tmp_path / "tamatar" / "logs").iterdir())) == 3
    assert (tmp_path / "corpus.json").is_file()


def test_tamatar_check_accepts_the_corpus(generated: Path) -> None:
    if "check" not in getattr(main, "commands", {}):
        pytest.skip("`tamatar check` is not implemented yet")
    result = CliRunner().invoke(main, ["check", str(generated / "tamatar")])
    assert result.exit_code == 0, result.output
    assert "error" not in result.output


@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed")
def test_hugo_builds_equivalent_pages(generated: Path, tmp_path: Path) -> None:
    command = ["hugo", "--quiet", "-s", str(generated / "hugo"), "-d", str(tmp_path)]
    subprocess.run(command, capture_output=True, text=True, check=True)
    pages = list(tmp_path.glob("logs/2026/11/*/*/index.html"))
    assert len(pages) == LOGS
    html = pages[0].read_text(encoding="utf-8")
    assert 'class="chroma"' in html
    assert not [href for href in re.findall(r'href="([^"]*)"', html) if href.endswith(".md")]
    first_tag = _split(next((generated / "tamatar" / "logs").iterdir()).read_text())[0]["tags"]
    assert isinstance(first_tag, list)
    assert (tmp_path / "tags" / first_tag[0] / "index.xml").is_file()


def test_a_corpus_longer_than_its_days_has_several_logs_a_day(tmp_path: Path) -> None:
    """100,000 logs, one a day, would go back before 1900: the dates start over instead."""
    corpus.generate_corpus(tmp_path, 25, days=10)
    names = sorted(path.name for path in (tmp_path / "tamatar" / "logs").iterdir())
    days = sorted({name[: len("2026-11-20")] for name in names})
    assert days == [f"2026-11-{day}" for day in range(11, 21)]
    assert len(names) == 25
    result = CliRunner().invoke(main, ["check", str(tmp_path / "tamatar")])
    assert result.exit_code == 0, result.output
