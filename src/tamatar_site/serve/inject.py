"""What `tamatar serve` adds to HTML responses: the live-reload script and the error overlay.

Only the dev server calls these, on the bytes it sends; built files never contain them.
A page's Content-Security-Policy `<meta>` (the themes' `script-src 'self'` forbids inline
scripts) gets the reload script's hash added, so the script runs and nothing else does.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Sequence

EVENTS_PATH = "/__tamatar/events"
OVERLAY_ID = "tamatar-error-overlay"
SCRIPT_ID = "tamatar-live-reload"

# The page learns the build it was served from; the server answers `since=<that build>` with a
# reload at once when a newer build finished between the page load and the connection.
_RELOAD_SCRIPT = """<script id="{script_id}">
(function () {{
  if (!window.EventSource) return;
  var source = new EventSource({url});
  source.addEventListener("reload", function () {{
    source.close();
    window.location.reload();
  }});
}})();
</script>"""

_CSP_META_RE = re.compile(
    r'(<meta\s+http-equiv=["\']?content-security-policy["\']?\s+content=")([^"]*)(")',
    re.IGNORECASE,
)
_SCRIPT_SRC_RE = re.compile(r"(^|;)(\s*script-src)(?=[\s;]|$)", re.IGNORECASE)

_OVERLAY_STYLE = (
    "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;"
    "margin:0;padding:1rem 1.25rem;background:#2b0b0e;color:#ffd7d7;"
    "border-bottom:4px solid #ff5c5c;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;"
    "box-shadow:0 4px 24px rgba(0,0,0,.5)"
)


def reload_script(build_id: str) -> str:
    """The `<script>` that reloads the page when the server reports a finished build."""
    url = json.dumps(f"{EVENTS_PATH}?since={build_id}")
    return _RELOAD_SCRIPT.format(script_id=SCRIPT_ID, url=url)


def error_overlay(errors: Sequence[str]) -> str:
    """A fixed banner listing build errors (`path:line:column: message`), HTML-escaped."""
    count = len(errors)
    title = f"Build failed: {count} error{'s' if count != 1 else ''}"
    lines = "\n".join(html.escape(line) for line in errors)
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="{_OVERLAY_STYLE}">'
        f'<p style="margin:0 0 .5rem;font-weight:bold;color:#fff">{html.escape(title)}</p>'
        f'<pre style="margin:0;white-space:pre-wrap;color:inherit;background:none">{lines}</pre>'
        '<p style="margin:.5rem 0 0;color:#ffb3b3">This page is the last good build. '
        "Fix the file and it reloads by itself.</p></div>"
    )


def _insert_after_body_open(page: str, fragment: str) -> str:
    lower = page.lower()
    start = lower.find("<body")
    if start != -1:
        end = page.find(">", start)
        if end != -1:
            return page[: end + 1] + fragment + page[end + 1 :]
    return fragment + page


def _insert_before_body_close(page: str, fragment: str) -> str:
    index = page.lower().rfind("</body>")
    if index == -1:
        return page + fragment
    return page[:index] + fragment + page[index:]


def allow_script(page: str, script: str) -> str:
    """`page` with the hash of the `<script>` element `script` added to the script-src of
    its Content-Security-Policy `<meta>` elements (a policy without one gets one)."""
    body = script[script.index(">") + 1 : script.rindex("</script>")]
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
    source = f"'sha256-{digest}'"

    def widen(match: re.Match[str]) -> str:
        policy = match.group(2)  # the hash has no character to escape in an attribute
        if _SCRIPT_SRC_RE.search(policy):
            policy = _SCRIPT_SRC_RE.sub(rf"\1\2 {source}", policy, count=1)
        else:
            policy = f"{policy.rstrip('; ')}; script-src 'self' {source}"
        return match.group(1) + policy + match.group(3)

    return _CSP_META_RE.sub(widen, page)


def inject(page: str, *, build_id: str, errors: Sequence[str] = ()) -> str:
    """Add the reload script (and the overlay when `errors` is not empty) to an HTML page."""
    if errors:
        page = _insert_after_body_open(page, error_overlay(errors))
    script = reload_script(build_id)
    return _insert_before_body_close(allow_script(page, script), script)


def error_page(*, build_id: str, errors: Sequence[str]) -> str:
    """A whole page for when no build has succeeded yet, so there is no last good page."""
    body = error_overlay(errors) if errors else "<p>Building…</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>tamatar serve: build failed</title></head>"
        f"<body><main>{body}</main>{reload_script(build_id)}</body></html>"
    )
