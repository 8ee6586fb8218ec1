"""End to end through the real pre-commit client, in temporary git repositories.

The hook environment is built by pre-commit itself from a snapshot of this checkout (tracked
and untracked files, so uncommitted work is what gets tested), exactly as a user's
``.pre-commit-config.yaml`` pointing at this repository would build it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mlnudge_testing import ROOT, git, git_repo

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EXAMPLE = ROOT / "examples" / "churn"


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout as a one-commit git repository: (path, sha)."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    dest = tmp_path_factory.mktemp("mlnudge-src")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return dest, git(dest, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def example_repo(path: Path, extra: dict[str, str] | None = None) -> Path:
    shutil.copytree(EXAMPLE, path)
    return git_repo(path, extra or {})


def pre_commit(
    cwd: Path, home: Path, *args: str, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_try_repo_advisory_shows_nudges_and_passes(
    tmp_path: Path, snapshot: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = example_repo(tmp_path / "churn")
    proc = pre_commit(repo, pre_commit_home, "try-repo", str(snapshot[0]), "mlnudge", "--all-files")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Passed" in output
    for code in ("MLN102", "MLN201", "MLN301", "MLN401"):
        assert code in output, code
    assert "Advisory mode: nothing blocks." in output


def test_try_repo_strict_configuration_fails_the_hook(
    tmp_path: Path, snapshot: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = example_repo(tmp_path / "churn", {".mlnudge.toml": 'mode = "strict"\n'})
    proc = pre_commit(repo, pre_commit_home, "try-repo", str(snapshot[0]), "mlnudge", "--all-files")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Failed" in output and "block in strict mode" in output


def stage_config(stage: str, snapshot: tuple[Path, str]) -> str:
    config = yaml.safe_load((ROOT / "hooks" / f"{stage}.yaml").read_text())
    config["repos"][0]["repo"] = str(snapshot[0])
    config["repos"][0]["rev"] = snapshot[1]
    return yaml.safe_dump(config)


def test_stage_configs_advisory_strict_and_ratchet(
    tmp_path: Path, snapshot: tuple[Path, str], pre_commit_home: Path
) -> None:
    results = {}
    for stage in ("advisory", "strict"):
        repo = example_repo(
            tmp_path / stage, {".pre-commit-config.yaml": stage_config(stage, snapshot)}
        )
        proc = pre_commit(repo, pre_commit_home, "run", "--all-files")
        results[stage] = (proc.returncode, proc.stdout + proc.stderr)
    assert results["advisory"][0] == 0, results["advisory"][1]
    assert "MLN201" in results["advisory"][1]
    assert results["strict"][0] == 1, results["strict"][1]
    for hook in ("mlnudge structure", "mlnudge deps", "mlnudge params", "mlnudge transforms"):
        assert hook in results["strict"][1]

    repo = example_repo(
        tmp_path / "ratchet", {".pre-commit-config.yaml": stage_config("ratchet", snapshot)}
    )
    first = pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert first.returncode == 1, "without a baseline every finding is new"
    baseline = subprocess.run(
        [sys.executable, "-m", "mlnudge", "baseline", str(repo)], capture_output=True, text=True
    )
    assert baseline.returncode == 0, baseline.stderr
    git(repo, "add", ".mlnudge-baseline.json")
    git(repo, "commit", "-q", "-m", "baseline")
    accepted = pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    (repo / "churn" / "serve.py").write_text(
        "from xgboost import XGBClassifier\nmodel = XGBClassifier(n_estimators=800)\n"
    )
    git(repo, "add", "churn/serve.py")
    new = pre_commit(repo, pre_commit_home, "run", "--files", "churn/serve.py")
    assert new.returncode == 1, new.stdout + new.stderr
    assert "churn/serve.py" in new.stdout and "n_estimators=800" in new.stdout
