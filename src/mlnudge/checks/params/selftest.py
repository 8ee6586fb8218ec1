"""The self-test of a module the project imports: the functions only its ``__main__`` guard runs.

A model or data module often ends with a demo (``if __name__ == "__main__": _test_training()``)
that builds the model on random tensors, runs a few steps with its own ``lr = 1e-1`` and
``torch.manual_seed(0)``, and prints shapes. The values of such a demo are the demo's, not the
pipeline's: the training script that imports the module takes its settings elsewhere. What makes
the functions a demo is what they do, never their names: the guard is their only caller in the
module, and together with the guard they read no parameter file, touch no file in the project's
data folders and write nothing (a block that trains and saves a model is a run, whatever module
it sits in), take no command line and are not run through a framework's decorator
(``@hydra.main``: the block runs the configured step).
"""

from __future__ import annotations

import ast
import re

from mlnudge.checks.params import paths as P
from mlnudge.checks.params.literals import is_main_guard, smoke_body

#: calls that write a result to disk: a block that makes one is a step of the pipeline
_WRITES = frozenset(
    {
        "save",
        "dump",
        "write",
        "savez",
        "savez_compressed",
        "save_model",
        "save_weights",
        "save_checkpoint",
        "save_pretrained",
        "save_state_dict",
        "to_csv",
        "to_parquet",
        "to_pickle",
        "to_json",
        "to_excel",
        "to_feather",
        "imwrite",
        "imsave",
        "log_model",
        "log_artifact",
        "upload",
        "upload_file",
        "upload_fileobj",
        "put_object",
        "push_to_hub",
    }
)
#: calls that take the run's settings from whoever starts it: a block that reads a command
#: line runs with them
_READS_SETTINGS = frozenset({"parse_args", "parse_known_args", "ArgumentParser"})
#: decorators of a framework that runs a function with its configuration (``@hydra.main``,
#: ``@click.command()``, ``@app.command``, a project's ``@task_wrapper``)
_RUNNER_DECORATOR = re.compile(r"hydra|click|typer|fire|command|main|task|entry|app\.", re.I)

_Def = ast.FunctionDef | ast.AsyncFunctionDef


def _callees(body: list[ast.stmt]) -> set[str]:
    """The last part of every name ``body`` calls (``read_csv`` of ``pd.read_csv(...)``)."""
    return {
        P.callee_name(sub.func).rsplit(".", 1)[-1]
        for stmt in body
        for sub in ast.walk(stmt)
        if isinstance(sub, ast.Call)
    }


def _called(body: list[ast.stmt]) -> set[str]:
    """The bare names ``body`` calls (``_test_layer1()``)."""
    return {
        sub.func.id
        for stmt in body
        for sub in ast.walk(stmt)
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)
    }


def _runs(body: list[ast.stmt], functions: list[_Def]) -> bool:
    """Whether the statements make something (a write, an upload) or take the run's settings
    (a command line, a framework's decorator on one of the functions): a step, not a demo."""
    if any(
        _RUNNER_DECORATOR.search(P.callee_name(d.func if isinstance(d, ast.Call) else d))
        for function in functions
        for d in function.decorator_list
    ):
        return True
    return any(
        isinstance(sub, ast.Call)
        and P.callee_name(sub.func).rsplit(".", 1)[-1] in _WRITES | _READS_SETTINGS
        for stmt in body
        for sub in ast.walk(stmt)
    )


def self_test_functions(tree: ast.Module, *, inspects: bool = False) -> frozenset[str]:
    """The module's top-level functions that only its ``__main__`` guard runs (directly or
    through each other), when guard and functions together are a try-out: no parameter file,
    no project data, nothing written (and with ``inspects`` something shown, see
    :func:`~mlnudge.checks.params.literals.smoke_body`). Empty when they are a run."""
    guards = [s for s in tree.body if isinstance(s, ast.If) and is_main_guard(s.test)]
    if not guards:
        return frozenset()
    defs = {s.name: s for s in tree.body if isinstance(s, _Def)}
    reached: set[str] = set()
    todo = sorted(_called([stmt for guard in guards for stmt in guard.body]))
    while todo:
        name = todo.pop()
        if name in defs and name not in reached:
            reached.add(name)
            todo.extend(sorted(_called(defs[name].body)))
    # a function the module's own code uses outside the demo is part of the module
    used = {
        sub.id
        for stmt in tree.body
        if not (stmt in guards or (isinstance(stmt, _Def) and stmt.name in reached))
        for sub in ast.walk(stmt)
        if isinstance(sub, ast.Name)
    }
    reached -= used
    if not reached:
        return frozenset()
    functions = [defs[name] for name in sorted(reached)]
    body = [stmt for guard in guards for stmt in guard.body]
    body += [stmt for function in functions for stmt in function.body]
    if _runs(body, functions) or _callees(body) & _READS or not smoke_body(body, inspects=inspects):
        return frozenset()
    return frozenset(reached)


#: calls that make input out of nothing (``torch.rand(2, 3, 8, 8)``, ``np.random.randn``)
_GENERATED = frozenset(
    {"rand", "randn", "randint", "rand_like", "randn_like", "normal", "uniform", "random"}
)
#: calls that read a data set or a file: input a demo does not have
_READS = frozenset(
    {
        "open",
        "load",
        "loadtxt",
        "genfromtxt",
        "imread",
        "read_csv",
        "read_parquet",
        "read_excel",
        "read_json",
        "read_table",
        "read_sql",
        "read_pickle",
        "read_feather",
        "load_dataset",
        "ImageFolder",
        "glob",
        "listdir",
        "walk",
        "iterdir",
    }
)


def _defines_network(tree: ast.Module) -> bool:
    """A top-level class deriving from a ``...Module`` (``nn.Module``, ``L.LightningModule``)."""
    return any(
        isinstance(stmt, ast.ClassDef)
        and any(P.callee_name(base).endswith("Module") for base in stmt.bases)
        for stmt in tree.body
    )


def random_input_demo(tree: ast.Module) -> bool:
    """A network's module whose ``__main__`` block (with the functions only it runs) feeds the
    network generated tensors and nothing read: ``x = torch.rand(T, 1, 3, 32, 48)``, a few
    steps, a printed loss. Such a block shows the module works; a run reads data."""
    if not _defines_network(tree):
        return False
    guards = [s for s in tree.body if isinstance(s, ast.If) and is_main_guard(s.test)]
    if not guards:
        return False
    reached = self_test_functions(tree, inspects=True) | {""}
    functions = [s for s in tree.body if isinstance(s, _Def) and s.name in reached]
    body = [stmt for guard in guards for stmt in guard.body]
    body += [stmt for function in functions for stmt in function.body]
    called = _callees(body)
    return (
        bool(called & _GENERATED)
        and not called & _READS
        and not _runs(body, functions)
        and smoke_body(body, inspects=True)
    )
