"""The GitHub Pages workflow `tamatar init` writes: key steps, actionlint, the workflow schema."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tamatar_site import __version__
from tamatar_site.scaffold import init_site, pages_workflow

REPO = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    """A linter installed with the test extra (next to this Python), or on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: pip install -e '.[test]' installs it")
    return found


def _load(text: str) -> dict[Any, Any]:
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return _load(pages_workflow())


def _steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    steps = workflow["jobs"][job]["steps"]
    assert isinstance(steps, list)
    return steps


def _step_using(workflow: dict[Any, Any], job: str, action: str) -> dict[str, Any]:
    for step in _steps(workflow, job):
        if str(step.get("uses", "")).split("@")[0] == action:
            return step
    raise AssertionError(f"no step uses {action}")


def test_triggers_push_dispatch_and_daily_schedule(workflow: dict[Any, Any]) -> None:
    triggers = workflow[True]  # PyYAML reads the key `on` as the boolean true
    assert triggers["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in triggers
    assert len(triggers["schedule"]) == 1
    fields = triggers["schedule"][0]["cron"].split()
    assert fields[2:] == ["*", "*", "*"]  # every day


def test_permissions_and_concurrency(workflow: dict[Any, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_actions_use_current_major_versions(workflow: dict[Any, Any]) -> None:
    steps = [step for job in ("build", "deploy") for step in _steps(workflow, job)]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert uses == [
        "actions/checkout@v7",
        "actions/setup-python@v7",
        "actions/cache@v6",
        "actions/configure-pages@v6",
        "actions/upload-pages-artifact@v5",
        "actions/deploy-pages@v5",
    ]


def test_python_with_pip_cache_and_pinned_tamatar(workflow: dict[Any, Any]) -> None:
    python = _step_using(workflow, "build", "actions/setup-python")
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"] == ".github/workflows/pages.yml"
    runs = [step.get("run", "") for step in _steps(workflow, "build")]
    assert f'python -m pip install "tamatar=={__version__}"' in runs


def test_github_cache_is_restored_and_saved(workflow: dict[Any, Any]) -> None:
    cache = _step_using(workflow, "build", "actions/cache")
    assert cache["with"]["path"] == ".tamatar/cache"
    assert cache["with"]["key"] == "tamatar-cache-${{ github.run_id }}"
    assert cache["with"]["restore-keys"].strip() == "tamatar-cache-"


def test_build_gets_the_pages_base_url_and_the_token(workflow: dict[Any, Any]) -> None:
    configure = _step_using(workflow, "build", "actions/configure-pages")
    build = next(s for s in _steps(workflow, "build") if "tamatar build" in s.get("run", ""))
    assert build["env"]["PAGES_BASE_URL"] == f"${{{{ steps.{configure['id']}.outputs.base_url }}}}"
    assert build["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    assert build["run"] == 'tamatar build --base-url "${PAGES_BASE_URL%/}/"'
    steps = _steps(workflow, "build")
    assert steps.index(configure) < steps.index(build)


def test_upload_then_deploy_to_the_pages_environment(workflow: dict[Any, Any]) -> None:
    upload = _step_using(workflow, "build", "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_site"
    deploy_job = workflow["jobs"]["deploy"]
    assert deploy_job["needs"] == "build"
    deploy = _step_using(workflow, "deploy", "actions/deploy-pages")
    assert deploy_job["environment"] == {
        "name": "github-pages",
        "url": f"${{{{ steps.{deploy['id']}.outputs.page_url }}}}",
    }


def _workflow_files(tmp_path: Path) -> list[Path]:
    """The workflow `init` writes, the example site's, and the project's own."""
    site = tmp_path / "site"
    init_site(site, remote="git@github.com:asha/devlog.git", timezone="UTC", branch="main")
    files = [site / ".github" / "workflows" / "pages.yml"]
    files += sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
    example = REPO / "example-site" / ".github" / "workflows" / "pages.yml"
    if example.exists():
        files.append(example)
    return files


def test_actionlint_finds_nothing(tmp_path: Path) -> None:
    files = _workflow_files(tmp_path)
    result = subprocess.run(
        [_tool("actionlint"), "-no-color", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_workflow_schema_accepts_them(tmp_path: Path) -> None:
    files = _workflow_files(tmp_path)
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
        + [str(file) for file in files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_example_site_has_the_same_workflow() -> None:
    example = REPO / "example-site" / ".github" / "workflows" / "pages.yml"
    if not (REPO / "example-site").is_dir():
        pytest.skip("example-site/ is not there yet")
    assert example.read_text() == pages_workflow(branch="main")
