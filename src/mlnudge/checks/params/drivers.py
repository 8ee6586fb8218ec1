"""Reporting what a driver passes on a project script's command line (see :mod:`.commands`).

A mixin of :class:`~mlnudge.checks.params.analysis.Analyser`: :meth:`DriverCommands._driver`
reads the command a ``os.system``/``subprocess`` call runs and reports each setting it passes
under the flag's name, at the literal (in the command, or where the name it interpolates was
bound).
"""

from __future__ import annotations

import ast

from mlnudge.checks.params import commands as C
from mlnudge.checks.params import paths as P
from mlnudge.checks.params.mappings import MappingLiterals

#: words of a flag that takes a file or folder (a model id under ``backbone`` is none)
_PATH_FLAG_WORDS = frozenset({"file", "files", "prefix", "dir", "folder", "path", "csv", "output"})
#: words of a flag that takes the run's parameter file
_CONFIG_FLAG_WORDS = frozenset({"config", "cfg", "conf", "hparams", "params", "settings", "yaml"})
#: a loop's items stand for one setting: reported once, as the list
_ITEMS = ast.List | ast.Tuple


class DriverCommands(MappingLiterals):
    """Settings of the runs a driver starts: the flags of its commands."""

    #: the module's source lines (a literal is shown as written)
    lines: list[str]
    #: constants made for values inside a command's text: kept alive, as their ids mark them
    #: handled (a freed node's id would be reused by the next one)
    _made: list[ast.expr] | None = None
    #: the command being read runs a prediction or evaluation script
    _evaluating: bool = False

    def _driver(self, node: ast.Call, callee: str) -> None:
        if not C.is_runner(callee) or not (node.args or node.keywords):
            return
        argument = node.args[0] if node.args else node.keywords[0].value
        scope = self.functions[-1] if self.functions else self.module.tree
        for command in C.commands(argument, scope, node.lineno):
            script = C.script_of(command)
            if script is None:
                continue  # not a Python script
            # a prediction script's numbers change no trained result; its inputs are places
            self._evaluating = C.evaluation_script(script)
            shown = script.replace("\\", "/").rsplit("/", 1)[-1]
            for setting in C.passed(command):
                name = C.flag_setting(setting.flag)
                if name is not None:
                    self._passed(setting, name, shown, scope, node.lineno)

    def _passed(self, setting: C.Passed, name: str, script: str, scope: ast.AST, line: int) -> None:
        value = setting.value
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in ("str", "repr", "float", "int")
            and len(value.args) == 1
        ):
            value = value.args[0]  # ``str(lr)``
        if isinstance(value, ast.Name):
            bound = C.binding(scope, value.id, line)
            if isinstance(bound, ast.Starred):  # ``for seed in [7, 77]:`` / ``in SEEDS``
                items = bound.value
                if isinstance(items, ast.Name):
                    items = C.binding(scope, items.id, line) or items
                if not (isinstance(items, _ITEMS) and all(_number(e) for e in items.elts)):
                    return
                if len(items.elts) < 2:
                    return  # ``for w in [1.0]``: one value, written where it is passed
                value = items
            elif isinstance(bound, ast.Subscript):  # ``lang = row[0]``, ``row`` from a loop
                self._row_values(
                    setting=setting, name=name, script=script, scope=scope, line=line, item=bound
                )
                return
            elif bound is not None:
                value = bound
            else:
                return
        site = (
            f"the `{setting.flag}` flag of the `{script}` command",
            f"{self.module.path}:{line}:{setting.flag}",
            f"{self.where}:{setting.flag}",
        )
        if isinstance(value, C.Text):
            located = self._locate(value, setting.flag)
            if located is None:
                return
            value = located
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            self._passed_path(value, name, site)
            return
        if self._evaluating or not (
            _number(value)
            or (isinstance(value, _ITEMS) and value.elts and all(_number(e) for e in value.elts))
        ):
            return  # ``[f"{folder}/part.pkl"]``: not a number the run is given
        classified = self.classify(name)
        if _switch(value) and classified is None:
            return  # ``--val_tune=1``: a switch unless the flag names a setting
        kind, canonical = classified if classified is not None else ("hp", name)
        self._value(kind, canonical, value, site, key=name)

    def _row_values(
        self,
        *,
        setting: C.Passed,
        name: str,
        script: str,
        scope: ast.AST,
        line: int,
        item: ast.Subscript,
    ) -> None:
        """``for row in runs: lang = row[0]`` (or ``for lang, lr in runs:``) then
        ``--lang={lang}``: the column of a table of runs the loop unpacks, each row's value a
        setting of its own run. ``lr = rates[i]`` with ``i`` counting the runs: the list."""
        if isinstance(item.value, ast.Name) and isinstance(item.slice, ast.Name):
            self._indexed_values(
                setting=setting, name=name, script=script, scope=scope, line=line, item=item
            )
            return
        if not (
            isinstance(item.value, ast.Name | ast.Starred)
            and isinstance(item.slice, ast.Constant)
            and type(item.slice.value) is int
        ):
            return
        column = item.slice.value
        looped = (
            item.value
            if isinstance(item.value, ast.Starred)
            else C.binding(scope, item.value.id, line)
        )
        if not isinstance(looped, ast.Starred):
            return
        rows = looped.value
        if isinstance(rows, ast.Name):
            rows = C.binding(scope, rows.id, line) or rows
        if not isinstance(rows, _ITEMS):
            return
        for row in rows.elts:
            if isinstance(row, _ITEMS) and len(row.elts) > column:
                self._passed(C.Passed(setting.flag, row.elts[column]), name, script, scope, line)

    def _indexed_values(
        self,
        *,
        setting: C.Passed,
        name: str,
        script: str,
        scope: ast.AST,
        line: int,
        item: ast.Subscript,
    ) -> None:
        """``learning_rate = learning_rates[exp_cnt]`` with ``exp_cnt`` a loop's counter, then
        ``-l {learning_rate}``: the list of numbers is the values the runs are given (reported
        once, as a loop over it would be)."""
        assert isinstance(item.value, ast.Name) and isinstance(item.slice, ast.Name)
        counter = C.binding(scope, item.slice.id, line)
        if not isinstance(counter, ast.Starred | ast.Subscript):
            return  # ``rates[best]``: one value picked, not a run per value
        values = C.binding(scope, item.value.id, line)
        if isinstance(values, _ITEMS) and len(values.elts) > 1:
            self._passed(C.Passed(setting.flag, values), name, script, scope, line)

    def _passed_path(self, value: ast.Constant, name: str, site: tuple[str, str, str]) -> None:
        text = C.path_text(str(value.value))
        if text is None or set(name.split("_")) & _CONFIG_FLAG_WORDS:
            return  # ``--config configs/exp1.yaml``: the run's parameter file, not its data
        where, group, anchor = site
        named = (
            P.is_path_name(name)
            or P.names_data_file(name, text)
            or bool(set(name.split("_")) & _PATH_FLAG_WORDS)  # ``model_file_prefix``
        )
        if self._is_location(value, text, named=named):
            self._path(value, text, where, group, anchor, direction=None)

    def _locate(self, text: C.Text, flag: str) -> ast.Constant | None:
        """A constant standing for ``text.text`` where it is written after ``flag`` in the
        source (its own position, so the finding shows the value as written)."""
        raw = text.text
        number: str | int | float = raw
        if C.number_text(raw):
            number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        node = text.node
        first, last = node.lineno, node.end_lineno or node.lineno
        for lineno in range(first, last + 1):
            if lineno > len(self.lines):
                break
            source = self.lines[lineno - 1]
            at = source.find(flag)
            while at >= 0:
                col = source.find(raw, at + len(flag))
                if col >= 0:
                    start = len(source[:col].encode("utf-8"))
                    found = ast.Constant(value=number)
                    found.lineno = found.end_lineno = lineno
                    found.col_offset = start
                    found.end_col_offset = start + len(raw.encode("utf-8"))
                    if self._made is None:
                        self._made = []
                    self._made.append(found)
                    return found
                at = source.find(flag, at + 1)
        return None


def _number(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    )


def _switch(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value in (0, 1)
