"""Hostile input: every file that could break a reader ends in an ``errors`` entry or a clear
skip, the rest of the run intact, in bounded time and memory.

One repository holds all of them next to a healthy ``train.py``; it is checked once, in a
subprocess with an address-space limit and a timeout, and each case below is one test on
that run. docs/reliability.md lists the cases; keep the two in step.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import ROOT, git_repo, notebook, write_tree

#: generous bounds: the whole hostile repository takes a few seconds and ~100 MB here
TIME_LIMIT_S = 120
MEMORY_LIMIT_BYTES = 3 * 1024**3
MAX_RSS_MB = 1024

HEALTHY = "from sklearn.ensemble import RandomForestClassifier\nm = RandomForestClassifier(n_estimators=300)\n"


def _billion_laughs() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE: dict[str, str | bytes] = {
    "train.py": HEALTHY,
    "requirements.txt": "scikit-learn>=1.3\n",
    # binary data and text that is not UTF-8
    "binary.py": bytes(range(1, 256)) * 40,
    "nul.py": b"x = 1\n\0\0\0\x89PNG\r\n",
    "latin1.py": b"name = 'caf\xe9'\n",
    "bad_cookie.py": b"# -*- coding: klingon -*-\nx = 1\n",
    # text that is fine and must be read as such
    "bom.py": b"\xef\xbb\xbf" + HEALTHY.replace("m =", "bom =").encode(),
    "crlf.py": HEALTHY.replace("m =", "crlf =").replace("\n", "\r\n").encode(),
    "cookie.py": b"# -*- coding: cp1252 -*-\n# \x80 euro\n"
    + HEALTHY.replace("m =", "c =").encode(),
    # huge files and very long lines
    "huge.py": b"x = 1\n" * 200_000,
    "longline.py": b"values = [" + b"1, " * 250_000 + b"]\n",
    # deeply nested expressions
    "deep_parens.py": b"x = " + b"(" * 500 + b"1" + b")" * 500 + b"\n",
    "deep_attrs.py": b"x = a" + b".b" * 900 + b"\n",
    "deep_unary.py": b"x = " + b"-" * 100_000 + b"1\n",
    "deep_sum.py": b"x = " + b"1 + " * 100_000 + b"1\n",
    # notebooks: truncated, not a notebook, cells that are not cells
    "notebooks/truncated.ipynb": notebook("x = 1")[:40],
    "notebooks/list.ipynb": "[1, 2, 3]",
    "notebooks/bad_cells.ipynb": json.dumps(
        {
            "cells": [
                {"cell_type": "code", "source": [1, 2, None]},
                5,
                {"cell_type": "code"},
                {"cell_type": "code", "source": {"not": "text"}},
                {"cell_type": "code", "source": ["model.fit(epochs=30)\n"]},
            ]
        }
    ),
    # configuration bombs
    "conf/laughs.yaml": _billion_laughs(),
    "conf/recursive.yaml": "a: &a [*a]\n",
    "conf/deep.yaml": "a: " + "[" * 20_000 + "]" * 20_000 + "\n",
    "conf/deep.toml": "a = " + "[" * 20_000 + "]" * 20_000 + "\n",
    "conf/deep.json": "[" * 100_000 + "]" * 100_000,
}


@dataclass(frozen=True)
class Case:
    path: str
    kind: str | None  # None: read fine, no error
    fragment: str = ""


CASES = [
    Case("binary.py", "encoding", "not valid utf-8"),
    Case("nul.py", "encoding", "binary content (NUL bytes)"),
    Case("latin1.py", "encoding", "add a PEP 263 coding line"),
    Case("bad_cookie.py", "encoding", "unknown encoding"),
    Case("bom.py", None),
    Case("crlf.py", None),
    Case("cookie.py", None),
    Case("huge.py", "too-large", "max-file-size"),
    Case("longline.py", None),
    Case("deep_parens.py", "syntax", "too many nested parentheses"),
    Case("deep_attrs.py", "syntax", "nested more than 150 levels"),
    Case("deep_unary.py", "syntax", "nested too deeply"),
    Case("deep_sum.py", "syntax", "nested"),
    Case("notebooks/truncated.ipynb", "syntax", "invalid JSON"),
    Case("notebooks/list.ipynb", "syntax", "no 'cells' list"),
    Case("notebooks/bad_cells.ipynb", "syntax", "'source' is not text"),
    Case("conf/laughs.yaml", "too-large", "billion laughs"),
    Case("conf/recursive.yaml", "too-large", "aliases expand"),
    Case("conf/deep.yaml", "syntax", "nest"),
    Case("conf/deep.toml", "syntax", "TOML nested too deeply"),
    Case("conf/deep.json", "syntax", "JSON nested too deeply"),
    # special files: root reads every regular file whatever its mode bits (tests run as root),
    # so these are the unreadable files here; none of them is ever opened
    Case("fifo.py", "unreadable", "named pipe (FIFO)"),
    Case("dangling.py", "unreadable", "broken symbolic link"),
    Case("loop.py", "unreadable", "symbolic link loop"),
    Case("escape.py", "unreadable", "outside the repository; not followed"),
]


def run_bounded(root: Path, *args: str) -> tuple[dict[str, Any], int, str]:
    """``mlnudge check ROOT --format json`` in a child with limits; the report, its peak RSS (MB)."""
    script = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT_BYTES}, {MEMORY_LIMIT_BYTES}))\n"
        "from mlnudge.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "sys.stderr.write(f'\\nmaxrss_kb={rss}\\n')\n"
        "raise SystemExit(code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, "check", str(root), "--format", "json", "--no-cache", *args],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT_S,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rss_kb = int(proc.stderr.rsplit("maxrss_kb=", 1)[1].split()[0])
    return json.loads(proc.stdout), rss_kb // 1024, proc.stderr


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    base = tmp_path_factory.mktemp("hostile")
    root = write_tree(base / "repo", HOSTILE)
    write_tree(base / "outside", {"secret.py": "token = 'hunter2'\nlr = 0.1\n"})
    os.mkfifo(root / "fifo.py")
    os.symlink("nowhere.py", root / "dangling.py")
    os.symlink("loop.py", root / "loop.py")
    os.symlink(base / "outside" / "secret.py", root / "escape.py")
    os.symlink(base / "outside", root / "escape_dir")
    os.symlink(root, root / "self_dir")
    report, rss_mb, _ = run_bounded(root)
    yield {"report": report, "rss_mb": rss_mb}


def test_the_whole_hostile_repository_is_checked_in_bounded_time_and_memory(
    hostile: dict[str, Any],
) -> None:
    report = hostile["report"]
    assert report["summary"]["duration_s"] < TIME_LIMIT_S
    assert hostile["rss_mb"] < MAX_RSS_MB, hostile["rss_mb"]
    # the rest of the run is intact: the healthy file's finding is there
    assert any(f["path"] == "train.py" and f["rule"] == "MLN201" for f in report["findings"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path)
def test_hostile_file_ends_in_an_error_entry_or_is_read(
    hostile: dict[str, Any], case: Case
) -> None:
    errors = [e for e in hostile["report"]["errors"] if e["path"] == case.path]
    if case.kind is None:
        assert errors == []
        return
    assert errors, f"no errors entry for {case.path}"
    assert {e["kind"] for e in errors} == {case.kind}, errors
    assert any(case.fragment in e["message"] for e in errors), errors


@pytest.mark.parametrize(
    ("path", "line"), [("bom.py", 2), ("crlf.py", 2), ("cookie.py", 4), ("train.py", 2)]
)
def test_bom_crlf_and_coding_cookies_are_read_with_the_right_lines(
    hostile: dict[str, Any], path: str, line: int
) -> None:
    hits = [f for f in hostile["report"]["findings"] if f["path"] == path]
    assert [(f["rule"], f["line"]) for f in hits if f["rule"] == "MLN201"] == [("MLN201", line)]


def test_good_cells_of_a_broken_notebook_are_still_analysed(hostile: dict[str, Any]) -> None:
    """Skipped only the cells that are not cells (the fourth-listed is the 5th cell)."""
    path = "notebooks/bad_cells.ipynb"
    cells = {e["message"].split(":")[0] for e in hostile["report"]["errors"] if e["path"] == path}
    assert cells == {"cell 1", "cell 4"}


def test_links_out_of_the_repository_are_never_followed(hostile: dict[str, Any]) -> None:
    everything = json.dumps(hostile["report"])
    assert "hunter2" not in everything and "secret.py" not in everything
    assert not any(
        e["path"].startswith(("escape_dir", "self_dir")) for e in hostile["report"]["errors"]
    )


def test_unreadable_by_permissions_when_not_root(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file whatever its mode; the FIFO and symlink cases stand in")
    root = write_tree(tmp_path, {"locked.py": "x = 1\n", "train.py": HEALTHY})
    (root / "locked.py").chmod(0)
    report, _, _ = run_bounded(root)
    [error] = [e for e in report["errors"] if e["path"] == "locked.py"]
    assert error["kind"] == "unreadable" and "Permission denied" in error["message"]


def test_a_pyproject_with_a_bom_is_still_the_configuration(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": b'\xef\xbb\xbf[tool.mlnudge]\nselect = ["MLN2"]\n',
            "train.py": HEALTHY,
        },
    )
    report, _, _ = run_bounded(root)
    assert {f["check"] for f in report["findings"]} == {"params"}
    assert report["errors"] == []


def test_a_pyproject_nested_past_the_recursion_limit_is_reported_not_fatal(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path, {"pyproject.toml": "a = " + "[" * 20_000 + "]" * 20_000, "train.py": HEALTHY}
    )
    report, _, _ = run_bounded(root)
    [error] = [e for e in report["errors"] if e["path"] == "pyproject.toml"]
    assert "nested too deeply" in error["message"]
    assert any(f["rule"] == "MLN201" for f in report["findings"])


STRANGE_NAMES = [
    "with space/my train.py",
    "new\nline.py",
    "ünïcödé/trâin.py",
    "`tick`.py",
    "@octocat.py",
    "<img src=x onerror=alert(1)>.py",
    "tab\there.py",
    "quote'\"s.py",
    "--help.py",
]


def test_strange_file_names_survive_git_and_every_format(tmp_path: Path) -> None:
    files = dict.fromkeys(STRANGE_NAMES, "lr = 0.1\n")
    root = git_repo(tmp_path, files)
    report, _, _ = run_bounded(root)
    paths = {f["path"] for f in report["findings"] if f["rule"] == "MLN201"}
    assert paths == set(STRANGE_NAMES)
    for fmt in ("text", "sarif", "github", "markdown"):
        proc = subprocess.run(
            [sys.executable, "-m", "mlnudge", "check", str(root), "--format", fmt, "--no-cache"],
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT_S,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        assert proc.returncode == 0, proc.stderr
        if fmt == "github":  # one workflow command per line: a newline in a name stays escaped
            assert all(line.startswith("::") for line in proc.stdout.splitlines())
            assert "new%0Aline.py" in proc.stdout
        if fmt == "markdown":
            assert "@octocat" not in proc.stdout  # defused: @\u200boctocat
            assert "<img" not in proc.stdout.replace("`<img", "")  # only inside code spans
