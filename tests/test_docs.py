"""The README and docs/ promise only what exists: every option, command, format, exit code
and number they mention is checked against the code here (the Quickstart output and the
generated tables by tests/test_meta.py, which regenerates them from a real run)."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator

import pytest
from mlnudge_testing import ROOT, SCHEMA, write_tree

from mlnudge import cli, targets
from mlnudge.facts.listing import SKIP_DIRS
from mlnudge.report import FORMATS

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")}

#: options of other tools the docs quote in commands (pytest, pytest-cov, git, pip)
OTHER_TOOLS = {
    "--cov": "pytest-cov",
    "--cov-context": "pytest-cov",
    "--cov-report": "pytest-cov",
    "--doctest-modules": "pytest",
    "--others": "git ls-files",
    "--exclude-standard": "git ls-files",
    "--hash": "pip requirements",
    "--strict": "pytest",
    "--local-repository": "pre-commit",
    "--resolution": "uv pip",
    "--errors": "prism proxy",
    "--seconds": "benchmarks/fuzz/fuzz.py",
    "--lr": "a user's training script (docs/params.md)",
    "--data": "a user's training script (--data_path, docs/params.md)",
    "--engine": "benchmarks/fuzz/fuzz.py",
    "--snapshots": "benchmarks/accuracy/score.py",
    "--split": "benchmarks/accuracy/score.py",
    "--readme": "benchmarks/accuracy/score.py",
    "--bare": "git clone",
    "--export": "conda list",
    "--require-hashes": "pip install",
    "--generate-hashes": "uv pip compile",
    "--universal": "uv pip compile",
    "--no-build-isolation": "pip install",
    "--no-deps": "pip install",
    "--detach": "git worktree",
    "--unshallow": "git fetch",
    "--check": "scripts/release.py",
    "--compare": "benchmarks/run.py",
    "--corpus": "benchmarks/run.py",
    "--repeat": "benchmarks/run.py",
    "--scenarios": "benchmarks/run.py",
    "--slow-repeat": "benchmarks/run.py",
    "--from-json": "benchmarks/run.py",
    "--cache-dir": "ruff",
    "--output-format": "ruff",
    "--disable": "pylint",
    "--enable": "pylint",
    "--load-plugins": "pylint",
    "--recursive": "pylint",
    "--only-binary": "pip download",
}


def _parsers() -> Iterator[argparse.ArgumentParser]:
    from mlnudge.deps_cli import build_parser as deps_parser
    from mlnudge.github.cli import build_parser as github_parser

    stack = [cli.build_parser(), github_parser(), deps_parser()]
    while stack:
        parser = stack.pop()
        yield parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())


def _options() -> set[str]:
    return {s for p in _parsers() for a in p._actions for s in a.option_strings}


def _check_parser() -> argparse.ArgumentParser:
    [sub] = [a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return sub.choices["check"]


@pytest.mark.parametrize("name", ["README.md", *sorted(DOCS)])
def test_every_option_the_docs_mention_exists(name: str) -> None:
    text = README if name == "README.md" else DOCS[name]
    mentioned = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]+", text))
    unknown = mentioned - _options() - set(OTHER_TOOLS)
    assert not unknown, f"{name} mentions options no mlnudge command has: {sorted(unknown)}"


def test_the_readme_option_table_is_exactly_the_check_options() -> None:
    table = README.split("| option | meaning |", 1)[1].split("\n\n", 1)[0]
    documented = set(re.findall(r"(?<![\w-])--?[a-z][a-z0-9-]*", table))
    actual = {s for a in _check_parser()._actions for s in a.option_strings}
    undocumented = actual - documented - {"-h", "--help", "--hook"}  # --hook: for pre-commit
    assert not undocumented, undocumented
    assert documented <= actual, documented - actual


def test_the_readme_commands_are_the_cli_commands() -> None:
    block = README.split("## Using the CLI", 1)[1].split("```", 2)[1]
    listed = {line.split()[1] for line in block.splitlines() if line.startswith("mlnudge ")}
    assert listed == {c for c in cli.COMMANDS if not c.startswith("-")}


def test_the_readme_formats_are_the_formats() -> None:
    escaped_bar = "\\|"  # a | inside a markdown table cell
    assert "`--format " + escaped_bar.join(FORMATS) + "`" in README


def test_the_readme_exit_codes_are_the_exit_codes() -> None:
    table = README.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    codes = {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)}
    assert codes == {
        cli.EXIT_OK,
        cli.EXIT_BLOCKING,
        cli.EXIT_USAGE,
        cli.EXIT_CRASH,
        cli.EXIT_BROKEN_PIPE,
    }


def test_the_directories_the_readme_says_are_skipped_are_skipped() -> None:
    sentence = README.split("either way ", 1)[1].split(" are skipped", 1)[0]
    named = set(re.findall(r"`([^`]+)`", sentence))
    assert named and named <= SKIP_DIRS, named - SKIP_DIRS


def test_the_schema_version_the_readme_names_is_the_reports() -> None:
    version = re.search(r"\(schema version (\d+)\)", README)
    assert version is not None
    schema = json.loads(SCHEMA.read_text())
    assert str(schema["properties"]["schema_version"]["const"]) == version.group(1)


def test_the_project_markers_the_readme_names_are_the_clis() -> None:
    bullet = README.split("`mlnudge check FILE ...`", 1)[1].split("\n- ", 1)[0]
    for marker in (*targets.PROJECT_MARKERS, "requirements*.txt"):
        assert f"`{marker}`" in bullet, marker


def test_the_readiness_score_is_not_promised_while_it_is_not_computed(tmp_path: object) -> None:
    """The report schema keeps ``summary.score`` (null); nothing may promise a number."""
    from pathlib import Path

    from mlnudge.config import build_config
    from mlnudge.runner import run

    root = write_tree(Path(str(tmp_path)), {"train.py": "m = M(n_estimators=3)\n"})
    if run(root, build_config({}), use_cache=False).score is not None:
        pytest.skip("the score is computed now: document it")
    for name, text in {"README.md": README, **{f"docs/{k}": v for k, v in DOCS.items()}}.items():
        assert "readiness score" not in text.lower(), name
    outputs = {
        "README.md": README,
        "docs/github.md": DOCS["github.md"],
        "action.yml": (ROOT / "action.yml").read_text(),
        "actions/check/action.yml": (ROOT / "actions" / "check" / "action.yml").read_text(),
        ".github/workflows/mlnudge.yml": (ROOT / ".github/workflows/mlnudge.yml").read_text(),
        "src/mlnudge/github/cli.py": (ROOT / "src/mlnudge/github/cli.py").read_text(),
    }
    for name, text in outputs.items():
        assert not re.search(r"`score`|^\s+score:|\"score\":", text, re.M), name


def test_reliability_table_names_real_tests() -> None:
    """docs/reliability.md names only tests that exist, and every hostile-input and secrets
    test is in it."""
    import ast

    page = DOCS["reliability.md"]
    defined: dict[str, set[str]] = {}
    for path in (ROOT / "tests").glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined[path.name] = {
            n.name
            for n in tree.body
            if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
        }
    named = re.findall(r"(test_\w+\.py)::(test_\w+)", page)
    assert named
    for file, test in named:
        assert test in defined.get(file, set()), f"{file}::{test}"
    short = set(re.findall(r"`(?:test_\w+\.py::)?(test_\w+)(?:\[[^\]]*\])?`", page))
    for file in ("test_hostile.py", "test_secrets.py", "test_scale.py"):
        missing = defined[file] - short
        assert not missing, f"docs/reliability.md does not list {file}: {sorted(missing)}"
