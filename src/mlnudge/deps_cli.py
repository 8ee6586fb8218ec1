"""``mlnudge deps ...``: dependency tools that go beyond checking.

``mlnudge deps lowest [PATH]`` builds a throw-away environment in which every declared runtime
dependency is installed at the lowest version its range allows (constraints ``name==<lower>``;
test tools and everything else at their newest), runs the project's tests there, and reports
which lower bounds are false. ``--bisect`` then tries each dependency alone at its lower bound.

``mlnudge deps list [PATH]`` prints every declaration mlnudge found, where, and its range.

Exit codes: 0 the suite passes at the lowest versions (or nothing to test), 1 false lower bounds
found (tests fail, or the lowest versions cannot even be installed), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FALSE_BOUNDS = 1
EXIT_USAGE = 2

TEST_GROUPS = ("test", "tests", "testing")


class UsageError(Exception):
    """Bad arguments or a path that cannot be used; exit code 2."""


@dataclass(frozen=True)
class Planned:
    """One runtime dependency as it will be installed."""

    name: str
    requirement: str
    #: the lowest version the range allows (``None``: unbounded or exclusive lower bound)
    lower: str | None
    where: str


@dataclass
class Outcome:
    passed: bool
    installer: str
    planned: list[Planned]
    installed: dict[str, str] = field(default_factory=dict)
    at_lower: dict[str, str] = field(default_factory=dict)
    unbounded: list[str] = field(default_factory=list)
    false_lower_bounds: list[str] = field(default_factory=list)
    install_error: str | None = None
    test_output: str = ""
    notes: list[str] = field(default_factory=list)
    duration_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "installer": self.installer,
            "at_lower_bound": self.at_lower,
            "unbounded": self.unbounded,
            "false_lower_bounds": self.false_lower_bounds,
            "install_error": self.install_error,
            "installed": self.installed,
            "notes": self.notes,
            "duration_s": round(self.duration_s, 2),
        }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlnudge deps", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    low = sub.add_parser(
        "lowest",
        help="run the tests with every dependency at the lowest version its range allows",
    )
    low.add_argument("path", nargs="?", default=".", help="project root (default: .)")
    low.add_argument(
        "--group",
        action="append",
        default=[],
        help="extra or dependency group whose packages the tests need (default: test/tests)",
    )
    low.add_argument(
        "--bisect",
        action="store_true",
        help="on failure, try each dependency alone at its lower bound to name the false ones",
    )
    low.add_argument(
        "--installer", choices=("auto", "pip", "uv"), default="auto", help="default: uv if found"
    )
    low.add_argument("--python", default=sys.executable, help="interpreter for the environment")
    low.add_argument(
        "--install-project",
        action="store_true",
        help="pip install the project itself (default: put the root and src/ on PYTHONPATH)",
    )
    low.add_argument("--pytest-args", default="", help="extra arguments for pytest (one string)")
    low.add_argument("--timeout", type=float, default=1800.0, help="seconds per step (1800)")
    low.add_argument("--keep", action="store_true", help="keep the environment and print where")
    low.add_argument("--format", choices=("text", "json"), default="text")
    lst = sub.add_parser("list", help="print every declared dependency and its range")
    lst.add_argument("path", nargs="?", default=".")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # argparse: --help is 0, bad usage 2
        return EXIT_OK if exc.code in (0, None) else EXIT_USAGE
    try:
        if args.command == "list":
            print(render_list(Path(args.path)))
            return EXIT_OK
        outcome = lowest(
            Path(args.path),
            groups=tuple(args.group),
            bisect=args.bisect,
            installer=args.installer,
            python=args.python,
            install_project=args.install_project,
            pytest_args=tuple(args.pytest_args.split()),
            timeout=args.timeout,
            keep=args.keep,
        )
    except UsageError as exc:
        print(f"mlnudge deps: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(outcome.to_json(), indent=2, sort_keys=True))
    else:
        print(render_text(outcome))
    return EXIT_OK if outcome.passed else EXIT_FALSE_BOUNDS


# -- reading the declarations ----------------------------------------------------------------


def _collect(root: Path) -> Any:
    from mlnudge.checks.deps import DEFAULT_DEV_GROUPS, collect
    from mlnudge.config import build_config
    from mlnudge.facts.repo import Repo

    if not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    repo = Repo.discover(root, build_config({}))
    return collect(repo, DEFAULT_DEV_GROUPS)


def render_list(root: Path) -> str:
    from mlnudge.checks.deps.credentials import redact

    collected = _collect(root)
    rows = []
    for manifest in collected.manifests:
        for dep in manifest.deps:
            where = f"{dep.path}:{dep.line}" if dep.line else dep.path
            spec = "invalid" if dep.error else ("?" if dep.spec is None else str(dep.spec) or "*")
            kind = "dev" if dep.dev else dep.role
            rows.append(f"{where}\t{dep.name or '-'}\t{spec}\t{kind}\t{redact(dep.text)}")
    for lock in collected.locks:
        rows.append(f"{lock.path}\t({lock.kind} lock: {len(lock.versions)} packages)")
    return "\n".join(rows) if rows else "no dependency declarations found"


def plan(root: Path, groups: Sequence[str] = ()) -> tuple[list[Planned], list[str]]:
    """Runtime dependencies (with lower bounds) and the extra requirements the tests need."""
    from mlnudge.checks.deps import bounds

    collected = _collect(root)
    top = [m for m in collected.manifests if "/" not in m.path]
    metadata = [d for m in top for d in m.deps if d.role == "metadata" and d.error is None]
    if not metadata:  # an application: its top-level requirements file is the declaration
        metadata = [
            d
            for m in top
            if m.path.startswith("requirements") and m.path.endswith((".in", ".txt"))
            for d in m.deps
            if d.role == "environment" and d.error is None
        ]
    wanted = {g.lower() for g in groups} or set(TEST_GROUPS)
    runtime: list[Planned] = []
    test_reqs: list[str] = []
    seen: set[str] = set()
    for dep in metadata:
        if dep.local or not dep.name or dep.name in collected_self(collected):
            continue
        requirement = _requirement_text(dep)
        if dep.group is not None:
            if dep.group.lower() in wanted and requirement:
                test_reqs.append(requirement)
            continue
        if dep.name in seen or not requirement:
            continue
        seen.add(dep.name)
        lower = None
        if dep.spec is not None:
            b = bounds(dep.spec)
            exclusive = any(s.operator == ">" for s in dep.spec)
            lower = str(b.lower) if b.lower is not None and not exclusive else None
            if b.exact is not None:
                lower = b.exact
        runtime.append(Planned(dep.name, requirement, lower, f"{dep.path}:{dep.line or 0}"))
    for m in top:  # PEP 735 groups and Poetry groups the tests ask for
        for dep in m.deps:
            if dep.role == "environment" and dep.group and dep.group.lower() in wanted:
                text = _requirement_text(dep)
                if text and dep.error is None and not dep.local:
                    test_reqs.append(text)
    if not any(
        r.split("[")[0].split(";")[0].strip().lower().startswith("pytest") for r in test_reqs
    ):
        test_reqs.append("pytest")
    return runtime, list(dict.fromkeys(test_reqs))


def collected_self(collected: Any) -> set[str]:
    from packaging.utils import canonicalize_name

    return {canonicalize_name(m.project_name) for m in collected.manifests if m.project_name}


def _requirement_text(dep: Any) -> str:
    if dep.url is not None:
        return f"{dep.name} @ {dep.url}" if dep.name else dep.url
    if dep.spec is None:
        return ""
    extras = f"[{','.join(dep.extras)}]" if dep.extras else ""
    marker = f"; {dep.marker}" if dep.marker else ""
    return f"{dep.name}{extras}{dep.spec}{marker}"


# -- building and running --------------------------------------------------------------------


def _run(cmd: Sequence[str], timeout: float, **kw: Any) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            list(cmd), capture_output=True, text=True, timeout=timeout, check=False, **kw
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout if isinstance(exc.stdout, str) else ""
        return subprocess.CompletedProcess(list(cmd), 124, out, f"timed out after {timeout:.0f}s")
    except OSError as exc:
        return subprocess.CompletedProcess(list(cmd), 127, "", str(exc))


@dataclass
class _Env:
    directory: Path
    python: Path
    installer: str
    timeout: float

    def install(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        base = ["--disable-pip-version-check", "--no-input", "-q"]
        if self.installer == "uv":
            uv = shutil.which("uv") or "uv"
            cmd = [uv, "pip", "install", "--python", str(self.python), *args]
        elif self.installer == "pip-outer":
            cmd = [sys.executable, "-m", "pip", "--python", str(self.python), "install", *base]
            cmd += list(args)
        else:
            cmd = [str(self.python), "-m", "pip", "install", *base, *args]
        return _run(cmd, self.timeout)

    def versions(self) -> dict[str, str]:
        script = (
            "import importlib.metadata as m, json; "
            "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
        )
        proc = _run([str(self.python), "-c", script], self.timeout)
        if proc.returncode != 0:
            return {}
        from packaging.utils import canonicalize_name

        raw = json.loads(proc.stdout or "{}")
        return {canonicalize_name(k): v for k, v in raw.items() if isinstance(k, str)}


def _make_env(directory: Path, installer: str, python: str, timeout: float) -> _Env:
    venv = directory / "venv"
    bin_dir = "Scripts" if os.name == "nt" else "bin"
    exe = venv / bin_dir / ("python.exe" if os.name == "nt" else "python")
    if installer == "auto":
        installer = "uv" if shutil.which("uv") else "pip"
    if installer == "uv":
        proc = _run(
            [shutil.which("uv") or "uv", "venv", "-q", "--python", python, str(venv)], timeout
        )
        if proc.returncode != 0:
            raise UsageError(f"uv venv failed: {proc.stderr.strip()[-500:]}")
        return _Env(directory, exe, "uv", timeout)
    outer_pip = python == sys.executable and _has_outer_pip()
    cmd = [python, "-m", "venv", str(venv)]
    if outer_pip:
        cmd.insert(3, "--without-pip")  # pip of this interpreter installs into it (faster)
    proc = _run(cmd, timeout)
    if proc.returncode != 0:
        raise UsageError(f"cannot create a virtual environment: {proc.stderr.strip()[-500:]}")
    return _Env(directory, exe, "pip-outer" if outer_pip else "pip", timeout)


def _has_outer_pip() -> bool:
    import importlib.util

    return importlib.util.find_spec("pip") is not None


def _run_tests(
    env: _Env, root: Path, pytest_args: Sequence[str], on_path: bool
) -> tuple[bool, str]:
    run_env = dict(os.environ)
    run_env.pop("PYTHONHOME", None)
    if on_path:
        paths = [str(root)] + ([str(root / "src")] if (root / "src").is_dir() else [])
        run_env["PYTHONPATH"] = os.pathsep.join(paths)
    else:
        run_env.pop("PYTHONPATH", None)
    cmd = [str(env.python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args]
    proc = _run(cmd, env.timeout, cwd=root, env=run_env)
    output = (proc.stdout + proc.stderr).strip()
    return proc.returncode == 0, output


def lowest(
    root: Path,
    *,
    groups: Sequence[str] = (),
    bisect: bool = False,
    installer: str = "auto",
    python: str = sys.executable,
    install_project: bool = False,
    pytest_args: Sequence[str] = (),
    timeout: float = 1800.0,
    keep: bool = False,
) -> Outcome:
    """Install the lowest allowed versions, run the tests, and say which lower bounds are false."""
    from packaging.utils import canonicalize_name
    from packaging.version import InvalidVersion, Version

    started = time.perf_counter()
    root = root.resolve()
    runtime, test_reqs = plan(root, groups)
    directory = Path(tempfile.mkdtemp(prefix="mlnudge-lowest-"))
    outcome = Outcome(passed=True, installer=installer, planned=runtime)
    try:
        env = _make_env(directory, installer, python, timeout)
        outcome.installer = "uv" if env.installer == "uv" else "pip"
        constraints = directory / "constraints.txt"
        constraints.write_text(
            "".join(f"{p.name}=={p.lower}\n" for p in runtime if p.lower is not None),
            encoding="utf-8",
        )
        outcome.unbounded = [p.name for p in runtime if p.lower is None]
        targets = [p.requirement for p in runtime] + test_reqs
        if install_project:
            targets.append(str(root))
        proc = env.install(["-c", str(constraints), *targets])
        if proc.returncode != 0:
            outcome.passed = False
            outcome.install_error = (proc.stderr or proc.stdout).strip()[-2000:]
            outcome.false_lower_bounds = [p.name for p in runtime if p.lower is not None]
            return outcome
        outcome.installed = env.versions()
        for p in runtime:
            have = outcome.installed.get(canonicalize_name(p.name))
            try:
                if p.lower and have and Version(have) == Version(p.lower):
                    outcome.at_lower[p.name] = have
            except InvalidVersion:
                continue
        passed, output = _run_tests(env, root, pytest_args, not install_project)
        outcome.passed, outcome.test_output = passed, output
        if not passed and bisect and outcome.at_lower:
            _bisect(
                env,
                root,
                runtime=runtime,
                outcome=outcome,
                pytest_args=pytest_args,
                on_path=not install_project,
            )
        elif not passed:
            outcome.false_lower_bounds = sorted(outcome.at_lower)
    finally:
        outcome.duration_s = time.perf_counter() - started
        if keep:
            outcome.notes.append(f"environment kept in {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    return outcome


def _bisect(
    env: _Env,
    root: Path,
    *,
    runtime: list[Planned],
    outcome: Outcome,
    pytest_args: Sequence[str],
    on_path: bool,
) -> None:
    """Each dependency alone at its lower bound, the others at their newest."""
    newest = [p.requirement for p in runtime]
    proc = env.install(["--upgrade", *newest])
    if proc.returncode != 0:
        outcome.notes.append("could not upgrade to the newest versions; bisection skipped")
        outcome.false_lower_bounds = sorted(outcome.at_lower)
        return
    passed, _ = _run_tests(env, root, pytest_args, on_path)
    if not passed:
        outcome.notes.append(
            "the tests also fail with the newest versions: the failure is not (only) about "
            "lower bounds"
        )
        outcome.false_lower_bounds = sorted(outcome.at_lower)
        return
    by_name = {p.name: p for p in runtime}
    false: list[str] = []
    for name in sorted(outcome.at_lower):
        planned = by_name[name]
        if env.install([f"{name}=={planned.lower}"]).returncode != 0:
            false.append(name)
            continue
        ok, _ = _run_tests(env, root, pytest_args, on_path)
        if not ok:
            false.append(name)
        env.install(["--upgrade", planned.requirement])
    outcome.false_lower_bounds = false
    if not false:
        outcome.notes.append(
            "no dependency fails alone at its lower bound: a combination of lower bounds does"
        )
        outcome.false_lower_bounds = sorted(outcome.at_lower)


def render_text(outcome: Outcome) -> str:
    lines = []
    if outcome.install_error is not None:
        lines.append("The lowest versions the declared ranges allow cannot be installed:")
        lines.append(_indent(outcome.install_error))
        lines.append("Lower bounds to raise (or check): " + ", ".join(outcome.false_lower_bounds))
    elif outcome.passed:
        lines.append("Tests pass with every dependency at its lowest allowed version.")
    else:
        lines.append("Tests FAIL with the lowest allowed versions.")
        tail = "\n".join(outcome.test_output.splitlines()[-15:])
        if tail:
            lines.append(_indent(tail))
    if outcome.at_lower:
        lines.append(
            "At their lower bound: "
            + ", ".join(f"{k}=={v}" for k, v in sorted(outcome.at_lower.items()))
        )
    if outcome.unbounded:
        lines.append("No lower bound (installed at the newest): " + ", ".join(outcome.unbounded))
    if not outcome.passed and outcome.install_error is None:
        lines.append(
            "False lower bounds: " + (", ".join(outcome.false_lower_bounds) or "none named")
        )
    lines += [f"note: {n}" for n in outcome.notes]
    lines.append(f"({outcome.installer}, {outcome.duration_s:.1f}s)")
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


if __name__ == "__main__":
    raise SystemExit(main())
