"""Which files a run looks at: git's list (or a walk honouring every ``.gitignore``), less the
folders never scanned, virtual environments, excluded globs, template folders and anything
that is not a regular file inside the repository.

The listing half of :class:`~mlnudge.facts.repo.Repo`, which reads and parses what is listed.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

import pathspec

from mlnudge.settings import Config, path_matches

#: directories never scanned, whatever git or .gitignore say
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".env",
        "node_modules",
        "build",
        "dist",
        ".tox",
        ".nox",
        "__pycache__",
        ".ipynb_checkpoints",
        ".cache",  # tool caches (pip, Hugging Face, torch hub) and scratch copies
        "site-packages",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".mlnudge_cache",
        ".eggs",
        ".dvc",
    }
)

#: folder names that hold a virtual environment only when they look like one: a committed
#: ``env/`` often holds an image's Dockerfile and requirements instead
MAYBE_VENV_DIRS = frozenset({"env"})
#: files at the root of a virtual environment (venv, virtualenv, conda)
VENV_MARKERS = ("pyvenv.cfg", "bin/activate", "Scripts/activate", "conda-meta/history")


def not_regular(root: Path, rel: str, sizes: dict[str, int] | None = None) -> str | None:
    """``None`` for a regular file, or a symlink to one inside ``root`` (one ``lstat``); else
    why it is skipped (``""``: silently, a directory or a symlink to one). The size of a
    regular file goes into ``sizes``.

    Parent directories need no check: git records a symlinked directory as one entry, and the
    walk never follows symlinked directories. Nothing here opens the file: a named pipe would
    block the run forever.
    """
    try:
        info = os.lstat(os.path.join(root, rel))
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}; skipped"
    mode = info.st_mode
    if stat.S_ISREG(mode):
        if sizes is not None:
            sizes[rel] = info.st_size
        return None
    path = root / rel
    if stat.S_ISDIR(mode):
        return ""
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return f"broken symbolic link (to {os.readlink(path)!r}, which does not exist); skipped"
        except (OSError, RuntimeError):  # a loop: RuntimeError before Python 3.13
            return "symbolic link loop; skipped"
        if not target.is_relative_to(root):
            return "symbolic link to a file outside the repository; not followed"
        if target.is_dir():
            return ""
        return None if target.is_file() else "symbolic link to a special file; skipped"
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
    )
    return f"{kind}, not a regular file; skipped (reading it could block the run)"


def template_folder(rel: str) -> str | None:
    """The outermost folder of ``rel`` named with a template placeholder (cookiecutter's and
    copier's ``{{ cookiecutter.repo_name }}``, ``{{project_slug}}``), or ``None``. What is below
    it is rendered into other projects: Jinja where Python should be, paths that are not yet
    names (docs/engine.md)."""
    parts = rel.split("/")
    for depth, part in enumerate(parts[:-1]):
        if "{{" in part and "}}" in part:
            return "/".join(parts[: depth + 1]) + "/"
    return None


def virtual_envs(listed: Iterable[str]) -> tuple[str, ...]:
    """The folders among ``listed`` named like :data:`MAYBE_VENV_DIRS` that hold a virtual
    environment (a :data:`VENV_MARKERS` file at their root), each with a trailing slash."""
    found: set[str] = set()
    for rel in listed:
        for marker in VENV_MARKERS:
            if rel.endswith("/" + marker):
                root = rel[: -len(marker)]
                if root.rstrip("/").rsplit("/", 1)[-1] in MAYBE_VENV_DIRS:
                    found.add(root)
    return tuple(sorted(found))


def skipped(rel: str, config: Config) -> bool:
    parts = rel.split("/")
    if any(part in SKIP_DIRS for part in parts[:-1]):
        return True
    return any(path_matches(rel, glob) for glob in config.exclude)


def git_files(root: Path) -> list[str] | None:
    """Tracked plus untracked-not-ignored files below ``root``, or ``None`` outside git."""
    try:
        proc = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            cwd=root,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [n for n in names if n]


def walk(root: Path) -> Iterator[str]:
    """Files below ``root`` that no ``.gitignore`` ignores; symlinked dirs are not followed.

    Each ``.gitignore`` applies below its own directory with git's rules (``pathspec``'s
    :class:`~pathspec.GitIgnoreSpec`): the last matching pattern wins, deeper files after
    shallower ones, so a nested ``!pattern`` re-includes; an ignored directory is not entered,
    so nothing below it can be re-included (as in git). Known difference (docs/engine.md):
    a negated directory-only pattern (``!*/``, ``!cache/**/``) does not re-include
    directories, so such a tree is skipped a little more than git would.
    """
    ignores: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        if ".gitignore" in filenames:
            patterns = _read_gitignore(Path(dirpath) / ".gitignore")
            if patterns:
                ignores.append((rel_dir, patterns))
        active = [(base, pats) for base, pats in ignores if _under(rel_dir, base)]
        keep = []
        for name in sorted(dirnames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            full = Path(dirpath) / name
            if name in SKIP_DIRS or full.is_symlink() or _ignored(rel, True, active):
                continue
            if name in MAYBE_VENV_DIRS and any((full / m).exists() for m in VENV_MARKERS):
                continue
            keep.append(name)
        dirnames[:] = keep
        for name in filenames:
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if not _ignored(rel, False, active):
                yield rel


def _under(rel_dir: str, base: str) -> bool:
    return base in ("", rel_dir) or rel_dir.startswith(base + "/")


def _read_gitignore(path: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(rel: str, is_dir: bool, active: Iterable[tuple[str, pathspec.GitIgnoreSpec]]) -> bool:
    """Whether ``rel`` is ignored: the deepest ``.gitignore`` with a matching pattern decides.

    Directories are asked about as ``dir/``, which is how ``dir/``-only patterns see them.
    """
    ignored = False
    for base, spec in active:
        local = rel[len(base) + 1 :] if base else rel
        result = spec.check_file(local + "/" if is_dir else local)
        if result.include is not None:
            ignored = result.include
    return ignored
