"""The command line: ``main(argv) -> int`` and the one place that turns errors into exit codes.

Exit codes: 0 nothing blocks (always in advisory mode), 1 findings block (ratchet/strict),
2 usage or configuration error, 3 internal error (with what to paste into a bug report).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from mlnudge import __version__
from mlnudge.config import load_config
from mlnudge.finding import FAMILIES, Family
from mlnudge.memo import COMMANDS, Plan, remember
from mlnudge.redact import redact, redacting_output
from mlnudge.report import FORMATS, Format
from mlnudge.settings import MODES, ConfigError
from mlnudge.targets import UsageError, resolve

EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_USAGE = 2
EXIT_CRASH = 3
#: 128 + SIGPIPE: what a shell reports for a Unix tool whose reader went away (``| head``)
EXIT_BROKEN_PIPE = 141


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlnudge",
        description="Friendly production nudges for machine-learning repositories.",
    )
    parser.add_argument("--version", action="version", version=f"mlnudge {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check a repository (the default command)")
    check.add_argument(
        "paths",
        nargs="*",
        help="one directory (the repository root, default '.') or files (as pre-commit passes)",
    )
    check.add_argument("--format", choices=FORMATS, default="text", help="report format on stdout")
    check.add_argument(
        "--output",
        action="append",
        default=[],
        metavar="[FORMAT=]PATH",
        help="write the report to PATH instead of stdout; FORMAT=PATH writes an extra report "
        "(repeatable, e.g. --output json=mlnudge.json --output sarif=mlnudge.sarif)",
    )
    check.add_argument(
        "--select", type=_csv, help="rule codes or prefixes to run (comma-separated)"
    )
    check.add_argument(
        "--ignore", type=_csv, help="rule codes or prefixes to skip (comma-separated)"
    )
    check.add_argument(
        "--config", type=Path, help="configuration file (pyproject.toml or .mlnudge.toml)"
    )
    check.add_argument("--mode", choices=MODES, help="advisory (default), ratchet or strict")
    check.add_argument(
        "--fail-on", choices=("error", "warning", "info"), help="lowest blocking severity"
    )
    check.add_argument("--profile", choices=("auto", "application", "library"))
    check.add_argument(
        "--family",
        action="append",
        choices=FAMILIES,
        help="run only these families (the per-family pre-commit hooks use this)",
    )
    check.add_argument(
        "--hook",
        action="store_true",
        help="the paths are changed files, possibly none (pre-commit); repo-level rules still run",
    )
    check.add_argument(
        "--run-tests",
        action="store_true",
        default=None,
        help="run the project's tests under coverage.py to decide which transformations are tested",
    )
    check.add_argument(
        "--no-cache", action="store_true", help="do not read or write the per-file cache"
    )
    check.add_argument(
        "--diff-base",
        metavar="REF",
        help="mark findings new or existing against the merge-base of REF and HEAD (e.g. "
        "origin/main), analysed in a temporary git worktree; also lists what was fixed",
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="only blocking findings and the summary"
    )
    check.add_argument(
        "-v", "--verbose", action="store_true", help="explain every finding; show timing"
    )

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    explain = sub.add_parser("explain", help="show a rule's page: what, why, example, fix, options")
    explain.add_argument("code", help="a rule code (MLN201) or name (hard-coded-hyperparameter)")

    baseline = sub.add_parser(
        "baseline", help="record today's findings so that ratchet mode only blocks new ones"
    )
    baseline.add_argument("path", nargs="?", default=".", help="repository root (default '.')")
    baseline.add_argument("--config", type=Path)

    sub.add_parser("config-schema", help="print the JSON schema of [tool.mlnudge]")

    github = sub.add_parser(
        "github", help="report to a GitHub pull request (see `mlnudge github -h`)", add_help=False
    )
    github.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None, memo: Plan | None = None) -> int:
    """Run one command; ``memo`` (from :mod:`mlnudge.memo`) keeps a ``check`` run's output for
    replay over the same tree."""
    try:
        with redacting_output():  # no token or credential leaves through any path below
            code = _main(argv, memo)
            sys.stdout.flush()  # inside the try: a reader that went away is seen here
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_BROKEN_PIPE
    return code


def _quiet_broken_pipe() -> None:
    """Stop writing to a closed pipe, as Unix tools do: no message, no traceback at exit.

    Python would flush stdout again at exit and print "Exception ignored ... BrokenPipeError";
    pointing the descriptor at /dev/null makes that flush a no-op (the recipe of the Python
    docs on SIGPIPE).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout replaced by a non-file (tests)
        pass


def _main(argv: Sequence[str] | None, memo: Plan | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in COMMANDS:
        args_list = ["check", *args_list]
    try:
        if args_list[0] == "github":
            from mlnudge.github.cli import main as github_main

            code: int = github_main(args_list[1:])
            return code
        if args_list[0] == "deps":
            from mlnudge.deps_cli import main as deps_main

            code = deps_main(args_list[1:])
            return code
        parser = build_parser()
        args = parser.parse_args(args_list)
        match args.command:
            case "check":
                return _check(args) if memo is None else _remembered(args, memo)
            case "rules":
                return _rules(args.format)
            case "explain":
                return _explain(args.code)
            case "baseline":
                return _baseline(Path(args.path), args.config)
            case "config-schema":
                import json

                from mlnudge.config import json_schema

                print(json.dumps(json_schema(), indent=2))
                return EXIT_OK
        parser.print_help()
        return EXIT_USAGE
    except SystemExit as exc:  # argparse: --help exits 0, bad usage exits 2
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except (ConfigError, UsageError) as exc:
        print(f"mlnudge: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("mlnudge: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise  # main() ends quietly
    except Exception:
        print(_crash_report(args_list), file=sys.stderr)
        return EXIT_CRASH


def _crash_report(argv: list[str]) -> str:
    return (
        "mlnudge crashed; this is a bug in mlnudge, not in your code.\n"
        "Please open an issue and paste everything below:\n\n"
        f"mlnudge version: {__version__}\n"
        f"python: {sys.version.split()[0]} ({platform.python_implementation()})\n"
        f"platform: {platform.platform()}\n"
        f"command: mlnudge {' '.join(argv)}\n\n"
        f"{traceback.format_exc()}"
    )


def _remembered(args: argparse.Namespace, memo: Plan) -> int:
    """``_check``, its output kept (as written, secrets masked) for :func:`mlnudge.memo.replay`."""
    out, err = _Tee(sys.stdout), _Tee(sys.stderr)
    sys.stdout, sys.stderr = out, err
    try:
        code = _check(args)
    finally:
        sys.stdout, sys.stderr = out.inner, err.inner
    remember(memo, redact("".join(out.parts)), redact("".join(err.parts)), code)
    return code


class _Tee:
    """A text stream that writes through and keeps what was written."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return int(self.inner.write(text))

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return bool(self.inner.isatty())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _check(args: argparse.Namespace) -> int:
    from mlnudge.report import render
    from mlnudge.runner import run

    cwd = Path.cwd()
    outputs = _parse_outputs(args.output, args.format)
    chosen = resolve(args.paths, args.hook, cwd)
    root, targets = chosen.root, chosen.files
    if args.verbose:
        print(f"mlnudge: root {root}: {chosen.reason}", file=sys.stderr)
    cli: dict[str, Any] = {
        "select": args.select,
        "ignore": args.ignore,
        "mode": args.mode,
        "fail-on": args.fail_on,
        "profile": args.profile,
        "transforms.run-tests": args.run_tests,
    }
    config = load_config(root, args.config, cli)
    families = cast("list[Family] | None", args.family)
    if args.diff_base:
        from mlnudge.diffbase import run_against_base

        report = run_against_base(
            root,
            config,
            args.diff_base,
            targets=targets,
            families=families,
            use_cache=not args.no_cache,
        )
    else:
        report = run(root, config, targets=targets, families=families, use_cache=not args.no_cache)
    for fmt, destination in outputs:
        if destination is None:
            color = fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
            sys.stdout.write(
                render(report, fmt, color=color, verbose=args.verbose, quiet=args.quiet)
            )
        else:
            _write_atomic(destination, render(report, fmt, verbose=args.verbose))
    if args.verbose:
        print(
            f"mlnudge {__version__}: {report.files_scanned} file(s), {report.duration_s:.3f}s, "
            f"profile {report.profile}, config {config.source or 'defaults'}",
            file=sys.stderr,
        )
    return EXIT_BLOCKING if report.blocking() else EXIT_OK


def _parse_outputs(values: list[str], primary: Format) -> list[tuple[Format, Path | None]]:
    """``--output`` values: ``PATH`` (the ``--format`` report) or ``FORMAT=PATH`` (an extra).

    A value whose part before ``=`` is a plain word is meant as a format: an unknown one (a
    typo such as ``jsno=out.json``) is a usage error, never a file named ``jsno=out.json``. A
    file name holding ``=`` can still be given with a directory part (``./a=b.json``).
    """
    outputs: list[tuple[Format, Path | None]] = []
    primary_path: Path | None = None
    accepted = ", ".join(FORMATS)
    for value in values:
        name, sep, path = value.partition("=")
        if sep and name in FORMATS:
            if not path:
                raise UsageError(f"--output {value}: no path after '='; use {name}=PATH")
            outputs.append((name, Path(path)))
        elif sep and _FORMAT_WORD.fullmatch(name):
            raise UsageError(
                f"--output {value}: unknown format {name!r}; accepted formats: {accepted} "
                f"(FORMAT=PATH), or a path (./{value} for a file name with '=')"
            )
        elif not value:
            raise UsageError(f"--output needs a PATH or FORMAT=PATH (formats: {accepted})")
        else:
            if primary_path is not None:
                raise UsageError(
                    "--output PATH given twice; one PATH takes the --format report, extra "
                    f"reports are FORMAT=PATH (formats: {accepted})"
                )
            primary_path = Path(value)
    return [(primary, primary_path), *outputs]


_FORMAT_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _write_atomic(path: Path, content: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.mlnudge-tmp")
        tmp.write_text(redact(content), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _rules(fmt: str) -> int:
    from mlnudge.checks import all_rules

    rules = all_rules()
    if fmt == "json":
        import json

        data = [
            {
                "code": r.code,
                "name": r.name,
                "family": r.family,
                "severity": r.severity.label,
                "summary": r.summary,
            }
            for r in rules
        ]
        print(json.dumps(data, indent=2))
        return EXIT_OK
    width = max(len(r.name) for r in rules)
    for r in rules:
        print(f"{r.code}  {r.name:<{width}}  {r.family:<10}  {r.severity.label:<7}  {r.summary}")
    return EXIT_OK


def _explain(code: str) -> int:
    from mlnudge.checks import all_rules
    from mlnudge.docs import rule_page

    wanted = code.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted == rule.name:
            print(rule_page(rule))
            return EXIT_OK
    raise UsageError(f"no rule {code!r}; `mlnudge rules` lists them")


def _baseline(path: Path, config_path: Path | None) -> int:
    from mlnudge.runner import run, write_baseline

    root = path.resolve()
    if not root.is_dir():
        raise UsageError(
            f"baseline {path}: not a directory; give the repository root (default '.')"
        )
    config = load_config(root, config_path)
    report = run(root, config, use_cache=True)
    target = root / config.baseline
    count = write_baseline(target, report)
    print(
        f"mlnudge: recorded {count} finding(s) in {target}; ratchet mode now blocks only new ones."
    )
    return EXIT_OK
