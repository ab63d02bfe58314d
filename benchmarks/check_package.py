"""Packaging check: the sdist and the wheel carry the shipped themes, and an installed wheel
builds the example site in each of them.

    .venv/bin/python benchmarks/check_package.py [--keep DIR]

Builds the sdist from the checkout (hatchling, in a build venv), the wheel from that sdist
(`pip wheel`, so a theme missing from the sdist is missing from the wheel too), installs
the wheel with its dependencies into a clean venv, and there, outside the checkout, runs
`tamatar build example-site --offline` once per shipped theme. Fails (exit 1) unless every
build writes every page the checkout's own build writes. Takes about a minute; `.ci/run`
runs it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_SITE = REPO / "example-site"
SUMMARY = re.compile(r"(\d+) pages written")


def run(args: list[str | Path], cwd: Path) -> str:
    """Run a command; its stdout and stderr together, or exit with them on failure."""
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, args))}\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def make_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True).create(path)
    return path / "bin" / "python"


def themes_in(names: list[str], prefix: str) -> set[str]:
    """Theme names with a base.html under `prefix` in a list of archive member names."""
    pattern = re.compile(re.escape(prefix) + r"([^/]+)/templates/base\.html$")
    return {m.group(1) for name in names if (m := pattern.search(name))}


def build_example(tamatar: Path, work: Path, theme: str, label: str) -> int:
    """Pages written by `tamatar build` of a copy of the example site in `theme`."""
    site = work / f"site-{label}-{theme}"
    shutil.copytree(EXAMPLE_SITE, site, ignore=shutil.ignore_patterns("_site"))
    config = site / "tamatar.yaml"
    text = config.read_text(encoding="utf-8")
    if "\n  theme: default\n" not in text:
        sys.exit(f"{config} no longer sets `theme: default`")
    config.write_text(text.replace("\n  theme: default\n", f"\n  theme: {theme}\n"), "utf-8")
    output = run(
        [tamatar, "build", site, "--offline", "-o", work / f"out-{label}-{theme}"], cwd=work
    )
    found = SUMMARY.search(output)
    if found is None:
        sys.exit(f"no build summary in:\n{output}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in DIR and keep it (default: a temp dir)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="tamatar-package-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        check(work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def check(work: Path) -> None:
    shipped = sorted(p.name for p in (REPO / "themes").iterdir() if (p / "templates").is_dir())
    builder = make_venv(work / "build-venv")
    lock = REPO / "requirements" / "run.txt"  # hatchling and the dependencies, exact versions
    run([builder, "-m", "pip", "install", "-q", "-r", lock], cwd=work)
    dist = work / "dist"
    run([builder, "-m", "hatchling", "build", "-t", "sdist", "-d", dist], cwd=REPO)
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        in_sdist = themes_in(archive.getnames(), "/themes/")
    run(
        [
            builder,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            sdist,
            "-w",
            dist,
        ],
        cwd=work,
    )
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = themes_in(archive.namelist(), "tamatar_site/themes/")
    print(f"themes: checkout {shipped}, sdist {sorted(in_sdist)}, wheel {sorted(in_wheel)}")
    if not (set(shipped) == in_sdist == in_wheel):
        sys.exit("the sdist or the wheel does not carry every shipped theme")

    python = make_venv(work / "venv")
    run([python, "-m", "pip", "install", "-q", "-r", lock], cwd=work)
    run([python, "-m", "pip", "install", "-q", "--no-deps", wheel], cwd=work)
    where = run(
        [python, "-c", "from tamatar_site.load.themes import *; print(shipped_themes_dir())"],
        cwd=work,
    ).strip()
    if not where.startswith(str(work / "venv")):
        sys.exit(f"the installed tamatar finds its themes outside the venv: {where}")
    checkout_tamatar = Path(sys.executable).parent / "tamatar"
    failed = False
    for theme in shipped:
        expected = build_example(checkout_tamatar, work, theme, "checkout")
        pages = build_example(python.parent / "tamatar", work, theme, "wheel")
        print(f"installed wheel, theme {theme}: {pages} pages written (checkout: {expected})")
        failed |= pages != expected or pages < 100
    if failed:
        sys.exit("the installed wheel did not build every page")
    print("ok")


if __name__ == "__main__":
    main()
