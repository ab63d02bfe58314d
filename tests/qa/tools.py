"""Find the external QA tools: vnu.jar, axe.min.js and a Chromium executable.

Each finder looks at an environment variable first (`.ci/run` exports them after it
installs the tools), then at the usual install places. They return None when the tool is
missing; `required()` tells whether a missing tool should fail the test or skip it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

_VNU_IN_PACKAGE = Path("node_modules/vnu-jar/build/dist/vnu.jar")
_AXE_IN_PACKAGE = Path("node_modules/axe-core/axe.min.js")

# Where `npm install --prefix DIR` puts packages: .ci/run uses .ci/node; developers may
# have them at the repo root or in a shared tools folder.
_NODE_PREFIXES = (REPO_ROOT / ".ci" / "node", REPO_ROOT, Path("/work/tools"))

_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def required() -> bool:
    """True when a missing tool must fail the tests instead of skipping them (CI)."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get(
        "TAMATAR_REQUIRE_BROWSER", ""
    ) in ("1", "true")


def _from_env_or_prefixes(env_var: str, relative: Path) -> Path | None:
    configured = os.environ.get(env_var)
    if configured:
        path = Path(configured)
        return path if path.is_file() else None
    for prefix in _NODE_PREFIXES:
        candidate = prefix / relative
        if candidate.is_file():
            return candidate
    return None


def find_vnu_jar() -> Path | None:
    """vnu.jar from $TAMATAR_VNU_JAR or an npm `vnu-jar` install."""
    return _from_env_or_prefixes("TAMATAR_VNU_JAR", _VNU_IN_PACKAGE)


def find_axe_js() -> Path | None:
    """axe.min.js from $TAMATAR_AXE_JS or an npm `axe-core` install."""
    return _from_env_or_prefixes("TAMATAR_AXE_JS", _AXE_IN_PACKAGE)


def find_java() -> str | None:
    """The `java` executable on PATH (or under $JAVA_HOME)."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


def find_chromium() -> str | None:
    """A Chromium or Chrome executable: $TAMATAR_CHROMIUM, then PATH."""
    configured = os.environ.get("TAMATAR_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


# Flags for a sandboxed machine with no network but the loopback: without the
# background-networking ones Chromium keeps trying (and failing) to reach Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
