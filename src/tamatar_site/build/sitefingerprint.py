"""One fingerprint of everything a build's output depends on.

When it equals the last build's and every file that build wrote is intact, the output is
already what this build would write: the build skips computing views, fingerprinting
pages and rendering documents altogether (the usual no-change rebuild). Any difference
falls back to the page-by-page path of `pagewriter.py`, so being conservative here
costs time, never correctness.

The fingerprint covers the validated content (every model object, bodies included), the
template set and configuration (`template_set_fingerprint`), today's date (streaks, the
heatmap and the footer's year), the GitHub data, and tamatar's code (version, and the
size and mtime of every module: an edited module in a development install counts).
Static files are not in it: they are compared file by file on every build.
"""

from __future__ import annotations

import datetime as dt

from tamatar_site.build.fingerprint import ContextFingerprinter, Unfingerprintable
from tamatar_site.codeversion import code_signature
from tamatar_site.github.enrich import GitHubEnrichment
from tamatar_site.model import Site

__all__ = ["site_fingerprint"]


def site_fingerprint(
    site: Site, template_set: bytes, today: dt.date, github: GitHubEnrichment | None
) -> bytes:
    """The digest of a build's inputs; b"" when some input cannot be fingerprinted."""
    fingerprinter = ContextFingerprinter(template_set + code_signature())
    context = {"site": site, "today": today, "github": github}
    try:
        return fingerprinter.page("<site>", context, shared=())
    except Unfingerprintable:
        return b""
