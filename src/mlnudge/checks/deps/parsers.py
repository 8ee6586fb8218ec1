"""Readers for every place Python dependencies are declared or locked.

Each reader is a pure function of a file's text (and, for TOML/YAML/JSON, of the data the
:class:`~mlnudge.facts.repo.Repo` already parsed), so tests can feed inline snippets. Requirements
and specifiers are parsed with ``packaging`` (PEP 440/508). Formats that are not PEP 508
(Poetry constraints, conda match specs, Pipfile tables) are translated to PEP 440 first.

Every declaration keeps where it was written: the physical lines ``line..end_line`` and the
exact substring (``old``) a fix must replace, so a suggestion can rewrite exactly those lines.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from mlnudge.checks.deps.facts import setup_call
from mlnudge.checks.deps.model import (
    COMPILED_RE,
    URL_START,
    Dep,
    Include,
    Lock,
    Manifest,
    Role,
    is_dev_name,
    join_path,
    join_physical,
    pep508_dep,
    rewrite_pep508,
    with_span,
)
from mlnudge.checks.deps.toml_formats import (
    parse_pipfile,
    parse_pyproject,
    poetry_to_pep440,
)
from mlnudge.facts.repo import bom_encoding

#: what callers read through this module although :mod:`.model` or :mod:`.toml_formats`
#: defines it
__all__ = [
    "Dep",
    "Lock",
    "Manifest",
    "is_dev_name",
    "join_physical",
    "parse_pipfile",
    "parse_pyproject",
    "poetry_to_pep440",
    "rewrite_pep508",
]


# -- requirements files ----------------------------------------------------------------------

_OPTION_INCLUDE: dict[str, Literal["requirements", "constraints"]] = {
    "-r": "requirements",
    "--requirement": "requirements",
    "-c": "constraints",
    "--constraint": "constraints",
}


def is_compiled(text: str) -> bool:
    """pip-compile / ``uv pip compile`` output (a lock), recognised by its header."""
    head = "\n".join(text.splitlines()[:8])
    return bool(COMPILED_RE.search(head))


_CODING_RE = re.compile(rb"coding[:=]\s*([-\w.]+)")


def decode_requirements(data: bytes) -> str:
    """A requirements file's text, decoded as pip decodes it: a byte-order mark first (what
    ``pip freeze >`` writes in Windows PowerShell is UTF-16), then a ``# coding:`` line in the
    first two lines, then UTF-8. Raises :class:`UnicodeDecodeError` or :class:`LookupError`."""
    found = bom_encoding(data)
    if found is not None:
        encoding, skip = found
        return data[skip:].decode(encoding)
    for line in data.split(b"\n")[:2]:
        m = _CODING_RE.search(line) if line.startswith(b"#") else None
        if m:
            return data.decode(m.group(1).decode("ascii"))
    return data.decode("utf-8")


def logical_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """``(first line, last line, text)`` per logical line: continuations joined, comments cut."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start = i
        parts = []
        while True:
            raw = lines[i]
            if raw.endswith("\\") and i + 1 < len(lines):
                parts.append(raw[:-1])
                i += 1
                continue
            parts.append(raw[:-1] if raw.endswith("\\") else raw)
            break
        joined = " ".join(p.strip() for p in parts)
        joined = re.sub(r"(^|\s)#.*$", "", joined).strip()
        yield start + 1, i + 1, joined
        i += 1


def parse_requirements(
    path: str,
    text: str,
    *,
    role: Role = "environment",
    dev: bool = False,
) -> Manifest:
    """A requirements file (``requirements*.txt``, ``*.in``, constraints, pip-compile output)."""
    deps: list[Dep] = []
    includes: list[Include] = []
    lines = text.splitlines()
    base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    for start, end, logical in logical_lines(text):
        if not logical:
            continue
        physical = join_physical(lines, start, end)
        if logical.startswith("-"):
            option, _, value = logical.partition(" ")
            if "=" in option and option.startswith("--"):
                option, _, value = option.partition("=")
            value = value.strip()
            if option in _OPTION_INCLUDE:
                if value and not value.startswith(URL_START):
                    includes.append(
                        Include(_OPTION_INCLUDE[option], join_path(base, value), path, start)
                    )
                continue
            if option in ("-e", "--editable"):
                req_text = value
                deps.append(
                    pep508_dep(
                        req_text,
                        path=path,
                        source=path,
                        line=start,
                        end_line=end,
                        physical=physical,
                        role=role,
                        dev=dev,
                        editable=True,
                    )
                )
            continue  # --index-url, --hash, --pre, -f, ...: options, not declarations
        req_text = re.split(r"\s+--?[a-z]", " " + logical, maxsplit=1)[0].strip()
        dep = pep508_dep(
            req_text,
            path=path,
            source=path,
            line=start,
            end_line=end,
            physical=physical,
            role=role,
            dev=dev,
        )
        if dep.error is None and dep.name == "python":
            # ``python==3.10.12`` (a conda habit): no such distribution, pip refuses the file
            dep = replace(
                dep,
                error=(
                    "`python` is the interpreter, not a package on the index: pip stops at "
                    "this line; the Python version belongs in `requires-python`, "
                    "`.python-version` or the image"
                ),
            )
        deps.append(dep)
    declaration = role != "constraint"
    return Manifest(path=path, deps=tuple(deps), includes=tuple(includes), declaration=declaration)


def pinned(dep: Dep) -> bool:
    """An exact pin (``==1.2.3``), or a URL, path or VCS requirement (one fixed thing)."""
    if dep.url is not None:
        return True
    if dep.spec is None or dep.error is not None:
        return False
    return any(s.operator in ("==", "===") and "*" not in s.version for s in dep.spec)


def fully_pinned(manifest: Manifest) -> bool:
    """Every requirement pinned (and at least one that is not a URL): a lock written by hand."""
    deps = manifest.deps
    return (
        bool(deps)
        and all(pinned(d) for d in deps)
        and any(d.url is None for d in deps)
        and not any(d.error for d in deps)
    )


def is_freeze(manifest: Manifest, text: str, transitive: frozenset[str]) -> bool:
    """A ``pip freeze`` dump: pinned, with packages nobody lists by hand (``certifi``, ``six``,
    ``urllib3``, ...), conda build paths (``pkg @ file:///...``) or a header saying so. A line
    or two added by hand to a long dump (``protobuf>=4.25,<5``) leave it a dump: its hundreds
    of transitive pins are still no one's declaration."""
    if not fully_pinned(manifest):
        deps = manifest.deps
        loose = sum(not pinned(d) for d in deps)
        if any(d.error for d in deps) or loose > 2 or len(deps) - loose < 20 * loose:
            return False
    if "pip freeze" in "\n".join(text.splitlines()[:5]).lower():
        return True
    if any(d.url and d.url.startswith("file:") and d.name for d in manifest.deps):
        return True
    return len({d.name for d in manifest.deps if d.name in transitive}) >= 3


_CONDA_EXPORT_LINE_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*=[^=\s]+=[^=\s]+$")


def is_conda_export(text: str) -> bool:
    """``conda list --export`` / ``conda list -e`` output (``name=version=build`` lines) or an
    ``@EXPLICIT`` URL list: a conda lock, not a pip requirements file."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if any(ln.startswith("@EXPLICIT") for ln in lines):
        return True
    reqs = [ln for ln in lines if not ln.startswith("#")]
    header = any("conda create" in ln or ln.startswith("# platform:") for ln in lines[:5])
    exported = sum(bool(_CONDA_EXPORT_LINE_RE.match(ln)) for ln in reqs)
    return bool(reqs) and (header or exported == len(reqs)) and exported >= len(reqs) / 2


def conda_export_versions(text: str) -> dict[str, str]:
    """``name -> version`` of a ``conda list --export`` file."""
    found: dict[str, str] = {}
    for raw in text.splitlines():
        ln = raw.strip()
        if _CONDA_EXPORT_LINE_RE.match(ln):
            name, version, _ = ln.split("=", 2)
            found[canonicalize_name(name)] = version
    return found


# -- setup.cfg -------------------------------------------------------------------------------


def parse_setup_cfg(path: str, text: str, dev_words: tuple[str, ...]) -> Manifest:
    """``[options] install_requires`` and ``[options.extras_require]``, line by line."""
    deps: list[Dep] = []
    includes: list[Include] = []
    base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    lines = text.splitlines()
    section = ""
    key: str | None = None
    name = ""
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section, key = stripped[1:-1].strip(), None
            continue
        if not stripped or stripped.startswith(("#", ";")):
            continue
        continuation = raw[:1].isspace()
        value = stripped
        if not continuation:
            k, sep, v = raw.partition("=")
            if not sep:
                k, sep, v = raw.partition(":")
            key, value = k.strip(), v.strip()
            if section == "metadata" and key == "name":
                name = value
            if not value:
                continue
        if key is None:
            continue
        wanted = (section == "options" and key in ("install_requires", "tests_require")) or (
            section == "options.extras_require"
        )
        if not wanted:
            continue
        value = re.sub(r"\s+#.*$", "", value)
        if value.startswith("file:"):
            for rel in value[5:].split(","):
                includes.append(Include("metadata", join_path(base, rel.strip()), path, number))
            continue
        group = key if section == "options.extras_require" else None
        dev = key == "tests_require" or (group is not None and is_dev_name(group, dev_words))
        deps.append(
            pep508_dep(
                value,
                path=path,
                source=f"[{section}] {key}",
                line=number,
                physical=raw,
                role="metadata",
                group=group or ("tests" if key == "tests_require" else None),
                dev=dev,
            )
        )
    return Manifest(path=path, deps=tuple(deps), includes=tuple(includes), project_name=name)


# -- setup.py (static: never executed) -------------------------------------------------------


def parse_setup_py(
    path: str, source: str, tree: ast.Module, dev_words: tuple[str, ...]
) -> Manifest:
    """Literal ``install_requires``/``extras_require`` of a ``setup(...)`` call, via ``ast``."""
    return setup_py_manifest(path, setup_call(source, tree), dev_words)


def setup_py_manifest(
    path: str, call: Mapping[str, Any] | None, dev_words: tuple[str, ...]
) -> Manifest:
    """The manifest of a ``setup.py`` from its ``setup(...)`` call's literal arguments, as
    :func:`mlnudge.checks.deps.facts.setup_call` records them (``None``: no call)."""
    deps: list[Dep] = []
    for keyword, group, text, line, end, before, after in (call or {}).get("reqs", ()):
        label = f"extras_require[{group!r}]" if keyword == "extras_require" else keyword
        dev = keyword == "tests_require" or (
            keyword == "extras_require" and is_dev_name(group, dev_words)
        )
        dep = pep508_dep(
            text,
            path=path,
            source=f"setup({label})",
            line=line,
            end_line=end,
            role="metadata",
            group=group,
            dev=dev,
        )
        if before is not None and after is not None:
            dep = with_span(dep, before, text, after)
        deps.append(dep)
    return Manifest(
        path=path,
        deps=tuple(deps),
        project_name=str((call or {}).get("name", "")),
        declaration=call is not None and not call.get("o"),
    )


# -- conda environment.yml -------------------------------------------------------------------


def conda_to_pep440(spec: str) -> tuple[str, str | None]:
    """``(name, PEP 440 specifier)`` for a conda match spec; ``None`` spec when not expressible.

    ``numpy=1.26`` (conda's fuzzy match) -> ``==1.26.*``; ``numpy==1.26.4`` and
    ``numpy=1.26.4=py311_0`` -> ``==1.26.4``; ``numpy 1.26`` -> ``==1.26.*``.
    Raises :class:`ValueError` on a spec that has no package name.
    """
    name, pep = _conda_to_pep440(spec)
    if pep is not None and re.fullmatch(r"(==)?\*(\.\*)?", pep):
        return name, ""  # `pytorch=*=*cuda*`: any version (of a certain build)
    return name, pep


def _conda_to_pep440(spec: str) -> tuple[str, str | None]:
    s = spec.strip()
    if "::" in s:
        s = s.split("::", 1)[1]
    bracket = re.search(r"\[.*\bversion\s*=\s*['\"]?([^'\",\]]+)", s)
    s = re.sub(r"\[.*\]\s*$", "", s).strip()
    if bracket and not re.search(r"[\s=<>!~]", s):
        version = bracket.group(1).strip()
        s = f"{s} {version}" if version[0].isdigit() else s + version
    m = re.match(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", s)
    if m is None:
        raise ValueError(f"no package name in {spec!r}")
    name, rest = m.group(0), s[m.end() :].strip()
    if not rest:
        return name, ""
    if "|" in rest:
        return name, None
    if rest[0] not in "<>=!~":
        tokens = rest.split()
        version = tokens[0]
        if len(tokens) > 1 or version.endswith("*"):
            return name, f"=={version}"
        return name, f"=={version}.*"
    if rest.startswith("=") and not rest.startswith("=="):
        version = rest[1:]
        if "=" in version:
            return name, "==" + version.split("=", 1)[0]
        return name, f"=={version}" if version.endswith("*") else f"=={version}.*"
    if rest.startswith("==") and "=" in rest[2:]:
        return name, rest.split("=")[0] + "==" + rest[2:].split("=", 1)[0]
    return name, re.sub(r"\s+", "", rest)


_CONDA_SKIP = frozenset({"python", "pip"})


def parse_conda(path: str, text: str, data: Any, dev_words: tuple[str, ...]) -> Manifest:
    deps: list[Dep] = []
    includes: list[Include] = []
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), list):
        return Manifest(path=path)
    lines = text.splitlines()
    base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    cursor = 0

    def locate(item: str) -> int | None:
        nonlocal cursor
        for i in range(cursor, len(lines)):
            body = lines[i].split(" #", 1)[0].strip()
            if body.startswith("-"):
                body = body[1:].strip().strip("\"'")
                if body == item:
                    cursor = i + 1
                    return i
        return None

    for item in data["dependencies"]:
        if isinstance(item, dict) and isinstance(item.get("pip"), list):
            for pip_item in item["pip"]:
                if not isinstance(pip_item, str):
                    continue
                idx = locate(pip_item)
                line = idx + 1 if idx is not None else None
                stripped = pip_item.strip()
                if stripped.startswith("-"):
                    option, _, value = stripped.partition(" ")
                    if option in _OPTION_INCLUDE and value.strip():
                        includes.append(
                            Include(
                                _OPTION_INCLUDE[option],
                                join_path(base, value.strip()),
                                path,
                                line or 0,
                            )
                        )
                    elif option in ("-e", "--editable"):
                        deps.append(
                            pep508_dep(
                                value.strip(),
                                path=path,
                                source="pip section",
                                line=line,
                                editable=True,
                            )
                        )
                    continue
                deps.append(
                    pep508_dep(
                        stripped,
                        path=path,
                        source="pip section",
                        line=line,
                        physical=lines[idx] if idx is not None else None,
                    )
                )
            continue
        if not isinstance(item, str):
            continue
        idx = locate(item)
        line = idx + 1 if idx is not None else None
        base_kw: dict[str, Any] = {
            "path": path,
            "source": "conda dependencies",
            "line": line,
            "end_line": line,
            "text": item,
            "style": "version",
            "conda": True,
        }
        try:
            name, pep = conda_to_pep440(item)
        except ValueError as exc:
            deps.append(Dep(**base_kw, spec=None, error=str(exc)))
            continue
        try:
            spec = SpecifierSet(pep) if pep is not None else None
        except InvalidSpecifier:
            spec = None  # a conda version that is not PEP 440 (`openssl=1.1.1k`): not judged
        if name.lower() in _CONDA_SKIP:
            continue
        span: dict[str, Any] = {}
        if idx is not None:
            physical = lines[idx]
            at = physical.find(item)
            name_at = physical.find(name, at) if at >= 0 else -1
            if name_at >= 0:
                version_text = item[item.find(name) + len(name) :]
                start = name_at + len(name)
                span = {
                    "before": physical[:start],
                    "old": version_text,
                    "after": physical[start + len(version_text) :],
                }
        deps.append(Dep(**base_kw, **span, name=canonicalize_name(name), spec=spec))
    return Manifest(path=path, deps=tuple(deps), includes=tuple(includes))


# -- locks -----------------------------------------------------------------------------------


def _lock_versions(pairs: Iterator[tuple[Any, Any]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for name, version in pairs:
        if isinstance(name, str) and isinstance(version, str) and version:
            out.setdefault(canonicalize_name(name), set()).add(version)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def parse_toml_lock(path: str, kind: str, data: Mapping[str, Any], covers: tuple[str, ...]) -> Lock:
    """poetry.lock, uv.lock and pdm.lock: ``[[package]]`` tables with ``name`` and ``version``."""
    packages = data.get("package")
    items = packages if isinstance(packages, list) else []

    def pairs() -> Iterator[tuple[Any, Any]]:
        for pkg in items:
            if isinstance(pkg, dict):
                source = pkg.get("source")
                if (
                    kind == "uv"
                    and isinstance(source, dict)
                    and ("editable" in source or "virtual" in source)
                ):
                    continue  # the project itself
                yield pkg.get("name"), pkg.get("version")

    return Lock(path=path, kind=kind, versions=_lock_versions(pairs()), covers=covers)


def parse_pipfile_lock(path: str, data: Any, covers: tuple[str, ...]) -> Lock:
    def pairs() -> Iterator[tuple[Any, Any]]:
        if not isinstance(data, dict):
            return
        for section, table in data.items():
            if section == "_meta" or not isinstance(table, dict):
                continue
            for name, entry in table.items():
                version = entry.get("version") if isinstance(entry, dict) else None
                if isinstance(version, str):
                    yield name, version.lstrip("=")

    return Lock(path=path, kind="pipenv", versions=_lock_versions(pairs()), covers=covers)


def parse_conda_lock(path: str, data: Any, covers: tuple[str, ...]) -> Lock:
    items = data.get("package") if isinstance(data, dict) else None

    def pairs() -> Iterator[tuple[Any, Any]]:
        for pkg in items if isinstance(items, list) else []:
            if isinstance(pkg, dict):
                yield pkg.get("name"), pkg.get("version")

    return Lock(path=path, kind="conda-lock", versions=_lock_versions(pairs()), covers=covers)


def parse_compiled(path: str, text: str, covers: tuple[str, ...]) -> Lock:
    """pip-compile / ``uv pip compile`` output: ``name==version`` lines (hashes allowed)."""
    manifest = parse_requirements(path, text)

    def pairs() -> Iterator[tuple[Any, Any]]:
        for dep in manifest.deps:
            if dep.spec is None or not dep.name:
                continue
            for s in dep.spec:
                if s.operator in ("==", "===") and "*" not in s.version:
                    yield dep.name, s.version

    return Lock(
        path=path,
        kind="pip-compile",
        versions=_lock_versions(pairs()),
        covers=covers,
        universal=False,
    )


def compiled_sources(path: str, text: str, files: frozenset[str]) -> tuple[str, ...]:
    """The inputs a compiled requirements file names in its header, else ``<stem>.in``."""
    base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    found: list[str] = []
    for raw in text.splitlines()[:12]:
        if not raw.startswith("#"):
            continue
        for token in raw[1:].split():
            if token.endswith(
                (".in", ".toml", ".cfg", "setup.py", ".txt")
            ) and not token.startswith("-"):
                candidate = join_path(base, token)
                if candidate in files and candidate != path:
                    found.append(candidate)
    if not found:
        stem = re.sub(r"([.-]lock)?(\.txt|\.lock)$", "", path)
        suffixes = (".in",) if path.endswith(".txt") and stem + ".txt" == path else (".in", ".txt")
        for suffix in suffixes:
            if f"{stem}{suffix}" in files and f"{stem}{suffix}" != path:
                found.append(f"{stem}{suffix}")
                break
    return tuple(dict.fromkeys(found))
