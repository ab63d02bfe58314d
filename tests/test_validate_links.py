"""Relative links to content files that do not exist are warned about at the link;
`--strict` makes every warning an error for `check` and `build`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.validate.loader import ContentLoader

BROKEN = 'broken link "{}": no log, project or page at that path'


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def _run(*arguments: str) -> Result:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _log(body: str, title: str = "A", extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\n{body}"


LINKING_SITE: dict[str, str] = {
    "projects/tamatar.yaml": "name: Tamatar\n",
    "logs/2026/2026-11-02-b.md": _log("Text.\n", "B"),
    "logs/2026/2026-11-01-a.md": _log(
        "Intro line.\n"
        "See [the note](other-note.md) and [b](2026-11-02-b.md#part).\n"
        "Also [the project](../../projects/tamatar.yaml), [gone](../../projects/gone.yaml)\n"
        "and `[code](not-a-link.md)` and [web](https://example.org/x.md).\n"
        "\n"
        "```\n[fenced](not-a-link-either.md)\n```\n"
        "\n"
        "A [reference][r] link.\n"
        "\n"
        "[r]: ./missing%20file.md\n"
    ),
    "snippets/s.md": _log("```\nx\n```\n\nFrom [here](../logs/2026/nope.markdown?x=1).\n", "S"),
}

WARNINGS = [
    f"logs/2026/2026-11-01-a.md:5:16: warning: {BROKEN.format('other-note.md')}",
    f"logs/2026/2026-11-01-a.md:6:57: warning: {BROKEN.format('../../projects/gone.yaml')}",
    f"logs/2026/2026-11-01-a.md:15:6: warning: {BROKEN.format('./missing file.md')}",
    f"snippets/s.md:8:13: warning: {BROKEN.format('../logs/2026/nope.markdown')}",
]


def test_broken_links_are_warnings_at_the_link(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", LINKING_SITE)
    result = _run("check", str(site))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == WARNINGS
    assert result.stderr == "0 errors, 4 warnings\n"


def test_check_strict_makes_them_errors(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", LINKING_SITE)
    result = _run("check", str(site), "--strict")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [w.replace(": warning: ", ": error: ") for w in WARNINGS]
    assert result.stderr == "4 errors, 0 warnings\n"
    as_json = json.loads(_run("check", str(site), "--strict", "--format", "json").stdout)
    assert [entry["severity"] for entry in as_json] == ["error"] * 4


def test_build_warns_and_writes_but_strict_writes_nothing(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", LINKING_SITE)
    strict = _run("build", str(site), "--offline", "-q", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines() == [
        *(w.replace(": warning: ", ": error: ") for w in WARNINGS),
        "Error: 4 errors; nothing was written",
    ]
    assert not (site / "_site").exists()
    built = _run("build", str(site), "--offline", "-q")
    assert built.exit_code == 0
    assert built.stderr.splitlines() == WARNINGS
    page = site / "_site" / "logs" / "2026" / "11" / "01" / "a" / "index.html"
    assert 'href="other-note.md"' in page.read_text("utf-8")
    # the build that changed nothing is answered from its record: --strict still fails
    again = _run("build", str(site), "--offline", "-q", "--strict")
    assert again.exit_code == 1
    assert again.stderr.splitlines()[:4] == [
        w.replace(": warning: ", ": error: ") for w in WARNINGS
    ]


def test_links_that_resolve_give_nothing(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-01-a.md": _log("[b](2026-11-02-b.md) [p](../projects/p.yaml)\n"),
            "logs/2026-11-02-b.md": _log("[a](./2026-11-01-a.md#top)\n", "B"),
            "projects/p.yaml": "name: P\n",
        },
    )
    result = _run("check", str(site), "--strict")
    assert (result.exit_code, result.stdout) == (0, "")


def test_links_in_yaml_markdown_fields_are_checked_at_their_key(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "projects/p.yaml": "name: P\ndescription: |\n  See [the log](../logs/gone.md).\n",
            "resources/r.yaml": "title: R\nreview: Read [it](../projects/p.yaml) first.\n",
            "goals/g.yaml": "title: G\ndescription: '[x](nope.yaml)'\n",
            "paths/s.yaml": "title: S\ndescription: '[r](../resources/r.yaml)'\n",
        },
    )
    result = _run("check", str(site))
    assert result.stdout.splitlines() == [
        f"goals/g.yaml:2:1: warning: {BROKEN.format('nope.yaml')}",
        f"projects/p.yaml:2:1: warning: {BROKEN.format('../logs/gone.md')}",
    ]


def test_reference_links_of_every_form_are_checked(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-01-a.md": _log(
                "A [shortcut] link,\n"
                "a [collapsed][] one\n"
                "and a [full][Shortcut] one.\n"
                "\n"
                "[shortcut]: gone.md\n"
                "[collapsed]: <also gone.md>\n"
            )
        },
    )
    result = _run("check", str(site))
    # both uses of `shortcut` point at its definition: one line
    assert result.stdout.splitlines() == [
        f"logs/2026-11-01-a.md:8:13: warning: {BROKEN.format('gone.md')}",
        f"logs/2026-11-01-a.md:9:15: warning: {BROKEN.format('also gone.md')}",
    ]


def test_a_link_to_a_draft_is_a_warning_of_its_own(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-01-a.md": _log("Soon: [b](2026-11-02-b.md)\n"),
            "logs/2026-11-02-b.md": _log("Not yet.\n", "B", "draft: true\n"),
        },
    )
    result = _run("check", str(site))
    assert result.stdout.splitlines() == [
        'logs/2026-11-01-a.md:4:11: warning: link to a draft "2026-11-02-b.md": it is left '
        "out of this build"
    ]
    with_drafts = _run("build", str(site), "--offline", "-q", "--drafts", "--strict")
    assert (with_drafts.exit_code, with_drafts.stderr) == (0, "")


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ("Fine.\n", "Now [x](x.md).\n", f"4:9: warning: {BROKEN.format('x.md')}"),
        # paths that only a Markdown parse can read look the same to the quick scan
        (
            "[me](<2026-11-01-a.md>)\n",
            "[me](<gone one.md>)\n",
            f"4:7: warning: {BROKEN.format('gone one.md')}",
        ),
    ],
)
def test_a_link_broken_by_an_edit_is_seen_by_a_session(
    tmp_path: Path, before: str, after: str, expected: str
) -> None:
    """`tamatar serve` reloads changed logs only; an edit of the text alone still has its
    links checked."""
    site = write_site(tmp_path / "site", {"logs/2026-11-01-a.md": _log(before)})
    loader = ContentLoader(site)
    assert list(loader.load().diagnostics) == []
    path = site / "logs" / "2026-11-01-a.md"
    path.write_text(_log(after), encoding="utf-8")
    os.utime(path, ns=(1, 1))
    loaded = loader.load(changed=[path])
    assert [d.format() for d in loaded.diagnostics] == [f"logs/2026-11-01-a.md:{expected}"]
