"""`tamatar build` with nothing changed stops early from file stats alone (nochange.py).

The signal that the fast path was taken: the manifest file is not rewritten (a normal build
deletes it before building and writes a new one after) and no output file is touched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from searchindex import comparable
from sitefiles import FIXED_EPOCH, output_stats, stat_key, tree_bytes, write_site

from tamatar_site.build import filestats
from tamatar_site.build import manifest as nochange
from tamatar_site.build.pipeline import BuildOptions, build_site
from tamatar_site.cli import main
from tamatar_site.load.themes import shipped_themes_dir

CONFIG = """\
site:
  title: Asha's devlog
  base_url: https://asha.github.io/devlog/
  timezone: Asia/Kolkata
tags:
  rust: {color: "#dea584", description: Systems programming}
"""

FILES = {
    "logs/2026-11-20-lifetimes.md": """\
        ---
        title: Lifetimes
        date: 2026-11-20
        tags: [rust]
        ---
        Lifetimes are **annotations**, not a runtime thing.
        """,
    "logs/2026-11-21-traits.md": """\
        ---
        title: Traits
        date: 2026-11-21
        tags: [rust]
        ---
        Traits and generics.
        """,
    "logs/2026-11-22-draft.md": """\
        ---
        title: Half done
        date: 2026-11-22
        draft: true
        ---
        Not yet.
        """,
    "projects/tamatar.yaml": """\
        name: tamatar
        description: A static-site generator.
        """,
}

HEAVY_MODULES = ("pydantic", "jinja2", "markdown_it", "pygments", "httpx", "yaml", "feedgen")


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def build(site: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["build", str(site), *args])


def manifest_of(site: Path) -> Path:
    return site / nochange.MANIFEST


def settle() -> None:
    """Let the file system's clock tick past the files just written (they would be racy)."""
    time.sleep(0.05)


def recorded_site(tmp_path: Path, *args: str) -> Path:
    """A site built once, with its manifest saved."""
    site = write_site(tmp_path / "site", FILES, config=CONFIG)
    settle()
    result = build(site, *args)
    assert result.exit_code == 0, result.output
    if not manifest_of(site).is_file():
        # The first build of a fresh checkout may create __pycache__ folders in tamatar's
        # package while it runs: too recent to trust, so that build saves no manifest.
        settle()
        assert build(site, *args).exit_code == 0
    assert manifest_of(site).is_file()
    return site


def assert_fast(site: Path, *args: str, output: str = "_site") -> Result:
    manifest_before = stat_key(manifest_of(site))
    outputs_before = output_stats(site / output)
    result = build(site, *args)
    assert result.exit_code == 0, result.output
    assert stat_key(manifest_of(site)) == manifest_before, "the manifest was rewritten"
    assert output_stats(site / output) == outputs_before
    return result


def assert_rebuilt(site: Path, *args: str) -> Result:
    manifest = manifest_of(site)
    before = stat_key(manifest) if manifest.exists() else None
    result = build(site, *args)
    assert result.exit_code == 0, result.output
    assert manifest.is_file(), "a successful build saves a manifest"
    assert stat_key(manifest) != before, "the fast path was taken"
    return result


def test_nothing_changed_takes_the_fast_path_and_reports_like_a_normal_build(
    tmp_path: Path,
) -> None:
    site = recorded_site(tmp_path)
    fast = assert_fast(site)
    summary = fast.output.strip().splitlines()[-1]
    files = sum(1 for p in (site / "_site").rglob("*") if p.is_file())
    files -= 1  # .tamatar-output, the list of these files, is not counted
    assert summary.startswith(f"0 pages written, {files} unchanged, 0 removed in ")
    assert summary.endswith(f" -> {site / '_site'}")
    # The normal path, forced by deleting the manifest, says the same.
    manifest_of(site).unlink()
    normal = build(site).output.strip().splitlines()[-1]
    assert normal.split(" in ")[0] == summary.split(" in ")[0]
    assert normal.split(" -> ")[1] == summary.split(" -> ")[1]


def test_quiet_fast_path_prints_nothing(tmp_path: Path) -> None:
    site = recorded_site(tmp_path)
    assert assert_fast(site, "-q").output == ""


def test_fast_path_output_is_byte_identical_to_a_cold_build(tmp_path: Path) -> None:
    site = recorded_site(tmp_path)
    assert_fast(site)
    copy = tmp_path / "copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".tamatar", "_site"))
    assert build(copy).exit_code == 0
    assert tree_bytes(site / "_site") == tree_bytes(copy / "_site")


def test_fast_path_imports_nothing_of_the_build_stack(tmp_path: Path) -> None:
    site = recorded_site(tmp_path)
    probe = (
        "import sys\n"
        "from tamatar_site.cli import main\n"
        f"try:\n    main(['build', {str(site)!r}, '-q'])\n"
        "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
        "print('tamatar_site.build.pipeline' in sys.modules)\n"
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    before = stat_key(manifest_of(site))
    ran = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert ran.stdout.splitlines() == ["[]", "False"]
    assert stat_key(manifest_of(site)) == before
    # The same probe after a change does load the stack: the probe can fail.
    (site / "logs/2026-11-21-traits.md").write_text("---\ntitle: T\ndate: 2026-11-21\n---\nx\n")
    ran = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert ran.stdout.splitlines()[-1] == "True"


def append_to_log(site: Path) -> None:
    with (site / "logs/2026-11-21-traits.md").open("a", encoding="utf-8") as handle:
        handle.write("\nA new sentence.\n")


def same_size_edit_with_restored_mtime(site: Path) -> None:
    log = site / "logs/2026-11-21-traits.md"
    info = log.stat()
    text = log.read_text(encoding="utf-8")
    log.write_text(text.replace("Traits and generics.", "Traits und generics."), encoding="utf-8")
    assert log.stat().st_size == info.st_size
    os.utime(log, ns=(info.st_atime_ns, info.st_mtime_ns))


def add_log(site: Path) -> None:
    (site / "logs/2026-11-19-start.md").write_text(
        "---\ntitle: Starting out\ndate: 2026-11-19\n---\nHello.\n", encoding="utf-8"
    )


def remove_log(site: Path) -> None:
    (site / "logs/2026-11-20-lifetimes.md").unlink()


def edit_config(site: Path) -> None:
    config = site / "tamatar.yaml"
    config.write_text(config.read_text().replace("Asha's devlog", "Asha's notes"))


def add_template_override(site: Path) -> None:
    theme = shipped_themes_dir() / "default/templates"
    (site / "templates").mkdir()
    base = (theme / "base.html").read_text(encoding="utf-8")
    (site / "templates/base.html").write_text(base + "<!-- overridden -->\n", encoding="utf-8")


def add_static_file(site: Path) -> None:
    (site / "static").mkdir(exist_ok=True)
    (site / "static/hello.txt").write_text("hello\n", encoding="utf-8")


def edit_output_file(site: Path) -> None:
    (site / "_site/index.html").write_text("edited by hand", encoding="utf-8")


def delete_output_file(site: Path) -> None:
    (site / "_site/tags/rust/index.html").unlink()


def add_output_file(site: Path) -> None:
    (site / "_site/logs/stray.html").write_text("stray", encoding="utf-8")


def delete_output_folder(site: Path) -> None:
    shutil.rmtree(site / "_site")


def add_github_cache_file(site: Path) -> None:
    folder = site / ".tamatar/cache/github"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0123456789abcdef0123456789abcdef.json").write_text("{}", encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit a log": append_to_log,
    "same-size edit, mtime restored": same_size_edit_with_restored_mtime,
    "add a log": add_log,
    "remove a log": remove_log,
    "edit tamatar.yaml": edit_config,
    "add a template": add_template_override,
    "add a static file": add_static_file,
    "edit an output file": edit_output_file,
    "delete an output file": delete_output_file,
    "delete the output folder": delete_output_folder,
    "add a GitHub cache file": add_github_cache_file,
}


@pytest.mark.parametrize("changed", [None, "first", "last"])
def test_many_files_are_checked_in_two_processes_and_any_change_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str | None
) -> None:
    """Past a few thousand paths the check stats half of them in a forked process (as on a
    2-core machine with no other thread); a change in either half is seen."""
    folder = tmp_path / "files"
    folder.mkdir()
    for number in range(filestats._SPLIT_FROM + 100):
        (folder / f"{number}.html").write_bytes(b"x")
    found = filestats.scan([str(folder)])
    packed = filestats.pack(found)
    forks: list[int] = []
    fork = os.fork
    monkeypatch.setattr(filestats, "_may_fork", lambda: True)
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or fork())
    if changed is not None:  # the first half is this process's, the second the child's
        Path(found.paths[1] if changed == "first" else found.paths[-1]).write_bytes(b"xy")
    assert filestats.unchanged(packed) is (changed is None)
    assert forks == [1]


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_takes_the_normal_path_with_cold_build_output(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    site = recorded_site(tmp_path)
    change(site)
    settle()
    assert_rebuilt(site)
    copy = tmp_path / "copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".tamatar", "_site"))
    if (site / ".tamatar/cache/github").is_dir():
        shutil.copytree(site / ".tamatar/cache/github", copy / ".tamatar/cache/github")
    assert build(copy).exit_code == 0
    output, cold = tree_bytes(site / "_site"), tree_bytes(copy / "_site")
    assert comparable(output) == comparable(cold)  # the search index: what it finds


def test_a_file_added_to_the_output_stays_and_takes_the_fast_path(tmp_path: Path) -> None:
    """A normal build keeps files nobody wrote, so it would write what the output has:
    the manifest checks the build's own files (found in the output by name), not the
    output's folders."""
    site = recorded_site(tmp_path)
    add_output_file(site)
    settle()
    assert_fast(site)
    assert (site / "_site/logs/stray.html").read_text(encoding="utf-8") == "stray"
    delete_output_file(site)
    settle()
    assert_rebuilt(site)
    assert (site / "_site/logs/stray.html").read_text(encoding="utf-8") == "stray"


def test_edited_log_shows_up_in_the_output(tmp_path: Path) -> None:
    site = recorded_site(tmp_path)
    append_to_log(site)
    settle()
    assert_rebuilt(site)
    pages = [p.read_text() for p in (site / "_site").rglob("index.html")]
    assert any("A new sentence." in page for page in pages)


@pytest.mark.parametrize(
    "options", [["--drafts"], ["--base-url", "https://example.org/x/"], ["--offline"]]
)
def test_other_options_take_the_normal_path(tmp_path: Path, options: list[str]) -> None:
    site = recorded_site(tmp_path)
    assert_rebuilt(site, *options)
    assert_fast(site, *options)
    assert_rebuilt(site)


def test_another_output_folder_takes_the_normal_path(tmp_path: Path) -> None:
    site = recorded_site(tmp_path)
    other = tmp_path / "elsewhere"
    assert_rebuilt(site, "-o", str(other))
    assert (other / "index.html").is_file()
    manifest = stat_key(manifest_of(site))
    assert build(site, "-o", str(other)).exit_code == 0
    assert stat_key(manifest_of(site)) == manifest


def test_a_new_day_takes_the_normal_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = recorded_site(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_EPOCH) + 86400))
    assert_rebuilt(site)
    assert_fast(site)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert_rebuilt(site)  # the real clock: the variable is part of what must match


def test_a_failed_build_saves_no_manifest_and_reports_its_errors_every_time(
    tmp_path: Path,
) -> None:
    site = recorded_site(tmp_path)
    broken = site / "logs/2026-11-21-traits.md"
    broken.write_text("---\ntitle: Traits\ndate: not a date\n---\nx\n", encoding="utf-8")
    for _ in range(2):
        result = build(site)
        assert result.exit_code == 1
        assert "logs/2026-11-21-traits.md:3:" in result.output
        assert "nothing was written" in result.output
        assert not manifest_of(site).exists()
    broken.write_text("---\ntitle: Traits\ndate: 2026-11-21\n---\nFixed.\n", encoding="utf-8")
    settle()
    assert_rebuilt(site)
    assert_fast(site)


def test_warnings_are_printed_again_by_the_fast_path(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {**FILES, "logs/2026-12-01-future.md": "---\ntitle: Later\ndate: 2026-12-01\n---\nx\n"},
        config=CONFIG,
    )
    settle()
    first = build(site)
    assert "after today" in first.output
    fast = assert_fast(site, "-q")
    assert fast.output.strip() == first.output.strip().splitlines()[0]
    assert "warning: log is dated 2026-12-01" in fast.output


GITHUB_CONFIG = CONFIG + "github:\n  user: asha\n  api_url: http://127.0.0.1:9/\n"


def test_a_site_whose_github_cache_is_not_fresh_takes_the_fast_path_only_offline(
    tmp_path: Path,
) -> None:
    site = write_site(tmp_path / "site", FILES, config=GITHUB_CONFIG)
    settle()
    for _ in range(2):
        online = build(site)
        assert online.exit_code == 0, online.output
        assert "GitHub" in online.output  # could not reach the fake address: a warning
        assert not manifest_of(site).exists(), "an online build may bring new GitHub data"
    assert_rebuilt(site, "--offline")
    assert_fast(site, "--offline")
    online = build(site)  # online again: not the offline build's manifest
    assert online.exit_code == 0 and "GitHub" in online.output
    assert not manifest_of(site).exists()


def test_an_input_changed_during_the_build_saves_no_manifest(tmp_path: Path) -> None:
    site = recorded_site(tmp_path)
    request = nochange.BuildRequest(site, None, False, None, False)
    stamp = nochange.prepare(request)
    assert not manifest_of(site).exists()
    result = build_site(site, BuildOptions())
    append_to_log(site)  # after the build read it: its output is already stale
    assert not nochange.record(request, stamp, result)
    assert not manifest_of(site).exists()
    settle()
    assert_rebuilt(site)


def test_files_as_recent_as_the_clock_are_reported(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    old.write_text("old")
    settle()
    stamp = nochange.prepare(
        nochange.BuildRequest(write_site(tmp_path, {}), None, False, None, False)
    )
    assert stamp is not None
    new = tmp_path / "new.txt"
    new.write_text("new")
    found = nochange.scan([str(old), str(new)], stamp)
    assert found.recent == [str(new)]
    assert nochange.unchanged(nochange.pack(found))
    new.write_text("NEW")
    assert not nochange.unchanged(nochange.pack(found))


def test_not_a_site_gets_no_cache_folder(tmp_path: Path) -> None:
    result = build(tmp_path / "missing")
    assert result.exit_code != 0
    assert not (tmp_path / "missing/.tamatar").exists()


@pytest.mark.parametrize(
    "damage", [b"", b"not marshal", None], ids=["empty", "garbage", "wrong shape"]
)
def test_a_damaged_manifest_means_a_normal_build(tmp_path: Path, damage: bytes | None) -> None:
    import marshal

    site = recorded_site(tmp_path)
    if damage is None:  # the right identity and options, but the walk is not a packed one
        identity, manifest = marshal.loads(manifest_of(site).read_bytes())
        manifest["inputs"] = (1, 2)
        damage = marshal.dumps((identity, manifest))
    manifest_of(site).write_bytes(damage)
    settle()
    assert_rebuilt(site)
    assert_fast(site)


@pytest.mark.parametrize("matches", [True, False], ids=["same bytes", "other bytes"])
def test_output_files_recorded_by_digest_are_checked_by_content(
    tmp_path: Path, matches: bool
) -> None:
    """An output file as recent as the clock is recorded with a digest of its bytes: the
    fast path needs the bytes to match too, not only the signature."""
    import hashlib
    import marshal

    site = recorded_site(tmp_path)
    index = site / "_site/index.html"
    digest = hashlib.blake2b(index.read_bytes()).digest() if matches else b"other bytes"
    identity, manifest = marshal.loads(manifest_of(site).read_bytes())
    manifest["digests"] = {os.path.abspath(index): digest}
    manifest_of(site).write_bytes(marshal.dumps((identity, manifest)))
    settle()
    if matches:
        assert_fast(site)
    else:
        assert_rebuilt(site)


# Command lines the `tamatar` entry point checks itself, before loading click (entry.py).
SIMPLE_ARGUMENTS = {
    "no options": [],
    "the site": ["site"],
    "quiet, short": ["-q"],
    "every flag": ["--quiet", "--offline", "--drafts", "--future"],
    "site after options": ["--offline", "-o", "out", "site"],
    "long options with values": ["site", "--output", "out", "--base-url", "https://x.example/"],
    "an option given twice": ["-o", "first", "-o", "second"],
}
# ...and those it leaves to click: anything else.
OTHER_ARGUMENTS = {
    "strict": ["--strict"],
    "refresh": ["--refresh"],
    "short options together": ["-qo", "out"],
    "a value after =": ["--output=out"],
    "two sites": ["site", "other"],
    "a value missing": ["-o"],
    "an option as the value": ["-o", "-q"],
    "an empty value": ["-o", ""],
    "the end of options": ["--", "site"],
    "help": ["--help"],
    "a dash": ["-"],
}


@pytest.mark.parametrize("args", SIMPLE_ARGUMENTS.values(), ids=SIMPLE_ARGUMENTS.keys())
def test_the_entry_point_reads_a_simple_build_command_as_click_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    from tamatar_site.cli import build as build_command
    from tamatar_site.entry import simple_build_request

    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    parsed = simple_build_request(["build", *args])
    assert parsed is not None
    request, quiet = parsed
    params = build_command.make_context("build", list(args)).params
    expected = nochange.BuildRequest(
        params["site"],
        params["output"],
        params["drafts"],
        params["base_url"],
        params["offline"],
        params["future"],
        params["refresh"],
    )
    assert (request.key(), request.refresh, quiet) == (
        expected.key(),
        expected.refresh,
        params["quiet"],
    )


@pytest.mark.parametrize("args", OTHER_ARGUMENTS.values(), ids=OTHER_ARGUMENTS.keys())
def test_the_entry_point_leaves_every_other_command_line_to_click(args: list[str]) -> None:
    from tamatar_site.entry import simple_build_request

    assert simple_build_request(["build", *args]) is None
    assert simple_build_request(["check", *args]) is None
    assert simple_build_request(["--version", "build", *args]) is None


ENTRY_PROBE = """\
import sys
from tamatar_site.entry import main
sys.argv = ["tamatar", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    assert not stop.code, stop.code
print(sorted(m for m in {modules!r} if m in sys.modules))
"""


def test_the_entry_point_answers_an_unchanged_build_without_loading_click(
    tmp_path: Path,
) -> None:
    site = recorded_site(tmp_path)
    light = ("click", "pathlib", "dataclasses", "zoneinfo", *HEAVY_MODULES)
    probe = ENTRY_PROBE.format(modules=light)
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    before = stat_key(manifest_of(site)), output_stats(site / "_site")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", probe, "build", str(site), *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, check=True)

    entry = run()
    assert entry.stdout.splitlines() == ["[]"]
    assert (stat_key(manifest_of(site)), output_stats(site / "_site")) == before
    # It prints what the CLI's own fast path prints, with this command's time.
    cli = build(site)
    seconds = re.compile(r"in \d+\.\d\ds")
    assert seconds.sub("in Ns", entry.stderr) == seconds.sub("in Ns", cli.output)
    assert f"-> {site / '_site'}\n" in entry.stderr
    # Spelled differently, the output folder is shown as this command line names it.
    from_the_site = subprocess.run(
        [sys.executable, "-c", probe, "build"],
        capture_output=True,
        text=True,
        env=env,
        cwd=site,
        check=True,
    )
    assert from_the_site.stdout.splitlines() == ["['pathlib']"]  # to print it, not to check
    assert from_the_site.stderr.endswith(" -> _site\n"), from_the_site.stderr
    # After a change the entry point hands the build to the CLI: the probe can fail.
    append_to_log(site)
    assert "'click'" in run().stdout


def test_a_build_on_the_real_clock_is_kept_until_its_day_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt
    import zoneinfo

    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    site = recorded_site(tmp_path)
    request = nochange.BuildRequest(site, None, False, None, False)
    recorded = nochange.read(request)
    assert recorded is not None
    start, end = recorded["day_window"]
    kolkata = zoneinfo.ZoneInfo("Asia/Kolkata")  # the site's time zone
    assert dt.datetime.fromtimestamp(start, kolkata).time() == dt.time(0)
    assert end - start == 86400
    assert nochange.check(request, recorded) is not None
    for moment, kept in [(start - 1, False), (start, True), (end - 1, True), (end, False)]:
        monkeypatch.setattr(nochange.time, "time", lambda moment=moment: moment)
        assert (nochange.check(request, recorded) is not None) == kept, moment


def test_a_day_whose_utc_offset_changes_has_no_window(monkeypatch: pytest.MonkeyPatch) -> None:
    from tamatar_site.clock import day_window

    noon = {"2026-03-29": 1774785600, "2026-03-30": 1774872000}  # 12:00 UTC each day
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(noon["2026-03-29"]))
    assert day_window("Europe/Berlin") is None  # clocks go forward at 02:00 that day
    assert day_window("UTC") == (1774742400.0, 1774828800.0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(noon["2026-03-30"]))
    window = day_window("Europe/Berlin")
    assert window is not None and window[1] - window[0] == 86400
