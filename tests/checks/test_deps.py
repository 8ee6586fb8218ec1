"""The MLN4xx policy: inline repositories in, findings out; end to end on fixture repositories."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from mlnudge_testing import Tree

from mlnudge.checks.deps import overlap, secret_in, vcs_pinned
from mlnudge.config import build_config
from mlnudge.finding import Finding, Severity
from mlnudge.report.model import Report
from mlnudge.runner import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "deps"

LIBRARY = {
    "src/lib/__init__.py": "",
    "src/lib/py.typed": "",  # published: a library, not an application
    "tests/test_lib.py": "import lib\n",
}
APPLICATION = {"train.py": "", "tests/test_train.py": ""}


def check(root: Path, deps: Mapping[str, Any] | None = None, **top: Any) -> Report:
    table: dict[str, Any] = {"select": ["MLN4"], **top}
    if deps:
        table["deps"] = dict(deps)
    return run(root, build_config(table), families=["deps"], use_cache=False)


def codes(
    report: Report, ignore: tuple[str, ...] = ("MLN410", "MLN411")
) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in report.findings if f.rule not in ignore]


def pyproject(*deps: str, extra: str = "") -> str:
    items = "".join(f'    "{d}",\n' for d in deps)
    return f'[project]\nname = "lib"\ndependencies = [\n{items}]\n{extra}'


# -- library policy --------------------------------------------------------------------------

#: requirement -> (rule or None, suggested physical line or None)
LIBRARY_TABLE = [
    ("numpy>=1.26", None, None),
    ("numpy>=1.26,<3", None, None),
    ("numpy", "MLN401", None),
    ("numpy!=1.25.0", "MLN401", None),
    ("numpy==1.26.4", "MLN402", '    "numpy>=1.26.4",'),
    ("numpy===1.26.4", "MLN402", '    "numpy>=1.26.4",'),
    ("numpy<2", "MLN403", None),
    ("numpy<=1.26", "MLN403", None),
    ("numpy~=1.26.4", "MLN404", '    "numpy>=1.26.4",'),
    ("numpy~=1.26", None, None),
    ("numpy==1.26.*", None, None),
    (
        'tomli==2.0.1; python_version < "3.11"',
        "MLN402",
        '    "tomli>=2.0.1; python_version < \\"3.11\\"",',
    ),
    ("pandas[parquet]==2.2.1", "MLN402", '    "pandas[parquet]>=2.2.1",'),
]


@pytest.mark.parametrize(("requirement", "rule", "suggestion"), LIBRARY_TABLE)
def test_library_policy(
    tree: Callable[[Tree], Path], requirement: str, rule: str | None, suggestion: str | None
) -> None:
    escaped = requirement.replace('"', '\\"')
    root = tree({**LIBRARY, "pyproject.toml": pyproject(escaped)})
    report = check(root)
    assert report.profile == "library"
    found = [f for f in report.findings if f.rule not in ("MLN410", "MLN411")]
    assert [f.rule for f in found] == ([rule] if rule else [])
    if rule:
        f = found[0]
        assert (f.path, f.line, f.end_line) == ("pyproject.toml", 4, 4)
        assert f.suggestion == suggestion
        assert "4" not in f.anchor.split(":")[0] and f.anchor.endswith(
            ":pyproject.toml:" + f.anchor.split(":")[-1]
        )


def test_suggestion_replaces_exactly_the_reported_lines(tree: Callable[[Tree], Path]) -> None:
    root = tree({**LIBRARY, "pyproject.toml": pyproject("numpy==1.26.4", "pandas~=2.1.4")})
    report = check(root)
    lines = (root / "pyproject.toml").read_text().splitlines()
    for f in report.findings:
        if f.suggestion is None:
            continue
        assert f.line is not None and f.end_line is not None
        new = [*lines[: f.line - 1], *f.suggestion.splitlines(), *lines[f.end_line :]]
        from mlnudge_testing import tomllib

        data = tomllib.loads("\n".join(new))  # still valid TOML after applying the fix
        assert len(data["project"]["dependencies"]) == 2


def test_unbounded_gets_a_suggestion_from_the_lock(tree: Callable[[Tree], Path]) -> None:
    lock = '[[package]]\nname = "numpy"\nversion = "1.26.4"\n'
    root = tree({**LIBRARY, "pyproject.toml": pyproject("numpy"), "uv.lock": lock})
    (f,) = [f for f in check(root).findings if f.rule == "MLN401"]
    assert f.suggestion == '    "numpy>=1.26",'


@pytest.mark.parametrize(
    ("policy", "requirement", "expected"),
    [
        ("none", "pandas>=2.1", None),
        ("require", "pandas>=2.1", '    "pandas>=2.1,<3",'),
        ("major", "pandas>=2.1", '    "pandas>=2.1,<3",'),
        ("require", "pandas>=2.1,<2.3", None),
        ("major", "pandas>=2.1,<2.3", '    "pandas>=2.1,<3",'),
        ("major", "pandas>=2.1,<3", None),
        ("major", "lightgbm>=0.4.1", '    "lightgbm>=0.4.1,<0.5",'),
    ],
)
def test_upper_cap_policy(
    tree: Callable[[Tree], Path], policy: str, requirement: str, expected: str | None
) -> None:
    root = tree({**LIBRARY, "pyproject.toml": pyproject(requirement)})
    found = [f for f in check(root, {"upper-cap": policy}).findings if f.rule == "MLN413"]
    assert [f.suggestion for f in found] == ([expected] if expected else [])


def test_cap_policy_also_shapes_exact_pin_suggestion(tree: Callable[[Tree], Path]) -> None:
    root = tree({**LIBRARY, "pyproject.toml": pyproject("numpy==1.26.4")})
    (f,) = [f for f in check(root, {"upper-cap": "major"}).findings if f.rule == "MLN402"]
    assert f.suggestion == '    "numpy>=1.26.4,<2",'


def test_library_dev_requirements_are_not_held_to_the_library_policy(
    tree: Callable[[Tree], Path],
) -> None:
    """A library's development declarations need a lower bound like any declaration, but they
    may pin (they build its CI environment) and get no cap policy."""
    root = tree(
        {
            **LIBRARY,
            "pyproject.toml": pyproject(
                "numpy>=1.26", extra='[dependency-groups]\ndev = ["ruff"]\n'
            ),
            "requirements-dev.txt": "pytest\nblack==24.1.0\n",
        }
    )
    # `ruff` in the dev group (pyproject line 7) and `pytest`: no bound; black's pin is fine
    assert codes(check(root)) == [("MLN401", 7), ("MLN401", 1)]


def test_compatible_release_parts_option(tree: Callable[[Tree], Path]) -> None:
    root = tree({**LIBRARY, "pyproject.toml": pyproject("numpy~=1.26")})
    assert codes(check(root, {"compatible-release-parts": 2})) == [("MLN404", 4)]


# -- application policy ----------------------------------------------------------------------


def test_application_without_lock(tree: Callable[[Tree], Path]) -> None:
    root = tree({**APPLICATION, "requirements.txt": "pandas>=2.1\nnumpy\nscipy<2\ntorch==2.2.0\n"})
    report = check(root)
    assert report.profile == "application"
    # the missing lock is structure's MLN109, reported once; deps speaks about lines only
    assert codes(report) == [("MLN401", 2), ("MLN403", 3)]
    unbounded = next(f for f in report.findings if f.rule == "MLN401")
    assert "lock" not in unbounded.message and "lower bound" in (unbounded.fix or "")


def test_application_fully_pinned_needs_no_lock(tree: Callable[[Tree], Path]) -> None:
    root = tree({**APPLICATION, "requirements.txt": "pandas==2.2.1\nnumpy==1.26.4\n"})
    assert codes(check(root)) == []


def test_application_with_pip_compile_lock(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            **APPLICATION,
            "requirements.in": "pandas>=2.1\nnumpy\nlightgbm>=4\n",
            "requirements.txt": (
                "# This file is autogenerated by pip-compile\n"
                "numpy==1.26.4\n    # via pandas\npandas==1.5.3\n"
            ),
        }
    )
    got = [(f.rule, f.path, f.line) for f in check(root).findings if f.rule != "MLN411"]
    # the lock records versions; the declaration still owes `numpy` a range
    assert got == [
        ("MLN405", "requirements.in", 1),
        ("MLN401", "requirements.in", 2),
        ("MLN406", "requirements.in", 3),
    ]


def test_application_with_lock_in_sync_is_quiet(tree: Callable[[Tree], Path]) -> None:
    lock = (
        '[[package]]\nname = "pandas"\nversion = "2.2.1"\n\n'
        '[[package]]\nname = "numpy"\nversion = "1.26.4"\n'
    )
    root = tree(
        {
            **APPLICATION,
            "pyproject.toml": '[project]\nname = "app"\ndependencies = ["pandas>=2.1", "numpy"]\n',
            "poetry.lock": lock,
        }
    )
    # in sync, no pin in the metadata: only the range `numpy` lacks is left to say
    assert codes(check(root)) == [("MLN401", 3)]


def test_pipfile_with_lock(tree: Callable[[Tree], Path]) -> None:
    lock = json.dumps({"_meta": {}, "default": {"numpy": {"version": "==1.25.0"}}, "develop": {}})
    root = tree(
        {
            **APPLICATION,
            "Pipfile": '[packages]\nnumpy = ">=1.26"\npandas = "*"\n',
            "Pipfile.lock": lock,
        }
    )
    assert codes(check(root)) == [("MLN405", 2), ("MLN406", 3)]


def test_url_dependencies_missing_from_the_lock(tree: Callable[[Tree], Path]) -> None:
    wheel = "https://download.example.org/whl/cpu/torch-2.3.1-cp311-none-linux_x86_64.whl"
    pyproject = (
        '[tool.poetry]\nname = "app"\nversion = "0.1"\ndescription = ""\nauthors = []\n\n'
        '[tool.poetry.dependencies]\npython = ">=3.10"\npandas = "^2.1"\n'
        f'torch = {{url = "{wheel}"}}\n'
        'vision = {git = "https://github.com/example/vision.git", rev = "3f2c1e9"}\n'
        'shared = {path = "../shared"}\n'
    )
    lock = '[[package]]\nname = "pandas"\nversion = "2.2.1"\n\n'
    root = tree({**APPLICATION, "pyproject.toml": pyproject, "poetry.lock": lock})
    got = [(f.rule, f.line) for f in check(root).findings if f.rule == "MLN406"]
    # the lock records URL and git packages by name too; a local path is not checked
    assert got == [("MLN406", 10), ("MLN406", 11)]
    locked = lock + '[[package]]\nname = "torch"\nversion = "2.3.1"\n\n'
    locked += '[[package]]\nname = "vision"\nversion = "0.1.0"\n'
    root = tree({**APPLICATION, "pyproject.toml": pyproject, "poetry.lock": locked})
    assert [f for f in check(root).findings if f.rule == "MLN406"] == []


def test_constraints_files_are_not_declarations(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            **APPLICATION,
            "requirements.txt": "-c constraints.txt\npandas==2.2.1\n",
            "constraints.txt": "numpy\nscipy<2\n",
        }
    )
    assert codes(check(root)) == []


# -- conflicts, VCS, credentials -------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (">=2", "==1.26.4", False),
        (">=1.26", "==1.26.4", True),
        ("<2", ">=2", False),
        ("<=2", ">=2", True),
        ("<2", ">2", False),
        ("~=1.26.4", ">=1.27", False),
        ("==1.26.*", "<1.27", True),
        ("", "==1.0", True),
        (">=1,<2", ">=1.5,<3", True),
    ],
)
def test_overlap(a: str, b: str, expected: bool) -> None:
    from packaging.specifiers import SpecifierSet

    assert overlap(SpecifierSet(a), SpecifierSet(b)) is expected


def test_conflicting_ranges_across_files(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            **LIBRARY,
            "pyproject.toml": pyproject("numpy>=2"),
            "requirements.txt": "numpy==1.26.4\n",
            "requirements-dev.txt": "numpy>=1.26\n",
        }
    )
    found = [f for f in check(root).findings if f.rule == "MLN407"]
    assert [(f.path, f.line) for f in found] == [("requirements.txt", 1)]
    assert "pyproject.toml:4" in found[0].message


def test_separate_images_may_declare_different_versions(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            **APPLICATION,
            "requirements.txt": "scikit-learn>=1.4\n",
            # two images, each with its own environment: not installed together
            "docker/cpu/requirements.txt": "torch==2.3.1+cpu\nmlflow==2.12.0\n",
            "docker/gpu/requirements.txt": "torch==2.3.1+cu121\nmlflow==2.9.2\n",
            # in one directory, or joined by `-r`, the ranges must agree
            "serve/requirements.txt": "-r base.txt\nfastapi>=0.110\n",
            "serve/base.txt": "fastapi<0.100\n",
            "train/requirements.txt": "torch==2.3.1+cpu\n",
            "train/requirements-gpu.txt": "torch==2.3.1+cu121\n",
            # two pinned records side by side (the tests' environment and the runtime's)
            "infer/requirements.txt": "setuptools==66.0.0\n",
            "infer/requirements_tests.txt": "setuptools==65.7.0\n",
            # ...unless one installs the other
            "eval/requirements.txt": "-r base.txt\nnumpy==1.26.4\n",
            "eval/base.txt": "numpy==1.24.1\n",
        }
    )
    found = [(f.path, f.line) for f in check(root).findings if f.rule == "MLN407"]
    # builds of one release (`+cpu`, `+cu121`) are alternatives, never a conflict
    assert found == [("eval/requirements.txt", 2), ("serve/requirements.txt", 2)]


@pytest.mark.parametrize(
    ("url", "ref", "policy", "pinned"),
    [
        ("git+https://github.com/a/b.git", None, "tag-or-commit", False),
        ("git+https://github.com/a/b.git@main", None, "tag-or-commit", False),
        ("git+https://github.com/a/b.git@v1.2.0", None, "tag-or-commit", True),
        ("git+https://github.com/a/b.git@v1.2.0", None, "commit", False),
        ("git+https://github.com/a/b.git@3f2c1e9", None, "commit", True),
        ("git+ssh://git@github.com/a/b.git@3f2c1e9a#egg=b", None, "commit", True),
        ("git+https://github.com/a/b.git", "branch:main", "tag-or-commit", False),
        ("git+https://github.com/a/b.git", "tag:v1.0.0", "tag-or-commit", True),
        ("git+https://github.com/a/b.git", "rev:3f2c1e9", "commit", True),
        ("https://github.com/a/b/archive/refs/heads/main.zip", None, "tag-or-commit", False),
        ("https://github.com/a/b/archive/v1.2.zip", None, "tag-or-commit", True),
        ("https://host.invalid/b-1.0-py3-none-any.whl", None, "commit", True),
        ("https://host.invalid/b.tar.gz#sha256=abc", None, "commit", True),
    ],
)
def test_vcs_pinned(url: str, ref: str | None, policy: str, pinned: bool) -> None:
    assert vcs_pinned(url, ref, policy) is pinned


def test_unpinned_vcs_findings(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            **APPLICATION,
            "requirements.txt": (
                "-e git+https://github.com/acme/tool.git#egg=tool\n"
                "lib @ git+https://github.com/acme/lib.git@3f2c1e9\n"
                "-e .\n"
            ),
        }
    )
    assert codes(check(root)) == [("MLN408", 1)]


@pytest.mark.parametrize(
    ("userinfo", "scheme", "secret"),
    [
        ("user:s3cret", "https://", True),
        ("user:${TOKEN}", "https://", False),
        ("${USER}:${TOKEN}", "https://", False),
        ("git", "git+ssh://", False),
        ("ghp_abcdefghijklmnop1234", "https://", True),
        ("x7f3k9q2m8v4b6n1z5c0", "https://", True),
        ("alice", "https://", False),
        ("__token__:", "https://", False),
    ],
)
def test_secret_in(userinfo: str, scheme: str, secret: bool) -> None:
    assert secret_in(userinfo, scheme) is secret


SECRET = "s3cr3tPassw0rd"
TOKEN = "ghp_abcdefghij0123456789"


def test_credentials_are_errors_and_never_repeated(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            **APPLICATION,
            "requirements.txt": (
                f"--extra-index-url https://deploy:{SECRET}@pypi.acme.dev/simple\n"
                f"tool @ git+https://{TOKEN}@github.com/acme/tool.git\n"
                f"broken @ https://u:{SECRET}@x.invalid/=>\n"
                f"bad>=>1 https://u:{SECRET}@x.invalid\n"
                "numpy==1.26.4\n"
            ),
            "pyproject.toml": (
                '[project]\nname = "app"\ndependencies = [\n'
                f'    "pkg @ https://ci:{SECRET}@artifacts.acme.dev/pkg-1.0.tar.gz",\n]\n'
            ),
        }
    )
    report = check(root)
    creds = [f for f in report.findings if f.rule == "MLN409"]
    assert [(f.path, f.line) for f in creds] == [
        ("pyproject.toml", 4),
        ("requirements.txt", 1),
        ("requirements.txt", 2),
        ("requirements.txt", 3),
        ("requirements.txt", 4),
    ]
    assert all(f.severity is Severity.ERROR for f in creds)
    assert creds[1].suggestion == (
        "--extra-index-url https://${ACME_USER}:${ACME_TOKEN}@pypi.acme.dev/simple"
    )
    assert creds[2].suggestion == "tool @ git+https://${GITHUB_TOKEN}@github.com/acme/tool.git"
    assert creds[0].suggestion is None  # pyproject does not expand environment variables
    for f in report.findings:
        blob = _all_text(f)
        assert SECRET not in blob and TOKEN not in blob, f


def _all_text(f: Finding) -> str:
    return json.dumps(
        [f.message, f.suggestion, f.fix, f.anchor, {k: str(v) for k, v in f.details.items()}]
    )


# -- bad input -------------------------------------------------------------------------------


def test_invalid_lines_are_errors_and_the_rest_is_checked(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {**LIBRARY, "pyproject.toml": pyproject("numpy==1.26.4", "scikit-learn>=>1.3", "scipy<2")}
    )
    report = check(root)
    assert codes(report) == [("MLN402", 4), ("MLN412", 5), ("MLN403", 6)]
    invalid = next(f for f in report.findings if f.rule == "MLN412")
    assert invalid.severity is Severity.ERROR and "scikit-learn>=>1.3" in invalid.message
    assert "Expected" in invalid.message  # packaging's reason


def test_the_interpreter_in_a_requirements_file_is_an_invalid_line(
    tree: Callable[[Tree], Path],
) -> None:
    """``python==3.10.12`` in a requirements file (a conda habit): pip finds no such package
    and refuses the whole file. In a conda environment the same line is how the interpreter is
    chosen, and stays silent."""
    files = {"train.py": "import pandas\n"}
    root = tree({**files, "requirements.txt": "pandas>=2.1\npython==3.10.12\n"})
    invalid = [f for f in check(root).findings if f.rule == "MLN412"]
    assert [(f.line, f.severity) for f in invalid] == [(2, Severity.ERROR)]
    assert invalid[0].fix is not None and "requires-python" in invalid[0].fix
    conda = "name: x\ndependencies:\n  - python=3.10.12\n  - pandas>=2.1\n"
    (root / "requirements.txt").unlink()
    root = tree({**files, "environment.yml": conda})
    assert [f for f in check(root).findings if f.rule == "MLN412"] == []


@pytest.mark.parametrize(
    ("files", "path", "line"),
    [
        ({"pyproject.toml": '[project]\ndependencies = ["numpy"\n'}, "pyproject.toml", None),
        ({"Pipfile": "[packages\nnumpy = '*'\n"}, "Pipfile", 1),
        ({"environment.yml": "dependencies:\n  - numpy\n - pandas: [\n"}, "environment.yml", None),
        ({"poetry.lock": "[[package]\n"}, "poetry.lock", 1),
    ],
)
def test_invalid_manifests_are_read_errors_not_tracebacks(
    tree: Callable[[Tree], Path], files: dict[str, str], path: str, line: int | None
) -> None:
    root = tree({**APPLICATION, **files, "requirements.txt": "numpy==1.26.4\n"})
    report = check(root)
    assert [e.path for e in report.errors] == [path]
    assert report.errors[0].kind == "syntax"
    if line is not None:
        assert report.errors[0].line == line


def test_requirements_with_unreadable_bytes(tree: Callable[[Tree], Path]) -> None:
    root = tree({**APPLICATION, "requirements.txt": b"numpy==1.26.4\n\xff\xfe\n"})
    report = check(root)
    assert [e.path for e in report.errors] == ["requirements.txt"]


# -- imports ---------------------------------------------------------------------------------


def test_declared_versus_imported(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "pyproject.toml": pyproject(
                "scikit-learn>=1.3",
                "opencv-python-headless>=4.8",
                "seaborn>=0.13",
                "pyyaml>=6",
                extra='[project.optional-dependencies]\ntest = ["pytest>=8", "hypothesis>=6"]\n',
            ),
            "src/lib/__init__.py": (
                "import os\nimport yaml\nfrom sklearn.linear_model import Ridge\nimport cv2\n"
                "from . import util\nfrom lib import util\nimport PIL.Image\n"
                "try:\n    import pyarrow\nexcept ImportError:\n    pyarrow = None\n"
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import polars\n"
            ),
            "src/lib/util.py": "import PIL\n",
            "tests/test_lib.py": "import pytest\nimport requests\n",
            "docs/conf.py": "import sphinx_rtd_theme\n",
        }
    )
    report = check(root)
    got = [(f.rule, f.path, f.line) for f in report.findings if f.rule in ("MLN410", "MLN411")]
    assert got == [
        ("MLN411", "pyproject.toml", 6),
        ("MLN410", "src/lib/__init__.py", 7),
    ]
    undeclared = next(f for f in report.findings if f.rule == "MLN410")
    assert "`pillow`" in undeclared.message and "1 other file" in undeclared.message
    assert undeclared.anchor == "undeclared:PIL"


def test_import_names_option_and_ignore_packages(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            "pyproject.toml": pyproject("acme-vision>=1", "gunicorn>=21", "seaborn>=0.13"),
            "src/lib/__init__.py": "import acmevis\n",
            "src/lib/py.typed": "",
        }
    )
    options = {"import-names": {"acmevis": "acme-vision"}, "ignore-packages": ["seaborn"]}
    assert [f.rule for f in check(root, options).findings] == []


def test_no_declarations_means_no_import_findings(tree: Callable[[Tree], Path]) -> None:
    root = tree({"src/lib/__init__.py": "import sklearn\n"})
    assert check(root).findings == ()


# -- engine integration ----------------------------------------------------------------------


def test_runs_whole_repo_even_with_targets(tree: Callable[[Tree], Path]) -> None:
    root = tree({**LIBRARY, "pyproject.toml": pyproject("numpy==1.26.4")})
    report = run(
        root, build_config({}), targets=["src/lib/__init__.py"], families=["deps"], use_cache=False
    )
    assert [f.rule for f in report.findings if f.rule != "MLN411"] == ["MLN402"]


def test_inline_suppression_in_requirements(tree: Callable[[Tree], Path]) -> None:
    root = tree(
        {
            **APPLICATION,
            "requirements.txt": (
                "numpy  # mlnudge: ignore[MLN401] pinned by the image\npandas==2.2.1\n"
            ),
        }
    )
    report = check(root, ignore=["MLN411"])
    assert report.findings == ()
    assert [s.reason for s in report.suppressed] == ["pinned by the image"]


def test_fingerprints_survive_line_shifts(tree: Callable[[Tree], Path]) -> None:
    root = tree({**LIBRARY, "pyproject.toml": pyproject("numpy==1.26.4")})
    before = {f.fingerprint for f in check(root).findings}
    (root / "pyproject.toml").write_text(
        "# a comment\n\n" + pyproject("pandas>=2", "numpy==1.26.4")
    )
    after = {f.fingerprint for f in check(root).findings}
    assert before <= after


# -- end to end on fixture repositories ------------------------------------------------------


def fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def summary(report: Report) -> list[tuple[str, str, int | None]]:
    return [(f.rule, f.path, f.line) for f in report.findings]


def test_fixture_library(tmp_path: Path) -> None:
    report = check(fixture("library", tmp_path))
    assert report.profile == "library" and report.errors == ()
    assert summary(report) == [
        ("MLN402", "pyproject.toml", 9),
        ("MLN403", "pyproject.toml", 11),
        ("MLN404", "pyproject.toml", 12),
        ("MLN401", "pyproject.toml", 13),
        ("MLN411", "pyproject.toml", 14),
        ("MLN410", "src/featurekit/__init__.py", 12),
    ]
    pin = report.findings[0]
    assert pin.suggestion == '    "numpy>=1.26.4",'
    assert pin.anchor == "pin:pyproject.toml:numpy"


def test_fixture_application_with_lock(tmp_path: Path) -> None:
    report = check(fixture("app-lock", tmp_path))
    assert report.profile == "application"
    assert summary(report) == [
        ("MLN405", "pyproject.toml", 5),
        ("MLN406", "pyproject.toml", 6),
        ("MLN401", "pyproject.toml", 7),  # a lock records versions, it is not a range
    ]
    assert "1.5.3" in report.findings[0].message


def test_fixture_conda(tmp_path: Path) -> None:
    report = check(fixture("conda", tmp_path))
    assert summary(report) == [
        ("MLN401", "environment.yml", 8),
        ("MLN401", "environment.yml", 13),
        ("MLN408", "environment.yml", 14),
    ]


def test_fixture_conda_with_conda_lock_still_wants_ranges(tmp_path: Path) -> None:
    root = fixture("conda", tmp_path)
    unlocked = summary(check(root))
    (root / "conda-lock.yml").write_text(
        "package:\n"
        + "".join(
            f"  - name: {n}\n    version: {v}\n    manager: conda\n"
            for n, v in [
                ("numpy", "1.26.4"),
                ("pytorch", "2.2.0"),
                ("opencv", "4.9.0"),
                ("scikit-image", "0.22.0"),
                ("albumentations", "1.4.0"),
                ("segmentation-models-pytorch", "0.3.3"),
            ]
        )
    )
    # the lock records what was installed; the environment still declares no range
    assert summary(check(root)) == unlocked
    assert ("MLN401", "environment.yml", 8) in unlocked


def test_fixture_poetry(tmp_path: Path) -> None:
    report = check(fixture("poetry", tmp_path))
    assert summary(report) == [
        ("MLN402", "pyproject.toml", 11),
        ("MLN405", "pyproject.toml", 12),
        ("MLN406", "pyproject.toml", 13),
        ("MLN408", "pyproject.toml", 14),
    ]
    assert report.findings[0].suggestion == 'pandas = ">=2.2.1"'
    # one nudge per line: the unbounded `pydantic = "*"` is mentioned, not reported twice
    missing = report.findings[2]
    assert missing.details["also"] == "MLN401" and "version bound" in missing.message


def test_json_report_is_valid(tmp_path: Path, report_schema: dict[str, object]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from mlnudge.report import jsonout

    report = check(fixture("library", tmp_path))
    jsonschema.validate(json.loads(jsonout.render(report)), report_schema)
