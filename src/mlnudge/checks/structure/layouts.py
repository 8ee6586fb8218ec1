"""Built-in knowledge of common ML repository layouts.

A repository that follows one of these layouts gets no structure finding for choosing it: the
structure rules accept each layout's own places (Kedro's ``conf/base/parameters.yml`` and
``src/tests/``, Hydra's ``configs/``, cookiecutter-data-science's ``src/`` package, DVC's
``params.yaml`` and ``*.dvc`` pointers) and point missing items to the place the layout uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mlnudge.facts.repo import Repo


@dataclass(frozen=True)
class Layout:
    """A recognised layout and where it keeps the items the structure rules ask for."""

    name: str
    title: str
    #: where the layout keeps parameters (the expected path of a missing parameter file)
    params: str
    #: where the layout keeps tests (the expected path of a missing test suite)
    tests: str


def _is_kedro(repo: Repo, packages: tuple[str, ...]) -> bool:
    if "pyproject.toml" in repo.files:
        tool = (repo.toml("pyproject.toml") or {}).get("tool")
        if isinstance(tool, dict) and "kedro" in tool:
            return True
    return any(f in repo.files for f in (".kedro.yml", "kedro.yml")) or (
        repo.is_dir("conf/base") and any(repo.exists(f"{p}/pipeline_registry.py") for p in packages)
    )


def _is_lightning_hydra(repo: Repo, packages: tuple[str, ...]) -> bool:
    hydra_train = "configs/train.yaml" in repo.files and "src/train.py" in repo.files
    return hydra_train or (".project-root" in repo.files and repo.is_dir("configs"))


def _is_cookiecutter_data_science(repo: Repo, packages: tuple[str, ...]) -> bool:
    v1 = "src/__init__.py" in repo.files and (
        "test_environment.py" in repo.files or "src/data/make_dataset.py" in repo.files
    )
    v2 = any(
        repo.exists(f"{p}/modeling/train.py") or repo.exists(f"{p}/dataset.py") for p in packages
    ) and (repo.is_dir("references") or repo.is_dir("reports"))
    return v1 or v2


def _is_dvc(repo: Repo, packages: tuple[str, ...]) -> bool:
    return "dvc.yaml" in repo.files or any(f.endswith(".dvc") for f in repo.files)


def _is_src(repo: Repo, packages: tuple[str, ...]) -> bool:
    return any(p.startswith("src/") or "/src/" in p for p in packages)


def _is_flat(repo: Repo, packages: tuple[str, ...]) -> bool:
    return any("/" not in p for p in packages)


def _kedro_tests(repo: Repo) -> str:
    """Kedro up to 0.18 keeps tests, setup.py and requirements.txt in ``src/``; 0.19 at the root."""
    old = repo.is_dir("src/tests") or "src/setup.py" in repo.files
    return "src/tests/" if old else "tests/"


_Detector = Callable[[Repo, tuple[str, ...]], bool]

#: most specific first: a Kedro project is also a src layout
LAYOUTS: tuple[tuple[_Detector, Layout], ...] = (
    (_is_kedro, Layout("kedro", "Kedro", "conf/base/parameters.yml", "tests/")),
    (
        _is_lightning_hydra,
        Layout("lightning-hydra", "lightning-hydra-template", "configs/", "tests/"),
    ),
    (
        _is_cookiecutter_data_science,
        Layout("cookiecutter-data-science", "cookiecutter-data-science", "params.yaml", "tests/"),
    ),
    (_is_dvc, Layout("dvc", "DVC project", "params.yaml", "tests/")),
    (_is_src, Layout("src", "src layout", "params.yaml", "tests/")),
    (_is_flat, Layout("flat", "flat package", "params.yaml", "tests/")),
)

DEFAULT = Layout("plain", "plain repository", "params.yaml", "tests/")


def detect_layouts(repo: Repo, packages: tuple[str, ...]) -> tuple[Layout, ...]:
    """Every layout the repository follows, most specific first (``(DEFAULT,)`` when none)."""
    found = []
    for detector, layout in LAYOUTS:
        if detector(repo, packages):
            tests = _kedro_tests(repo) if layout.name == "kedro" else layout.tests
            found.append(Layout(layout.name, layout.title, layout.params, tests))
    return tuple(found) or (DEFAULT,)
