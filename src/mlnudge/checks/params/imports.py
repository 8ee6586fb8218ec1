"""The project's own helpers imported by module name (``from utils import save_artifact``, ``from
src.utils.storage import StorageManager``).

A script of a repository without packages imports its helpers from a sibling module; a bare file
name handed to such a helper (``save_artifact(model, "model.pkl")``) is a name, the helper holds
the folder. Whether ``utils`` is the project's is a question about the file listing, so each
Python file's ``from <name> import ...`` lines are a text fact (a regular expression, cached by
content, no parse) and the family resolves them against the listing: a module is the project's
when ``<name>.py`` or ``<name>/__init__.py`` sits beside the file or at the repository root
(``src/utils/storage.py`` for a dotted name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

from mlnudge.facts.access import FileFacts

#: ``from utils import save_artifact, load as load_model`` (the first line of the import),
#: also from a dotted module (``from src.utils.storage import StorageManager``)
_FROM_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+([A-Za-z_][\w.]*)[ \t]+import[ \t]+\(?[ \t]*([^\n#()]+)", re.MULTILINE
)
#: ``import data`` / ``import data as d``: the module itself, no names
_PLAIN_IMPORT = re.compile(
    r"^[ \t]*import[ \t]+([A-Za-z_]\w*)(?:[ \t]+as[ \t]+[A-Za-z_]\w*)?[ \t]*(?:#.*)?$",
    re.MULTILINE,
)


def flat_imports(text: str) -> list[list[object]]:
    """Every ``from <module> import a, b as c``: ``[module, names]`` (the names the file
    calls: ``c`` for ``b as c``; the module dotted or not); every ``import <module>`` of a
    one-part module as ``[module, []]`` (the module is used, no name of it is called bare)."""
    found: list[list[object]] = []
    for match in _FROM_IMPORT.finditer(text):
        names: list[str] = []
        for part in match.group(2).split(","):
            words = part.split()
            if not words or words[0] == "*":
                continue
            name = words[-1] if len(words) == 3 and words[1] == "as" else words[0]
            if name.isidentifier():
                names.append(name)
        if names:
            found.append([match.group(1), names])
    found.extend([match.group(1), []] for match in _PLAIN_IMPORT.finditer(text))
    return found


IMPORT_FACTS = FileFacts(flat_imports, "3", text=True)


def own_helpers(path: str, rows: Iterable[list[object]], files: Collection[str]) -> tuple[str, ...]:
    """The names ``path`` imports from a module of the project (beside it or at the root); from
    a dotted module of the project only its classes (``from src.utils.storage import
    StorageManager``: the object a method call of which reads the project's own folders)."""
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    found: set[str] = set()
    for row in rows:
        module, names = row[0], row[1]
        if not isinstance(module, str) or not isinstance(names, list):
            continue
        module = module.replace(".", "/")  # ``src.utils.storage``: ``src/utils/storage.py``
        places = {f"{folder}{module}.py", f"{folder}{module}/__init__.py"}
        places |= {f"{module}.py", f"{module}/__init__.py"}
        if any(place in files for place in places):
            dotted = "/" in module
            found.update(str(n) for n in names if not dotted or str(n)[:1].isupper())
    return tuple(sorted(found))


def imported_modules(
    scripts: Iterable[str], rows_of: Callable[[str], object], files: Collection[str]
) -> frozenset[str]:
    """The project's modules that another of ``scripts`` imports by a one-part name (``from
    data import load_data`` or ``import data`` beside it or at the root), or by a dotted name
    through folders without ``__init__.py`` (``from model.ConvCell import ConvCell``: a
    namespace folder, no package to say the module is a library's): a helper module of the
    code, whatever its ``__main__`` block does when run by hand."""
    found: set[str] = set()
    for script in scripts:
        rows = rows_of(script)
        if not isinstance(rows, list):
            continue
        folder = script.rsplit("/", 1)[0] + "/" if "/" in script else ""
        for row in rows:
            if not isinstance(row, list) or not row or not isinstance(row[0], str):
                continue
            module = row[0].replace(".", "/")
            for place in (f"{folder}{module}.py", f"{module}.py"):
                if place in files and place != script and _namespace(place, module, files):
                    found.add(place)
    return frozenset(found)


def _namespace(place: str, module: str, files: Collection[str]) -> bool:
    """Whether none of the folders a dotted module is reached through holds ``__init__.py``
    (a one-part module has none)."""
    folders = place[: -len(module) - 3] if place.endswith(f"{module}.py") else ""
    parts = module.split("/")[:-1]
    return not any(
        f"{folders}{'/'.join(parts[: i + 1])}/__init__.py" in files for i in range(len(parts))
    )
