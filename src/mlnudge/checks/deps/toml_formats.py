"""Readers of the TOML manifests: ``pyproject.toml`` (``[project]``, ``[dependency-groups]``,
Poetry, uv and pdm development dependencies) and ``Pipfile``, with the line of every
declaration found in the text (:class:`_TomlLines`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from mlnudge.checks.deps.model import (
    Dep,
    Include,
    Manifest,
    Role,
    is_dev_name,
    join_path,
    pep508_dep,
    version_of_release,
    with_span,
)

# -- TOML locating ---------------------------------------------------------------------------


class _TomlLines:
    """Find a key's value and its array items in TOML text, by section; for line numbers only."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []
        for i, raw in enumerate(self.lines):
            stripped = raw.strip()
            if stripped.startswith("[") and "]" in stripped:
                inner = stripped.lstrip("[").split("]", 1)[0]
                self.headers.append((i, re.sub(r"[\s\"']", "", inner)))

    def section(self, name: str) -> tuple[int, int] | None:
        for n, (i, header) in enumerate(self.headers):
            if header == name:
                end = self.headers[n + 1][0] if n + 1 < len(self.headers) else len(self.lines)
                return i + 1, end
        return None

    def key_line(self, section: str, key: str) -> int | None:
        """0-based index of the line holding ``key =`` inside ``[section]``."""
        span = self.section(section)
        lo, hi = span if span else (0, len(self.lines))
        pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
        for i in range(lo, hi):
            if pattern.match(self.lines[i]):
                return i
        if span is None:
            return None
        # dotted keys: ``project.dependencies = [...]`` at the top level
        dotted = re.compile(r"^\s*" + re.escape(section) + r"\." + re.escape(key) + r"\s*=")
        for i, raw in enumerate(self.lines):
            if dotted.match(raw):
                return i
        return None

    def item(self, start: int, value: str, col: int = 0) -> tuple[int, int, str] | None:
        """(0-based line, column inside the quotes, text as written) of the string ``value``."""
        import json

        escaped = json.dumps(value, ensure_ascii=False)[1:-1]  # a TOML basic string's escapes
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            for quote, written in (('"', escaped), ("'", value), ('"', value)):
                at = line.find(quote + written + quote, col if i == start else 0)
                if at >= 0:
                    return i, at + 1, written
            if i > start and self.lines[i].lstrip().startswith("["):
                stripped = self.lines[i].strip()
                if not stripped.startswith(('["', "['")) and "=" not in stripped:
                    return None
        return None

    def string_items(
        self, section: str, key: str, items: list[Any], **kw: Any
    ) -> Iterator[tuple[str, int | None, str | None, str, str]]:
        """For each string of ``items``: (value, line, before, written, after) in the text."""
        key_idx = self.key_line(section, key)
        cursor = (key_idx, 0) if key_idx is not None else None
        for item in items:
            if not isinstance(item, str):
                continue
            found = self.item(cursor[0], item, cursor[1]) if cursor else None
            if found is None:
                yield item, None, None, "", ""
                continue
            i, col, written = found
            cursor = (i, col + len(written))
            line = self.lines[i]
            yield item, i + 1, line[:col], written, line[col + len(written) :]


def _toml_deps(
    loc: _TomlLines,
    items: Any,
    *,
    path: str,
    section: str,
    key: str,
    source: str,
    role: Role,
    group: str | None,
    dev: bool,
) -> Iterator[Dep]:
    if not isinstance(items, list):
        return
    for text, line, before, written, after in loc.string_items(section, key, items):
        dep = pep508_dep(text, path=path, source=source, line=line, role=role, group=group, dev=dev)
        if before is not None:
            dep = with_span(dep, before, written, after)
        yield dep


# -- pyproject.toml --------------------------------------------------------------------------


def parse_pyproject(
    path: str, text: str, data: Mapping[str, Any], dev_words: tuple[str, ...]
) -> Manifest:
    """``[project]``, ``[dependency-groups]``, ``[tool.poetry]``, uv and pdm dev dependencies."""
    loc = _TomlLines(text)
    deps: list[Dep] = []
    includes: list[Include] = []
    base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    project = data.get("project")
    name = ""
    if isinstance(project, dict):
        name = str(project.get("name", ""))
        deps += _toml_deps(
            loc,
            project.get("dependencies"),
            path=path,
            section="project",
            key="dependencies",
            source="[project] dependencies",
            role="metadata",
            group=None,
            dev=False,
        )
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for extra, items in optional.items():
                deps += _toml_deps(
                    loc,
                    items,
                    path=path,
                    section="project.optional-dependencies",
                    key=extra,
                    source=f"[project.optional-dependencies] {extra}",
                    role="metadata",
                    group=extra,
                    dev=is_dev_name(extra, dev_words),
                )
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for group, items in groups.items():
            deps += _toml_deps(
                loc,
                items,
                path=path,
                section="dependency-groups",
                key=group,
                source=f"[dependency-groups] {group}",
                role="environment",
                group=group,
                dev=is_dev_name(group, dev_words) or True,
            )
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    assert isinstance(tool, dict)
    uv = tool.get("uv")
    if isinstance(uv, dict):
        deps += _toml_deps(
            loc,
            uv.get("dev-dependencies"),
            path=path,
            section="tool.uv",
            key="dev-dependencies",
            source="[tool.uv] dev-dependencies",
            role="environment",
            group="dev",
            dev=True,
        )
    pdm = tool.get("pdm")
    if isinstance(pdm, dict) and isinstance(pdm.get("dev-dependencies"), dict):
        for group, items in pdm["dev-dependencies"].items():
            deps += _toml_deps(
                loc,
                items,
                path=path,
                section="tool.pdm.dev-dependencies",
                key=group,
                source=f"[tool.pdm.dev-dependencies] {group}",
                role="environment",
                group=group,
                dev=True,
            )
    poetry = tool.get("poetry")
    if isinstance(poetry, dict):
        name = name or str(poetry.get("name", ""))
        deps += _poetry_deps(loc, path, poetry, dev_words)
    setuptools = tool.get("setuptools")
    dynamic = setuptools.get("dynamic") if isinstance(setuptools, dict) else None
    if isinstance(dynamic, dict):
        for key in ("dependencies", "optional-dependencies"):
            spec = dynamic.get(key)
            values = (
                spec.values()
                if key == "optional-dependencies" and isinstance(spec, dict)
                else [spec]
            )
            for value in values:
                files = value.get("file") if isinstance(value, dict) else None
                for rel in [files] if isinstance(files, str) else files or []:
                    if isinstance(rel, str):
                        line = loc.key_line("tool.setuptools.dynamic", key)
                        includes.append(
                            Include("metadata", join_path(base, rel), path, (line or 0) + 1)
                        )
    # `[project]` without `dependencies` (nor listing them as dynamic) declares none;
    # Poetry's `[tool.poetry.dependencies]` likewise
    static = isinstance(project, dict) and "dependencies" not in (project.get("dynamic") or ())
    declaration = static or (isinstance(poetry, dict) and "dependencies" in poetry)
    return Manifest(
        path=path,
        deps=tuple(deps),
        includes=tuple(includes),
        project_name=name,
        declaration=declaration,
    )


def poetry_to_pep440(constraint: str) -> str | None:
    """A Poetry version constraint as a PEP 440 specifier (``""`` = any, ``None`` = ``||``).

    ``^1.2.3`` -> ``>=1.2.3,<2.0.0``; ``^0.2.3`` -> ``>=0.2.3,<0.3.0``; ``~1.2.3`` ->
    ``>=1.2.3,<1.3.0``; ``1.2.*`` -> ``==1.2.*``; a bare ``1.2.3`` is exactly ``==1.2.3``.
    Raises :class:`ValueError` on text that is no constraint.
    """
    c = constraint.strip()
    if c in ("", "*"):
        return ""
    if "||" in c or "|" in c:
        return None
    out: list[str] = []
    for chunk in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", c):
        if not chunk:
            continue
        m = re.fullmatch(r"(\^|~=|~|===|==|!=|>=|<=|>|<|=)?\s*(\S+)", chunk)
        if m is None:
            raise ValueError(f"cannot read constraint {chunk!r}")
        op, version = m.group(1) or "", m.group(2)
        if op in ("^", "~"):
            try:
                release = Version(version).release
            except InvalidVersion:
                raise ValueError(f"{version!r} is not a version") from None
            given = [int(p) for p in version.split("+")[0].split(".") if p.isdigit()] or list(
                release
            )
            if op == "^":
                nonzero = next((i for i, p in enumerate(given) if p != 0), len(given) - 1)
                upper = [*given[:nonzero], given[nonzero] + 1]
            else:
                upper = [given[0], given[1] + 1] if len(given) >= 2 else [given[0] + 1]
            out += [f">={_public(version)}", f"<{version_of_release(tuple(upper))}"]
        elif op in ("", "=", "==", "===", "!="):
            out.append(f"{op if op in ('==', '===', '!=') else '=='}{version}")
        else:  # PEP 440 allows a local label (`+cu117`) only with == and !=; Poetry anywhere
            out.append(f"{op}{_public(version)}")
    return ",".join(out)


def _public(version: str) -> str:
    """``0.2.0`` for ``0.2.0+cu117``: the public part, which ordered comparisons use."""
    return version.split("+", 1)[0]


def _poetry_deps(
    loc: _TomlLines, path: str, poetry: Mapping[str, Any], dev_words: tuple[str, ...]
) -> Iterator[Dep]:
    sections: list[tuple[str, str | None, Any, bool]] = [
        ("tool.poetry.dependencies", None, poetry.get("dependencies"), False),
        ("tool.poetry.dev-dependencies", "dev", poetry.get("dev-dependencies"), True),
    ]
    groups = poetry.get("group")
    if isinstance(groups, dict):
        for group, table in groups.items():
            if isinstance(table, dict):
                sections.append(
                    (
                        f"tool.poetry.group.{group}.dependencies",
                        group,
                        table.get("dependencies"),
                        True,
                    )
                )
    for section, group, table, dev in sections:
        if not isinstance(table, dict):
            continue
        source = f"[{section}]"
        for raw_name, value in table.items():
            if raw_name.lower() == "python":
                continue
            yield _poetry_dep(
                loc,
                path=path,
                section=section,
                source=source,
                raw_name=raw_name,
                value=value,
                group=group,
                dev=dev,
                dev_words=dev_words,
            )


def _poetry_dep(
    loc: _TomlLines,
    *,
    path: str,
    section: str,
    source: str,
    raw_name: str,
    value: Any,
    group: str | None,
    dev: bool,
    dev_words: tuple[str, ...],
) -> Dep:
    key_idx = loc.key_line(section, raw_name)
    line = key_idx + 1 if key_idx is not None else None
    if line is None:
        sub = loc.section(f"{section}.{raw_name}")
        line = sub[0] if sub else None
    role: Role = "environment" if dev else "metadata"
    base: dict[str, Any] = {
        "path": path,
        "source": source,
        "line": line,
        "end_line": line,
        "name": canonicalize_name(raw_name),
        "role": role,
        "group": group,
        "dev": dev or (group is not None and is_dev_name(group, dev_words)),
        "style": "version",
    }
    if isinstance(value, list):  # multiple constraints (per python/platform): not judged
        return Dep(**base, text=f"{raw_name} (multiple constraints)", spec=None)
    version: Any = value
    url = ref = None
    local = False
    marker = ""
    extras: tuple[str, ...] = ()
    if isinstance(value, dict):
        version = value.get("version")
        for vcs in ("git", "hg", "url"):
            if isinstance(value.get(vcs), str):
                url = (f"{vcs}+" if vcs != "url" else "") + value[vcs]
        if isinstance(value.get("path"), str):
            url, local = value["path"], True
        for key in ("rev", "tag", "branch"):
            if isinstance(value.get(key), str):
                ref = f"{key}:{value[key]}"
        if isinstance(value.get("markers"), str):
            marker = value["markers"]
        if isinstance(value.get("extras"), list):
            extras = tuple(str(e) for e in value["extras"])
    text = f"{raw_name} = {version!r}" if isinstance(version, str) else raw_name
    if url is not None:
        return Dep(**base, text=f"{raw_name} @ {url}", url=url, ref=ref, local=local, spec=None)
    if version is None:
        version = "*"  # Poetry reads a table without `version` as any version
        text = raw_name
    if not isinstance(version, str):
        return Dep(**base, text=text, spec=None, error=f"{raw_name}: the version is not a string")
    try:
        pep = poetry_to_pep440(version)
        spec = SpecifierSet(pep) if pep is not None else None
    except (ValueError, InvalidSpecifier) as exc:
        return Dep(**base, text=text, spec=None, error=f"invalid constraint {version!r}: {exc}")
    span: dict[str, Any] = {}
    if key_idx is not None:
        physical = loc.lines[key_idx]
        eq = physical.find("=")
        found = loc.item(key_idx, version, eq + 1 if eq >= 0 else 0)
        if found is not None and found[0] == key_idx:
            col, written = found[1], found[2]
            span = {
                "before": physical[:col],
                "old": written,
                "after": physical[col + len(written) :],
            }
    return Dep(**base, **span, text=text, spec=spec, marker=marker, extras=extras)


# -- Pipfile ---------------------------------------------------------------------------------


def parse_pipfile(
    path: str, text: str, data: Mapping[str, Any], dev_words: tuple[str, ...]
) -> Manifest:
    loc = _TomlLines(text)
    deps: list[Dep] = []
    for section, table in data.items():
        if section in ("source", "requires", "scripts", "pipenv") or not isinstance(table, dict):
            continue
        dev = section != "packages"
        for raw_name, value in table.items():
            key_idx = loc.key_line(section, raw_name)
            line = key_idx + 1 if key_idx is not None else None
            base: dict[str, Any] = {
                "path": path,
                "source": f"[{section}]",
                "line": line,
                "end_line": line,
                "name": canonicalize_name(raw_name),
                "role": "environment",
                "group": None if section == "packages" else section,
                "dev": dev or is_dev_name(section, dev_words),
                "style": "version",
            }
            version: Any = value
            if isinstance(value, dict):
                version = value.get("version", "*")
                url = None
                for key in ("git", "hg", "svn", "file"):
                    if isinstance(value.get(key), str):
                        url = (f"{key}+" if key not in ("file",) else "") + value[key]
                if isinstance(value.get("path"), str):
                    deps.append(
                        Dep(**base, text=raw_name, url=value["path"], local=True, spec=None)
                    )
                    continue
                if url is not None:
                    ref = value.get("ref")
                    deps.append(
                        Dep(
                            **base,
                            text=f"{raw_name} @ {url}",
                            url=url,
                            ref=f"ref:{ref}" if isinstance(ref, str) else None,
                            spec=None,
                        )
                    )
                    continue
            if not isinstance(version, str):
                deps.append(Dep(**base, text=raw_name, spec=None, error="no version given"))
                continue
            text_ = f"{raw_name} = {version!r}"
            try:
                spec = SpecifierSet(pipfile_to_pep440(version))
            except InvalidSpecifier as exc:
                deps.append(Dep(**base, text=text_, spec=None, error=str(exc)))
                continue
            span: dict[str, Any] = {}
            if key_idx is not None:
                physical = loc.lines[key_idx]
                eq = physical.find("=")
                found = loc.item(key_idx, version, eq + 1 if eq >= 0 else 0)
                if found is not None and found[0] == key_idx:
                    col, written = found[1], found[2]
                    span = {
                        "before": physical[:col],
                        "old": written,
                        "after": physical[col + len(written) :],
                    }
            deps.append(Dep(**base, **span, text=text_, spec=spec))
    return Manifest(path=path, deps=tuple(deps))


def pipfile_to_pep440(version: str) -> str:
    """A Pipfile version string as a PEP 440 specifier: ``"*"`` is any version and a bare
    version (``"3.7"``) is an exact pin, as Pipenv reads them."""
    v = version.strip()
    if v in ("", "*"):
        return ""
    if re.match(r"^\d", v):
        return "==" + v
    return v
