from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from mlnudge_testing import ROOT, git_repo, write_tree

from mlnudge.cli import main

MESSY = {
    "train.py": "from sklearn.ensemble import RandomForestClassifier\n"
    "m = RandomForestClassifier(n_estimators=300)\n",
    "requirements.txt": "numpy==1.26.4\n",
}


def test_check_defaults_to_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, MESSY)
    monkeypatch.chdir(tmp_path)
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "train.py" in out and "MLN201" in out
    assert "Advisory mode: nothing blocks." in out
    assert "\033[" not in out  # not a TTY: no colour


def test_directory_argument_is_the_root_even_inside_git(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git_repo(tmp_path, {"examples/demo/train.py": MESSY["train.py"], "other.py": "x = M(lr=0.1)\n"})
    assert main(["check", "--format", "json", str(tmp_path / "examples" / "demo")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {f["path"] for f in data["findings"] if f["check"] == "params"} == {"train.py"}


def test_files_argument_uses_git_root_and_focuses_file_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    git_repo(tmp_path, {**MESSY, "src/other.py": "x = M(lr=0.1)\n"})
    monkeypatch.chdir(tmp_path / "src")
    assert main(["check", "--format", "json", "../train.py"]) == 0
    data = json.loads(capsys.readouterr().out)
    paths = {f["path"] for f in data["findings"]}
    assert "train.py" in paths and "src/other.py" not in paths
    assert "requirements.txt" in paths  # repo-level rules see the whole repository


def test_hook_mode_with_no_files_runs_repo_rules_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    git_repo(tmp_path, MESSY)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--hook", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {f["check"] for f in data["findings"]} <= {"structure", "deps", "transforms"}
    assert any(f["check"] == "deps" for f in data["findings"])


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--mode", "strict"], 1),
        (["--mode", "strict", "--fail-on", "error"], 0),
        (["--mode", "advisory", "--fail-on", "info"], 0),
        (["--select", "MLN1"], 0),
        (["--mode", "strict", "--ignore", "MLN2,MLN4,MLN1"], 0),
        (["--mode", "loud"], 2),
        (["--select", "XYZ"], 2),
        (["--format", "yaml"], 2),
    ],
)
def test_exit_codes(tmp_path: Path, args: list[str], code: int) -> None:
    write_tree(tmp_path, MESSY)
    assert main(["check", str(tmp_path), "--quiet", *args]) == code


def test_configuration_error_exits_2_with_precise_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, {**MESSY, "pyproject.toml": "[tool.mlnudge]\nfail_on = 'error'\n"})
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml" in err and "unknown key 'tool.mlnudge.fail_on'" in err
    assert "fail-on" in err  # the accepted keys are listed


def test_mixed_directories_and_files_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, {"a/x.py": "", "b/y.py": ""})
    assert main(["check", str(tmp_path / "a"), str(tmp_path / "b")]) == 2
    assert "one directory" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "nope.py")]) == 2


def test_several_outputs_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], report_schema: dict[str, object]
) -> None:
    write_tree(tmp_path, MESSY)
    out = tmp_path / "out"
    code = main(
        [
            "check",
            str(tmp_path),
            "--output",
            f"json={out / 'r.json'}",
            "--output",
            f"sarif={out / 'r.sarif'}",
            "--output",
            f"markdown={out / 'r.md'}",
        ]
    )
    assert code == 0
    assert "MLN201" in capsys.readouterr().out  # text still on stdout
    jsonschema.validate(json.loads((out / "r.json").read_text()), report_schema)
    assert json.loads((out / "r.sarif").read_text())["version"] == "2.1.0"
    assert (out / "r.md").read_text().startswith("## mlnudge")


def test_output_path_replaces_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, MESSY)
    target = tmp_path / "report.json"
    assert main(["check", str(tmp_path), "--format", "json", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text())["tool"] == "mlnudge"


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "MLN201" in listing and "hard-coded-hyperparameter" in listing and "params" in listing
    assert main(["explain", "MLN201"]) == 0
    page = capsys.readouterr().out
    for heading in ("## What it does", "## Why it matters", "## Example", "## Use instead"):
        assert heading in page
    assert main(["explain", "hard-coded-seed"]) == 0
    assert "MLN203" in capsys.readouterr().out
    assert main(["explain", "MLN999"]) == 2


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"code", "name", "family", "severity", "summary"} <= set(data[0])


def test_baseline_command_then_ratchet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, MESSY)
    assert main(["check", str(tmp_path), "--mode", "ratchet"]) == 1
    assert main(["baseline", str(tmp_path)]) == 0
    assert "recorded" in capsys.readouterr().out
    assert main(["check", str(tmp_path), "--mode", "ratchet"]) == 0
    write_tree(tmp_path, {"new.py": "m = M(batch_size=64)\n"})
    assert main(["check", str(tmp_path), "--mode", "ratchet"]) == 1


def test_crash_prints_bug_report_and_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import mlnudge.runner

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(mlnudge.runner, "run", boom)
    assert main(["check", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "mlnudge crashed" in err and "kaboom" in err and "python:" in err


def test_colour_only_on_a_tty_and_never_with_no_color(tmp_path: Path) -> None:
    write_tree(tmp_path, MESSY)
    script = (
        "import os, pty, sys\n"
        "pid, fd = pty.fork()\n"
        "if pid == 0:\n"
        "    os.execvp(sys.executable, [sys.executable, '-m', 'mlnudge', 'check', sys.argv[1]])\n"
        "out = b''\n"
        "while True:\n"
        "    try:\n"
        "        chunk = os.read(fd, 65536)\n"
        "    except OSError:\n"
        "        break\n"
        "    if not chunk:\n"
        "        break\n"
        "    out += chunk\n"
        "os.waitpid(pid, 0)\n"
        "sys.stdout.write(repr(out))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    tty = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env
    )
    assert "\\x1b[" in tty.stdout
    no_color = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        env={**env, "NO_COLOR": "1"},
    )
    assert "MLN201" in no_color.stdout and "\\x1b[" not in no_color.stdout


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    write_tree(tmp_path, MESSY)
    proc = subprocess.run(
        [sys.executable, "-m", "mlnudge", "check", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["files_scanned"] == 2
