"""Precision and recall of the params family (MLN2xx) on the labelled corpus.

The corpus is ``tests/fixtures/params/<project>/``: small, realistic ML repositories. Labels:

* ``# expect: MLN201 MLN203`` at the end of a line: the findings that line must get (one code
  per finding, so a line with two hyperparameters says ``MLN201 MLN201``);
* ``# trap`` (optionally ``# trap: why``): the line must get no finding;
* any other line must get no finding either (a finding there counts as a false positive);
* ``EXPECT`` in a project lists findings on files that cannot carry comments, one per line:
  ``<path> <code>`` (repository-level findings such as MLN207).

Each project is copied to a temporary directory (the engine lists files with ``git ls-files``
inside a work tree) and run with its own ``.mlnudge.toml`` when it has one.

``python benchmarks/params_corpus.py`` prints the numbers; ``main()`` returns 1 when the
targets (precision >= 0.95, recall >= 0.85) are missed.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mlnudge.config import build_config, load_table
from mlnudge.finding import Finding
from mlnudge.runner import run

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "params"
EXPECT_RE = re.compile(r"#\s*expect:\s*((?:MLN\d{3}\s*)+)")
TRAP_RE = re.compile(r"#\s*trap\b")
PRECISION_TARGET = 0.95
RECALL_TARGET = 0.85

#: ``(path, line or 0, cell or 0)`` -> expected rule codes (with repetition)
Where = tuple[str, int, int]


@dataclass
class Score:
    expected: Counter[tuple[Where, str]] = field(default_factory=Counter)
    found: Counter[tuple[Where, str]] = field(default_factory=Counter)
    traps: int = 0
    files: int = 0
    labelled_lines: int = 0
    findings: list[Finding] = field(default_factory=list)

    def tp(self, code: str | None = None) -> int:
        both = self.expected & self.found
        return sum(n for (_, c), n in both.items() if code is None or c == code)

    def fp(self, code: str | None = None) -> int:
        extra = self.found - self.expected
        return sum(n for (_, c), n in extra.items() if code is None or c == code)

    def fn(self, code: str | None = None) -> int:
        missed = self.expected - self.found
        return sum(n for (_, c), n in missed.items() if code is None or c == code)

    def precision(self, code: str | None = None) -> float:
        tp, fp = self.tp(code), self.fp(code)
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, code: str | None = None) -> float:
        tp, fn = self.tp(code), self.fn(code)
        return tp / (tp + fn) if tp + fn else 1.0

    def codes(self) -> list[str]:
        return sorted({c for _, c in self.expected} | {c for _, c in self.found})

    def mistakes(self) -> Iterator[str]:
        for (where, code), n in sorted((self.found - self.expected).items()):
            yield f"false positive {code} x{n} at {_where(where)}"
        for (where, code), n in sorted((self.expected - self.found).items()):
            yield f"missed {code} x{n} at {_where(where)}"


def _where(where: Where) -> str:
    path, line, cell = where
    return f"{path}:cell {cell}:{line}" if cell else f"{path}:{line}"


def labels(project: Path, score: Score) -> None:
    """Add the labels of one project to ``score``."""
    for file in sorted(project.rglob("*")):
        rel = file.relative_to(project).as_posix()
        if file.suffix == ".py":
            _label_lines(score, rel, 0, file.read_text(encoding="utf-8").splitlines())
            score.files += 1
        elif file.suffix == ".ipynb":
            nb = json.loads(file.read_text(encoding="utf-8"))
            # cells numbered as Jupyter shows them: markdown cells count too
            for number, cell in enumerate(nb["cells"], start=1):
                if cell.get("cell_type") != "code":
                    continue
                source = cell["source"]
                text = "".join(source) if isinstance(source, list) else source
                _label_lines(score, rel, number, text.splitlines())
            score.files += 1
        elif file.name == "EXPECT":
            for raw in file.read_text(encoding="utf-8").splitlines():
                if raw.strip() and not raw.startswith("#"):
                    path, code = raw.split()
                    score.expected[((path, 0, 0), code)] += 1
                    score.labelled_lines += 1


def _label_lines(score: Score, rel: str, cell: int, lines: Sequence[str]) -> None:
    for number, line in enumerate(lines, start=1):
        match = EXPECT_RE.search(line)
        if match:
            score.labelled_lines += 1
            for code in match.group(1).split():
                score.expected[((rel, number, cell), code)] += 1
        elif TRAP_RE.search(line):
            score.labelled_lines += 1
            score.traps += 1


def evaluate(corpus: Path = CORPUS) -> Score:
    """Run the params family on every project of the corpus and compare with the labels."""
    score = Score()
    for project in sorted(p for p in corpus.iterdir() if p.is_dir()):
        labels(project, score)
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / project.name
            shutil.copytree(project, root)
            config_file = root / ".mlnudge.toml"
            table = load_table(config_file) if config_file.is_file() else {}
            report = run(root, build_config(table), families=["params"], use_cache=False)
        for f in report.findings:
            line = f.line or 0 if f.path.endswith((".py", ".ipynb")) else 0
            where = (f"{f.path}", line, f.cell or 0)
            score.found[(where, f.rule)] += 1
            score.findings.append(f)
    return score


def render(score: Score) -> str:
    out = [
        f"params corpus: {score.files} files, {score.labelled_lines} labelled lines, "
        f"{sum(score.expected.values())} expected findings, {score.traps} traps",
        f"overall: precision {score.precision():.3f}  recall {score.recall():.3f}  "
        f"(tp {score.tp()}, fp {score.fp()}, fn {score.fn()})",
    ]
    for code in score.codes():
        out.append(
            f"  {code}: precision {score.precision(code):.3f}  recall {score.recall(code):.3f}  "
            f"(tp {score.tp(code)}, fp {score.fp(code)}, fn {score.fn(code)})"
        )
    out.extend(f"  {line}" for line in score.mistakes())
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    del argv
    score = evaluate()
    print(render(score))
    ok = score.precision() >= PRECISION_TARGET and score.recall() >= RECALL_TARGET
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
