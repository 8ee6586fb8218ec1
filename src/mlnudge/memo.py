"""The replay of a run over an unchanged tree.

A pre-commit hook or a CI step often runs ``mlnudge check`` again on exactly what it saw last
time. Before importing the engine, :func:`main` computes a key of everything the run's output
depends on: the command line, the working directory, mlnudge's own code, the environment
(variables, interpreter, installed packages' directories), today's date (``warn-until`` and
waiver expiry), and the file listing with each file's modification time, size and inode. When a
previous run with the same key left its output, that output and exit code are replayed;
otherwise the normal command runs (its per-file facts come from the cache) and leaves its
output for the next time.

Only plain ``check`` runs qualify: no ``--no-cache``, ``--diff-base``, ``--run-tests``,
``--output``, ``--config`` or ``--verbose``, in a git work tree. A run is left for replay only
when no listed file changed in the two seconds before it started (a file written within the
clock's resolution could change again unseen: git's "racy clean" problem). The module imports
nothing beyond a few standard-library modules, so a replay costs about as much as starting the
interpreter, listing the files and reading their metadata.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time

from mlnudge import __version__

#: where the replays are kept, below the repository root (next to the per-file store), one
#: file per key
MEMO = os.path.join(".mlnudge_cache", "v2", "memo")
#: how many replays are kept per repository (the most recently written)
KEEP = 8
RACY_NS = 2_000_000_000
#: the check options that take a value (the next argument, or ``--name=value``)
_VALUED = frozenset(
    {"--format", "--select", "--ignore", "--mode", "--fail-on", "--profile", "--family"}
)
_FLAGS = frozenset({"--hook", "-q", "--quiet"})
#: the commands ``mlnudge`` knows; anything else is the implicit ``check``'s first argument
COMMANDS = (
    "check",
    "rules",
    "explain",
    "baseline",
    "config-schema",
    "github",
    "deps",
    "-h",
    "--help",
    "--version",
)
#: environment variables that differ between identical runs and change nothing in the output
_VOLATILE_ENV = frozenset({"_", "OLDPWD", "PWD", "SHLVL", "PYTEST_CURRENT_TEST"})


class Plan:
    """A run that may be replayed: where its memo lives, its key, and whether it may be stored.

    (A plain class: :mod:`dataclasses` would import :mod:`inspect`, a few milliseconds that a
    replay does not have.)
    """

    __slots__ = ("directory", "key", "storable")

    def __init__(self, directory: str, key: str, storable: bool) -> None:
        self.directory = directory
        self.key = key
        self.storable = storable

    @property
    def path(self) -> str:
        return os.path.join(self.directory, f"{self.key}.json")


def plan_for(args: list[str], cwd: str) -> Plan | None:
    """The memo of ``mlnudge ARGS`` run in ``cwd``, or ``None`` when the run never qualifies."""
    if not args or args[0] not in COMMANDS:
        args = ["check", *args]
    if args[0] != "check":
        return None
    paths: list[str] = []
    hook = False
    rest = iter(args[1:])
    for arg in rest:
        name = arg.split("=", 1)[0]
        if name in _VALUED:
            if "=" not in arg and next(rest, None) is None:
                return None
        elif arg in _FLAGS:
            hook = hook or arg == "--hook"
        elif arg.startswith("-"):
            return None  # --no-cache, --output, --verbose, --help, ...: always run
        else:
            paths.append(arg)
    root = _root(paths, hook, cwd)
    if root is None:
        return None
    listing = _listing(root)
    if listing is None:
        return None
    started = time.time_ns()
    h = hashlib.blake2b(digest_size=20)

    def feed(*parts: object) -> None:
        for part in parts:
            h.update(str(part).encode("utf-8", "surrogateescape"))
            h.update(b"\0")

    feed(__version__, sys.version, sys.executable, cwd, *args)
    feed(time.strftime("%Y-%m-%d"), sys.stdout.isatty())
    for name in sorted(os.environ):
        if name not in _VOLATILE_ENV:
            feed(name, os.environ[name])
    feed("code", *_signature(os.path.dirname(__file__)))
    for entry in sys.path:
        # installing or removing a distribution changes its site directory; other entries
        # (the working directory under ``python -m``) change with every file created there
        site = os.path.basename(entry) in ("site-packages", "dist-packages")
        feed(entry, _mtime(entry) if site else "")
    newest = 0
    for rel in (*listing, "pyproject.toml", ".mlnudge.toml"):
        try:
            st = os.lstat(os.path.join(root, rel))
        except OSError:
            feed(rel, "missing")
            continue
        feed(rel, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode)
        newest = max(newest, st.st_mtime_ns)
    return Plan(os.path.join(root, MEMO), h.hexdigest(), storable=newest < started - RACY_NS)


def replay(plan: Plan) -> int | None:
    """Write the remembered output of ``plan`` and return its exit code, if there is one."""
    try:
        with open(plan.path, encoding="utf-8") as handle:
            entry = json.load(handle)
        out, err, code = entry["out"], entry["err"], entry["code"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (isinstance(out, str) and isinstance(err, str) and isinstance(code, int)):
        return None
    sys.stdout.write(out)
    sys.stderr.write(err)
    sys.stdout.flush()
    return code


def remember(plan: Plan, out: str, err: str, code: int) -> None:
    """Keep a finished run's output for :func:`replay` (the last :data:`KEEP` command lines)."""
    if not plan.storable:
        return
    try:
        os.makedirs(plan.directory, exist_ok=True)
        tmp = f"{plan.path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump({"out": out, "err": err, "code": code}, handle)
        os.replace(tmp, plan.path)
        kept = sorted(
            (entry.stat().st_mtime_ns, entry.path)
            for entry in os.scandir(plan.directory)
            if entry.name.endswith(".json")
        )
        for _, stale in kept[:-KEEP]:
            os.unlink(stale)
    except OSError:
        pass  # a memo that cannot be written is no reason to fail a run


def _root(paths: list[str], hook: bool, cwd: str) -> str | None:
    """The root ``check`` chooses for these paths, where that is certain without git calls:
    the current directory or the one directory given, or (files) the current directory when
    it is the top of a git work tree with no nested work tree between it and the files."""
    if not paths and not hook:
        return cwd
    if not hook and len(paths) == 1 and os.path.isdir(os.path.join(cwd, paths[0])):
        return os.path.realpath(os.path.join(cwd, paths[0]))
    if not os.path.exists(os.path.join(cwd, ".git")):
        return None
    for rel in paths:
        parts = rel.replace(os.sep, "/").split("/")
        if os.path.isabs(rel) or ".." in parts or not os.path.isfile(os.path.join(cwd, rel)):
            return None
        for depth in range(1, len(parts)):
            if os.path.exists(os.path.join(cwd, *parts[:depth], ".git")):
                return None
    return cwd


def _listing(root: str) -> list[str] | None:
    """The files git lists below ``root`` (tracked and untracked-not-ignored), as the run does."""
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
    names = [n for n in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    if any(n.startswith(".mlnudge_cache/") for n in names):
        return None  # a committed cache is someone else's claim: never replayed (see runner)
    return names


def _signature(package: str) -> list[object]:
    """mlnudge's own modules and their modification times: an edited mlnudge never replays
    what an older one printed (the version number alone does not change in development)."""
    found: list[object] = []
    for directory, _, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith((".py", ".json", ".yaml")):
                full = os.path.join(directory, name)
                found += [full, _mtime(full)]
    return found


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0
