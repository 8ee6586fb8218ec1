"""The benchmark's corpora, prepared outside the repository and never committed.

* ``statsmodels``, ``diffusers``, ``kedro``: a wheel downloaded from the package index at
  benchmark time (``pip download --no-deps --only-binary :all: NAME==VERSION``) and unzipped.
  A wheel has no ``pyproject.toml``; one is written from the wheel's ``METADATA`` (name,
  version, ``Requires-Dist`` as dependencies and extras) so deptry and mlnudge's deps family
  have the manifest the project's own source tree would have.
* ``synth-N``: a synthetic ML repository of about N files with planted findings
  (:mod:`corpus`).

Each tree is a git repository with one commit (discovery, pre-commit and the hook path all
work in git), kept under ``~/.cache/mlnudge-bench`` (``MLNUDGE_BENCH_CACHE`` or
``--cache-dir``); :func:`reset` puts it back to that commit and removes every cache.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

from corpus import generate

#: the pinned wheels; bump a version here and the next run downloads it
WHEELS = {
    "statsmodels": "0.14.5",
    "diffusers": "0.42.1",
    "kedro": "1.7.0",
}
DEFAULT_CACHE = Path(
    os.environ.get("MLNUDGE_BENCH_CACHE", Path.home() / ".cache" / "mlnudge-bench")
)
SYNTH_RE = re.compile(r"^synth-(\d+)$")
GIT = (
    "git",
    "-c",
    "user.name=mlnudge-bench",
    "-c",
    "user.email=bench@invalid",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "core.autocrlf=false",
)


@dataclass(frozen=True)
class Corpus:
    name: str
    root: Path
    source: str
    #: planted findings as ``(rule, path)`` (synthetic corpora only)
    planted: tuple[tuple[str, str], ...] = ()

    def py_files(self) -> list[str]:
        proc = subprocess.run(
            [*GIT, "ls-files", "-z", "--", "*.py"], cwd=self.root, capture_output=True, check=True
        )
        return sorted(n for n in proc.stdout.decode().split("\0") if n)

    def file_count(self) -> int:
        proc = subprocess.run(
            [*GIT, "ls-files", "-z"], cwd=self.root, capture_output=True, check=True
        )
        return sum(1 for n in proc.stdout.decode().split("\0") if n)


def known(name: str) -> bool:
    return name in WHEELS or SYNTH_RE.match(name) is not None


def prepare(name: str, cache_dir: Path = DEFAULT_CACHE) -> Corpus:
    """The corpus ``name``, downloaded or generated on first use."""
    trees = cache_dir / "trees"
    match = SYNTH_RE.match(name)
    if match:
        files = int(match.group(1))
        root = trees / f"{name}-seed0"
        planted_file = trees / f"{name}-seed0.planted.json"
        if not (root / ".git").is_dir() or not planted_file.exists():
            _fresh(root)
            planted = generate(root, files=files, seed=0)
            planted_file.write_text(json.dumps([[p.rule, p.path] for p in planted]))
            _commit(root)
        raw = json.loads(planted_file.read_text())
        return Corpus(
            name, root, f"generated ({files} files, seed 0)", tuple((r, p) for r, p in raw)
        )
    if name not in WHEELS:
        raise SystemExit(f"unknown corpus {name!r}: use {', '.join(WHEELS)} or synth-N")
    version = WHEELS[name]
    root = trees / f"{name}-{version}"
    source = f"{name}=={version} wheel from the package index"
    if (root / ".git").is_dir():
        return Corpus(name, root, source)
    wheel = _download(name, version, cache_dir / "wheels")
    _fresh(root)
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(root)
    _write_pyproject(root)
    _commit(root)
    return Corpus(name, root, source)


def reset(corpus: Corpus) -> None:
    """Back to the prepared commit: edits undone, caches (``.mlnudge_cache``, ruff's) removed."""
    subprocess.run([*GIT, "checkout", "-q", "--", "."], cwd=corpus.root, check=True)
    subprocess.run([*GIT, "clean", "-q", "-f", "-d", "-x"], cwd=corpus.root, check=True)


def _fresh(root: Path) -> None:
    if root.exists():
        subprocess.run(["rm", "-rf", str(root)], check=True)
    root.mkdir(parents=True)


def _commit(root: Path) -> None:
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "benchmark corpus"], cwd=root, check=True)


def _download(name: str, version: str, wheels: Path) -> Path:
    wheels.mkdir(parents=True, exist_ok=True)
    found = sorted(wheels.glob(f"{name}-{version}-*.whl"))
    if not found:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--dest",
                str(wheels),
                f"{name}=={version}",
            ],
            check=True,
        )
        found = sorted(wheels.glob(f"{name}-{version}-*.whl"))
    if not found:
        raise SystemExit(f"pip download {name}=={version} left no wheel in {wheels}")
    return found[0]


def _write_pyproject(root: Path) -> None:
    """A ``[project]`` table from the wheel's METADATA (the wheel carries no pyproject.toml)."""
    from packaging.requirements import Requirement

    meta_file = next(root.glob("*.dist-info/METADATA"))
    meta = Parser().parsestr(meta_file.read_text(encoding="utf-8"))
    runtime: list[str] = []
    extras: dict[str, list[str]] = {e: [] for e in meta.get_all("Provides-Extra") or []}
    for line in meta.get_all("Requires-Dist") or []:
        req = Requirement(line)
        marker = str(req.marker) if req.marker else ""
        extra = re.search(r'extra == "([^"]+)"', marker)
        if extra is None:
            runtime.append(line)
            continue
        rest = re.sub(r'\s*(and\s+)?extra == "[^"]+"(\s+and)?\s*', " ", marker).strip()
        req.marker = None
        text = str(req) + (f"; {rest}" if rest else "")
        extras.setdefault(extra.group(1), []).append(text)
    lines = [
        "[build-system]",
        'requires = ["setuptools>=61"]',
        'build-backend = "setuptools.build_meta"',
        "",
        "[project]",
        f"name = {json.dumps(meta['Name'])}",
        f"version = {json.dumps(meta['Version'])}",
    ]
    if meta.get("Requires-Python"):
        lines.append(f"requires-python = {json.dumps(meta['Requires-Python'])}")
    lines.append("dependencies = [" + ", ".join(json.dumps(r) for r in runtime) + "]")
    if any(extras.values()):
        lines += ["", "[project.optional-dependencies]"]
        for extra_name, reqs in extras.items():
            if reqs:
                key = (
                    extra_name
                    if re.fullmatch(r"[A-Za-z0-9_-]+", extra_name)
                    else json.dumps(extra_name)
                )
                lines.append(f"{key} = [" + ", ".join(json.dumps(r) for r in reqs) + "]")
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
