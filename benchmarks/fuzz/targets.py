"""Fuzz targets: each takes arbitrary bytes and runs one of mlnudge's readers or parsers.

A target returns normally for every input, valid or not: bad input must end as a ``ReadError``
(or a ``ConfigError`` for configuration), never as an exception. Used by ``fuzz.py`` (atheris
or hypothesis) and replayed on the saved crashes by ``tests/test_fuzz_regressions.py``.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from mlnudge.checks.deps.parsers import parse_requirements
from mlnudge.config import ConfigError, build_config
from mlnudge.facts.repo import Repo

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_ROOT = Path(tempfile.mkdtemp(prefix="mlnudge-fuzz-"))
_CONFIG = build_config({})


def _repo_reading(name: str, data: bytes) -> Repo:
    (_ROOT / name).write_bytes(data)
    return Repo(root=_ROOT, config=_CONFIG, files=(name,))


def python_file(data: bytes) -> None:
    """A ``.py`` file: decoding (BOM, PEP 263 cookie), parsing, the depth guard."""
    repo = _repo_reading("fuzz.py", data)
    module = repo.python("fuzz.py")
    assert module is not None or repo.errors, "no module and no error"


def notebook(data: bytes) -> None:
    """An ``.ipynb`` file: JSON, the cells, magics, the per-cell parse and the line mapping."""
    repo = _repo_reading("fuzz.ipynb", data)
    module = repo.python("fuzz.ipynb")
    if module is None:
        assert repo.errors, "no notebook and no error"
        return
    for number in range(1, len(module.lines) + 1):
        assert module.cell_of(number) is not None


def structured(kind: str) -> Callable[[bytes], None]:
    def target(data: bytes) -> None:
        repo = _repo_reading(f"fuzz.{kind}", data)
        repo.parse(f"fuzz.{kind}", kind)

    target.__name__ = f"{kind}_file"
    target.__doc__ = f"A {kind.upper()} file through the one parse every run does."
    return target


def requirements(data: bytes) -> None:
    """A requirements file through the deps parser."""
    parse_requirements("requirements.txt", data.decode("utf-8", "replace"))


def configuration(data: bytes) -> None:
    """``[tool.mlnudge]`` from TOML: a Config or a ConfigError naming the key."""
    try:
        table = tomllib.loads(data.decode("utf-8", "replace"))
    except (tomllib.TOMLDecodeError, RecursionError):
        return
    tool = table.get("tool", {})
    section = tool.get("mlnudge", table) if isinstance(tool, dict) else table
    if not isinstance(section, dict):
        return
    with contextlib.suppress(ConfigError):  # a ConfigError names the key: that is fine
        build_config(section, where="pyproject.toml", prefix="tool.mlnudge.")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "python": python_file,
    "notebook": notebook,
    "toml": structured("toml"),
    "yaml": structured("yaml"),
    "json": structured("json"),
    "requirements": requirements,
    "config": configuration,
}
