"""Test helpers: small repositories written from a dict, optionally as git work trees."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["tomllib"]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "src" / "mlnudge" / "report" / "report.schema.json"

Tree = Mapping[str, str | bytes]


def write_tree(root: Path, files: Tree) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    proc = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return proc.stdout


def git_repo(root: Path, files: Tree, commit: bool = True) -> Path:
    write_tree(root, files)
    git(root, "init", "-q", "-b", "main")
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "init")
    return root


def library_pyproject(name: str) -> str:
    """A published library's ``pyproject.toml``: install metadata with signs of publishing
    (a classifier, project URLs), so the project profile says library."""
    return (
        f'[project]\nname = "{name}"\nversion = "1.0"\n'
        'classifiers = ["License :: OSI Approved :: MIT License"]\n'
        '[project.urls]\nHomepage = "https://example.org"\n'
    )


def notebook(*cells: str, kinds: tuple[str, ...] | None = None) -> str:
    kinds = kinds or tuple("code" for _ in cells)
    data = {
        "cells": [
            {
                "cell_type": kind,
                "metadata": {},
                "source": source.splitlines(keepends=True),
                **({"outputs": [], "execution_count": None} if kind == "code" else {}),
            }
            for kind, source in zip(kinds, cells, strict=True)
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(data)


def pull_request_job(
    api_url: str, tmp_path: Path, *, repo: str, sha: str, token: str
) -> tuple[dict[str, str], Path]:
    """The Actions environment of a ``pull_request`` job (pull request 7 at ``sha``) and the
    job summary file it names; the bot's tests set it with ``monkeypatch.setenv``."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 7, "head": {"sha": sha}}}))
    summary = tmp_path / "summary.md"
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": api_url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": repo,
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_TOKEN": token,
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_WORKFLOW": "CI",
        "GITHUB_JOB": "nudge",
        "GITHUB_RUN_ID": "4242",
    }
    return env, summary


def racing_bot_runs(
    env: dict[str, str], report: Path, runs: int = 2
) -> list[subprocess.CompletedProcess[str]]:
    """``runs`` processes of ``mlnudge github --report`` started at once (comments only), each
    with the stderr it wrote; for the races a sticky comment must survive."""
    args = [sys.executable, "-m", "mlnudge", "github", "--report", str(report)]
    args += ["--review", "off", "--check-run", "off", "--annotations", "off"]
    procs = [
        subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(runs)
    ]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
    return done


class FileAccess:
    """Which files a run read and which it parsed: the facts layer's promise is that a run over
    unchanged files (warm) reads and parses none of them, and a hook run only the changed ones.

    Used as a context manager around the run; it wraps the two methods of the real
    :class:`~mlnudge.facts.repo.Repo` that touch a file's bytes and syntax, and counts.
    """

    def __init__(self) -> None:
        self.read: list[str] = []
        self.parsed: list[str] = []
        self._saved: dict[str, object] = {}

    def __enter__(self) -> FileAccess:
        from mlnudge.facts.repo import Repo

        read_bytes, parse = Repo.read_bytes, Repo._ast
        self._saved = {"read_bytes": read_bytes, "_ast": parse}
        access = self

        def counting_read(repo: Repo, rel: str) -> bytes | None:
            access.read.append(rel)
            return read_bytes(repo, rel)

        def counting_parse(repo: Repo, rel: str, source: str, cell: int | None = None) -> object:
            access.parsed.append(rel)
            return parse(repo, rel, source, cell)

        Repo.read_bytes = counting_read  # type: ignore[method-assign]
        Repo._ast = counting_parse  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        from mlnudge.facts.repo import Repo

        for name, method in self._saved.items():
            setattr(Repo, name, method)

    def read_python(self) -> set[str]:
        return {p for p in self.read if p.endswith((".py", ".ipynb"))}


def params_findings(root: Path, files: Mapping[str, str]) -> list[tuple[str, int | None, str, str]]:
    """``(path, line, rule, value)`` of the params findings on ``files`` written under ``root``."""
    from mlnudge.config import build_config
    from mlnudge.runner import run

    write_tree(root, files)
    report = run(root, build_config({}), families=["params"], use_cache=False)
    return sorted(
        (f.path, f.line, f.rule, str(f.details.get("value", ""))) for f in report.findings
    )


def transforms_findings(root: Path, files: Mapping[str, str], rule: str = "MLN301") -> set[str]:
    """What the transforms family reports for ``rule`` on ``files`` (dedented) written under
    ``root``: the function named by each MLN301 (``Cls.method``), the path of any other rule's."""
    import textwrap

    from mlnudge.config import build_config
    from mlnudge.runner import run

    write_tree(root, {rel: textwrap.dedent(text).lstrip() for rel, text in files.items()})
    report = run(root, build_config({"transforms": {}}), families=["transforms"], use_cache=False)
    return {
        f.message.split("`", 2)[1].removesuffix("()") if rule == "MLN301" else f.path
        for f in report.findings
        if f.rule == rule
    }


def load_script(path: Path, name: str) -> ModuleType:
    """A script that is not a package module (``benchmarks/accuracy/score.py``) imported under
    ``name``, registered in ``sys.modules`` so dataclasses and pickling find it; its folder is
    on ``sys.path`` first, as when Python runs it, so it imports the scripts beside it."""
    import importlib.util

    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def params_values(source: str, path: str) -> list[tuple[str, int, str]]:
    """``(rule, line, value)`` of the params findings of ``source`` analysed alone as ``path``
    (no repository around it: the per-module rules only)."""
    import ast

    from mlnudge.checks.params import analyse
    from mlnudge.config import build_config
    from mlnudge.facts.repo import PyModule

    module = PyModule(path, source, ast.parse(source))
    findings = analyse(module, build_config({}).section("params"))
    return [(f.rule, f.line or 0, str((f.details or {}).get("value"))) for f in findings]
