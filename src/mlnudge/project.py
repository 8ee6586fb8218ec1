"""Facts about the scanned project that several families need, computed once per run."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mlnudge.repo import Repo

Profile = Literal["application", "library"]

_APP_FILE_RE = re.compile(
    r"(^|/)(train|training|pipeline|predict|inference|serve|evaluate|main)[\w-]*\.py$"
    r"|(^|/)(dvc\.yaml|params\.yaml|MLproject|kedro\.yml|conf/base/.*|configs?/.*\.ya?ml)$"
)
_TEST_FILE_RE = re.compile(r"(^|/)(test_[^/]*|[^/]*_test)\.py$")


@dataclass(frozen=True)
class Project:
    profile: Profile
    #: why the profile was chosen, for the report
    profile_reason: str
    packages: tuple[str, ...]
    test_files: tuple[str, ...]

    @property
    def is_application(self) -> bool:
        return self.profile == "application"


def is_test_path(path: str) -> bool:
    """Test code by location or name: ``tests/``, ``test/``, ``test_*.py``, ``*_test.py``, conftest."""
    parts = path.split("/")
    if any(p in ("tests", "test", "testing") for p in parts[:-1]):
        return True
    return bool(_TEST_FILE_RE.search(path)) or parts[-1] == "conftest.py"


def find_packages(repo: Repo) -> tuple[str, ...]:
    """Directories holding an ``__init__.py`` whose parent does not (top-level packages)."""
    inits = {f.rsplit("/", 1)[0] for f in repo.files if f.endswith("/__init__.py")}
    tops = sorted(
        d
        for d in inits
        if (d.rsplit("/", 1)[0] if "/" in d else "") not in inits and not is_test_path(d + "/x.py")
    )
    return tuple(tops)


def detect(repo: Repo) -> Project:
    packages = find_packages(repo)
    tests = tuple(f for f in repo.files if f.endswith(".py") and is_test_path(f))
    configured = repo.config.profile
    if configured != "auto":
        profile: Profile = "application" if configured == "application" else "library"
        return Project(profile, "set in the configuration", packages, tests)
    notebooks = [f for f in repo.files if f.endswith(".ipynb")]
    app_files = [f for f in repo.files if _APP_FILE_RE.search(f) and not is_test_path(f)]
    if notebooks or app_files:
        sample = (notebooks + app_files)[0]
        return Project("application", f"found {sample}", packages, tests)
    if packages:
        return Project("library", "a package without training code or notebooks", packages, tests)
    return Project("application", "no package found", packages, tests)
