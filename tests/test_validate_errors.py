"""One small broken site per kind of mistake, with the exact diagnostics it must produce."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.validate import load_site

LOG = "---\ntitle: A log\n---\nSome text.\n"

CASES: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    "yaml syntax error in front matter (line offset)": (
        {"logs/2026-11-01-a.md": "---\ntitle: ok\ntags: [rust\n---\nBody\n"},
        [
            "logs/2026-11-01-a.md:4:1: error: invalid YAML: did not find expected ',' or ']' "
            "(while parsing a flow sequence from line 3, column 7)"
        ],
    ),
    "yaml syntax error in tamatar.yaml": (
        {"tamatar.yaml": "site:\n  title: T\n  base_url: : x\n"},
        ["tamatar.yaml:3:13: error: invalid YAML: mapping values are not allowed in this context"],
    ),
    "yaml syntax error in a project": (
        {"projects/p.yaml": "name: P\n  status: active\n"},
        [
            "projects/p.yaml:2:9: error: invalid YAML: "
            "mapping values are not allowed in this context"
        ],
    ),
    "unknown key with a suggestion": (
        {"logs/2026-11-01-a.md": "---\ntitle: A\ntgas: [rust]\n---\nBody\n"},
        ["logs/2026-11-01-a.md:3:1: error: unknown key `tgas` (did you mean `tags`?)"],
    ),
    "misspelt required key is one mistake, not two": (
        {"logs/2026-11-01-a.md": "---\ntitel: A\n---\nBody\n"},
        ["logs/2026-11-01-a.md:2:1: error: unknown key `titel` (did you mean `title`?)"],
    ),
    "unknown key without a close match": (
        {"resources/r.yaml": "title: R\nwhatever: 1\n"},
        ["resources/r.yaml:2:1: error: unknown key `whatever`"],
    ),
    "unknown nested config key": (
        {"tamatar.yaml": "site:\n  title: T\n  timezon: UTC\n"},
        ["tamatar.yaml:3:3: error: unknown key `timezon` in `site` (did you mean `timezone`?)"],
    ),
    "unknown top-level config key": (
        {"tamatar.yaml": "site: {title: T}\nprofle: {name: X}\n"},
        ["tamatar.yaml:2:1: error: unknown key `profle` (did you mean `profile`?)"],
    ),
    "missing required key": (
        {"logs/2026-11-01-a.md": "---\nmood: 5\n---\nBody\n"},
        ["logs/2026-11-01-a.md:2:1: error: missing required key `title`"],
    ),
    "missing key in an empty front matter": (
        {"logs/2026-11-01-a.md": "---\n---\nBody\n"},
        ["logs/2026-11-01-a.md:1:1: error: missing required key `title`"],
    ),
    "missing key inside a list item": (
        {"projects/p.yaml": "name: P\nmilestones:\n  - {title: one}\n  - {done: true}\n"},
        ["projects/p.yaml:4:5: error: missing required key `title` in `milestones[1]`"],
    ),
    "missing site section": (
        {"tamatar.yaml": "profile:\n  name: X\n"},
        ["tamatar.yaml:1:1: error: missing required key `site`"],
    ),
    "wrong type": (
        {"logs/2026-11-01-a.md": "---\ntitle: A\nmood: high\n---\nBody\n"},
        ["logs/2026-11-01-a.md:3:1: error: `mood` must be a whole number (got `high`)"],
    ),
    "mood below range": (
        {"logs/2026-11-01-a.md": "---\ntitle: A\nmood: 0\n---\nBody\n"},
        ["logs/2026-11-01-a.md:3:1: error: `mood` must be at least 1 (got 0)"],
    ),
    "productivity above range": (
        {"logs/2026-11-01-a.md": "---\ntitle: A\nproductivity: 11\n---\nBody\n"},
        ["logs/2026-11-01-a.md:3:1: error: `productivity` must be at most 10 (got 11)"],
    ),
    "rating above range": (
        {"resources/r.yaml": "title: R\nrating: 6\n"},
        ["resources/r.yaml:2:1: error: `rating` must be at most 5 (got 6)"],
    ),
    "progress above range": (
        {"goals/g.yaml": "title: G\nprogress: 101\n"},
        ["goals/g.yaml:2:1: error: `progress` must be at most 100 (got 101)"],
    ),
    "bad enum with a suggestion": (
        {"resources/r.yaml": "title: R\nstatus: in progress\n"},
        [
            "resources/r.yaml:2:1: error: `status` must be one of to-read, in-progress or done "
            "(got `in progress`) (did you mean `in-progress`?)"
        ],
    ),
    "bad enum in a nested list": (
        {"tamatar.yaml": "site: {title: T}\nfeeds:\n  formats: [atom, rdf]\n"},
        [
            "tamatar.yaml:3:19: error: `feeds.formats[1]` must be one of atom, rss or json "
            "(got `rdf`)"
        ],
    ),
    "impossible date": (
        {"logs/2026-11-01-a.md": "---\ntitle: A\ndate: 2026-02-30\n---\nBody\n"},
        [
            "logs/2026-11-01-a.md:3:7: error: `2026-02-30` is not a valid date: "
            "day is out of range for month"
        ],
    ),
    "date that is not a date": (
        {"projects/p.yaml": "name: P\nstart_date: last tuesday\n"},
        [
            "projects/p.yaml:2:1: error: `start_date`: `last tuesday` is not a date; "
            "write it as YYYY-MM-DD"
        ],
    ),
    "log without any date": (
        {"logs/notes.md": LOG},
        [
            "logs/notes.md:1:1: error: missing required key `date` "
            "(or start the file name with YYYY-MM-DD-)"
        ],
    ),
    "end date before start date": (
        {"projects/p.yaml": "name: P\nstart_date: 2026-05-01\nend_date: 2026-04-01\n"},
        ["projects/p.yaml:3:1: error: `end_date` 2026-04-01 is before `start_date` 2026-05-01"],
    ),
    "url that is not http": (
        {"resources/r.yaml": "title: R\nurl: ftp://example.org/file\n"},
        [
            "resources/r.yaml:2:1: error: `url`: `ftp://example.org/file` is not a web "
            "address; it must start with https:// or http://"
        ],
    ),
    "config url that is not http": (
        {"tamatar.yaml": "site: {title: T}\nfollowing:\n  - {name: X, url: 'mailto:x@y.z'}\n"},
        [
            "tamatar.yaml:3:15: error: `following[0].url` is not a valid URL: url scheme "
            "should be 'http' or 'https' (got `mailto:x@y.z`)"
        ],
    ),
    "bad slug": (
        {"logs/2026-11-01-a.md": "---\ntitle: A\nslug: Hello World\n---\nBody\n"},
        [
            "logs/2026-11-01-a.md:3:1: error: `slug`: `Hello World` is not a valid slug: "
            "use lowercase letters, digits, `-` and `_`"
        ],
    ),
    "file name that is not a slug": (
        {"projects/My Project.yaml": "name: P\n"},
        [
            "projects/My Project.yaml:1:1: error: file name `My Project.yaml` gives the slug "
            "`My Project`, which is not valid: rename the file using lowercase letters, "
            "digits, `-` and `_`"
        ],
    ),
    "repo on another host": (
        {"projects/p.yaml": "name: P\nrepo: https://gitlab.com/a/b\n"},
        [
            "projects/p.yaml:2:1: error: `repo`: `https://gitlab.com/a/b` is not on GitHub "
            "(its host is `gitlab.com`); tamatar reads repositories from GitHub only: "
            "write it as owner/name"
        ],
    ),
    "repo that is no repository": (
        {"projects/p.yaml": "name: P\nrepo: just-a-name\n"},
        [
            "projects/p.yaml:2:1: error: `repo`: `just-a-name` is not a GitHub repository: "
            "write it as owner/name (such as octocat/hello-world) or paste its GitHub URL"
        ],
    ),
    "bad commits": (
        {"logs/2026-11-01-a.md": "---\ntitle: A\ncommits: [xyz]\n---\nBody\n"},
        [
            "logs/2026-11-01-a.md:3:1: error: `commits` must be `auto`, `none` or a list of "
            "commit SHAs (7 to 40 hex digits)"
        ],
    ),
    "bad time zone": (
        {"tamatar.yaml": "site:\n  title: T\n  timezone: Mars/Olympus\n"},
        [
            "tamatar.yaml:3:3: error: `site.timezone`: unknown time zone `Mars/Olympus` "
            "(use an IANA name such as Europe/Berlin)"
        ],
    ),
    "config tag key that is not a slug": (
        {
            "tamatar.yaml": "site: {title: T}\ntags:\n  rust: {color: '#dea584'}\n"
            "  Machine Learning: {}\n"
        },
        [
            "tamatar.yaml:4:3: error: tag `Machine Learning` is written `machine-learning` in "
            "tags and URLs; use that as the key"
        ],
    ),
    "avatar file that does not exist": (
        {"tamatar.yaml": "site: {title: T}\nprofile:\n  avatar: static/me.png\n"},
        [
            "tamatar.yaml:3:3: error: `profile.avatar`: static/me.png does not exist (give a "
            "path from the site folder, such as static/avatar.png, or a URL)"
        ],
    ),
    "unknown goal named by a log": (
        {
            "goals/rust-fluency.yaml": "title: Rust\n",
            "logs/2026-11-01-a.md": "---\ntitle: A\ngoals: [rust-fluency, rust-fluenc]\n---\nB\n",
        },
        [
            "logs/2026-11-01-a.md:3:23: error: unknown goal `rust-fluenc` "
            "(did you mean `rust-fluency`?)"
        ],
    ),
    "rating that is not a whole or half star": (
        {"resources/r.yaml": "title: R\nrating: 4.3\n"},
        ["resources/r.yaml:2:1: error: `rating` must be a multiple of 0.5 (got 4.3)"],
    ),
    "unknown project": (
        {
            "projects/tidepool.yaml": "name: T\n",
            "logs/2026-11-01-a.md": "---\ntitle: A\nproject: tidepol\n---\nBody\n",
        },
        ["logs/2026-11-01-a.md:3:1: error: unknown project `tidepol` (did you mean `tidepool`?)"],
    ),
    "unknown resource in a log": (
        {
            "resources/rust-book.yaml": "title: R\n",
            "logs/2026-11-01-a.md": "---\ntitle: A\nresources:\n  - rust-book\n  - nomicon\n"
            "---\nBody\n",
        },
        ["logs/2026-11-01-a.md:5:5: error: unknown resource `nomicon`"],
    ),
    "unknown resource in a path step": (
        {
            "resources/ddia.yaml": "title: R\n",
            "paths/p.yaml": "title: P\nsteps:\n  - {title: one, resource: ddia}\n"
            "  - title: two\n    resource: dia\n",
        },
        ["paths/p.yaml:5:5: error: unknown resource `dia` (did you mean `ddia`?)"],
    ),
    "unknown goal": (
        {"goals/a.yaml": "title: A\ndepends_on: [b]\n"},
        ["goals/a.yaml:2:14: error: unknown goal `b`"],
    ),
    "dependency cycle": (
        {
            "goals/a.yaml": "title: A\ndepends_on: [b]\n",
            "goals/b.yaml": "title: B\ndepends_on: [c]\n",
            "goals/c.yaml": "title: C\ndepends_on:\n  - a\n",
        },
        ["goals/c.yaml:3:5: error: goal dependency cycle: a -> b -> c -> a"],
    ),
    "goal that depends on itself": (
        {"goals/a.yaml": "title: A\ndepends_on: [a]\n"},
        ["goals/a.yaml:2:14: error: goal dependency cycle: a -> a"],
    ),
    "duplicate project slug": (
        {"projects/p.yaml": "name: P\n", "projects/p.yml": "name: Q\n"},
        ["projects/p.yml:1:1: error: duplicate project slug `p`: projects/p.yaml uses it already"],
    ),
    "duplicate log slug on one day": (
        {"logs/a/2026-11-01-x.md": LOG, "logs/b/2026-11-01-x.md": LOG},
        [
            "logs/b/2026-11-01-x.md:1:1: error: duplicate log slug `x` on 2026-11-01: "
            "logs/a/2026-11-01-x.md uses it already"
        ],
    ),
    "duplicate yaml key": (
        {"logs/2026-11-01-a.md": "---\ntitle: A\nmood: 3\nmood: 4\n---\nBody\n"},
        ["logs/2026-11-01-a.md:4:1: error: duplicate key `mood` (first given on line 3)"],
    ),
    "missing front matter": (
        {"logs/2026-11-01-a.md": "# Just a heading\n"},
        [
            "logs/2026-11-01-a.md:1:1: error: missing front matter: the file must start with "
            "a `---` line (did you forget the `---` lines?)"
        ],
    ),
    "unclosed front matter": (
        {"snippets/s.md": "---\ntitle: S\n```py\nx = 1\n```\n"},
        [
            "snippets/s.md:1:1: error: front matter is never closed: add a `---` line after "
            "the last front-matter line"
        ],
    ),
    "file that is a list": (
        {"goals/g.yaml": "- title: G\n"},
        ["goals/g.yaml:1:1: error: the file must be a YAML mapping of keys to values (got a list)"],
    ),
    "unsupported yaml tag": (
        {"resources/r.yaml": "title: !!python/object:os.system x\n"},
        [
            "resources/r.yaml:1:8: error: unsupported YAML tag "
            "`tag:yaml.org,2002:python/object:os.system`"
        ],
    ),
    "non-scalar key": (
        {"resources/r.yaml": "title: R\n? [a, b]\n: c\n"},
        ["resources/r.yaml:2:3: error: a key must be a plain word, not a list or mapping"],
    ),
    "warning: log in the future": (
        {"logs/2026-12-25-x.md": "---\ntitle: A\ndate: 2026-12-25\n---\nBody\n"},
        [
            "logs/2026-12-25-x.md:3:1: warning: log is dated 2026-12-25, after today "
            "(2026-11-22); builds leave it out until that day (`--future` includes it)"
        ],
    ),
    "warning: empty body": (
        {"logs/2026-11-01-a.md": "---\ntitle: A\n---\n\n  \n"},
        ["logs/2026-11-01-a.md:3:1: warning: log has no text"],
    ),
    "warning: empty tag": (
        {
            "logs/2026-11-01-a.md": "---\ntitle: A\ntags:\n  - rust\n  -\n  - ' '\n"
            "  - '!!'\n---\nB\n"
        },
        [
            "logs/2026-11-01-a.md:5:4: warning: empty tag",
            "logs/2026-11-01-a.md:6:5: warning: empty tag",
            "logs/2026-11-01-a.md:7:5: warning: tag `!!` has no letters or digits",
        ],
    ),
    "warning: snippet without code": (
        {"snippets/s.md": "---\ntitle: S\n---\nNo code here.\n"},
        ["snippets/s.md:3:1: warning: snippet has no fenced code block"],
    ),
}


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.mark.parametrize("files, expected", CASES.values(), ids=list(CASES))
def test_mistake_is_reported_exactly(
    tmp_path: Path, files: dict[str, str | bytes], expected: list[str]
) -> None:
    site = write_site(tmp_path / "site", files)
    loaded = load_site(site)
    assert [d.format() for d in loaded.diagnostics] == expected
    has_error = any(": error: " in line for line in expected)
    assert loaded.diagnostics.has_errors is has_error
    assert (loaded.site is None) is has_error
