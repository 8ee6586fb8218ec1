"""Every crash the fuzzer found (benchmarks/fuzz/regressions/TARGET/) and every seed of its
corpus, replayed through the same target in the normal test run. The fuzzing itself
(benchmarks/fuzz/fuzz.py) is a separate, time-bounded job."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import ROOT, load_script

FUZZ = ROOT / "benchmarks" / "fuzz"


def _targets() -> dict[str, object]:
    targets: dict[str, object] = load_script(FUZZ / "targets.py", "mlnudge_fuzz_targets").TARGETS
    return targets


TARGETS = _targets()
CASES = sorted(
    (kind, path)
    for kind in ("regressions", "corpus")
    for path in (FUZZ / kind).glob("*/*")
    if path.is_file()
)


def test_every_regression_and_corpus_directory_names_a_target() -> None:
    dirs = {p.name for kind in ("regressions", "corpus") for p in (FUZZ / kind).iterdir()}
    assert dirs <= set(TARGETS), dirs - set(TARGETS)
    assert {p.parent.name for _, p in CASES if _ == "corpus"} == set(TARGETS)  # seeds for each


@pytest.mark.parametrize(
    ("kind", "path"), CASES, ids=[f"{k}/{p.parent.name}/{p.name}" for k, p in CASES]
)
def test_fuzz_input_is_handled(kind: str, path: Path) -> None:
    target = TARGETS[path.parent.name]
    assert callable(target)
    target(path.read_bytes())  # returns: an error entry at worst, never an exception


def test_a_notebook_without_code_cells_has_no_lines() -> None:
    """The first crash atheris found: such a notebook had one line that mapped to no cell."""
    import json
    import tempfile

    from mlnudge_testing import notebook, write_tree

    from mlnudge.config import build_config
    from mlnudge.facts.repo import Repo

    with tempfile.TemporaryDirectory() as tmp:
        nb = json.loads(notebook("# just prose", kinds=("markdown",)))
        root = write_tree(Path(tmp), {"nb.ipynb": json.dumps(nb)})
        repo = Repo.discover(root, build_config({}))
        module = repo.python("nb.ipynb")
    assert module is not None and module.lines == [] and repo.errors == []
