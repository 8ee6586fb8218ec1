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


# -- the CLI's edges ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["rules"],
        ["rules", "--format", "json"],
        ["check", "--format", "json"],
        ["explain", "MLN201"],
    ],
)
def test_a_closed_pipe_ends_quietly_like_unix_tools(tmp_path: Path, args: list[str]) -> None:
    """`mlnudge rules | head -1`: the reader is gone before mlnudge writes (deterministic here:
    the read end is closed before the process starts). No traceback, no bug report, exit 141."""
    write_tree(tmp_path, MESSY)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "mlnudge", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
    finally:
        os.close(write_end)
    assert proc.stderr == ""
    assert proc.returncode == 141  # 128 + SIGPIPE, what the shell reports for `yes | head -1`


def test_real_pipe_to_head_prints_the_first_line_only(tmp_path: Path) -> None:
    write_tree(tmp_path, MESSY)
    proc = subprocess.run(
        f"'{sys.executable}' -m mlnudge check --format json | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert proc.stdout == "{\n"
    assert "crashed" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("value", ["jsno=out.json", "JSON=out.json", "sarifx=r.sarif", "json="])
def test_output_with_an_unknown_format_is_a_usage_error_listing_the_formats(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, MESSY)
    assert main(["check", str(tmp_path), "--output", str(value)]) == 2
    err = capsys.readouterr().err
    assert value in err
    assert "text, json, sarif, github, markdown" in err or "json=PATH" in err
    assert not (tmp_path / value).exists() and not Path(value).exists()


def test_output_file_name_with_an_equals_sign_is_still_possible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, MESSY)
    target = tmp_path / "out" / "a=b.json"
    assert main(["check", str(tmp_path), "--format", "json", "--output", str(target)]) == 0
    assert json.loads(target.read_text())["tool"] == "mlnudge"


def test_second_output_path_is_a_usage_error_naming_format_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, MESSY)
    code = main(["check", str(tmp_path), "--output", "a.txt", "--output", "b.txt"])
    assert code == 2
    assert "FORMAT=PATH" in capsys.readouterr().err


def _no_marker_above(path: Path) -> bool:
    from mlnudge.targets import PROJECT_MARKERS

    for directory in (path, *path.parents):
        if any((directory / m).exists() for m in PROJECT_MARKERS):
            return False
        if any(directory.glob("requirements*.txt")):
            return False
    return True


@pytest.mark.parametrize(
    ("marker", "where"),
    [
        ("pyproject.toml", "some/project"),
        ("setup.cfg", "some/project"),
        ("setup.py", "some"),
        (".mlnudge.toml", "some"),
        ("requirements-dev.txt", "some/project"),
        (".git", "some"),  # a directory named .git that git itself does not accept
    ],
)
def test_files_outside_git_take_the_nearest_marked_ancestor_as_root(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    marker: str,
    where: str,
) -> None:
    write_tree(tmp_path, {"some/project/src/train.py": MESSY["train.py"], "unrelated/x.py": ""})
    if marker == ".git":
        (tmp_path / where / marker).mkdir()
    else:
        write_tree(tmp_path, {f"{where}/{marker}": ""})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "some/project/src/train.py", "--format", "json", "--verbose"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    root = (tmp_path / where).resolve()
    assert f"root {root}: the nearest directory above the files with {marker}" in captured.err
    prefix = "project/src/" if where == "some" else "src/"
    assert {f["path"] for f in data["findings"] if f["check"] == "params"} == {prefix + "train.py"}
    assert all("unrelated" not in e["path"] for e in data["errors"])


def test_files_outside_git_without_markers_use_their_common_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not _no_marker_above(tmp_path):
        pytest.skip(f"a project marker sits above {tmp_path} on this machine")
    write_tree(
        tmp_path,
        {
            "some/project/a/train.py": MESSY["train.py"],
            "some/project/b/eval.py": "",
            "some/other.py": "",
        },
    )
    monkeypatch.chdir(tmp_path)
    args = ["check", "some/project/a/train.py", "some/project/b/eval.py", "-v", "--format", "json"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert f"root {(tmp_path / 'some' / 'project').resolve()}: the files' common directory" in (
        captured.err
    )
    data = json.loads(captured.out)
    assert data["summary"]["files_scanned"] == 2


def test_verbose_names_the_git_root_and_the_directory_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    git_repo(tmp_path, {**MESSY, "sub/x.py": ""})
    monkeypatch.chdir(tmp_path / "sub")
    assert main(["check", "x.py", "-q", "-v"]) == 0
    assert f"root {tmp_path.resolve()}: the git work tree of the files" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "sub"), "-q", "-v"]) == 0
    assert "the directory given" in capsys.readouterr().err
    assert main(["check", "-q", "-v"]) == 0
    assert "the current directory" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "accepted"),
    [
        (["check", "--format", "yaml"], "choose from"),
        (["check", "--mode", "loud"], "'advisory', 'ratchet', 'strict'"),
        (["check", "--select", "XYZ"], "a prefix (MLN2) or ALL"),
        (["check", "nope.py"], "Give one directory (the repository root) or existing files"),
        (["chekc"], "the commands are check, rules, explain"),
        (["explain", "MLN999"], "`mlnudge rules` lists them"),
        (["explain"], "code"),
        (["check", "--output", "jsno=x"], "accepted formats"),
        (["rules", "--format", "yaml"], "'text', 'json'"),
        (["check", "--config", "missing.toml"], "configuration file not found"),
        (["baseline", "missing-dir"], "give the repository root"),  # was exit 3
    ],
)
def test_every_usage_error_names_what_is_accepted(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    accepted: str,
) -> None:
    write_tree(tmp_path, MESSY)
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert accepted in capsys.readouterr().err
