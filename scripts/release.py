#!/usr/bin/env python3
"""Pin our own nested action references to a release's commit SHA.

The reusable workflow calls ``mlnudge/mlnudge/actions/check@v1`` and the poster template
``mlnudge/mlnudge/actions/report@v1``: a caller who pins the workflow by SHA would still run
whatever ``v1`` points to. On a release branch, before tagging, this rewrites every
``uses: mlnudge/mlnudge/...@REF`` in the workflows and actions to ``@SHA # TAG``, where SHA is
the commit being released (default: ``HEAD``). The actions' content at SHA is the content
released; only these reference lines differ in the release commit.

    python scripts/release.py v1.2.3            # rewrite, then review the diff
    git commit -am "Release v1.2.3: pin nested actions" && git tag v1.2.3 && git tag -f v1

``--check`` exits 1 when any nested reference is not pinned by SHA (run it on the tag).
See docs/security.md.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

NESTED = re.compile(
    r"(?m)^(?P<lead>\s*(?:-\s+)?uses:\s*)(?P<action>mlnudge/mlnudge/[\w./-]+)@\S+(?P<rest>[^\n]*)$"
)
SHA = re.compile(r"[0-9a-f]{40}")


def files(root: Path) -> list[Path]:
    return sorted(
        [
            *root.glob(".github/workflows/*.yml"),
            *root.glob("actions/*/action.yml"),
            *([root / "action.yml"] if (root / "action.yml").exists() else []),
        ]
    )


def rewrite(text: str, sha: str, tag: str) -> str:
    return NESTED.sub(lambda m: f"{m.group('lead')}{m.group('action')}@{sha} # {tag}", text)


def unpinned(text: str) -> list[str]:
    refs = [m.group(0).split("uses:", 1)[1].split()[0] for m in NESTED.finditer(text)]
    return [r for r in refs if not SHA.fullmatch(r.rsplit("@", 1)[1])]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tag", nargs="?", help="the release tag, e.g. v1.2.3")
    parser.add_argument("--sha", help="the commit to pin to (default: git rev-parse HEAD)")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--check", action="store_true", help="only check that all are pinned")
    args = parser.parse_args(argv)
    if args.check:
        bad = [f"{p}: {r}" for p in files(args.root) for r in unpinned(p.read_text())]
        for line in bad:
            print(f"not pinned by SHA: {line}", file=sys.stderr)
        return 1 if bad else 0
    if not args.tag or not re.fullmatch(r"v\d+\.\d+\.\d+", args.tag):
        parser.error("give the release tag, e.g. v1.2.3")
    sha = (
        args.sha
        or subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=args.root, capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    if not SHA.fullmatch(sha):
        parser.error(f"not a full commit SHA: {sha!r}")
    for path in files(args.root):
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, sha, args.tag)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"pinned {path.relative_to(args.root)} to {sha} ({args.tag})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
