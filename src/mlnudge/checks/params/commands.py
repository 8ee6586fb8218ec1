"""Settings a Python driver passes on the command line of a project script (MLN201/202/203/204).

A driver that runs ``python ./src/train.py --class_ratio={class_ratio} --lr 0.001`` through
``os.system`` or ``subprocess`` fixes that run's settings in code, exactly as the script would
with ``class_ratio = 2`` of its own: the flag names the setting, whatever the driver's variable
is called. So each command a module hands to a shell (an f-string, ``%``, ``.format``, ``+``,
or a list ``argv``, also through a variable or a list a loop unpacks) is read as a sequence of
tokens, and every ``--flag`` paired with a value is a setting of that run:

* a number written in the command, bound to a name before the call (``max_epochs = 10``) or
  listed for a loop (``for seed in [7, 77]:``) is reported under the flag's name;
* a string that is a location (``--train_csv ./eda/train.csv``) is a path (MLN202).

Only commands that run a Python script (a ``*.py`` token or ``-m module``) count, never an
evaluation or prediction script (its batch size changes no result), and never flags that
name infrastructure (workers, devices, cores, logging intervals, ids).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from mlnudge.checks.params import paths as P
from mlnudge.checks.params import tables as T
from mlnudge.facts.syntax import scope_nodes

#: calls that hand a command to the system (short names; the argument decides the rest)
RUNNERS = frozenset(
    {"system", "popen", "run", "call", "check_call", "check_output", "Popen", "getoutput"}
)
_ROOTS = frozenset({"os", "subprocess", "sp", "sub", "commands"})
_FLAG = re.compile(r"^--?[A-Za-z][\w.-]*$")
_NUMBER = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_PERCENT = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdifgrexXo]")
_BRACES = re.compile(r"\{([^{}]*)\}")
#: modules run with ``python -m`` that are tools, not the project's scripts
_TOOL_MODULES = frozenset(
    {
        "pip",
        "pytest",
        "unittest",
        "black",
        "ruff",
        "flake8",
        "mypy",
        "isort",
        "pylint",
        "coverage",
        "uvicorn",
        "gunicorn",
        "streamlit",
        "mlflow",
        "jupyter",
        "nbconvert",
        "ipykernel",
        "http",
        "venv",
        "spacy",
        "nltk",
        "torch",
        "tensorboard",
        "dvc",
        "build",
        "twine",
        "accelerate",
        "deepspeed",
    }
)
#: scripts whose settings change no trained result
_EVALUATION = re.compile(r"predict|infer|test|eval|plot|visuali[sz]|submi|score|demo", re.I)
#: words of flags that tune no model: where and how the run executes, how it reports
_INFRASTRUCTURE = frozenset(
    {
        "gpu",
        "gpus",
        "cuda",
        "device",
        "devices",
        "worker",
        "workers",
        "core",
        "cores",
        "cpu",
        "cpus",
        "thread",
        "threads",
        "proc",
        "procs",
        "process",
        "processes",
        "nproc",
        "np",
        "node",
        "nodes",
        "rank",
        "port",
        "host",
        "log",
        "logging",
        "save",
        "print",
        "verbose",
        "verbosity",
        "debug",
        "dev",
        "fold",
        "folds",
        "index",
        "idx",
        "id",
        "exp",
        "name",
        "version",
        "interval",
        "every",
        "freq",
        "frequency",
        "reload",
        "resume",
        "start",
        "from",
        "mode",
        "tune",
    }
)


@dataclass(frozen=True)
class Text:
    """Literal text of a command and the string constant it is written in."""

    text: str
    node: ast.expr


#: a command as written: literal text and the expressions interpolated between it
Piece = Text | ast.expr


@dataclass(frozen=True)
class Passed:
    """A flag and what the command passes to it: literal text or an expression."""

    flag: str
    value: Text | ast.expr


def is_runner(callee: str) -> bool:
    short = callee.rsplit(".", 1)[-1]
    root = callee.split(".", 1)[0]
    return short in RUNNERS and (root in _ROOTS or callee == short)


def flag_setting(flag: str) -> str | None:
    """``--init-batch-size`` -> ``init_batch_size``; ``None`` for infrastructure flags."""
    name = flag.lstrip("-").replace("-", "_").replace(".", "_").lower()
    words = set(name.split("_"))
    if name in ("folds", "n_fold", "num_fold", "nfold") or name.endswith("_folds"):
        words.discard("fold")  # how many folds, not which one
    if not name or name in T.NOT_HYPERPARAMETERS or words & _INFRASTRUCTURE:
        return None
    return name


def binding(scope: ast.AST, name: str, line: int) -> ast.expr | None:
    """The value ``name`` last holds before ``line`` in ``scope``: an assignment's value, or
    the iterable of a ``for`` loop whose target it is (its items)."""
    best: tuple[int, ast.expr] | None = None
    for node in scope_nodes(scope):
        found: ast.expr | None = None
        if (
            isinstance(node, ast.Assign)
            and node.lineno < line
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        ):
            found = node.value
        elif (
            isinstance(node, ast.For)
            and node.lineno < line
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            found = ast.Starred(value=node.iter)  # marks "an item of"
        elif (
            isinstance(node, ast.For)
            and node.lineno < line
            and isinstance(node.target, ast.Tuple)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.target.elts)
        ):
            # ``for arch, lr, bs in runs:``: column ``lr`` of each row the loop unpacks
            column = next(
                i
                for i, t in enumerate(node.target.elts)
                if isinstance(t, ast.Name) and t.id == name
            )
            found = ast.copy_location(
                ast.Subscript(value=ast.Starred(value=node.iter), slice=ast.Constant(value=column)),
                node.target,
            )
        if (
            found is not None
            and isinstance(node, ast.stmt)
            and (best is None or node.lineno >= best[0])
        ):
            best = (node.lineno, found)
    return best[1] if best is not None else None


def pieces(node: ast.expr, scope: ast.AST, line: int, depth: int = 0) -> list[Piece] | None:
    """The command ``node`` builds, as text and interpolated expressions (``None``: not a
    command we can read)."""
    if depth > 4:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [Text(node.value, node)]
    if isinstance(node, ast.JoinedStr):
        out: list[Piece] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.append(Text(value.value, node))
            elif isinstance(value, ast.FormattedValue):
                out.append(value.value)
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        # a chain of ``+`` nests one level per piece: the depth counts names followed
        left = pieces(node.left, scope, line, depth)
        right = pieces(node.right, scope, line, depth)
        if left is None and right is None:
            return None
        return (left or [node.left]) + (right or [node.right])
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    ):
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        return _interleave(_PERCENT.split(node.left.value), list(values), node.left)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        template = node.func.value.value
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        fields = _BRACES.findall(template)
        args: list[ast.expr] = []
        for position, field in enumerate(fields):
            key = field.split(":", 1)[0].split("!", 1)[0]
            if key.isdigit() and int(key) < len(node.args):
                args.append(node.args[int(key)])
            elif key in keywords:
                args.append(keywords[key])
            elif not key and position < len(node.args):
                args.append(node.args[position])
            else:
                args.append(ast.Constant(value=None))
        return _interleave(_BRACES.split(template)[::2], args, node.func.value)
    if isinstance(node, ast.List | ast.Tuple):
        out = []
        for element in node.elts:
            part = pieces(element, scope, line, depth + 1)
            out.extend(part if part is not None else [element])
            out.append(Text(" ", node))
        return out
    if isinstance(node, ast.Name):
        bound = binding(scope, node.id, line)
        if bound is None or isinstance(bound, ast.Starred):
            return None
        found = pieces(bound, scope, bound.lineno, depth + 1)
        for extra in _appended(scope, node.id, bound.lineno, line):
            more = pieces(extra, scope, line, depth + 1)
            if found is not None:
                found += more or [extra]
        return found
    return None


def _interleave(texts: list[str], args: list[ast.expr], where: ast.expr) -> list[Piece]:
    out: list[Piece] = []
    for index, text in enumerate(texts):
        out.append(Text(text, where))
        if index < len(args):
            out.append(args[index])
    return out


def _appended(scope: ast.AST, name: str, after: int, before: int) -> list[ast.expr]:
    """``cmd += f" --lr {lr}"`` between the binding of ``cmd`` and its use."""
    return [
        node.value
        for node in scope_nodes(scope)
        if isinstance(node, ast.AugAssign)
        and isinstance(node.op, ast.Add)
        and isinstance(node.target, ast.Name)
        and node.target.id == name
        and after < node.lineno < before
    ]


def commands(node: ast.expr, scope: ast.AST, line: int) -> list[list[Piece]]:
    """The commands a runner's argument stands for: one, or one per ``argv`` list that a loop
    over a literal list of lists hands to it (``for cmd in cmds: subprocess.run(cmd)``)."""
    if isinstance(node, ast.Name):
        bound = binding(scope, node.id, line)
        if isinstance(bound, ast.Starred):
            items = bound.value
            if isinstance(items, ast.Name):
                resolved = binding(scope, items.id, line)
                items = resolved if isinstance(resolved, ast.expr) else items
            if isinstance(items, ast.List | ast.Tuple):
                each = [pieces(item, scope, line) for item in items.elts]
                return [f for f in each if f]
            return []
    found = pieces(node, scope, line)
    return [found] if found else []


def script_of(command: list[Piece]) -> str | None:
    """The Python script (or ``-m`` module) a command runs."""
    previous = ""
    for piece in command:
        if not isinstance(piece, Text):
            previous = ""
            continue
        for raw in piece.text.split():
            token = raw.strip("\"'")
            if token.endswith(".py") and "://" not in token:
                return token
            if previous == "-m" and re.match(r"^[A-Za-z_][\w.]*$", token):
                # ``python -m pip install``, ``-m torch.distributed.run``: a tool, not the project
                return None if token.split(".", 1)[0] in _TOOL_MODULES else token
            previous = token
    return None


def passed(command: list[Piece]) -> list[Passed]:
    """``--flag value`` / ``--flag=value`` pairs of a command, in order."""
    out: list[Passed] = []
    flag: str | None = None
    for piece in command:
        if not isinstance(piece, Text):
            if flag is not None:
                out.append(Passed(flag, piece))
            flag = None
            continue
        text = piece.text
        for token in re.findall(r"\S+", text):
            bare = token.strip("\"'")
            name, equals, rest = bare.partition("=")
            if _FLAG.match(name) and not _NUMBER.match(name):
                flag = name
                if equals and rest:
                    out.append(Passed(name, Text(rest.strip("\"'"), piece.node)))
                    flag = None
                continue
            if flag is not None and bare:
                out.append(Passed(flag, Text(bare, piece.node)))
            flag = None
    return out


def evaluation_script(script: str) -> bool:
    stem = re.split(r"[\\/]", script)[-1]
    return bool(_EVALUATION.search(stem))


def number_text(text: str) -> bool:
    return bool(_NUMBER.match(text))


def path_text(text: str) -> str | None:
    """The location a flag's literal value names, if any."""
    if number_text(text) or not text:
        return None
    node = ast.Constant(value=text)
    return P.path_literal(node)
