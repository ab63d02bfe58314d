"""Nothing outside the site folder is read through a link; special files are never read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sitefiles import FIXED_EPOCH, write_site

SECRET = "tamatar-test-secret-5f1c2a"
LOG = "---\ntitle: {title}\ndate: 2026-11-{day}\n---\nBody of {title}.\n"


def tamatar(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI in its own process, with a secret in its environment; a build that
    reads forever fails the test by its timeout instead of hanging it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "GITHUB_TOKEN": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "tamatar_site.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
        cwd=cwd,
    )


def everything(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_static_links_out_of_the_site_and_special_files_are_skipped(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-20-one.md": LOG.format(title="One", day=20),
            "static/real.txt": "mine\n",
            "static/docs/guide.txt": "guide\n",
        },
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "private.txt").write_text(SECRET)
    static = site / "static"
    (static / "env.txt").symlink_to("/proc/self/environ")
    (static / "passwd.txt").symlink_to("/etc/passwd")
    (static / "random.bin").symlink_to("/dev/urandom")
    (static / "private.txt").symlink_to(elsewhere / "private.txt")
    (static / "outside").symlink_to(elsewhere)
    (static / "up.txt").symlink_to("../../elsewhere/private.txt")
    os.mkfifo(static / "pipe")
    (static / "alias.txt").symlink_to("real.txt")  # stays inside the site: followed
    (static / "manual").symlink_to("docs")
    (site / "notes.txt").write_text("site notes\n")
    (static / "notes.txt").symlink_to("../notes.txt")

    result = tamatar("build", str(site), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = tmp_path / "out"
    for name in ("env.txt", "passwd.txt", "random.bin", "private.txt", "up.txt", "pipe"):
        assert not (out / name).exists(), name
        assert f"static/{name}:1:1: warning: static/{name} is " in result.stderr, name
    assert "static/outside:1:1: warning: static/outside is a symbolic link" in result.stderr
    assert not (out / "outside").exists()
    assert SECRET.encode() not in everything(out)
    assert b"root:x:0:0:" not in everything(out)  # /etc/passwd (Pagefind's scripts say "root:")
    assert (out / "alias.txt").read_text() == "mine\n"
    assert (out / "manual/guide.txt").read_text() == "guide\n"
    assert (out / "notes.txt").read_text() == "site notes\n"
    assert "alias.txt" not in result.stderr and "manual" not in result.stderr

    again = tamatar("build", str(site), "-o", str(tmp_path / "out"))  # the no-change path
    assert again.returncode == 0
    assert "static/env.txt:1:1: warning:" in again.stderr
    check = tamatar("check", str(site))
    assert check.returncode == 0
    assert "static/pipe:1:1: warning: static/pipe is not a regular" in check.stdout


def test_template_overrides_that_link_out_of_the_site_are_not_used(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_text(f"<p>{SECRET}</p>")
    site = write_site(
        tmp_path / "site", {"logs/2026-11-20-one.md": LOG.format(title="One", day=20)}
    )
    (site / "templates").mkdir()
    (site / "templates/404.html").symlink_to(elsewhere)
    (site / "templates/robots.txt").symlink_to("/proc/self/environ")
    result = tamatar("build", str(site), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "templates/404.html:1:1: warning: templates/404.html is a symbolic link" in (
        result.stderr
    )
    assert "templates/robots.txt:1:1: warning:" in result.stderr
    out = tmp_path / "out"
    assert SECRET.encode() not in everything(out)
    assert "<h1>Page not found</h1>" in (out / "404.html").read_text()  # the theme's
    check = tamatar("check", str(site))
    assert "templates/404.html:1:1: warning:" in check.stdout


def test_content_links_out_of_the_site_are_skipped_and_check_reports_them(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "notes"
    outside.mkdir()
    (outside / "2026-11-19-leak.md").write_text(LOG.format(title=SECRET, day=19))
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-20-one.md": LOG.format(title="One", day=20),
            "drafts/2026-11-21-two.md": LOG.format(title="Two", day=21),
        },
    )
    (site / "logs/2026-11-19-leak.md").symlink_to(outside / "2026-11-19-leak.md")
    (site / "logs/elsewhere").symlink_to(outside)
    (site / "logs/2026-11-21-two.md").symlink_to("../drafts/2026-11-21-two.md")  # inside
    result = tamatar("build", str(site), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "logs/2026-11-19-leak.md:1:1: warning: logs/2026-11-19-leak.md is a symbolic" in (
        result.stderr
    )
    assert "logs/elsewhere:1:1: warning:" in result.stderr
    out = tmp_path / "out"
    assert SECRET.encode() not in everything(out)
    assert (out / "logs/2026/11/21/two/index.html").is_file()
    check = tamatar("check", str(site))
    assert check.returncode == 0
    assert "logs/2026-11-19-leak.md:1:1: warning:" in check.stdout + check.stderr
