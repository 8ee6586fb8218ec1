"""The dynamic side of MLN3xx: coverage.py data with per-test contexts.

``coverage`` is imported lazily, only when a data file exists or ``--run-tests`` asks for one,
so the hook path never pays for it. The data file is the one input a rule reads itself (through
coverage's API, ``CoverageData``): it is not part of the scanned tree.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: a pytest-cov context: ``tests/test_x.py::TestC::test_y[param]|run``
_PYTEST_CONTEXT = re.compile(r"^(?P<path>[^:|]+\.py)::(?P<qual>[^|\[]+)")


class CoverageUnavailable(Exception):
    """coverage.py cannot be used here; the message says why, for ``ctx.notes``."""


@dataclass
class Measured:
    """Per-line test contexts of the repository files found in a coverage data file."""

    data_file: Path
    #: repo-relative path -> line -> contexts that ran it
    lines: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    #: repo files newer than the data file: their line numbers may have moved
    stale: set[str] = field(default_factory=set)


def load(data_file: Path, root: Path, files: Iterable[str]) -> Measured:
    """Read ``data_file`` with coverage's API and map its files onto ``files`` (repo-relative)."""
    try:
        import coverage
    except ImportError:
        raise CoverageUnavailable(
            f"found {data_file.name} but coverage.py is not installed; "
            "install `mlnudge[coverage]` to use it (static analysis decided instead)"
        ) from None
    data = coverage.CoverageData(basename=str(data_file))
    try:
        data.read()
        contexts = data.measured_contexts()
        measured = data.measured_files()
    except Exception as exc:  # coverage raises its own DataError / sqlite errors
        raise CoverageUnavailable(f"cannot read {data_file}: {exc}") from None
    if not any(contexts):
        raise CoverageUnavailable(
            f"{data_file.name} has no per-test contexts; run "
            "`pytest --cov --cov-context=test` (or set `dynamic_context = test_function`) "
            "so mlnudge can tell which test ran which line (static analysis decided instead)"
        )
    wanted = set(files)
    by_tail: dict[str, str] = {}
    real_root = root.resolve()
    for name in measured:
        rel = _relative(name, real_root)
        if rel is not None and rel in wanted:
            by_tail[rel] = name
            continue
        norm = name.replace("\\", "/")
        for path in wanted:
            if norm.endswith("/" + path) and len(path) > len(_tail_owner(by_tail, path)):
                by_tail[path] = name
    if not by_tail:
        raise CoverageUnavailable(
            f"{data_file.name} measured none of this repository's files "
            "(made in another checkout?); static analysis decided instead"
        )
    result = Measured(data_file=data_file)
    stamp = data_file.stat().st_mtime
    for path, name in by_tail.items():
        result.lines[path] = data.contexts_by_lineno(name)
        try:
            if (root / path).stat().st_mtime > stamp + 1:
                result.stale.add(path)
        except OSError:
            pass
    return result


def _tail_owner(by_tail: dict[str, str], path: str) -> str:
    return path if path in by_tail else ""


def _relative(name: str, root: Path) -> str | None:
    path = Path(name)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return None


def statements(source: str) -> set[int] | None:
    """The executable lines of ``source`` as coverage.py counts them (``None`` if it cannot)."""
    try:
        from coverage.parser import PythonParser

        parser = PythonParser(text=source)
        parser.parse_source()
        return set(parser.statements)
    except Exception:
        return None


def test_of_context(context: str) -> tuple[str, str] | None:
    """``(test file, qualname)`` of a pytest-cov context, or ``("", dotted)`` for test_function."""
    if not context:
        return None
    match = _PYTEST_CONTEXT.match(context)
    if match:
        return (match.group("path"), match.group("qual").replace("::", "."))
    return ("", context.split("|", maxsplit=1)[0])


# -- running the tests ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TestRun:
    data_file: Path | None
    command: str
    seconds: float
    summary: str
    returncode: int | None


#: variables never passed to the tests: tokens and the Actions runner's own secrets
_SECRET_NAMES = frozenset(
    {"GITHUB_TOKEN", "GH_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "MLNUDGE_TOKEN"}
)
_SECRET_PREFIXES = ("ACTIONS_", "INPUT_", "COV_CORE_", "COVERAGE_", "PYTEST_XDIST")


def child_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment for the project's tests: without any token or ``ACTIONS_*`` secret.

    ``INPUT_*`` (action inputs, ``INPUT_GITHUB-TOKEN`` among them) and coverage/xdist
    variables of an outer run are dropped too.
    """
    return {
        k: v
        for k, v in environ.items()
        if k.upper() not in _SECRET_NAMES and not k.upper().startswith(_SECRET_PREFIXES)
    }


def _committed(root: Path, venv: str) -> bool:
    """Whether anything under ``venv`` (or ``venv`` itself, a symlink) is tracked by git."""
    try:
        proc = subprocess.run(
            ["git", "ls-files", "-z", "--", venv],
            cwd=root,
            capture_output=True,
            timeout=30,
            check=False,
            env=child_environment(os.environ),
        )
    except (OSError, subprocess.SubprocessError):
        return False  # no git: nothing is committed
    return proc.returncode == 0 and bool(proc.stdout.strip(b"\0"))


def project_python(root: Path, *, allowed: bool = True) -> str:
    """The project's own interpreter when it has a virtualenv at the root, else ours.

    Never an interpreter committed to the repository (a pull request could put one there), and
    never the project's when ``allowed`` is false (``mlnudge github``).
    """
    if not allowed:
        return sys.executable
    for candidate in (".venv/bin/python", "venv/bin/python", ".venv/Scripts/python.exe"):
        path = root / candidate
        if path.is_file() and not _committed(root, candidate.split("/", 1)[0]):
            return str(path)
    return sys.executable


def run_tests(
    root: Path, workdir: Path, timeout: float, *, project_interpreter: bool = True
) -> TestRun:
    """Run the project's pytest under coverage with per-test contexts into ``workdir``.

    The tests get :func:`child_environment`: no token reaches code from the repository.
    """
    python = project_python(root, allowed=project_interpreter)
    env = child_environment(os.environ)
    probe = subprocess.run(
        [
            python,
            "-c",
            "import importlib.util as u;"
            "print(*(u.find_spec(m) is not None for m in ('pytest', 'pytest_cov', 'coverage')))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=root,
        env=env,
    )
    has = probe.stdout.split()
    if probe.returncode != 0 or len(has) != 3 or has[0] != "True":
        raise CoverageUnavailable(f"cannot run the tests: pytest is not installed for {python}")
    data_file = workdir / ".coverage"
    env["COVERAGE_FILE"] = str(data_file)
    quiet = ["-q", "-p", "no:cacheprovider"]
    if has[1] == "True":
        args = [
            python,
            "-m",
            "pytest",
            f"--cov={root}",
            "--cov-context=test",
            "--cov-report=",
            *quiet,
        ]
        shown = "python -m pytest --cov --cov-context=test"
    elif has[2] == "True":
        rcfile = workdir / "coveragerc"
        rcfile.write_text(
            f"[run]\ndynamic_context = test_function\nsource = {root}\ndata_file = {data_file}\n",
            encoding="utf-8",
        )
        args = [python, "-m", "coverage", "run", f"--rcfile={rcfile}", "-m", "pytest", *quiet]
        shown = "python -m coverage run (dynamic_context = test_function) -m pytest"
    else:
        raise CoverageUnavailable(
            f"cannot run the tests under coverage: neither pytest-cov nor coverage is installed "
            f"for {python}"
        )
    started = time.perf_counter()
    proc = subprocess.Popen(
        args,
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise CoverageUnavailable(
            f"the tests did not finish within {timeout:g}s (`test-timeout`); "
            "static analysis decided instead"
        ) from None
    seconds = time.perf_counter() - started
    lines = [line.strip("= ") for line in out.splitlines() if line.strip()]
    summary = next(
        (line for line in reversed(lines) if re.search(r"\b(passed|failed|error|no tests)", line)),
        f"exit code {proc.returncode}",
    )
    found = data_file if data_file.is_file() else None
    return TestRun(found, shown, seconds, summary, proc.returncode)


def _kill(proc: subprocess.Popen[str]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            proc.kill()
    except OSError:
        pass
    proc.communicate()


def temporary_workdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="mlnudge-coverage-")
