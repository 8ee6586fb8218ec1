"""``pip install`` in a Dockerfile: what an image installs, and whether anything pins it.

The interview's rule is "ranges in the package, pins in the lock or the image", so an image
that runs ``pip install fastapi uvicorn`` with no version, no lock (``-r requirements.lock``)
and no constraints file (``-c constraints.txt``, ``PIP_CONSTRAINT``) builds differently every
week. This module only reads: a pure function of the Dockerfile's text. Judging (which
requirements file is a lock) is the family's.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

#: the installer itself: `pip install -U pip setuptools wheel` is not a dependency (a tool
#: such as pipenv, poetry or uv is: its version decides how the rest is resolved)
BOOTSTRAP = frozenset({"pip", "setuptools", "wheel"})
_VALUE_OPTIONS = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "--constraints",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--trusted-host",
        "--cache-dir",
        "--src",
        "--upgrade-strategy",
        "--progress-bar",
        "--python",
        "-p",
        "--index-strategy",
        "--config-settings",
        "-C",
        "--global-option",
        "--install-option",
        "--log",
        "--timeout",
        "--retries",
        "--exists-action",
        "--only-binary",
        "--no-binary",
        "--report",
        "--root-user-action",
        "--index",
        "--default-index",
        "--resolution",
        "--prerelease",
        "--override",
        "--overrides",
        "--exclude-newer",
    }
)
_CONSTRAINT_OPTIONS = frozenset({"-c", "--constraint", "--constraints", "--override"})
_REQUIREMENT_OPTIONS = frozenset({"-r", "--requirement"})
_NAMES = re.compile(r"(^|/)(dockerfile|containerfile)([.-][^/]*)?$|\.dockerfile$", re.IGNORECASE)


_NOT_DOCKERFILES = (".md", ".rst", ".txt", ".py", ".sh", ".json", ".yml", ".yaml", ".toml")


def is_dockerfile(path: str) -> bool:
    return bool(_NAMES.search(path)) and not path.lower().endswith(_NOT_DOCKERFILES)


@dataclass(frozen=True)
class PipInstall:
    """One ``pip install`` command of a ``RUN`` instruction."""

    path: str
    #: the physical line of the first package, else of the command
    line: int
    #: requirement arguments as written (``fastapi``, ``"uvicorn[standard]>=0.20"``)
    packages: tuple[str, ...]
    #: ``-r`` files, as written
    requirements: tuple[str, ...]
    #: ``-c``, ``PIP_CONSTRAINT`` or ``--require-hashes``: something pins the result
    constrained: bool
    #: the physical text of ``line`` (for a suggestion)
    physical: str
    #: ``(line, physical text)`` where each of ``packages`` is written
    places: tuple[tuple[int, str], ...] = ()


def instructions(text: str) -> Iterator[tuple[int, str, list[tuple[int, str]]]]:
    """``(first line, instruction, [(line, physical text), ...])`` with continuations."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start = i
        parts = [(i + 1, raw)]
        last = raw
        while last.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            if lines[i].strip().startswith("#") or not lines[i].strip():
                continue  # Docker drops comment and empty lines inside an instruction
            parts.append((i + 1, lines[i]))
            last = lines[i]
        keyword = stripped.split(None, 1)[0].upper()
        yield start + 1, keyword, parts
        i += 1


def parse_dockerfile(path: str, text: str) -> list[PipInstall]:
    found: list[PipInstall] = []
    constrained_env = False
    for _start, keyword, parts in instructions(text):
        joined = " ".join(p.rstrip().removesuffix("\\") for _, p in parts)
        body = joined.strip()[len(keyword) :].strip()
        if keyword in ("ENV", "ARG") and re.search(
            r"\b(PIP_CONSTRAINT|UV_CONSTRAINT|PIP_REQUIRE_HASHES)\b\s*[= ]\s*\S", body
        ):
            constrained_env = True
            continue
        if keyword != "RUN":
            continue
        for command in re.split(r"&&|\|\||;|\|", _strip_run_flags(body)):
            parsed = _pip_install(command)
            if parsed is None:
                continue
            packages, requirements, constrained = parsed
            line, physical = _locate(parts, packages)
            found.append(
                PipInstall(
                    path=path,
                    line=line,
                    packages=tuple(packages),
                    requirements=tuple(requirements),
                    constrained=constrained or constrained_env,
                    physical=physical,
                    places=tuple(_locate(parts, [p]) for p in packages),
                )
            )
    return found


def _strip_run_flags(body: str) -> str:
    return re.sub(r"^(--[a-z-]+(=\S+)?\s+)+", "", body)  # RUN --mount=... --network=...


def _tokens(command: str) -> list[str]:
    try:
        return shlex.split(command, comments=False, posix=True)
    except ValueError:
        return command.split()


def _pip_install(command: str) -> tuple[list[str], list[str], bool] | None:
    """``(package arguments, -r files, constrained)`` of a pip install command, else None."""
    tokens = _tokens(command)
    for j, tok in enumerate(tokens):  # shell redirections end the arguments
        if re.fullmatch(r"\d*[<>]+.*|&>.*", tok):
            tokens = tokens[:j]
            break
    start = 0  # `sudo`, `env A=b`, `VAR=x` may come before the command itself
    while start < len(tokens) and (
        tokens[start] in ("sudo", "env", "exec", "time", "nohup", "-H", "-E")
        or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", tokens[start])
    ):
        start += 1
    i = start
    base = tokens[i].rsplit("/", 1)[-1] if i < len(tokens) else ""
    if re.fullmatch(r"pip(3(\.\d+)?)?", base) and tokens[i + 1 : i + 2] == ["install"]:
        at = i + 2
    elif base == "uv" and tokens[i + 1 : i + 3] == ["pip", "install"]:
        at = i + 3
    elif re.fullmatch(r"python(\d(\.\d+)?)?", base) and tokens[i + 1 : i + 4] == [
        "-m",
        "pip",
        "install",
    ]:
        at = i + 4
    else:
        return None
    packages: list[str] = []
    requirements: list[str] = []
    constrained = False
    args = tokens[at:]
    j = 0
    while j < len(args):
        arg = args[j]
        option, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if option.startswith("-") and not eq and option[:2] in ("-r", "-c") and len(option) > 2:
            option, value, eq = option[:2], option[2:], "="  # -rrequirements.txt
        if option in _VALUE_OPTIONS:
            if not eq:
                j += 1
                value = args[j] if j < len(args) else ""
            if option in _CONSTRAINT_OPTIONS:
                constrained = True
            elif option in _REQUIREMENT_OPTIONS and value:
                requirements.append(value)
        elif option == "--require-hashes":
            constrained = True
        elif not arg.startswith("-"):
            packages.append(arg)
        j += 1
    return packages, requirements, constrained


def _locate(parts: list[tuple[int, str]], packages: list[str]) -> tuple[int, str]:
    for needle in [*packages, "install"]:
        for line, physical in parts:
            if needle in physical:
                return line, physical
    return parts[0]


def is_local_or_url(arg: str) -> bool:
    """``.``, ``./pkg``, ``/app``, ``dist/x.whl``, ``git+https://...``: not a package name."""
    return (
        arg.startswith((".", "/", "~", "$"))
        or "://" in arg
        or arg.startswith(("git+", "hg+", "svn+", "bzr+", "file:"))
        or arg.endswith((".whl", ".tar.gz", ".zip", ".tgz"))
        or "/" in arg.split("[", 1)[0].split("@", 1)[0]
    )


def is_remote(arg: str) -> bool:
    """A VCS or web URL (``git+https://...``, ``https://.../pkg.zip``), not a local path."""
    return "$" not in arg and (
        arg.startswith(("git+", "hg+", "svn+", "bzr+", "git://", "http://", "https://"))
    )


def package_names(cmd: PipInstall) -> set[str]:
    """Canonical names of the packages a command installs by name, and of those it installs
    from a VCS or web URL (the name the URL says, or its repository's: a guess pip's own
    metadata would confirm); not local paths."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    from mlnudge.checks.deps.model import url_name

    names: set[str] = set()
    for arg in cmd.packages:
        if is_remote(arg):
            name, _guessed = url_name(arg.split(";", 1)[0].strip())
            if name:
                names.add(name)
            continue
        if is_local_or_url(arg) or "$" in arg:
            continue
        try:
            names.add(canonicalize_name(Requirement(arg).name))
        except InvalidRequirement:
            continue
    return names


#: the scientific Python stack of the Jupyter Docker Stacks' ``scipy-notebook`` (and the
#: images built on it)
_JUPYTER_SCIPY = (
    "numpy", "scipy", "pandas", "matplotlib", "scikit-learn", "scikit-image", "seaborn",
    "statsmodels", "sympy", "bokeh", "h5py", "numba", "dask", "altair", "sqlalchemy",
    "beautifulsoup4", "openpyxl", "xlrd", "ipywidgets", "cloudpickle", "patsy", "tables",
)  # fmt: skip
#: images that ship Python libraries in the image itself: a ``FROM`` of one provides them to
#: the code the image runs (``FROM apache/airflow`` is how a DAG gets ``airflow``)
BASE_IMAGES: dict[str, tuple[str, ...]] = {
    "apache/airflow": ("apache-airflow",),
    "prefecthq/prefect": ("prefect",),
    "ghcr.io/mlflow/mlflow": ("mlflow",),
    # the official images are conda environments that ship NumPy and Pillow beside torch
    "pytorch/pytorch": ("torch", "torchvision", "torchaudio", "numpy", "pillow"),
    "nvcr.io/nvidia/pytorch": ("torch", "torchvision", "numpy", "pillow"),
    "tensorflow/tensorflow": ("tensorflow",),
    "nvcr.io/nvidia/tensorflow": ("tensorflow",),
    "huggingface/transformers-pytorch-gpu": ("transformers", "torch"),
    "jupyter/scipy-notebook": _JUPYTER_SCIPY,
    "jupyter/datascience-notebook": _JUPYTER_SCIPY,
    "jupyter/tensorflow-notebook": (*_JUPYTER_SCIPY, "tensorflow"),
    "jupyter/pytorch-notebook": (*_JUPYTER_SCIPY, "torch", "torchvision"),
    "jupyter/pyspark-notebook": (*_JUPYTER_SCIPY, "pyspark"),
    # the serving images a FastAPI or Flask service is built FROM
    "tiangolo/uvicorn-gunicorn-fastapi": (
        "fastapi",
        "pydantic",
        "starlette",
        "uvicorn",
        "gunicorn",
    ),
    "tiangolo/uvicorn-gunicorn": ("uvicorn", "gunicorn"),
    "tiangolo/uwsgi-nginx-flask": ("flask",),
    "tiangolo/meinheld-gunicorn-flask": ("flask", "gunicorn", "meinheld"),
}


def base_image_distributions(text: str) -> set[str]:
    """The distributions the images a Dockerfile builds ``FROM`` ship (:data:`BASE_IMAGES`;
    ``quay.io/`` and ``docker.io/`` mirrors of them too)."""
    found: set[str] = set()
    for _line, keyword, parts in instructions(text):
        if keyword != "FROM":
            continue
        words = " ".join(part.rstrip("\\") for _, part in parts).split()[1:]
        words = [w for w in words if not w.startswith("--")]  # --platform=...
        if not words:
            continue
        image = words[0].split("@", 1)[0]  # no digest
        if ":" in image.rsplit("/", 1)[-1]:
            image = image.rsplit(":", 1)[0]  # no tag (a registry's port stays)
        for mirror in ("docker.io/", "quay.io/", "library/"):
            image = image.removeprefix(mirror)
        known = BASE_IMAGES.get(image.lower())
        if known is None and "/" in image:
            # another publisher's image named for the framework (`deepbase/pytorch:1.8.1`,
            # `anibali/pytorch`) ships that framework, whatever else it adds
            known = _NAMED_FOR.get(image.lower().rsplit("/", 1)[-1], ())
        found.update(known or ())
    return found


#: what an image named for a framework ships, whoever publishes it
_NAMED_FOR: dict[str, tuple[str, ...]] = {
    "pytorch": ("torch", "torchvision", "numpy"),  # as the official images (conda) do
    "tensorflow": ("tensorflow",),
}
