"""What a model definition, a fold loop and a drawing function show about their numbers.

Three readings of the code around a literal, each a pure function of the syntax tree:

* :func:`hidden_widths`: the hidden widths of a fully connected network the application
  defines (``Dense(64)``, ``nn.Linear(n_in, 256)``): what people tune when they tune a small
  network. A network with convolutions keeps its shapes as architecture, and the last layer of
  a stack is its output (fixed by the task: ``Dense(1)``, ``nn.Linear(256, n_classes)``).
* :func:`fold_count`: ``for fold in range(5):`` runs five folds, as ``KFold(5)`` would.
* :func:`draws_only`: a function that draws and hands back nothing but the picture; its
  numbers (a t-SNE's perplexity, a PCA to two components) are the picture's, whatever the
  function is called.
"""

from __future__ import annotations

import ast
import re

from mlnudge.checks.params.paths import callee_name
from mlnudge.checks.params.syntax import drawing_call, is_int
from mlnudge.project import split_words

#: fully connected layers -> (position of the width, keyword of the width)
_DENSE: dict[str, tuple[int, str]] = {"Dense": (0, "units"), "Linear": (1, "out_features")}
#: layers that make a network convolutional: its shapes are then architecture (on the dev
#: corpus every convolutional network's widths were labelled architecture, not settings)
_CONV = re.compile(r"^(Conv|SeparableConv|DepthwiseConv)\w*$|^ConvTranspose\w*$")
_CONTAINERS = (ast.List, ast.Tuple)


def _dense(call: ast.Call) -> tuple[ast.expr, str] | None:
    """The width argument of a fully connected layer and its keyword, if written."""
    short = callee_name(call.func).rsplit(".", 1)[-1]
    spec = _DENSE.get(short)
    if spec is None:
        return None
    index, keyword = spec
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value, keyword
    if index < len(call.args):
        return call.args[index], keyword
    return None


def _model_scopes(tree: ast.Module) -> list[list[ast.AST]]:
    """The top-level functions and classes one by one, and the module's other statements
    together (a script that builds its network at the top level)."""
    scopes: list[list[ast.AST]] = []
    loose: list[ast.AST] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            scopes.append([stmt])
        else:
            loose.append(stmt)
    return [*scopes, loose]


def hidden_widths(tree: ast.Module) -> dict[int, str]:
    """``id(width literal) -> key`` (the width's keyword and the layer's place in its stack,
    ``units_2``) of the hidden layers of the module's fully connected
    networks: per top-level function or class, the ``Dense``/``Linear`` layers when none of
    its layers is a convolution, except the last layer of each stack (a ``Sequential`` list
    or call, else the whole function or class), which is the output. A module that defines
    three networks or more (``nn.Module`` subclasses) is a model zoo: its shapes are the
    published architectures'."""
    found: dict[int, str] = {}
    networks = sum(
        1
        for stmt in tree.body
        if isinstance(stmt, ast.ClassDef)
        and any(callee_name(base).endswith("Module") for base in stmt.bases)
    )
    if networks >= 3:
        return found
    for scope in _model_scopes(tree):
        calls = [n for stmt in scope for n in ast.walk(stmt) if isinstance(n, ast.Call)]
        if any(_CONV.match(callee_name(c.func).rsplit(".", 1)[-1]) for c in calls):
            continue
        layers = [c for c in calls if _dense(c) is not None]
        if not layers:
            continue
        # the stack each layer belongs to: the list or call that holds it, else the scope
        stacks: dict[int, list[ast.Call]] = {}
        held: set[int] = set()
        for node in (n for stmt in scope for n in ast.walk(stmt)):
            members = (
                node.elts
                if isinstance(node, _CONTAINERS)
                else node.args
                if isinstance(node, ast.Call)
                and callee_name(node.func).rsplit(".", 1)[-1] == "Sequential"
                else []
            )
            stack = [m for m in members if isinstance(m, ast.Call) and _dense(m) is not None]
            if stack:
                stacks[id(node)] = stack
                held.update(id(m) for m in stack)
        free = [c for c in layers if id(c) not in held]
        if free:
            stacks[0] = free
        for stack in stacks.values():
            ordered = sorted(stack, key=lambda c: (c.lineno, c.col_offset))
            for place, call in enumerate(ordered[:-1], start=1):
                width = _dense(call)
                if width is not None and is_int(width[0]) and _above_one(width[0]):
                    # ``units_1``, ``units_2``: one key per hidden layer of the stack
                    found[id(width[0])] = f"{width[1]}_{place}"
    return found


def _above_one(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and node.value > 1


def fold_count(node: ast.For | ast.AsyncFor) -> ast.expr | None:
    """``for fold in range(5):``: the literal fold count of a loop over folds (a loop
    variable with the word ``fold``, ``range`` of one literal of at least 2)."""
    target = node.target
    if not isinstance(target, ast.Name) or not split_words(target.id) & {"fold", "kfold"}:
        return None
    it = node.iter
    if not (isinstance(it, ast.Call) and callee_name(it.func) == "range" and len(it.args) == 1):
        return None
    count = it.args[0]
    return count if _above_one(count) else None


def draws_only(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function that draws (a plotting library's call) and hands back nothing but the
    drawing: it trains and writes nothing (no ``.fit(``, ``.train(``, ``.backward(``, no
    ``save``/``dump``/``to_csv``: a figure's ``savefig`` is the picture), returns no value
    other than ``None``, a drawing call or a name bound from one (``fig, ax =
    plt.subplots()``), and yields nothing. Its numbers shape the picture."""
    drawn: set[str] = set()
    draws = False
    for sub in ast.walk(function):
        if isinstance(sub, ast.Yield | ast.YieldFrom):
            return False
        if isinstance(sub, ast.Call):
            short = callee_name(sub.func).rsplit(".", 1)[-1]
            writes = short.startswith(("save", "dump", "to_", "write")) and short != "savefig"
            if short in _MAKING or writes:
                return False
            draws = draws or _drawing(sub)
        if isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Call) and _drawing(sub.value):
            for target in sub.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        drawn.add(name.id)
    if not draws:
        return False
    for sub in ast.walk(function):
        if isinstance(sub, ast.Return) and not _picture(sub.value, drawn):
            return False
    return True


#: calls that make, score or keep a result: a function calling them does more than draw
#: (a learning curve's splitter decides the scores it shows; a split makes the data)
_MAKING = frozenset(
    {"fit", "train", "fit_generator", "backward", "step", "optimize", "log_model", "log_metric"}
    | {"train_test_split", "random_split", "KFold", "StratifiedKFold", "GroupKFold"}
    | {"ShuffleSplit", "StratifiedShuffleSplit", "TimeSeriesSplit", "RepeatedStratifiedKFold"}
    | {"cross_val_score", "cross_validate", "cross_val_predict", "learning_curve"}
    | {"validation_curve", "from_estimator", "permutation_importance"}
)
#: names that only say "draw" when a plotting library answers to them (``plot_results()`` of
#: the project may train): the library's calls are the evidence
_NAMED_ONLY = ("plot_", "plot", "show", "display", "visuali")


def _drawing(call: ast.Call) -> bool:
    """A plotting library's call (``plt.scatter``, ``sns.heatmap``, ``df.plot.bar``,
    ``ax.set_title``), not a function merely named like one."""
    callee = callee_name(call.func)
    short, root = callee.rsplit(".", 1)[-1], callee.split(".", 1)[0]
    if "." not in callee and short.startswith(_NAMED_ONLY):
        return False
    return drawing_call(callee, short, root)


def _picture(value: ast.expr | None, drawn: set[str]) -> bool:
    if value is None or (isinstance(value, ast.Constant) and value.value is None):
        return True
    if isinstance(value, ast.Name):
        return value.id in drawn
    if isinstance(value, ast.Tuple):
        return all(_picture(elt, drawn) for elt in value.elts)
    return isinstance(value, ast.Call) and _drawing(value)


def _networks(tree: ast.Module) -> set[str]:
    """The module's own networks: top-level classes deriving from a ``...Module``."""
    return {
        stmt.name
        for stmt in tree.body
        if isinstance(stmt, ast.ClassDef)
        and any(callee_name(base).endswith("Module") for base in stmt.bases)
    }


def zoo_presets(tree: ast.Module) -> set[int]:
    """``id`` of every node inside the named presets of a model zoo (a module defining three
    networks or more, see :func:`hidden_widths`): a top-level ``NAME = partial(Network, ...)``
    of one of its own networks or a class it imports
    (``WideNet16 = partial(WideNet, depth=16, widen=4)``) names a published architecture,
    which the configuration picks by name; its values are the architecture's, not the
    pipeline's settings."""
    networks = _networks(tree)
    if len(networks) < 3:
        return set()
    # a network the zoo imports to name its presets (``from .vit import VisionTransformer``)
    networks |= {
        alias.asname or alias.name
        for stmt in tree.body
        if isinstance(stmt, ast.ImportFrom)
        for alias in stmt.names
        if alias.name[:1].isupper() and not alias.name.isupper()
    }
    found: set[int] = set()
    for stmt in tree.body:
        value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
        if (
            isinstance(value, ast.Call)
            and callee_name(value.func).rsplit(".", 1)[-1] == "partial"
            and value.args
            and isinstance(value.args[0], ast.Name)
            and value.args[0].id in networks
        ):
            found.update(id(node) for node in ast.walk(value))
    return found
