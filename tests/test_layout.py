"""The package's layout: layers that import only downwards, and no import cycle anywhere.

Every import counts, the ones inside functions too: a function-local import may keep a heavy
module off the hook path, but it must not hide a cycle. The layers are the table of
docs/engine.md ("Layout").
"""

from __future__ import annotations

import ast
from pathlib import Path

from mlnudge_testing import ROOT

SRC = ROOT / "src"

#: top to bottom; a module's layer is the first whose prefix matches its dotted name
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry", ("mlnudge.entry", "mlnudge.__main__")),
    (
        "commands",
        ("mlnudge.cli", "mlnudge.github", "mlnudge.deps_cli", "mlnudge.diffbase", "mlnudge.docs"),
    ),
    ("engine", ("mlnudge.runner", "mlnudge.config", "mlnudge.targets")),
    ("registry", ("mlnudge.checks:package",)),
    ("families", ("mlnudge.checks.",)),
    ("facts", ("mlnudge.facts", "mlnudge.project")),
    (
        "basics",
        (
            "mlnudge.settings",
            "mlnudge.rules",
            "mlnudge.finding",
            "mlnudge.report",
            "mlnudge.memo",
            "mlnudge.redact",
            "mlnudge.isolation",
            "mlnudge.selfcode",
            "mlnudge:package",
        ),
    ),
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "mlnudge").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _imports(name: str) -> set[str]:
    """The mlnudge modules ``name`` imports, anywhere in its body (not its parent packages)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if _is_package(name) else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from pkg import sub`` imports the submodule when there is one
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        else:
            continue
        for written in targets:
            target = written
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target.startswith("mlnudge") and target != name:
                out.add(target)
    return out


GRAPH = {name: _imports(name) for name in MODULES}


def _layer(name: str) -> int:
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            exact, _, kind = prefix.partition(":")
            if kind == "package":
                if name == exact:
                    return index
            elif (
                name == prefix
                or name.startswith(prefix if prefix.endswith(".") else prefix + ".")
                or name == prefix.rstrip(".")
            ):
                return index
    raise AssertionError(f"{name} is in no layer of docs/engine.md's table")


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        _layer(name)


def test_imports_go_down_the_layers() -> None:
    upward = [
        f"{name} ({LAYERS[_layer(name)][0]}) imports {target} ({LAYERS[_layer(target)][0]})"
        for name, targets in GRAPH.items()
        for target in targets
        if _layer(target) < _layer(name)
    ]
    assert upward == []


def test_no_import_cycle_even_through_function_local_imports() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done

    def visit(name: str, stack: list[str]) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [])
    assert cycles == []


def test_the_graph_is_read_as_imports_are_written() -> None:
    # the reader itself: a family imports the registry's base, the CLI imports the engine
    assert "mlnudge.checks.base" in GRAPH["mlnudge.checks.params"]
    assert "mlnudge.runner" in GRAPH["mlnudge.cli"]  # a function-local import counts
    assert "mlnudge.checks.params.tables" in GRAPH["mlnudge.checks.params.analysis"]


def test_no_module_is_over_900_lines() -> None:
    # split by meaning before a module grows past what a reader holds in mind (docs/engine.md)
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 900
    }
    assert long == {}
