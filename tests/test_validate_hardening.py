"""Hostile or careless values get one diagnostic line each, never a traceback; types are
as strict as the README says; invisible characters and documented limits are enforced."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def _run(*arguments: str) -> Result:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _errors(site: Path) -> list[str]:
    """The lines of `tamatar check`, which must fail; `tamatar build` fails the same way."""
    checked = _run("check", str(site))
    assert checked.exit_code == 1
    built = _run("build", str(site), "--offline", "-q")
    assert built.exit_code == 1
    lines = checked.stdout.splitlines()
    count = len([line for line in lines if ": error: " in line])
    assert built.stderr.splitlines()[-1] == (
        f"Error: {count} error{'s' if count != 1 else ''}; nothing was written"
    )
    assert not (site / "_site").exists()
    return lines


def _config(extra: str) -> dict[str, str]:
    return {"tamatar.yaml": "site:\n  title: T\n" + extra}


def test_a_date_at_the_end_of_time_is_an_error_beside_the_others(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-01-a.md": "---\ntitle: A\ndate: 9999-12-31T23:59:59-12:00\n---\nT\n",
            "logs/2026-11-02-b.md": "---\ntitle: B\nmood: 11\n---\nT\n",
            "projects/p.yaml": "name: P\nstatus: done\n",
        },
    )
    assert _errors(site) == [
        "logs/2026-11-01-a.md:3:1: error: `date`: `9999-12-31T23:59:59-12:00` is out of range: "
        "dates must be between 1900-01-01 and 9998-12-31",
        "logs/2026-11-02-b.md:3:1: error: `mood` must be at most 10 (got 11)",
        "projects/p.yaml:2:1: error: `status` must be one of planning, active, paused, "
        "completed or archived (got `done`)",
    ]


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+14:00", "9999-12-31", "1899-12-31", "'9999-12-31 23:00'"]
)
def test_dates_out_of_range_are_errors(tmp_path: Path, value: str) -> None:
    site = write_site(tmp_path / "site", {"logs/a.md": f"---\ntitle: A\ndate: {value}\n---\nT\n"})
    lines = _errors(site)
    assert len(lines) == 1
    assert lines[0].startswith("logs/a.md:3:1: error: `date`: `")
    assert lines[0].endswith("is out of range: dates must be between 1900-01-01 and 9998-12-31")


def test_a_colour_with_a_trailing_newline_is_refused_by_check(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", _config('tags:\n  rust: {color: "#abc\\n"}\n'))
    assert _errors(site) == [
        "tamatar.yaml:4:10: error: `tags.rust.color`: `#abc\\n` is not a colour; "
        "write #rgb or #rrggbb"
    ]


def test_a_slug_with_a_trailing_newline_is_refused(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site", {"logs/2026-11-01-a.md": '---\ntitle: A\nslug: "ok\\n"\n---\nT\n'}
    )
    assert _errors(site) == [
        "logs/2026-11-01-a.md:3:1: error: `slug`: `ok\\n` is not a valid slug: use lowercase "
        "letters, digits, `-` and `_`"
    ]


def test_commits_since_has_an_upper_limit(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", _config("github:\n  commits_since: 99999999999999\n"))
    assert _errors(site) == [
        "tamatar.yaml:4:3: error: `github.commits_since` must be at most 36500 (got 99999999999999)"
    ]


def test_a_missing_theme_is_found_by_check(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", _config("  theme: themes/mine\n"))
    assert _errors(site) == [
        'tamatar.yaml:3:3: error: unknown theme "themes/mine": not a folder of the site\'s '
        "themes/, not a shipped theme (default, minimal) and not a folder with templates/"
    ]


@pytest.mark.parametrize(
    "line, message",
    [
        ("mood: true", "`mood` must be a whole number (got true)"),
        ("mood: '5'", "`mood` must be a whole number (got `5`)"),
        ("mood: 0x5", "`0x5` is read as the number 5: write numbers in decimal, or put text "),
        ("focus_minutes: 1:30", "`1:30` is read as the number 90: write numbers in decimal, "),
        ("productivity: 07", "`07` is read as the number 7: write numbers in decimal, or put "),
        ("title: 12345", "`title` must be text (got 12345); put it in quotes to make it text"),
        ("draft: 'yes'", "`draft` must be true or false (got `yes`)"),
        ("project: [a]", "`project` must be text (got a list)"),
    ],
)
def test_types_are_strict(tmp_path: Path, line: str, message: str) -> None:
    front = line if line.startswith("title") else f"title: A\n{line}"
    site = write_site(tmp_path / "site", {"logs/2026-11-01-a.md": f"---\n{front}\n---\nT\n"})
    lines = _errors(site)
    assert len(lines) == 1
    assert lines[0].startswith("logs/2026-11-01-a.md:")
    assert message in lines[0]


def test_yaml_dates_numbers_in_lists_and_slugs_that_are_numbers_still_work(
    tmp_path: Path,
) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "projects/2048.yaml": "name: '2048'\nstart_date: 2026-01-05\n",
            "logs/2026-11-01-a.md": (
                "---\ntitle: A\ndate: 2026-11-01 09:30\ntags: [2026, rust]\nproject: 2048\n"
                "mood: +7\nfocus_minutes: 1_000\n---\nT\n"
            ),
        },
    )
    result = _run("check", str(site))
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize(
    "avatar, message",
    [
        (
            '"javascript:alert(1)//://"',
            "`javascript:alert(1)//://` is neither a path in the site (such as "
            "static/avatar.png) nor a web address starting with https:// or http://",
        ),
        (
            "data:image/png;base64,AAAA",
            "`data:image/png;base64,AAAA` is neither a path in the site (such as "
            "static/avatar.png) nor a web address starting with https:// or http://",
        ),
        (
            "//evil.example/a.png",
            "`//evil.example/a.png` is neither a path in the site (such as "
            "static/avatar.png) nor a web address starting with https:// or http://",
        ),
    ],
)
def test_the_avatar_has_the_url_allow_list(tmp_path: Path, avatar: str, message: str) -> None:
    site = write_site(tmp_path / "site", _config(f"profile:\n  avatar: {avatar}\n"))
    assert _errors(site) == [f"tamatar.yaml:4:3: error: `profile.avatar`: {message}"]


def test_an_https_avatar_is_used(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", _config("profile:\n  avatar: https://x.org/a.png\n"))
    result = _run("build", str(site), "--offline", "-q")
    assert result.exit_code == 0, result.output
    assert 'src="https://x.org/a.png"' in (site / "_site" / "index.html").read_text("utf-8")


RLO = "\u202e"


@pytest.mark.parametrize(
    "files, expected",
    [
        (
            {"logs/2026-11-01-a.md": f"---\ntitle: Invoice {RLO}fdp.exe\n---\nT\n"},
            "logs/2026-11-01-a.md:2:1: error: `title` contains the invisible character U+202E "
            "(RIGHT-TO-LEFT OVERRIDE) at character 9; remove it: it can make the text read "
            "differently from what it is",
        ),
        (
            {"projects/p.yaml": 'name: "P\\u2066x"\n'},
            "projects/p.yaml:1:1: error: `name` contains the invisible character U+2066 "
            "(LEFT-TO-RIGHT ISOLATE) at character 2; remove it: it can make the text read "
            "differently from what it is",
        ),
        (
            {"logs/2026-11-01-a.md": '---\ntitle: A\ntags: [rust, "ru\\u200bst"]\n---\nT\n'},
            "logs/2026-11-01-a.md:3:14: error: `tags[1]` contains the invisible character "
            "U+200B (ZERO WIDTH SPACE) at character 3; remove it: it can make the text read "
            "differently from what it is",
        ),
        (
            {"goals/g.yaml": 'title: G\ntags: "go\\u200d"\n'},
            "goals/g.yaml:2:1: error: `tags[0]` contains the invisible character U+200D "
            "(ZERO WIDTH JOINER) at character 3; remove it: it can make the text read "
            "differently from what it is",
        ),
        (
            {"snippets/s.md": '---\ntitle: S\ntags: ["\\ufeffx"]\n---\n```\nx\n```\n'},
            "snippets/s.md:3:8: error: `tags[0]` contains the invisible character U+FEFF "
            "(ZERO WIDTH NO-BREAK SPACE) at character 1; remove it: it can make the text read "
            "differently from what it is",
        ),
        (
            {"tamatar.yaml": 'site:\n  title: "T\\u202a"\n'},
            "tamatar.yaml:2:3: error: `site.title` contains the invisible character U+202A "
            "(LEFT-TO-RIGHT EMBEDDING) at character 2; remove it: it can make the text read "
            "differently from what it is",
        ),
    ],
)
def test_invisible_characters_are_refused(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    site = write_site(tmp_path / "site", files)
    assert _errors(site) == [expected]


def test_a_joiner_in_an_emoji_title_is_kept(tmp_path: Path) -> None:
    title = "Pairing \U0001f469\u200d\U0001f4bb"
    site = write_site(tmp_path / "site", {"logs/2026-11-01-a.md": f"---\ntitle: {title}\n---\nT\n"})
    result = _run("build", str(site), "--offline", "-q")
    assert result.exit_code == 0, result.output
    page = site / "_site" / "logs" / "2026" / "11" / "01" / "a" / "index.html"
    assert f"<h1>{title}</h1>" in page.read_text("utf-8")


def _many(count: int, prefix: str) -> str:
    return "[" + ", ".join(f"{prefix}{n}" for n in range(count)) + "]"


@pytest.mark.parametrize(
    "files, expected",
    [
        (
            {"logs/2026-11-01-a.md": f"---\ntitle: A\ntags: {_many(21, 't')}\n---\nT\n"},
            "logs/2026-11-01-a.md:3:1: error: `tags` has 21 items; the limit is 20 "
            "(see Limits in the README)",
        ),
        (
            {"logs/2026-11-01-a.md": f"---\ntitle: A\ntags: [{'x' * 51}]\n---\nT\n"},
            "logs/2026-11-01-a.md:3:8: error: `tags[0]` is 51 characters long; the limit is 50 "
            "(see Limits in the README)",
        ),
        (
            {"logs/2026-11-01-a.md": f"---\ntitle: {'x' * 201}\n---\nT\n"},
            "logs/2026-11-01-a.md:2:1: error: `title` is 201 characters long; the limit is 200 "
            "(see Limits in the README)",
        ),
        (
            {"goals/g.yaml": "title: G\nmilestones:\n" + "  - title: m\n" * 201},
            "goals/g.yaml:2:1: error: `milestones` has 201 items; the limit is 200 "
            "(see Limits in the README)",
        ),
        (
            {"paths/p.yaml": "title: P\nsteps:\n" + "  - title: s\n" * 201},
            "paths/p.yaml:2:1: error: `steps` has 201 items; the limit is 200 "
            "(see Limits in the README)",
        ),
        (
            {"logs/2026-11-01-a.md": f"---\ntitle: A\nresources: {_many(201, 'r')}\n---\nT\n"},
            "logs/2026-11-01-a.md:3:1: error: `resources` has 201 items; the limit is 200 "
            "(see Limits in the README)",
        ),
    ],
)
def test_documented_limits(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    site = write_site(tmp_path / "site", files)
    assert _errors(site) == [expected]


def test_twenty_tags_of_fifty_characters_are_fine(tmp_path: Path) -> None:
    tags = ", ".join(f"{n:02d}" + "x" * 48 for n in range(20))
    site = write_site(
        tmp_path / "site", {"logs/2026-11-01-a.md": f"---\ntitle: A\ntags: [{tags}]\n---\nT\n"}
    )
    assert _run("check", str(site)).exit_code == 0
