"""Coverage-guided fuzzing of mlnudge's file readers and parsers, bounded in time.

    python benchmarks/fuzz/fuzz.py [TARGET ...] [--seconds N] [--engine atheris|hypothesis]

Each target (benchmarks/fuzz/targets.py) starts from its seeds in
benchmarks/fuzz/corpus/TARGET/ and runs for ``--seconds`` (default 60) in its own process.
With atheris (``pip install '.[fuzz]'``, libFuzzer under the hood) new interesting inputs go
to benchmarks/fuzz/work/TARGET/ (git-ignored; the seeds stay as committed) and a crash is
written to benchmarks/fuzz/crashes/TARGET-crash-*. The hypothesis engine is the fallback
where atheris has no wheel: it mutates the seeds and tries random bytes. Copy every crash to
benchmarks/fuzz/regressions/TARGET/ (tests/test_fuzz_regressions.py replays it in the normal
test run) and fix it. This job is not part of the test run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _atheris_child(target: str, seconds: int) -> int:
    import atheris

    with atheris.instrument_imports():
        import targets  # noqa: F401 - instrumented for coverage feedback

        import mlnudge.checks.deps.parsers
        import mlnudge.config
        import mlnudge.facts.repo  # noqa: F401
    from targets import TARGETS

    corpus = HERE / "corpus" / target  # the seeds, in the repository
    work = HERE / "work" / target  # what libFuzzer adds (git-ignored): new units go first dir
    work.mkdir(parents=True, exist_ok=True)
    crashes = HERE / "crashes"
    crashes.mkdir(exist_ok=True)
    argv = [
        sys.argv[0],
        str(work),
        str(corpus),
        f"-max_total_time={seconds}",
        "-rss_limit_mb=2048",
        "-timeout=10",
        "-max_len=65536",
        f"-artifact_prefix={crashes}/{target}-",
    ]
    atheris.Setup(argv, TARGETS[target])
    atheris.Fuzz()
    return 0


def _hypothesis_child(target: str, seconds: int) -> int:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from targets import TARGETS

    seeds = [p.read_bytes() for p in sorted((HERE / "corpus" / target).glob("*")) if p.is_file()]
    mutated = st.sampled_from(seeds or [b""]).flatmap(
        lambda seed: st.tuples(st.integers(0, len(seed)), st.binary(max_size=64)).map(
            lambda cut: seed[: cut[0]] + cut[1] + seed[cut[0] :]
        )
    )
    deadline = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < deadline:

        @settings(
            max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(st.one_of(mutated, st.binary(max_size=4096)))
        def run(data: bytes) -> None:
            TARGETS[target](data)

        run()
        runs += 200
    print(f"{target}: {runs} inputs, no crash")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="default: every target in targets.py")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--engine", choices=("atheris", "hypothesis"), default=None)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    if args.child:  # before anything imports mlnudge: atheris instruments it on import
        child = _atheris_child if engine == "atheris" else _hypothesis_child
        return child(args.child, args.seconds)
    from targets import TARGETS

    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown target(s) {sorted(unknown)}; choose from {', '.join(TARGETS)}")
    failed = []
    for target in args.targets or list(TARGETS):
        print(f"== {target}: {engine}, {args.seconds}s", flush=True)
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                target,
                "--seconds",
                str(args.seconds),
                "--engine",
                engine,
            ],
            check=False,
        )
        if proc.returncode != 0:
            failed.append(target)
    crashes = sorted((HERE / "crashes").glob("*")) if (HERE / "crashes").exists() else []
    print(f"== done: {len(failed)} target(s) crashed {failed}; crash files: {len(crashes)}")
    for crash in crashes:
        print(f"   {crash.relative_to(HERE)}: copy to regressions/TARGET/ and fix")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
