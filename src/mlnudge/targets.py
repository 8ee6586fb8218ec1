"""What a check looks at: the repository root and the focused files, for ``check`` and ``github``.

``mlnudge check PATH...`` and ``mlnudge github`` both turn their paths into a root and an optional
list of focused files here (see the README's "Using the CLI").
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mlnudge.memo import COMMANDS


class UsageError(Exception):
    """The command line cannot be honoured; the message says why and what to do."""


def _git_root(cwd: Path) -> Path | None:
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(proc.stdout.strip()) if proc.returncode == 0 and proc.stdout.strip() else None


#: files whose presence makes a directory a project root (outside git)
PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".mlnudge.toml", ".git")


@dataclass(frozen=True)
class Targets:
    """What ``mlnudge check PATH ...`` checks: the root, the focused files and why that root."""

    root: Path
    #: the focused files relative to ``root``; ``None``: the whole repository
    files: list[str] | None
    #: why ``root`` was chosen, for ``--verbose``
    reason: str


def resolve_targets(paths: Sequence[str], hook: bool, cwd: Path) -> tuple[Path, list[str] | None]:
    """The repository root and the focused files (``None``: the whole repository)."""
    found = resolve(paths, hook, cwd)
    return found.root, found.files


def resolve(paths: Sequence[str], hook: bool, cwd: Path) -> Targets:
    """Choose the root for ``paths`` (see the README's "Using the CLI") and say why."""
    if not paths and not hook:
        return Targets(cwd.resolve(), None, "the current directory (no path given)")
    if not hook and len(paths) == 1 and (cwd / paths[0]).is_dir():
        return Targets((cwd / paths[0]).resolve(), None, "the directory given")
    missing = [p for p in paths if not (cwd / p).exists()]
    dirs = [p for p in paths if (cwd / p).is_dir()]
    if missing:
        raise UsageError(
            f"no such file or directory: {', '.join(missing)}. Give one directory (the "
            "repository root) or existing files; the commands are " + ", ".join(COMMANDS[:-3])
        )
    if dirs:
        raise UsageError(
            "give either one directory (the repository root) or files, not several directories "
            f"or a mix ({', '.join(dirs)})"
        )
    files = [(cwd / p).resolve() for p in paths]
    common = Path(os.path.commonpath([f.parent for f in files])) if files else cwd.resolve()
    git_root = _git_root(common)
    if git_root is not None:
        root, reason = git_root.resolve(), "the git work tree of the files"
    elif not files:
        root, reason = cwd.resolve(), "the current directory (no files given, not in git)"
    else:
        marked = _marked_ancestor(common)
        if marked is not None:
            root, marker = marked
            reason = f"the nearest directory above the files with {marker} (not in git)"
        else:
            root = common
            reason = (
                "the files' common directory (not in git, and no "
                + ", ".join(("requirements*.txt", *PROJECT_MARKERS))
                + " above them)"
            )
    targets = []
    for p, full in zip(paths, files, strict=True):
        try:
            targets.append(full.relative_to(root).as_posix())
        except ValueError:
            raise UsageError(
                f"{p} is outside the repository root {root}; give files of one repository"
            ) from None
    return Targets(root, targets, reason)


def _marked_ancestor(start: Path) -> tuple[Path, str] | None:
    """The nearest of ``start`` and its parents that holds a project marker, and the marker."""
    for directory in (start, *start.parents):
        for marker in PROJECT_MARKERS:
            if (directory / marker).exists():
                return directory, marker
        try:
            requirements = next(directory.glob("requirements*.txt"), None)
        except OSError:
            requirements = None
        if requirements is not None:
            return directory, requirements.name
    return None
