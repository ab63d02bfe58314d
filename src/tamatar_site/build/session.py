"""`tamatar serve`'s incremental session: one site built again and again, keeping what it
can between builds.

A session reads only the files that changed (the watcher's paths, else those whose size or
times changed) and remakes only their records; it keeps the page memo in memory, written to
disk only when asked (`save_state`), and its last build, from which an edit of log text only
is written without the full build (`build/edits.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tamatar_site.build.edits import LastBuild
from tamatar_site.build.memo import OutputMemo, load_memo, save_memo
from tamatar_site.build.pipeline import (
    PAGE_MEMO,
    BuildOptions,
    BuildResult,
    build_site,
    new_loader,
)
from tamatar_site.build.prerender import Prerender
from tamatar_site.validate.loader import ContentLoader

__all__ = ["SiteBuilder"]


class SiteBuilder:
    """Builds one site again and again (a `build.pipeline.Session`)."""

    def __init__(
        self,
        site_dir: Path,
        *,
        long_lived: bool = True,
        loader: ContentLoader | None = None,
        last: LastBuild | None = None,
        memo: OutputMemo | None = None,
    ) -> None:
        """`long_lived`: a `tamatar serve` session (else `tamatar build`'s, resumed by the
        next build: `build/resume.py`, which passes the `loader`, `last` build and page
        `memo` it saved)."""
        self.site_dir = site_dir
        self.long_lived = long_lived
        # A serve session writes the record cache after its first build and then only now
        # and then: rewriting it for every saved edit would cost more than the edit.
        if loader is None:
            loader = new_loader(site_dir, save_after=64 if long_lived else 1)
        self.loader = loader
        self.last = last
        self._page_memo = memo
        # `build/resume.py`'s record of the saved state this builder was resumed from.
        self.resumed: object | None = None

    def build(
        self,
        options: BuildOptions,
        *,
        changed: Iterable[Path] | None = None,
        prerender: Prerender | None = None,
    ) -> BuildResult:
        """Build like `build_site`. `changed`: the absolute paths a watcher saw change since
        the last build of this builder (None: check every file).

        Raises:
            BuildError: the output folder, theme or base URL cannot be used.
        """
        return build_site(
            self.site_dir, options, prerender=prerender, session=self, changed=changed
        )

    def page_memo(self, output_dir: Path) -> OutputMemo:
        """The memo of the session's last build into `output_dir`, updated in place."""
        memo = self._page_memo
        if memo is None or memo.output_dir != str(output_dir.absolute()):
            memo = self._page_memo = load_memo(self.site_dir / PAGE_MEMO, output_dir)
        return memo

    def save_state(self) -> None:
        """Write the page memo and the record cache to the site's cache, as `tamatar build`
        leaves them, so the next process starts from this session's last build."""
        if self._page_memo is not None:
            save_memo(self.site_dir / PAGE_MEMO, self._page_memo)
        self.loader.save_cache()
