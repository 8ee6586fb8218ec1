"""The floor under any checker built on Python's own parser: read, parse and walk once.

    python benchmarks/floor.py [FILE ...]     # no FILE: every tracked .py file of the tree

No rule runs. Each file is read, parsed with :func:`ast.parse` and every node visited once
with :func:`ast.walk`, in as many processes as the CPUs this process may use (above 32
files, as mlnudge's cold run does) and with the cyclic garbage collector off (as mlnudge
runs). The benchmark times it as a whole process beside mlnudge and ruff: what is left
between this floor and mlnudge is the rules' own analysis, and the floor's own distance from
ruff is what no Python-side optimisation of the rules can remove.
"""

from __future__ import annotations

import ast
import gc
import os
import sys

#: below this many files one process does it all (a pool costs more than it saves)
MIN_FILES = 32


def visit(path: str) -> int:
    """The nodes of one file (0 when it cannot be read or parsed)."""
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        return 0
    return sum(1 for _ in ast.walk(tree))


def tracked() -> list[str]:
    import subprocess  # only a whole-tree run lists the files: the hook's floor stays light

    proc = subprocess.run(["git", "ls-files", "-z", "--", "*.py"], capture_output=True, check=True)
    return [name for name in proc.stdout.decode().split("\0") if name]


def main(argv: list[str]) -> int:
    gc.disable()
    paths = argv or tracked()
    if len(paths) < MIN_FILES:
        nodes = sum(map(visit, paths))
    else:
        import multiprocessing  # only a whole-tree run needs workers

        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        with multiprocessing.get_context("fork").Pool(cpus) as pool:
            nodes = sum(pool.imap_unordered(visit, paths, chunksize=8))
    print(f"{len(paths)} files, {nodes} nodes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
