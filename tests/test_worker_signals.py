"""Worker processes of a build can always be stopped: no hang when the parent maps SIGTERM."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from tamatar_site.build.workers import can_fork, usable_cpus

SCRIPT = textwrap.dedent(
    """
    import signal, sys
    from pathlib import Path
    from tamatar_site.build.pipeline import BuildOptions, build_site

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    # What `tamatar serve` does; forked workers inherit it unless they reset it.
    signal.signal(signal.SIGTERM, interrupt)
    site, out = Path(sys.argv[1]), Path(sys.argv[2])
    for attempt in range(4):
        (site / "logs" / "2026-01-01-day-0.md").write_text(
            f"---\\ntitle: Day 0 v{attempt}\\ndate: 2026-01-01\\n---\\nEdit {attempt}.\\n"
        )
        result = build_site(site, BuildOptions(output_dir=out / str(attempt)))
        assert not result.diagnostics.has_errors
    print("built")
    """
)


def test_builds_with_workers_finish_when_sigterm_raises(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "logs").mkdir(parents=True)
    (site / "tamatar.yaml").write_text("site:\n  title: Many\n", encoding="utf-8")
    for day in range(1, 300):
        date = f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}"
        (site / "logs" / f"{date}-day-{day}.md").write_text(
            f"---\ntitle: Day {day}\ndate: {date}\ntags: [t{day % 9}]\n---\n"
            f"Text of day {day}.\n\n```python\nprint({day})\n```\n",
            encoding="utf-8",
        )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(site), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=240,
        env={"SOURCE_DATE_EPOCH": "1795348800", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "built"
    assert "KeyboardInterrupt" not in done.stderr


def test_no_worker_forks_while_another_thread_runs() -> None:
    assert 1 <= usable_cpus() <= (os.cpu_count() or 1)
    assert can_fork()  # pytest runs tests in one thread
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not can_fork()
    finally:
        release.set()
        other.join()


def test_memory_a_build_lets_go_of_is_given_back_to_the_system() -> None:
    """Big strings freed between small ones live on stay resident until the C heap is
    trimmed (the rendered-body copies of a build); `release_free_memory` gives them back."""
    script = textwrap.dedent(
        """
        import os
        from tamatar_site.build.workers import release_free_memory

        def resident():
            pages = int(open("/proc/self/statm").read().split()[1])
            return pages * os.sysconf("SC_PAGE_SIZE")

        kept, dropped = [], []
        for i in range(6000):
            dropped.append("x" * 10_000 + str(i))  # 60 MB in the C heap
            kept.append("k" * 600 + str(i))  # pinning the heap between them
        del dropped
        before = resident()
        release_free_memory()
        print(before - resident())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert int(result.stdout) > 40 * 2**20
