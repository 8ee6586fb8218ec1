"""The MLN4xx rules and the ``[tool.mlnudge.deps]`` options: words and defaults only."""

from __future__ import annotations

from mlnudge.finding import Severity
from mlnudge.rules import Rule
from mlnudge.settings import Option

UNBOUNDED = Rule(
    code="MLN401",
    name="unbounded-dependency",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("library-rules-in-applications", "ignore-packages"),
    summary="A dependency is declared (or installed by an image) without any version bound.",
    why=(
        "Without a lower bound, an install can pick a years-old release your code never ran "
        "with, and the next person's environment quietly differs from yours. An image that "
        "`pip install`s packages without pins, a lock or a constraints file builds differently "
        "every week."
    ),
    fix=(
        "Add a lower bound of the version you use (`pandas>=2.1`; mlnudge takes it from the "
        "lock, a pin or the installed package). In a Dockerfile, pin the versions or install "
        "from the lock (`pip install -r requirements.lock`, `-c constraints.txt`)."
    ),
    example="pandas",
    use_instead="pandas>=2.1",
)
EXACT_PIN = Rule(
    code="MLN402",
    name="exact-pin",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("upper-cap",),
    summary="Package metadata pins a dependency to one exact version.",
    why=(
        "Ranges belong in the package, pins in the lock or the image: an exact pin in "
        "`[project] dependencies`, `install_requires` or `[tool.poetry.dependencies]` makes "
        "the package impossible to install next to anything that needs another patch release, "
        "and the lock already records the exact version."
    ),
    fix="Replace `==` with a range (`numpy>=1.26.4`) and keep exact versions in a lock file.",
    example="numpy==1.26.4",
    use_instead="numpy>=1.26.4",
)
UPPER_ONLY = Rule(
    code="MLN403",
    name="upper-bound-only",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    summary="A dependency has an upper bound but no lower bound.",
    why=(
        "`<2` still allows version 0.1 from years ago: the bound protects against the future "
        "but not against the past, which is where your code certainly does not work."
    ),
    fix="Add the oldest version you support as a lower bound: `scipy>=1.11,<2`.",
    example="scipy<2",
    use_instead="scipy>=1.11,<2",
)
PATCH_COMPATIBLE = Rule(
    code="MLN404",
    name="patch-level-compatible-release",
    family="deps",
    severity=Severity.INFO,
    scope="repo",
    options=("compatible-release-parts",),
    summary="A `~=` with a patch version allows only patch releases.",
    why=(
        "`~=1.26.4` means `>=1.26.4, ==1.26.*`: nobody (your package's users, or your next "
        "environment) can take 1.27 even when it works, which is rarely what was meant; the "
        "exact version belongs in a lock."
    ),
    fix="Use `>=1.26.4` (or `~=1.26` if you really want to stay below 2).",
    example="numpy~=1.26.4",
    use_instead="numpy>=1.26.4",
)
LOCK_OUT_OF_SYNC = Rule(
    code="MLN405",
    name="lock-out-of-sync",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    summary="The lock file holds a version the declared range does not allow.",
    why=(
        "The lock and the declaration disagree, so `install from lock` and `install from the "
        "declaration` give different environments; one of them was edited without the other."
    ),
    fix="Re-generate the lock (`uv lock`, `poetry lock`, `pip-compile`) after changing ranges.",
    example="pyproject.toml: pandas>=2.1\nuv.lock: pandas 1.5.3",
    use_instead="pyproject.toml: pandas>=2.1\nuv.lock: pandas 2.2.2  # after `uv lock`",
)
MISSING_FROM_LOCK = Rule(
    code="MLN406",
    name="missing-from-lock",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    summary="A declared dependency has no entry in the lock file generated from the manifest.",
    why=(
        "Installing from the lock will not install it at all: the lock was generated before the "
        "dependency was added, and the environment the lock promises is incomplete."
    ),
    fix="Re-generate the lock (`uv lock`, `poetry lock`, `pip-compile`) and commit it.",
    example="requirements.in: lightgbm>=4\nrequirements.txt: (no lightgbm)",
    use_instead="requirements.txt: lightgbm==4.3.0  # after `pip-compile requirements.in`",
)
CONFLICT = Rule(
    code="MLN407",
    name="conflicting-ranges",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    summary="The same dependency is declared in two places with ranges that do not overlap.",
    why=(
        "No version satisfies both, so one of the two installs (or the combination) fails, or "
        "silently gives a different version than the one the other file promises."
    ),
    fix="Make one range the source of truth and align the other one with it.",
    example="pyproject.toml: numpy>=2\nrequirements.txt: numpy==1.26.4",
    use_instead="pyproject.toml: numpy>=1.26\nrequirements.txt: numpy==1.26.4",
)
UNPINNED_VCS = Rule(
    code="MLN408",
    name="unpinned-vcs-dependency",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("vcs-ref",),
    summary=(
        "A Git or URL dependency does not point at a fixed commit, tag or versioned file, or "
        "points at a folder of one machine."
    ),
    why=(
        "A branch moves: the same line installs different code tomorrow; a folder on one "
        "machine (`pip freeze` in a conda environment writes `pkg @ file:///tmp/build/...`) "
        "installs nowhere else. Either way a model trained last month can no longer be rebuilt."
    ),
    fix="Pin the reference to a commit or release tag: `pkg @ git+https://host/org/pkg@<commit>`.",
    example="featurelib @ git+https://github.com/acme/featurelib.git",
    use_instead="featurelib @ git+https://github.com/acme/featurelib.git@3f2c1e9",
)
CREDENTIAL_IN_URL = Rule(
    code="MLN409",
    name="credential-in-url",
    family="deps",
    severity=Severity.ERROR,
    scope="repo",
    summary="A password or token is embedded in a URL in a dependency file.",
    why=(
        "Everybody who can read the repository (and its history, forks and CI logs) can use the "
        "credential; it must be revoked as soon as it has been committed."
    ),
    fix=(
        "Revoke the token, then take it from the environment (`${PIP_INDEX_TOKEN}` in a "
        "requirements file), a keyring or `~/.netrc` instead of the URL."
    ),
    example="--extra-index-url https://user:s3cr3t@pypi.acme.dev/simple",
    use_instead="--extra-index-url https://${ACME_USER}:${ACME_TOKEN}@pypi.acme.dev/simple",
)
UNDECLARED_IMPORT = Rule(
    code="MLN410",
    name="undeclared-import",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("import-names", "non-production-paths", "ignore-packages"),
    summary="Production code imports a third-party package no manifest declares.",
    why=(
        "It works on your machine because the package happens to be installed; a fresh "
        "environment built from the declared dependencies fails with ImportError."
    ),
    fix="Declare the distribution that provides the module (`scikit-learn` for `sklearn`).",
    example="import sklearn  # but scikit-learn is in no requirements file",
    use_instead='# pyproject.toml\ndependencies = ["scikit-learn>=1.3"]',
)
UNUSED_DEPENDENCY = Rule(
    code="MLN411",
    name="unused-dependency",
    family="deps",
    severity=Severity.INFO,
    scope="repo",
    options=("import-names", "dev-groups", "used-without-import", "ignore-packages"),
    summary="A declared runtime dependency is never imported.",
    why=(
        "Every dependency is install time, image size and attack surface; one nobody imports "
        "is often a leftover from an experiment."
    ),
    fix=(
        "Remove it, move it to a development group, or list it in `used-without-import` when it "
        "is used without an import (a plugin, an engine, a server, a CLI)."
    ),
    example='dependencies = ["seaborn>=0.13"]  # never imported',
    use_instead="dependencies = []",
)
INVALID_REQUIREMENT = Rule(
    code="MLN412",
    name="invalid-requirement",
    family="deps",
    severity=Severity.ERROR,
    scope="repo",
    summary="A requirement line cannot be parsed.",
    why="pip will refuse the whole file, so nobody can install the project from it.",
    fix="Correct the line to PEP 508 form, e.g. `scikit-learn>=1.3`.",
    example="scikit-learn>=>1.3",
    use_instead="scikit-learn>=1.3",
)
MISSING_UPPER_CAP = Rule(
    code="MLN413",
    name="missing-upper-cap",
    family="deps",
    severity=Severity.WARNING,
    scope="repo",
    options=("upper-cap",),
    summary="A library dependency lacks the upper cap the `upper-cap` policy asks for.",
    why=(
        'Only when the project opts in (`upper-cap = "major"` or `"require"`): a cap protects '
        "users from the next breaking release, at the cost of blocking it even when it works "
        "(see docs/deps.md for the trade-off)."
    ),
    fix="Cap below the next major release: `pandas>=2.1,<3`.",
    example="pandas>=2.1",
    use_instead="pandas>=2.1,<3",
)
RULES = (
    UNBOUNDED,
    EXACT_PIN,
    UPPER_ONLY,
    PATCH_COMPATIBLE,
    LOCK_OUT_OF_SYNC,
    MISSING_FROM_LOCK,
    CONFLICT,
    UNPINNED_VCS,
    CREDENTIAL_IN_URL,
    UNDECLARED_IMPORT,
    UNUSED_DEPENDENCY,
    INVALID_REQUIREMENT,
    MISSING_UPPER_CAP,
)

DEFAULT_DEV_GROUPS = (
    "dev",
    "develop",
    "development",
    "test",
    "tests",
    "testing",
    "lint",
    "linting",
    "typing",
    "types",
    "docs",
    "doc",
    "bench",
    "benchmark",
    "benchmarks",
    "ci",
    "style",
    "check",
)
DEFAULT_NON_PRODUCTION = (
    "tests/",
    "test/",
    "docs/",
    "doc/",
    "examples/",
    "benchmarks/",
    "setup.py",
    "noxfile.py",
    "tasks.py",
    "conftest.py",
)

OPTIONS: tuple[Option, ...] = (
    Option(
        "upper-cap",
        "choice",
        "none",
        "Upper caps on a library's dependencies: `none` (no nudge), `major` (every dependency "
        "capped below its next major release, tighter caps nudged), `require` (any cap).",
        choices=("none", "major", "require"),
    ),
    Option(
        "compatible-release-parts",
        "int",
        3,
        "A `~=` with at least this many release parts (`~=1.26.4` has 3) is reported by MLN404.",
    ),
    Option(
        "library-rules-in-applications",
        "bool",
        False,
        "Also apply the library policy (bounds, pins, caps) to an application's package metadata.",
    ),
    Option(
        "vcs-ref",
        "choice",
        "tag-or-commit",
        "What counts as a pinned Git reference: `commit` (a hash only) or `tag-or-commit`.",
        choices=("commit", "tag-or-commit"),
    ),
    Option(
        "import-names",
        "table",
        {},
        'Extra import name -> distribution mappings, e.g. `{ cv2 = "opencv-python-headless" }`.',
        value_kind="str",
    ),
    Option(
        "use-installed-metadata",
        "bool",
        True,
        "Map import names to distributions with the metadata of the installed packages too.",
    ),
    Option(
        "used-without-import",
        "list",
        [],
        "Distributions used without an import of their own (plugins, engines, servers, CLIs), "
        'e.g. `["dvc-s3", "pytest-*"]`: never reported as unused (MLN411).',
    ),
    Option(
        "ignore-packages",
        "list",
        [],
        "Distributions (or import names) the deps rules never report.",
    ),
    Option(
        "dev-groups",
        "list",
        list(DEFAULT_DEV_GROUPS),
        "Group, extra and requirements-file words meaning development-only dependencies.",
    ),
    Option(
        "non-production-paths",
        "list",
        list(DEFAULT_NON_PRODUCTION),
        "Globs of code that is not production code (undeclared imports there are not reported).",
    ),
)
