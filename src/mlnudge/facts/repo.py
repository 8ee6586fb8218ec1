"""The scanned tree: which files exist, and each file read and parsed at most once.

Rules never open files: they ask the :class:`Repo` for a parsed module, notebook or manifest.
Unreadable or unparseable inputs are recorded as :class:`~mlnudge.finding.ReadError` and
answered with ``None``; the run goes on without them.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import io
import json
import re
import sys
import tokenize
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlnudge.facts.listing import (
    git_files,
    not_regular,
    skipped,
    template_folder,
    virtual_envs,
    walk,
)
from mlnudge.facts.syntax import children
from mlnudge.finding import ReadError
from mlnudge.settings import Config, path_matches

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: mlnudge's cache directory below the repository root
CACHE_DIR = ".mlnudge_cache"
#: marks a file already tried and found invalid (``None`` is a valid JSON/YAML value)
_MISSING = object()
_MAGIC_RE = re.compile(r"^\s*([%!?]|[\w.]+\s*\?\s*$)")


@dataclass(frozen=True)
class PyModule:
    """A parsed Python module, or the code cells of a notebook turned into one module.

    For notebooks ``cells[i]`` gives, for line ``i + 1`` of ``source``, the 1-based cell number
    (counting every cell, markdown too, as Jupyter shows them) and the 1-based line inside it.
    """

    path: str
    source: str
    tree: ast.Module
    cells: tuple[tuple[int, int], ...] | None = None

    @property
    def is_notebook(self) -> bool:
        return self.cells is not None

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.source.splitlines()

    @functools.cached_property
    def _by_cell(self) -> dict[int, list[str]]:
        by_cell: dict[int, list[str]] = {}
        for text, (cell, _) in zip(self.lines, self.cells or (), strict=False):
            by_cell.setdefault(cell, []).append(text)
        return by_cell

    def cell_lines(self, cell: int) -> list[str]:
        """The lines of notebook cell ``cell`` (as Jupyter numbers them); ``[]`` if none."""
        return self._by_cell.get(cell, [])

    def cell_of(self, line: int) -> tuple[int, int] | None:
        if self.cells is None or not 1 <= line <= len(self.cells):
            return None
        return self.cells[line - 1]


class FileList(tuple[str, ...]):
    """The sorted file listing, where ``rel in files`` is a set lookup, not a scan.

    Reports ask once per finding whether its path is a file; with 20,000 files and thousands
    of findings a tuple scan took most of the run.
    """

    def __contains__(self, item: object) -> bool:
        members: frozenset[str] | None = self.__dict__.get("_members")
        if members is None:
            members = self.__dict__["_members"] = frozenset(self)
        return item in members


@dataclass
class Repo:
    """The repository root, its file listing, and caches of what has been read."""

    root: Path
    config: Config
    files: tuple[str, ...]
    is_git: bool = False
    #: the listing holds files of mlnudge's own cache directory: committed (or un-ignored)
    #: cache contents are someone else's claims about the code, never to be trusted
    cache_listed: bool = False
    #: folders named with template placeholders (``{{ cookiecutter.repo_name }}/``): a
    #: template for other projects, not this project's code, so left out of the listing
    templates: tuple[str, ...] = ()
    errors: list[ReadError] = field(default_factory=list)
    _text: dict[str, str | None] = field(default_factory=dict, repr=False)
    _python: dict[str, PyModule | None] = field(default_factory=dict, repr=False)
    _data: dict[str, Any] = field(default_factory=dict, repr=False)
    _lines: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _raw: dict[str, bytes] = field(default_factory=dict, repr=False)
    #: the content digest of every file read in this run
    digests: dict[str, str] = field(default_factory=dict, repr=False)
    #: sizes of regular files, from the ``lstat`` that listed them
    _sizes: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def discover(cls, root: Path, config: Config) -> Repo:
        root = root.resolve()
        listed = git_files(root)
        is_git = listed is not None
        if listed is None:
            listed = list(walk(root))
        files: list[str] = []
        errors: list[ReadError] = []
        sizes: dict[str, int] = {}
        templates: set[str] = set()
        venvs = virtual_envs(listed)
        for rel in sorted(set(listed)):
            if skipped(rel, config) or (venvs and rel.startswith(venvs)):
                continue
            template = template_folder(rel)
            if template is not None:
                templates.add(template)
                continue
            problem = not_regular(root, rel, sizes)
            if problem is None:
                files.append(rel)
            elif problem:
                errors.append(ReadError(path=rel, kind="unreadable", message=problem))
        cache_listed = any(rel.startswith(CACHE_DIR + "/") for rel in listed)
        return cls(
            root=root,
            config=config,
            files=FileList(files),
            is_git=is_git,
            errors=errors,
            cache_listed=cache_listed,
            templates=tuple(sorted(templates)),
            _sizes=sizes,
        )

    # -- listing -----------------------------------------------------------------------------

    def glob(self, pattern: str) -> list[str]:
        anchored = pattern.strip().rstrip("/")
        if anchored.startswith("/") and not any(c in anchored for c in "*?[]\\!#"):
            # a literal path from the root (``/tests``): the path itself or what is below it,
            # as git's rules say, without one pattern match per file of a large tree
            prefix = anchored[1:]
            below = prefix + "/"
            return [f for f in self.files if f == prefix or f.startswith(below)]
        return [f for f in self.files if path_matches(f, pattern)]

    def with_suffix(self, *suffixes: str) -> list[str]:
        return [f for f in self.files if f.endswith(suffixes)]

    def exists(self, rel: str) -> bool:
        return rel in self._file_set or self.is_dir(rel)

    def is_dir(self, rel: str) -> bool:
        prefix = rel.rstrip("/") + "/"
        return any(f.startswith(prefix) for f in self.files)

    @functools.cached_property
    def _file_set(self) -> frozenset[str]:
        return frozenset(self.files)

    def size(self, rel: str) -> int:
        known = self._sizes.get(rel)
        if known is not None:
            return known
        try:
            return (self.root / rel).stat().st_size
        except OSError:
            return 0

    def head(self, rel: str, size: int) -> bytes:
        """The first ``size`` bytes of a file (empty when it cannot be read)."""
        try:
            with (self.root / rel).open("rb") as handle:
                return handle.read(size)
        except OSError:
            return b""

    # -- reading -----------------------------------------------------------------------------

    def error(self, path: str, kind: Any, message: str, line: int | None = None) -> None:
        err = ReadError(path=path, kind=kind, message=message, line=line)
        if err not in self.errors:
            self.errors.append(err)

    def read_bytes(self, rel: str) -> bytes | None:
        if rel in self._raw:  # read for its digest a moment ago
            return self._raw.pop(rel)
        path = self.root / rel
        try:
            size = path.stat().st_size
            limit = self.size_limit(rel)
            if size > limit:
                self.error(
                    rel,
                    "too-large",
                    f"{size:,} bytes is over the {limit:,}-byte limit "
                    f"({'max-file-size' if limit == self.config.max_file_size else NOTEBOOK_NOTE}"
                    "); skipped",
                )
                return None
            data = path.read_bytes()
        except OSError as exc:
            self.error(rel, "unreadable", f"cannot read: {exc.strerror or exc}")
            return None
        self.digests[rel] = hashlib.blake2b(data, digest_size=20).hexdigest()
        return data

    def size_limit(self, rel: str) -> int:
        """The largest file read: ``max-file-size``, and for a notebook
        :data:`NOTEBOOK_FACTOR` times that (its size is its outputs, its code is small)."""
        factor = NOTEBOOK_FACTOR if rel.endswith(".ipynb") else 1
        return self.config.max_file_size * factor

    def forget(self, rel: str) -> None:
        """Drop what was read and parsed of ``rel`` (its errors stay reported)."""
        for held in (self._raw, self._text, self._python, self._lines):
            held.pop(rel, None)

    def peek(self, rel: str) -> bytes | None:
        """The bytes of ``rel`` (``None`` and an error when unreadable), kept for the
        :meth:`text` call that usually follows, so the file is read once."""
        data = self.read_bytes(rel)
        if data is not None and rel not in self._text:
            self._raw[rel] = data
        return data

    def text(self, rel: str) -> str | None:
        """The decoded text of a file (PEP 263 cookies respected for .py), once per run."""
        if rel in self._text:
            return self._text[rel]
        result: str | None = None
        data = self.read_bytes(rel)
        if data is not None:
            mark = None if rel.endswith(".py") else bom_encoding(data)
            wide = mark if mark is not None and mark[0] != "utf-8" else None
            if wide is not None:
                result = self._decode_wide(rel, data, *wide)
            elif b"\0" in data:
                self.error(rel, "encoding", "binary content (NUL bytes); skipped")
            else:
                result = self._decode(rel, data)
        self._text[rel] = result
        return result

    def lines(self, rel: str) -> list[str]:
        """The lines of a text file, split once per run (``[]`` when unreadable)."""
        if rel not in self._lines:
            text = self.text(rel)
            self._lines[rel] = text.splitlines() if text is not None else []
        return self._lines[rel]

    def _decode_wide(self, rel: str, data: bytes, encoding: str, skip: int) -> str | None:
        """A text file with a UTF-16/32 byte-order mark (``conda env export >`` and
        ``pip freeze >`` in Windows PowerShell write UTF-16), decoded as the mark says."""
        try:
            return data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            self.error(rel, "encoding", f"not valid {encoding} after its byte-order mark: {exc}")
            return None

    def _decode(self, rel: str, data: bytes) -> str | None:
        encoding = "utf-8-sig"
        if rel.endswith(".py"):
            try:
                encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            except SyntaxError as exc:
                if "unknown encoding" in str(exc):
                    self.error(rel, "encoding", f"unknown encoding in the coding line: {exc}")
                    return None
                encoding = "utf-8"  # undecodable first lines: the decode below says where
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
            self.error(
                rel,
                "encoding",
                f"not valid {encoding}: {exc}; add a PEP 263 coding line or re-save as UTF-8",
                line,
            )
            return None

    def python(self, rel: str) -> PyModule | None:
        """The parsed module for a ``.py`` file or the code cells of an ``.ipynb`` notebook."""
        if rel in self._python:
            return self._python[rel]
        module = self._parse_notebook(rel) if rel.endswith(".ipynb") else self._parse_py(rel)
        self._python[rel] = module
        return module

    def _parse_py(self, rel: str) -> PyModule | None:
        source = self.text(rel)
        if source is None:
            return None
        tree = self._ast(rel, source)
        return None if tree is None else PyModule(path=rel, source=source, tree=tree)

    def _ast(self, rel: str, source: str, cell: int | None = None) -> ast.Module | None:
        """The syntax tree of ``source``, errors reported. A module that does not parse is
        recovered where it can be (:func:`_recover`); a notebook cell is the unit instead:
        a broken cell is left out and the other cells are analysed."""
        where = f"cell {cell}, " if cell else ""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source, filename=rel)
        except SyntaxError as exc:
            recovered, skipped = _recover(source, rel, exc) if cell is None else (None, [])
            rest = (
                f"; the rest was analysed without line{'s' if len(skipped) > 1 else ''} "
                + ", ".join(str(n) for n in skipped)
                if recovered is not None
                else ""
            )
            self.error(rel, "syntax", f"{where}cannot parse: {exc.msg}{rest}", exc.lineno)
            return recovered
        except RecursionError:
            self.error(rel, "syntax", f"{where}{TOO_DEEP}")
            return None
        except MemoryError:  # CPython's parser stack overflowing: deep nesting, no message
            self.error(rel, "syntax", f"{where}too complex to parse (nested too deeply); skipped")
            return None
        except ValueError as exc:
            self.error(rel, "syntax", f"{where}cannot parse: {exc}")
            return None
        deepest = _deepest(tree, source)
        if deepest is not None:
            self.error(rel, "syntax", f"{where}{TOO_DEEP}", deepest)
            return None
        return tree

    def _parse_notebook(self, rel: str) -> PyModule | None:
        data = self.json(rel)
        if data is None and any(e.path == rel for e in self.errors):
            return None  # unreadable or invalid JSON: reported
        cells = data.get("cells") if isinstance(data, dict) else None
        if not isinstance(cells, list):
            self.error(rel, "syntax", "not a Jupyter notebook: no 'cells' list")
            return None
        lines: list[str] = []
        mapping: list[tuple[int, int]] = []
        # cells are numbered as Jupyter shows them: the N-th cell of the notebook, whatever
        # its type, so "cell 17" is the 17th cell a reader counts
        for number, cell in enumerate(cells, start=1):
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            text = _cell_source(cell.get("source", ""))
            if text is None:
                self.error(rel, "syntax", f"cell {number}: 'source' is not text; cell skipped")
                continue
            cell_lines = _neutralise_magics(text.splitlines())
            if self._ast(rel, "\n".join(cell_lines), cell=number) is None:
                continue  # reported; the other cells are still analysed
            for i, line in enumerate(cell_lines, start=1):
                lines.append(line)
                mapping.append((number, i))
            if cell_lines and cell_lines[-1].rstrip().endswith("\\"):
                lines.append("")
                mapping.append((number, len(cell_lines) + 1))
        source = "\n".join(lines) + "\n" if lines else ""  # no code cells: no lines
        tree = self._ast(rel, source)
        if tree is None:
            return None
        return PyModule(path=rel, source=source, tree=tree, cells=tuple(mapping))

    def json(self, rel: str) -> Any:
        return self.parse(rel, "json")

    def toml(self, rel: str) -> dict[str, Any] | None:
        value = self.parse(rel, "toml")
        return value if isinstance(value, dict) else None

    def yaml(self, rel: str) -> Any:
        return self.parse(rel, "yaml")

    def parse(self, rel: str, kind: str) -> Any:
        """``rel`` parsed as json, toml or yaml, once; ``None`` (and an error) if bad."""
        key = f"{kind}:{rel}"
        if key in self._data:
            value = self._data[key]
            return None if value is _MISSING else value
        text = self.text(rel)
        value = _MISSING
        if text is not None:
            try:
                if kind == "json":
                    value = json.loads(text)
                elif kind == "toml":
                    value = tomllib.loads(text)
                else:
                    value = _load_yaml(text)
                    size = _expanded_size(value)
                    if size > MAX_YAML_VALUES:
                        self.error(
                            rel,
                            "too-large",
                            f"YAML aliases expand to more than {MAX_YAML_VALUES:,} values "
                            "(a 'billion laughs' document?); skipped",
                        )
                        value = _MISSING
            except json.JSONDecodeError as exc:
                self.error(rel, "syntax", f"invalid JSON: {exc.msg}", exc.lineno)
            except RecursionError:
                self.error(rel, "syntax", f"{kind.upper()} {NESTED_TOO_DEEP}")
            except tomllib.TOMLDecodeError as exc:
                self.error(rel, "syntax", f"invalid TOML: {exc}", _toml_line(exc))
            except Exception as exc:  # yaml.YAMLError and friends
                if type(exc).__name__ == "ConstructorError":
                    # valid YAML with custom tags (!Ref, !!python/...): not ours to judge
                    self._data[key] = _MISSING
                    return None
                mark = getattr(exc, "problem_mark", None)
                line = mark.line + 1 if mark is not None else None
                problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
                self.error(rel, "syntax", f"invalid YAML: {problem}", line)
        self._data[key] = value
        return None if value is _MISSING else value


#: byte-order marks (UTF-32 before UTF-16: its LE mark starts like UTF-16's)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """``(encoding, length of the mark)`` when ``data`` starts with a byte-order mark."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


#: how much larger than ``max-file-size`` a notebook may be: plots and tables saved in its
#: outputs make a 2-5 MB notebook ordinary, and only its cells' code is analysed
NOTEBOOK_FACTOR = 25
NOTEBOOK_NOTE = f"{NOTEBOOK_FACTOR} times max-file-size for a notebook"

#: structured files whose syntax every run checks, so a broken one is reported even when no
#: rule reads it; JSON only outside data directories, YAML only when not a template
STRUCTURED = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".ipynb": "json"}
DATA_DIRS = frozenset({"data", "datasets", "fixtures", "testdata", "test_data"})
#: JSON files whose tools read them as JSON with comments (VS Code settings and launch
#: configurations, dev containers, TypeScript configs): their comments are no syntax error
_JSONC_DIRS = frozenset({".vscode", ".devcontainer"})
_JSONC_NAME_RE = re.compile(r"^(?:devcontainer|\.?[tj]sconfig(?:\.[\w-]+)?|\.eslintrc)\.json$")


def check_syntax(
    repo: Repo, paths: Iterable[str], checked: Callable[[str, str, Callable[[], object]], None]
) -> None:
    """Parse the configuration-like files among ``paths`` so their errors reach the report;
    ``checked(path, what, check)`` runs ``check`` once per content (the facts cache)."""
    for rel in paths:
        suffix = "." + rel.rsplit(".", 1)[-1] if "." in rel else ""
        kind = STRUCTURED.get(suffix)
        if kind is None:
            continue
        if suffix == ".json" and DATA_DIRS.intersection(rel.split("/")[:-1]):
            continue
        if suffix == ".json" and (
            _JSONC_DIRS.intersection(rel.split("/")[:-1])
            or _JSONC_NAME_RE.match(rel.rsplit("/", 1)[-1])
        ):
            continue
        if kind == "yaml":
            text = repo.text(rel)
            if text is None or "{{" in text or "{%" in text:
                continue
        if suffix == ".ipynb":
            checked(rel, "notebook", functools.partial(repo.python, rel))
        else:
            checked(rel, kind, functools.partial(repo.parse, rel, kind))


#: how deep a syntax tree the checks accept: they walk trees recursively, and Python's stack
#: (about 1,000 frames) holds a few frames per level; real code stays far below this
#: what the families see of a file changes with this number (error recovery, below): it is
#: part of the cache's version, so facts computed by an older parser are not replayed
PARSE_GENERATION = 2
#: lines a broken file may lose before recovery gives up (a Python 2 file: one per `print`)
RECOVER_MAX_LINES = 60


def _recover(source: str, rel: str, first: SyntaxError) -> tuple[ast.Module | None, list[int]]:
    """Best effort for a file that does not parse: blank the line each syntax error names
    and parse again, so the rest of the file is still analysed (a merge slip, a missing
    comma, Python 2 ``print`` statements). The error itself is still reported.

    Gives up (``None``) when an error names no line, the same line twice (an unclosed
    bracket reported further down), or more than :data:`RECOVER_MAX_LINES` lines."""
    lines = source.splitlines(keepends=True)
    skipped: list[int] = []
    exc: SyntaxError = first
    while len(skipped) < RECOVER_MAX_LINES:
        number = exc.lineno
        if number is None or not 1 <= number <= len(lines) or number in skipped:
            return None, []
        skipped.append(number)
        lines[number - 1] = _stand_in(lines[number - 1])
        text = "".join(lines)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text, filename=rel)
        except SyntaxError as again:
            exc = again
            continue
        except (RecursionError, MemoryError, ValueError):
            return None, []
        if _deepest(tree, text) is not None:
            return None, []
        return tree, sorted(skipped)
    return None, []


_DEF_RE = re.compile(r"(\s*)(?:async\s+)?def\s+(\w+)")
_CLASS_RE = re.compile(r"(\s*)class\s+(\w+)")
_OPENER_RE = re.compile(r"(\s*)(?:if|for|while|with)\b")


def _stand_in(line: str) -> str:
    """What replaces a line that does not parse: a block's header keeps its block (a ``def``
    with a broken signature still holds its body), anything else becomes an empty line."""
    if not line.split("#", 1)[0].rstrip().endswith(":"):
        return "\n"
    if match := _DEF_RE.match(line):
        return f"{match[1]}def {match[2]}(*args, **kwargs):\n"
    if match := _CLASS_RE.match(line):
        return f"{match[1]}class {match[2]}:\n"
    if match := _OPENER_RE.match(line):
        return f"{match[1]}if True:\n"
    return "\n"


MAX_AST_DEPTH = 150
TOO_DEEP = (
    f"expressions nested more than {MAX_AST_DEPTH} levels deep (generated code?); "
    "too deep to analyse, skipped"
)


def _deepest(tree: ast.Module, source: str) -> int | None:
    """The line where ``tree`` gets deeper than :data:`MAX_AST_DEPTH`, or ``None``.

    Walking every node of every file cost as much as parsing it, so statements are walked
    only where they could be that deep: every level of an expression takes at least one
    character of source, give or take the wrappers between them (``arguments``, ``keyword``,
    the load/store context), so a simple statement of ``n`` characters is at most ``2n + 2``
    levels deep and only longer ones are walked node by node. Compound statements are
    descended statement by statement.
    """
    ends = [0]
    for text in source.splitlines(keepends=True):
        ends.append(ends[-1] + len(text))

    def span(node: ast.AST) -> int:
        first = getattr(node, "lineno", 1)
        last = getattr(node, "end_lineno", None) or first
        return ends[min(last, len(ends) - 1)] - ends[min(first, len(ends) - 1) - 1]

    stack: list[tuple[ast.AST, int]] = [(stmt, 1) for stmt in tree.body]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_AST_DEPTH:
            line = getattr(node, "lineno", None)
            return line if isinstance(line, int) else 1
        if depth + 2 * span(node) + 2 <= MAX_AST_DEPTH:
            continue
        for name, value in ast.iter_fields(node):
            children = value if isinstance(value, list) else [value]
            for child in children:
                if not isinstance(child, ast.AST):
                    continue
                if name in _BLOCKS or isinstance(child, ast.stmt):
                    stack.append((child, depth + 1))
                else:
                    found = _deepest_expression(child, depth + 1)
                    if found is not None:
                        return found
    return None


#: the fields of compound statements that hold statements (or handlers and cases)
_BLOCKS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})


def _deepest_expression(node: ast.AST, start: int) -> int | None:
    stack: list[tuple[ast.AST, int]] = [(node, start)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_AST_DEPTH:
            line = getattr(node, "lineno", None)
            return line if isinstance(line, int) else 1
        # contexts and operators are leaves: leaving them out changes no depth that matters
        stack.extend((child, depth + 1) for child in children(node))
    return None


def _cell_source(raw: Any) -> str | None:
    """A notebook cell's source (a string or a list of strings), ``None`` when it is neither."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list) and all(isinstance(part, str) for part in raw):
        return "".join(raw)
    return None


NESTED_TOO_DEEP = "nested too deeply to read (deeper than Python's recursion limit); skipped"
#: no real YAML file holds this many values once its aliases are expanded (a 1 MB file without
#: aliases holds at most about 500,000), but a 'billion laughs' bomb of a few lines does
MAX_YAML_VALUES = 1_000_000


def _expanded_size(value: Any) -> int:
    """How many values ``value`` holds with every alias expanded, counted without expanding.

    YAML aliases make shared references, so a small document can stand for billions of values;
    anything that walks it would. Each distinct container is sized once (memoised by
    identity), iteratively; the count saturates at :data:`MAX_YAML_VALUES` + 1.
    """
    sizes: dict[int, int] = {}
    visiting: set[int] = set()  # containers whose children are being sized: the current path
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        node, expanded = stack.pop()
        if not isinstance(node, dict | list) or id(node) in sizes:
            continue
        if not expanded and id(node) in visiting:
            return MAX_YAML_VALUES + 1  # a recursive alias (&a [*a]): infinitely many
        children = list(node.values()) + list(node.keys()) if isinstance(node, dict) else node
        containers = [c for c in children if isinstance(c, dict | list)]
        if not expanded:
            visiting.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in containers if id(c) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(c), 1) if isinstance(c, dict | list) else 1 for c in children)
        sizes[id(node)] = min(total, MAX_YAML_VALUES + 1)
        visiting.discard(id(node))
    return sizes.get(id(value), 1)


def _load_yaml(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    documents = list(yaml.load_all(text, Loader=loader))
    return documents[0] if len(documents) == 1 else documents


def _toml_line(exc: Exception) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


def _neutralise_magics(lines: list[str]) -> list[str]:
    """Replace IPython magics and shell escapes with ``pass`` so cells parse; keeps line count."""
    out = []
    in_cell_magic = bool(lines) and lines[0].lstrip().startswith("%%")
    for line in lines:
        if in_cell_magic or _MAGIC_RE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}pass  # magic: {line.strip()[:60]}")
        elif re.match(r"^\s*\w+\s*=\s*[!%]", line):
            name = line.split("=", 1)[0]
            out.append(f"{name}= None  # magic")
        else:
            out.append(line)
    return out
