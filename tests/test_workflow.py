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
from tamatar_site.scaffold import ACTION_REPOSITORY, init_site, pages_workflow

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
    """The workflows `init` writes (both forms), the example site's, and the project's own."""
    site = tmp_path / "site"
    init_site(site, remote="git@github.com:asha/devlog.git", timezone="UTC", branch="main")
    action_site = tmp_path / "action-site"
    init_site(
        action_site,
        remote="git@github.com:asha/devlog.git",
        timezone="UTC",
        branch="main",
        action=True,
    )
    files = [site / ".github" / "workflows" / "pages.yml"]
    files.append(action_site / ".github" / "workflows" / "pages.yml")
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


# --- the one-step form (`tamatar init --action`) and the composite action ------------------


@pytest.fixture(scope="module")
def action_workflow() -> dict[Any, Any]:
    return _load(pages_workflow(action=True))


@pytest.fixture(scope="module")
def action() -> dict[Any, Any]:
    return _load((REPO / "action.yml").read_text(encoding="utf-8"))


def test_action_form_builds_in_one_step_pinned_to_this_version(
    action_workflow: dict[Any, Any], workflow: dict[Any, Any]
) -> None:
    steps = _steps(action_workflow, "build")
    assert [step.get("uses") for step in steps] == [
        "actions/checkout@v7",
        f"{ACTION_REPOSITORY}@v{__version__}",
    ]
    assert steps[1]["with"] == {"tamatar-version": __version__, "output-dir": "_site"}
    # Everything around the build is the same as in the spelled-out form.
    for key in ("permissions", "concurrency", True):
        assert action_workflow[key] == workflow[key]
    assert action_workflow["jobs"]["deploy"] == workflow["jobs"]["deploy"]


def test_init_writes_the_action_form_on_request(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tamatar_site.cli import main

    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["init", str(site), "--action"], env={"TZ": "UTC"})
    assert result.exit_code == 0, result.output
    written = (site / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert written == pages_workflow(action=True)


def test_action_inputs_and_steps(action: dict[Any, Any]) -> None:
    assert set(action["inputs"]) == {
        "python-version",
        "tamatar-version",
        "site-dir",
        "output-dir",
        "base-url",
        "github-token",
    }
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert uses == [
        "actions/setup-python@v7",
        "actions/cache@v6",
        "actions/configure-pages@v6",
        "actions/upload-pages-artifact@v5",
    ]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == "${{ inputs.site-dir }}/.tamatar/cache"
    build = next(step for step in steps if "tamatar build" in step.get("run", ""))
    assert '--base-url "${BASE_URL%/}/"' in build["run"]
    assert build["env"]["BASE_URL"] == "${{ inputs.base-url || steps.pages.outputs.base_url }}"
    install = next(step for step in steps if "pip install" in step.get("run", ""))
    assert 'python -m pip install "tamatar${version:+==$version}"' in install["run"]


def test_action_install_step_picks_the_version(tmp_path: Path, action: dict[Any, Any]) -> None:
    """The install step's shell, run for real with pip replaced by `echo`."""
    install = next(s for s in action["runs"]["steps"] if "pip install" in s.get("run", ""))
    script = install["run"].replace("python -m pip install", "echo")
    cases = [("0.2.0", "v0.1.0", "tamatar==0.2.0"), ("", "v0.1.0", "tamatar==0.1.0")]
    cases += [("", "main", "tamatar"), ("", "", "tamatar")]
    for given, ref, expected in cases:
        done = subprocess.run(
            ["bash", "-c", script],
            env={"TAMATAR_VERSION": given, "ACTION_REF": ref, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.strip() == expected, (given, ref)


def test_action_metadata_schema_and_actionlint(tmp_path: Path) -> None:
    metadata = REPO / "action.yml"
    schema = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", metadata],
        capture_output=True,
        text=True,
        check=False,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    # actionlint reads a local action's metadata when a workflow uses it (`uses: ./`):
    # the inputs a site passes are checked against action.yml.
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shutil.copy(REPO / "action.yml", repo / "action.yml")
    local = pages_workflow(action=True).replace(f"{ACTION_REPOSITORY}@v{__version__}", "./")
    (repo / ".github" / "workflows" / "pages.yml").write_text(local, encoding="utf-8")
    lint = subprocess.run(
        [_tool("actionlint"), "-no-color"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    wrong = local.replace("output-dir:", "output-folder:")
    (repo / ".github" / "workflows" / "pages.yml").write_text(wrong, encoding="utf-8")
    lint = subprocess.run(
        [_tool("actionlint"), "-no-color"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert 'input "output-folder" is not defined in action "tamatar"' in lint.stdout


# --- the release workflow -----------------------------------------------------------------


@pytest.fixture(scope="module")
def release() -> dict[Any, Any]:
    return _load((REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))


def test_release_runs_on_version_tags_only(release: dict[Any, Any]) -> None:
    assert release[True] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}


def test_release_checks_the_wheel_before_publishing(release: dict[Any, Any]) -> None:
    runs = "\n".join(step.get("run", "") for step in _steps(release, "build"))
    assert "python -m build" in runs
    assert "twine check --strict dist/*" in runs
    assert 'pip" install dist/*.whl' in runs
    assert 'site="$GITHUB_WORKSPACE/example-site"' in runs
    assert 'tamatar" build "$site" --offline --output "$out"' in runs
    assert "src/tamatar_site/__init__.py" in runs  # the tag must name __version__


def test_release_publishes_by_trusted_publishing(release: dict[Any, Any]) -> None:
    publish = release["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    uses = [step["uses"] for step in publish["steps"]]
    assert uses[-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in publish["steps"][-1]  # no password: the OIDC token is the credential


def test_the_version_has_one_source() -> None:
    import importlib.metadata
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/tamatar_site/__init__.py"
    assert importlib.metadata.version("tamatar") == __version__
