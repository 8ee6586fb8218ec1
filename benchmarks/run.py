"""The benchmark suite: mlnudge side by side with peers in the same run, reported as ratios.

    python benchmarks/run.py [--modules N] [--repeat R] [--json PATH]

Scenarios, each timed as the best of R runs of the real command line (wall clock):
- ``full-cold``: the whole repository, no cache          (peer: ``ruff check --no-cache``)
- ``full-warm``: the whole repository, cache populated   (peer: ``ruff check`` with its cache)
- ``hook-one-file``: pre-commit style, params on one changed file (peer: ``ruff check FILE``)
- ``hook-transforms``: pre-commit style, transforms on one changed feature module
pylint is timed too when it is installed (it is not a test dependency).
It also prints the params corpus precision/recall (benchmarks/params_corpus.py) when present.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402


def best_of(cmd: Sequence[str], cwd: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
        best = min(best, time.perf_counter() - started)
    return best


def tool(name: str) -> str | None:
    path = Path(sys.executable).parent / name
    return str(path) if path.exists() else shutil.which(name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    mlnudge = [sys.executable, "-m", "mlnudge"]
    ruff = tool("ruff")
    pylint = tool("pylint")
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "repo", modules=args.modules)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        files = sum(1 for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
        changed = "scripts/train_0.py"
        feature = "src/shopml/features_0.py"
        scenarios = {
            "full-cold": (
                [*mlnudge, "check", ".", "--no-cache", "-q"],
                [ruff, "check", "--no-cache", "-q", "."] if ruff else None,
                [pylint, "--disable=all", "--enable=W", "src", "scripts"] if pylint else None,
            ),
            "full-warm": (
                [*mlnudge, "check", ".", "-q"],
                [ruff, "check", "-q", "."] if ruff else None,
                None,
            ),
            "hook-transforms": (
                [*mlnudge, "check", "--hook", "--family", "transforms", "-q", feature],
                [ruff, "check", "-q", feature] if ruff else None,
                None,
            ),
            "hook-one-file": (
                [*mlnudge, "check", "--hook", "--family", "params", "-q", changed],
                [ruff, "check", "-q", changed] if ruff else None,
                [pylint, "--disable=all", "--enable=W", changed] if pylint else None,
            ),
        }
        # populate caches for the warm scenario
        subprocess.run([*mlnudge, "check", ".", "-q"], cwd=root, capture_output=True, check=False)
        if ruff:
            subprocess.run([ruff, "check", "-q", "."], cwd=root, capture_output=True, check=False)
        for name, (ours, peer, peer2) in scenarios.items():
            row = {"mlnudge": best_of(ours, root, args.repeat)}
            if peer:
                row["ruff"] = best_of(peer, root, args.repeat)
            if peer2:
                row["pylint"] = best_of(peer2, root, args.repeat)
            results[name] = row

    print(f"corpus: {args.modules} feature modules, {files} files; best of {args.repeat} runs")
    print(f"{'scenario':<15} {'mlnudge':>9} {'ruff':>9} {'ratio':>7} {'pylint':>9} {'ratio':>7}")
    for name, row in results.items():
        ours = row["mlnudge"]
        ruff_t = row.get("ruff")
        pyl = row.get("pylint")
        print(
            f"{name:<15} {ours * 1000:>7.0f}ms "
            + (
                f"{ruff_t * 1000:>7.0f}ms {ours / ruff_t:>6.1f}x "
                if ruff_t
                else f"{'-':>9} {'-':>7} "
            )
            + (f"{pyl * 1000:>7.0f}ms {ours / pyl:>6.2f}x" if pyl else f"{'-':>9} {'-':>7}")
        )
    print("ratio = mlnudge time / peer time (lower is better; < 1 means mlnudge is faster)")

    corpus_script = HERE / "params_corpus.py"
    if corpus_script.exists():
        print()
        subprocess.run([sys.executable, str(corpus_script)], check=False)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
