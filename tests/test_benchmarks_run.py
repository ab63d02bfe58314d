"""The benchmark scripts still run against the code they measure (they call internal
functions, which change): each one imports, and the social-image benchmark runs on the
example site."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCHMARKS.glob("*.py")))
def test_every_benchmark_imports(script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # they import each other by name
    name = f"benchmark_{script.removesuffix('.py')}"
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)  # a script's main() runs only as __main__
    assert module.__doc__, f"{script} says what it measures"


def test_the_social_image_benchmark_times_the_example_sites_images() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "bench_social.py"),
            str(ROOT / "example-site"),
            "--repeat",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "50 images"
    figures = [float(m.group(1)) for line in lines[1:] if (m := re.search(r"([\d.]+) ms", line))]
    assert len(figures) == 3 and all(figure > 0 for figure in figures)
