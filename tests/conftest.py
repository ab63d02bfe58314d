"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
from hypothesis import HealthCheck, settings
from qa import tools

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing with it",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was started with `--update-golden`."""
    return bool(request.config.getoption("--update-golden"))


def pytest_configure(config: pytest.Config) -> None:
    """Per-user caches (compiled templates) go to a folder of this run, not the home folder."""
    import os
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="tamatar-test-cache-")


# --- hypothesis profiles (tests/test_properties.py): HYPOTHESIS_PROFILE=ci|long --------
# `ci` (the default) keeps each property test to a few seconds on a slow runner; `long`
# is for a hunt for bugs before a release. No deadline: a CI runner's pauses are no bug.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- headless Chromium (tests/qa, browser tests) ---------------------------------------


def missing_tool(message: str) -> NoReturn:
    """Fail in CI (CI=true or TAMATAR_REQUIRE_BROWSER=1), skip on a developer's machine."""
    if tools.required():
        pytest.fail(f"{message} (required here: CI=true or TAMATAR_REQUIRE_BROWSER=1)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module, driven by playwright.

    Uses $TAMATAR_CHROMIUM or a chromium/chrome on PATH; fails when none is found and
    TAMATAR_REQUIRE_BROWSER=1 (or CI=true), skips otherwise.

    Module scope, not session: while playwright's sync API is running, the main thread
    has a running asyncio loop, so `asyncio.run()` (the GitHub sync inside `tamatar build`)
    fails there. Closing the browser at the end of each module keeps it out of other
    modules' tests; inside a module, build before the first test that takes `browser`.
    """
    executable = tools.find_chromium()
    if executable is None:
        missing_tool("no Chromium found: install Debian's chromium or set TAMATAR_CHROMIUM")
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=executable, args=tools.CHROMIUM_ARGS
            )
        except Error as error:
            missing_tool(f"Chromium at {executable} does not start: {error}")
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def vnu_command() -> tuple[str, Path]:
    """(java, vnu.jar) for the Nu Html Checker; fails in CI when missing, skips otherwise."""
    java = tools.find_java()
    jar = tools.find_vnu_jar()
    if java is None:
        missing_tool("no java found: install default-jre-headless")
    if jar is None:
        missing_tool("no vnu.jar: run `npm install vnu-jar` or set TAMATAR_VNU_JAR")
    return java, jar


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The text of axe.min.js; fails in CI when missing, skips otherwise."""
    path = tools.find_axe_js()
    if path is None:
        missing_tool("no axe.min.js: run `npm install axe-core` or set TAMATAR_AXE_JS")
    return path.read_text(encoding="utf-8")
