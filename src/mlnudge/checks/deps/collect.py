"""Every manifest and lock of a repository, found and parsed once (the family's input).

Which files are manifests, which are locks (pip-compile output, ``pip freeze`` dumps, conda
exports, pinned files), how requirements files are decoded (as pip does), and which folders a
tool generated (a saved MLflow model, a W&B run) and are therefore not the project's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mlnudge.checks.deps.docker import (
    base_image_distributions,
    is_dockerfile,
    package_names,
    parse_dockerfile,
)
from mlnudge.checks.deps.facts import PY_FACTS, setup_call
from mlnudge.checks.deps.tables import TRANSITIVE_ONLY
from mlnudge.facts.access import Facts
from mlnudge.facts.repo import Repo
from mlnudge.project import (
    REQ_NAME_RE,
    conda_records_versions,
    generated_roots,
    is_conda_env,
    is_generated,
    is_showcase_path,
    is_test_path,
)

if TYPE_CHECKING:
    from mlnudge.checks.deps.docker import PipInstall
    from mlnudge.checks.deps.model import Dep, Lock, Manifest

#: locks by name: ``requirements.lock`` (``uv pip compile requirements.txt -o ...``),
#: ``requirements-lock.txt``, ``requirements.lock.txt``
REQ_LOCK_RE = re.compile(r"(^|/)requirements[^/]*([.-]lock|\.lock\.txt|-lock\.txt)$")
_LOCK_NAMES = {"poetry.lock": "poetry", "uv.lock": "uv", "pdm.lock": "pdm"}


@dataclass(frozen=True)
class Collected:
    manifests: tuple[Manifest, ...]
    locks: tuple[Lock, ...]
    #: every dependency-related file read (for the credential scan)
    files: tuple[str, ...]
    #: requirements files that are locks (pip-compile output, ``pip freeze`` dumps, conda
    #: exports): not declarations
    compiled: tuple[str, ...]
    #: decoded text of the requirements files (UTF-16 and BOMs read as pip reads them)
    texts: Mapping[str, str] = field(default_factory=dict)
    #: names the project's images ``pip install``: they satisfy imports
    available: frozenset[str] = frozenset()
    #: folders a tool generated (a saved MLflow model, a W&B run, ...): not the project's
    generated: tuple[str, ...] = ()
    #: ``pip install`` commands of the project's Dockerfiles (not examples', docs' or tests')
    images: tuple[PipInstall, ...] = ()
    #: lines of a ``pip freeze`` dump that point at a folder of the machine that wrote it
    #: (``attrs @ file:///tmp/build/...``, a conda build): no other machine installs them
    machine_paths: tuple[Dep, ...] = ()
    #: the lines of requirements files that are locks (``pip freeze`` dumps, pinned by hand):
    #: not declarations, but pip still refuses one that names a package twice
    frozen: tuple[Manifest, ...] = ()


def collect(repo: object, dev_words: tuple[str, ...], store: Facts | None = None) -> Collected:
    """Every manifest and lock of the repository, parsed once through ``repo``; a
    ``setup.py`` is read from its per-file facts (through ``store``, the run's cache, when
    given)."""
    from mlnudge.checks.deps import parsers as p  # packaging: kept off the hook path

    assert isinstance(repo, Repo)
    facts = store if store is not None else Facts(repo, None)
    generated = generated_roots(repo.files)
    own = [f for f in repo.files if not is_generated(f, generated)]
    files = frozenset(own)
    manifests: list[Manifest] = []
    locks: list[Lock] = []
    read: list[str] = []
    metadata_targets: list[str] = []
    for path in own:
        base = path.rsplit("/", 1)[-1]
        here = path[: -len(base)]
        manifest: Manifest | None = None
        if base == "pyproject.toml":
            data, text = repo.toml(path), repo.text(path)
            if data is not None and text is not None:
                manifest = p.parse_pyproject(path, text, data, dev_words)
        elif base == "setup.cfg":
            text = repo.text(path)
            if text is not None:
                manifest = p.parse_setup_cfg(path, text, dev_words)
        elif base == "setup.py":
            summary = facts.get(path, PY_FACTS, "deps")
            call = None if summary is None else summary.get("s")
            if call == 0:  # a credential in a requirement: never stored, so parsed again
                module = repo.python(path)
                call = None if module is None else setup_call(module.source, module.tree)
            if summary is not None:
                manifest = p.setup_py_manifest(path, call, dev_words)
        elif base == "Pipfile":
            data, text = repo.toml(path), repo.text(path)
            if data is not None and text is not None:
                manifest = p.parse_pipfile(path, text, data, dev_words)
        elif is_conda_env(repo, path):
            data, text = repo.yaml(path), repo.text(path)
            if data is not None and text is not None:
                manifest = p.parse_conda(path, text, data, dev_words)
                if conda_records_versions(data):  # `conda env export`: a lock, not a declaration
                    read.append(path)
                    versions = _exact_versions(manifest)
                    locks.append(p.Lock(path, "conda-env-export", versions, (path,)))
                    manifest = None
        elif base in _LOCK_NAMES:
            data = repo.toml(path)
            read.append(path)
            if data is not None:
                locks.append(
                    p.parse_toml_lock(path, _LOCK_NAMES[base], data, (here + "pyproject.toml",))
                )
        elif base == "Pipfile.lock":
            read.append(path)
            data = repo.json(path)
            if data is not None:
                locks.append(p.parse_pipfile_lock(path, data, (here + "Pipfile",)))
        elif base in ("conda-lock.yml", "conda-lock.yaml"):
            read.append(path)
            data = repo.yaml(path)
            if data is not None:
                envs = tuple(f for f in files if f.startswith(here) and is_conda_env(repo, f))
                locks.append(p.parse_conda_lock(path, data, envs))
        if manifest is not None:
            read.append(path)
            manifests.append(manifest)
            metadata_targets += [i.target for i in manifest.includes if i.kind == "metadata"]

    # requirements files: the ones named like it, and what -r/-c/file: reach
    seen: set[str] = set()
    compiled: list[str] = []
    machine: list[Dep] = []
    frozen: list[Manifest] = []
    texts: dict[str, str] = {}
    queue: list[tuple[str, str]] = [(t, "metadata") for t in metadata_targets]
    for m in manifests:  # -r/-c in a conda pip section
        queue += [
            (i.target, _include_role(i.kind, "environment"))
            for i in m.includes
            if i.kind != "metadata"
        ]
    for path in own:
        if REQ_LOCK_RE.search(path):
            seen.add(path)
            text = _requirements_text(repo, path)
            read.append(path)
            if text is not None:
                texts[path] = text
                compiled.append(path)
                locks.append(p.parse_compiled(path, text, p.compiled_sources(path, text, files)))
            continue
        if REQ_NAME_RE.search(path):
            role = "constraint" if "constraints" in path.rsplit("/", 1)[-1] else "environment"
            queue.append((path, role))
    while queue:
        path, role = queue.pop(0)
        if path in seen or path not in files:
            continue
        seen.add(path)
        text = _requirements_text(repo, path)
        read.append(path)
        if text is None:
            continue
        texts[path] = text
        stem = path.rsplit(".", 1)[0]
        if path.endswith(".txt") and p.is_conda_export(text):
            compiled.append(path)
            exported = p.conda_export_versions(text)
            locks.append(
                p.Lock(path, "conda-export", {k: (v,) for k, v in exported.items()}, (path,))
            )
            continue
        if path.endswith(".txt") and p.is_compiled(text):
            compiled.append(path)
            locks.append(p.parse_compiled(path, text, p.compiled_sources(path, text, files)))
            continue
        # a development file by its name, or the environment of examples, docs or tests
        dev = p.is_dev_name(path.rsplit(".", 1)[0], dev_words) or (
            role != "metadata" and (is_showcase_path(path) or is_test_path(path))
        )
        manifest = p.parse_requirements(path, text, role=role, dev=dev)  # type: ignore[arg-type]
        if path.endswith(".txt") and f"{stem}.in" in files and p.fully_pinned(manifest):
            # pip-compile's output without its header: the lock of ``<stem>.in``; a file
            # of ranges beside a ``.in`` is a second declaration, not its lock
            compiled.append(path)
            locks.append(p.parse_compiled(path, text, p.compiled_sources(path, text, files)))
            continue
        if role != "constraint" and p.is_freeze(manifest, text, TRANSITIVE_ONLY):
            machine += [d for d in manifest.deps if d.url and machine_path(d.url)]
            frozen.append(manifest)
            compiled.append(path)
            locks.append(replace(p.parse_compiled(path, text, (path,)), kind="pip-freeze"))
            continue
        manifests.append(manifest)
        if role != "constraint" and p.fully_pinned(manifest):
            # a lock written by hand
            locks.append(replace(p.parse_compiled(path, text, (path,)), kind="pinned"))
        queue += [(i.target, _include_role(i.kind, role)) for i in manifest.includes]
    images = _images(repo, own)
    available = {name for cmd in images for name in package_names(cmd)}
    available |= _base_images(repo, own)
    return Collected(
        tuple(manifests),
        tuple(locks),
        tuple(dict.fromkeys(read)),
        tuple(compiled),
        texts,
        frozenset(available),
        generated,
        images,
        tuple(machine),
        tuple(frozen),
    )


def machine_path(url: str) -> bool:
    """Whether a direct reference names an absolute folder of one machine (``file:///tmp/build``,
    ``/home/me/pkg``, ``C:\\build``) rather than a path inside the project (``file:./pkg``)."""
    path = url[len("file:") :] if url.startswith("file:") else url
    return path.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", path) is not None


def _image_files(repo: Repo, files: list[str]) -> Iterator[tuple[str, str]]:
    """``(path, text)`` of the project's Dockerfiles, by name or, for a file without an
    extension (`deployment`, `jupyter`), by content."""
    for path in files:
        if is_showcase_path(path) or is_test_path(path):
            continue  # an example's or a test's image is documentation, not the product
        base = path.rsplit("/", 1)[-1]
        named = is_dockerfile(path)
        if not named and ("." in base or base in _NOT_IMAGES or repo.size(path) > 50_000):
            continue
        if not named:
            # sniffed, not named: a binary file without an extension (a pickled frame, a
            # checkpoint) is not read as text, so it is no "unreadable file" either
            data = repo.peek(path)
            if data is None or b"\0" in data or not _FROM_RE.match(data.decode("utf-8", "replace")):
                continue
        text = repo.text(path)
        if text is not None and (named or _FROM_RE.match(text)):
            yield path, text


def _images(repo: Repo, files: list[str]) -> tuple[PipInstall, ...]:
    return tuple(
        cmd for path, text in _image_files(repo, files) for cmd in parse_dockerfile(path, text)
    )


def _base_images(repo: Repo, files: list[str]) -> set[str]:
    """What the project's images get from the image they are built ``FROM``."""
    return {
        name for _, text in _image_files(repo, files) for name in base_image_distributions(text)
    }


_FROM_RE = re.compile(r"(\s*(#[^\n]*)?\n)*\s*(ARG\s[^\n]*\n\s*)*FROM\s+\S", re.IGNORECASE)
_NOT_IMAGES = frozenset(
    {"LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS", "CODEOWNERS", "Makefile", "Procfile"}
)


def _exact_versions(manifest: Manifest) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for dep in manifest.deps:
        for spec in dep.spec or ():
            if dep.name and spec.operator in ("==", "===") and "*" not in spec.version:
                found[dep.name] = (spec.version,)
    return found


def _requirements_text(repo: Repo, path: str) -> str | None:
    """The file decoded as pip decodes it. The repository's one decoder (UTF-8, a UTF-8 BOM)
    reads it first; only when that fails is the file read again and decoded the way pip
    does (a UTF-16/32 byte-order mark, as ``pip freeze >`` writes in Windows PowerShell, or a
    ``# coding:`` line), and the repository's encoding error for it is withdrawn."""
    from mlnudge.checks.deps.parsers import decode_requirements  # packaging: off the hook path

    text = repo.text(path)
    if text is not None:
        return text
    failed = [e for e in repo.errors if e.path == path and e.kind == "encoding"]
    if not failed:
        return None  # too large or unreadable: the repository has said so
    data = repo.read_bytes(path)
    if data is None:
        return None
    try:
        decoded = decode_requirements(data)
    except (UnicodeDecodeError, LookupError):
        return None  # pip cannot read it either: the repository's error stands
    for error in failed:
        repo.errors.remove(error)
    return decoded


def _include_role(kind: str, parent: str) -> str:
    return {"constraints": "constraint", "metadata": "metadata"}.get(kind, parent)
