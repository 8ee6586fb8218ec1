"""Pure predicates over the literals and statements the params walk meets.

Used by :class:`~mlnudge.checks.params.analysis.Analyser` and its mixins: the share a data
split keeps (``len(x) * 0.8``, ``n_val = int(0.1 * n)``), lists of cut-offs, the guard that
fills a missing configuration key, the ``__main__`` guard, the numbers inside an outlier
filter's bounds, and whether a class is a configuration (its fields are the settings).
"""

from __future__ import annotations

import ast
import re

from mlnudge.checks.params import paths as P
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.syntax import (
    is_float,
    is_int,
    is_number,
    is_number_seq,
    number_value,
    source_text,
    trivial,
)
from mlnudge.project import split_words

callee_name = P.callee_name


def threshold_list_name(name: str) -> bool:
    """``thresholds``, ``init_thresholds``, ``CLASS_CUTOFFS``: a list of decision cut-offs."""
    lowered = name.lower()
    return lowered in ("thresholds", "cutoffs") or lowered.endswith(("_thresholds", "_cutoffs"))


def cut_offs(node: ast.expr) -> bool:
    """A literal list of numbers, not all of them 0/1/-1."""
    return (
        isinstance(node, ast.List | ast.Tuple)
        and is_number_seq(node)
        and not all(trivial(e) for e in node.elts)
    )


def split_fraction(node: ast.BinOp) -> ast.Constant | None:
    """The fraction in ``len(x) * 0.8`` (either way round), a share strictly between 0 and 1."""
    if not isinstance(node.op, ast.Mult):
        return None
    for size, part in ((node.left, node.right), (node.right, node.left)):
        sized = (
            isinstance(size, ast.Call) and isinstance(size.func, ast.Name) and size.func.id == "len"
        )
        if sized and share(part) is not None:
            return share(part)
    return None


def missing_key_guard(test: ast.expr) -> tuple[str, str] | None:
    """``"db_path" not in store_config`` -> ``("db_path", "store_config")``."""
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.NotIn)
        and isinstance(test.left, ast.Constant)
        and isinstance(test.left.value, str)
    ):
        return None
    return test.left.value, ast.unparse(test.comparators[0])


def fills_key(stmt: ast.stmt, key: str, holder: str) -> bool:
    """``holder[key] = value``: the statement that fills the missing key."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1):
        return False
    target = stmt.targets[0]
    return (
        isinstance(target, ast.Subscript)
        and isinstance(target.slice, ast.Constant)
        and target.slice.value == key
        and ast.unparse(target.value) == holder
    )


#: words of a variable that holds one part of a data split (``n_val``, ``len_train``)
SPLIT_PARTS = frozenset({"train", "val", "valid", "validation", "test", "holdout", "split"})
#: last words of a name that holds a share (``train_test_split = 0.8``, ``val_ratio``)
_SHARE_WORDS = frozenset(
    {"split", "ratio", "frac", "fraction", "share", "pct", "proportion", "size"}
)
#: calls that turn a share of a count into a count
_COUNTING = frozenset({"int", "round", "floor", "ceil"})


def share(node: ast.expr) -> ast.Constant | None:
    """A float strictly between 0 and 1."""
    if isinstance(node, ast.Constant) and isinstance(node.value, float) and 0 < node.value < 1:
        return node
    return None


#: keys of a table of split shares (``{"train": 0.7, "val": 0.2, "test": 0.1}``)
_SPLIT_KEYS = frozenset(
    {"train", "training", "val", "valid", "validation", "dev", "test", "testing", "holdout"}
)


def split_shares(value: ast.expr) -> list[tuple[str, ast.Constant]]:
    """``{"train": 0.7, "val": 0.2, "test": 0.1}``: the share each part of a split keeps,
    written as a table keyed by the parts (two or more, every value a share, the shares adding
    up to at most 1); ``[]`` for anything else (``{"train": 1, "test": 2}``, a results row)."""
    if not isinstance(value, ast.Dict) or len(value.keys) < 2:
        return []
    found: list[tuple[str, ast.Constant]] = []
    total = 0.0
    for key, item in zip(value.keys, value.values, strict=True):
        part = share(item)
        if not (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and key.value.lower() in _SPLIT_KEYS
            and part is not None
        ):
            return []
        found.append((key.value.lower(), part))
        total += float(part.value)  # type: ignore[arg-type]  # a float: ``share`` checked it
    return found if total <= 1 + 1e-9 else []


def split_share(name: str, value: ast.expr) -> ast.Constant | None:
    """The share of the data one part of a split keeps: ``train_test_split = 0.8``, or
    ``len_train = int(data.shape[0] * 0.7)`` / ``n_val = int(np.floor(0.1 * n))``."""
    words = split_words(name)
    if not words & SPLIT_PARTS:
        return None
    last = re.split(r"[^a-z0-9]+", name.lower())[-1]
    if last in _SHARE_WORDS and share(value) is not None:
        return share(value)
    counted = False  # ``int(...)``/``floor(...)``: a number of rows, not a scaled value
    while isinstance(value, ast.Call) and len(value.args) == 1:
        if callee_name(value.func).rsplit(".", 1)[-1] not in _COUNTING:
            return None
        value, counted = value.args[0], True
    if not (counted and isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult)):
        return None
    for count, part in ((value.left, value.right), (value.right, value.left)):
        if share(part) is not None and not isinstance(count, ast.Constant):
            return share(part)
    return None


#: calls that make a span of time (a chronological split's window)
_SPANS = frozenset({"timedelta", "Timedelta", "DateOffset", "relativedelta"})


def split_window(name: str, value: ast.expr) -> ast.expr | None:
    """The span a chronological split keeps before its cut date:
    ``split_date = start + timedelta(days=8 * 7)`` (a date named for a split, moved by a
    literal span: how much history the model trains on)."""
    if "split" not in split_words(name):
        return None
    for node in ast.walk(value):
        if not (isinstance(node, ast.Call) and callee_name(node.func).rsplit(".", 1)[-1] in _SPANS):
            continue
        for arg in [*node.args[:1], *(kw.value for kw in node.keywords)]:
            if is_number(arg) and not trivial(arg):
                return arg
    return None


def numbers_in(node: ast.expr) -> list[ast.expr]:
    """The number literals inside ``node`` (``-500`` whole), not inside a lambda."""
    if is_number(node):
        return [node]
    if isinstance(node, ast.Lambda):
        return []  # a predicate's own numbers are judged as comparisons
    found: list[ast.expr] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.expr):
            found.extend(numbers_in(child))
    return found


def stored_as_feature(node: ast.expr, parent: ast.AST | None) -> bool:
    """``stats.append(x.quantile(0.9))``, ``feats["p90"] = x.quantile(0.9)``: a value kept as a
    feature (a list of statistics, a column), not a cut-off a comparison or a filter uses."""
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute):
        return parent.func.attr in ("append", "extend") and node in parent.args
    if isinstance(parent, ast.Assign):
        return all(isinstance(t, ast.Subscript) for t in parent.targets)
    return False


def is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not isinstance(test, ast.Compare) or len(test.comparators) != 1:
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    mains = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and mains)


#: calls that read a parameter file (``yaml.safe_load(f)``, ``OmegaConf.load(...)``,
#: the project's own ``load_config(...)``)
_CONFIG_READS = re.compile(
    r"(?:^|_)(?:load|read|get)_(?:config|conf|cfg|params|parameters|settings)$"
    r"|^(?:OmegaConf|toml|tomllib|yaml|configparser)\.(?:safe_)?(?:load|read)$|safe_load$"
)
#: a parameter file's name: ``config.yaml``, ``params.yml``, ``conf/train.toml``
_CONFIG_FILE = re.compile(
    r"(?:config|conf|params|settings|hparams)\w*\.(?:ya?ml|toml|json|ini|cfg)$"
)
#: a file in one of the project's data folders, relative to the code (``data/raw/x.csv``,
#: ``../../data/interim/train.hdf5``; an absolute path is some machine's, not the project's)
_PROJECT_DATA = re.compile(r"^(?:\.\.?[/\\])*(?:data|datasets?|inputs?)[/\\][^\s]")


#: calls that show a result to whoever runs the block: a try-out looks at what it made
_INSPECTS = frozenset({"print", "pprint", "display", "show", "imshow", "head", "describe"})


def smoke_test(node: ast.If, *, inspects: bool = False) -> bool:
    """A ``__main__`` block that tries a package module out; not one that reads the project's
    parameter file (``yaml.safe_load(open("config.yaml"))``, ``load_config()``), nor one that
    reads or writes files in the project's data folders (``"../../data/interim/train.hdf5"``):
    such a block runs the step with the project's settings on its data, so it is a run and
    its literals count. ``inspects``: also ask that it look at what it made (``print(ds[1])``):
    a flat helper module's block that only calls its step (``clean(test_size=0.3)``) runs it."""
    return is_main_guard(node.test) and smoke_body(node.body, inspects=inspects)


def smoke_body(body: list[ast.stmt], *, inspects: bool = False) -> bool:
    """The statements of a try-out (:func:`smoke_test`): no parameter file read, no file in the
    project's data folders, and with ``inspects`` a look at what they made."""
    if inspects and not any(
        isinstance(sub, ast.Call) and P.callee_name(sub.func).rsplit(".", 1)[-1] in _INSPECTS
        for stmt in body
        for sub in ast.walk(stmt)
    ):
        return False
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Call) and _CONFIG_READS.search(P.callee_name(sub.func)):
                return False
            if (
                isinstance(sub, ast.Constant)
                and isinstance(sub.value, str)
                and (_CONFIG_FILE.search(sub.value.lower()) or _PROJECT_DATA.search(sub.value))
            ):
                return False
    return True


#: decorators and bases that make a class a configuration (its fields are the settings)
_CONFIG_DECORATORS = frozenset(
    {
        "dataclass",
        "dataclasses.dataclass",
        "attr.s",
        "attrs",
        "define",
        "attr.define",
        "attrs.define",
        "frozen",
        "attrs.frozen",
    }
)
_CONFIG_BASES = re.compile(
    r"(BaseModel|BaseSettings|NamedTuple|TypedDict|Enum|IntEnum|StrEnum|Struct|Schema"
    r"|\w*(Config|Settings|Params|Hparams|HParams|Options|Args|Arguments))$"
)
_CONFIG_NAME = re.compile(
    r"\w*(Config|Configs|Settings|Params|Hparams|HParams|Options|Args|Arguments|Conf|Cfg)$"
)
#: class attributes that hold a model's settings (`initial_params`, `lgb_params`, `hparams`)
_PARAMS_ATTRIBUTE = re.compile(r"(\w+_)?(h?params|hyper_?params|hyperparameters)$")


def _config_name(name: str) -> bool:
    """``TrainConfig``, ``CFG``, ``HPARAMS``, ``train_cfg``: named like a configuration."""
    return bool(_CONFIG_NAME.match(name) or _CONFIG_NAME.match(name.title().replace("_", "")))


def is_config_class(node: ast.ClassDef, configs: frozenset[str] | set[str] = frozenset()) -> bool:
    """A class whose body is configuration: a dataclass, attrs or pydantic model, a
    ``NamedTuple``/``TypedDict``/``Enum``, or one named or derived like one (``TrainConfig``,
    ``Settings``), also a variant of one (``class CFGLine(CFG)``, a base among ``configs``,
    the module's configuration classes above it)."""
    if _config_name(node.name):
        return True  # ``TrainConfig``, ``CFG``, ``HPARAMS``
    for base in node.bases:
        base_name = ast.unparse(base).rsplit(".", 1)[-1]
        if base_name in configs or _config_name(base_name):
            return True  # ``class CFGLine(CFG): n_epochs = 20``: the same settings, varied
    plain = all(ast.unparse(base) == "object" for base in node.bases)
    if plain and not any(isinstance(c, ast.FunctionDef | ast.AsyncFunctionDef) for c in node.body):
        return True  # attributes, no base and no behaviour: a namespace of settings
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ast.unparse(target) in _CONFIG_DECORATORS:
            return True
    return any(_CONFIG_BASES.match(ast.unparse(base).rsplit(".", 1)[-1]) for base in node.bases)


#: bases of a class whose constructor is a library-style API (its defaults are documented
#: values each caller overrides: an optimizer's param groups carry their own ``lr``)
_API_BASES = re.compile(r"(Optimizer|_?LRScheduler)$")


def constructor_api(node: ast.ClassDef) -> bool:
    """A scikit-learn style estimator (``fit`` and ``predict``/``transform``) or the project's
    own optimizer or learning-rate scheduler (``class RAdam(Optimizer)``): its
    constructor is its hyperparameter API, as a library's is, so the defaults no call passes
    are not the run's settings (``RAdam(param_groups)`` takes ``lr`` from each group)."""
    methods = {f.name for f in node.body if isinstance(f, ast.FunctionDef)}
    if {"fit"} <= methods and methods & {"predict", "transform", "predict_proba"}:
        return True
    return any(_API_BASES.search(ast.unparse(b).rsplit(".", 1)[-1]) for b in node.bases)


def sacred_config(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``@ex.config`` / ``@ex.named_config`` (Sacred): the function's locals are the
    experiment's configuration, every one overridable from the command line."""
    return any(
        isinstance(d, ast.Attribute) and d.attr in ("config", "named_config")
        for d in node.decorator_list
    )


def params_dict_attribute(node: ast.Assign) -> bool:
    """``initial_params = {"learning_rate": 0.05, ...}`` in a class body."""
    return (
        len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and bool(_PARAMS_ATTRIBUTE.fullmatch(node.targets[0].id))
        and isinstance(node.value, ast.Dict)
    )


def step_decay(node: ast.BinOp) -> tuple[ast.expr, ast.expr] | None:
    """``lr * (0.1 ** (epoch // 30))``: a learning-rate schedule written by hand; its factor
    and its step (returned) are the schedule's settings, as ``StepLR(opt, 30, 0.1)``'s are."""
    steps = node.right
    if (
        is_float(node.left)
        and not trivial(node.left)
        and isinstance(steps, ast.BinOp)
        and isinstance(steps.op, ast.FloorDiv)
        and is_int(steps.right)
        and not trivial(steps.right)
        and split_words(source_text(steps.left).rsplit(".", 1)[-1]) & T.COUNTER_WORDS
    ):
        return node.left, steps.right
    return None


def verdict_unused(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function that returns no value, raises nothing and exits nowhere: a check inside it
    (``status = "PASS" if value >= threshold else "FAIL"; print(status)``) only displays."""
    for sub in ast.walk(function):
        if isinstance(sub, ast.Return) and sub.value is not None:
            return False
        if isinstance(sub, ast.Raise | ast.Yield | ast.YieldFrom | ast.Global | ast.Nonlocal):
            return False
        if isinstance(sub, ast.Call) and callee_name(sub.func).rsplit(".", 1)[-1] == "exit":
            return False
    return True


#: lengths that are not an amount of data: a command line, a string, the columns of a frame
_NOT_DATA_SIZES = frozenset(
    {"argv", "args", "kwargs", "name", "names", "text", "string", "str", "line"}
    | {"columns", "cols", "features", "keys", "shape"}
)


def size_gate(compare: ast.Compare) -> tuple[ast.expr, ast.expr] | None:
    """``len(df) < 100``, ``len(items) > 150``: the sized expression and the integer (at
    least 10) it is compared with; ``None`` for any other comparison (``len(sys.argv) > 2``,
    ``len(x) == 0``, ``len(name) > 40``, ``len(X.columns) > 200``)."""
    if len(compare.comparators) != 1 or not isinstance(
        compare.ops[0], ast.Lt | ast.LtE | ast.Gt | ast.GtE
    ):
        return None
    left, right = compare.left, compare.comparators[0]
    sized, count = (left, right) if is_int(right) else (right, left)
    if not (isinstance(count, ast.Constant) and type(count.value) is int and count.value >= 10):
        return None
    if _ROW_COUNT.match(_counted_name(sized)):
        return sized, count  # ``info["total_rows"] < 100``: a row count under its name
    if not (
        isinstance(sized, ast.Call)
        and isinstance(sized.func, ast.Name)
        and sized.func.id == "len"
        and len(sized.args) == 1
    ):
        return None
    words = set(re.findall(r"[a-z]+", source_text(sized.args[0]).lower()))
    if words & _NOT_DATA_SIZES:
        return None
    return sized, count


#: the name of a count of a data set's rows (``total_rows``, ``n_samples``, ``row_count``)
_ROW_COUNT = re.compile(
    r"^(?:n|num|number_of|total|count)_?(?:rows|samples|records)$|^(?:row|sample|record)s?_count$",
    re.I,
)


def _counted_name(node: ast.expr) -> str:
    """``total_rows`` of ``total_rows``, ``stats.total_rows`` or ``stats["total_rows"]``."""
    if isinstance(node, ast.Subscript):
        key = node.slice
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""
    return _last_name(node)


_EPOCH = re.compile(r"^(?:cur(?:rent)?_)?epoch(?:_idx|_index|_num)?$|^ep$", re.IGNORECASE)
#: (any case: ``LR``, ``BASE_LR`` are the same rate spelled as constants)
_LR = re.compile(
    r"^(?:(?:init(?:ial)?|base|start|max)_)?(?:lr|learning_rate)(?:_\w+)?$", re.IGNORECASE
)


def _last_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def lr_schedule(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
) -> tuple[list[ast.expr], list[ast.expr]] | None:
    """``def schedule(epoch, lr): if epoch < 40: return lr ... elif epoch < 60: return lr / 3``:
    a learning-rate schedule written by hand. Its milestones (the epochs compared with) and
    its decay factors (the numbers the rate is divided or multiplied by) are the schedule's
    settings, as ``MultiStepLR(opt, [40, 60], 0.3)``'s are. ``None`` unless the function takes
    an epoch and a learning rate and compares the epoch with a number."""
    params = {a.arg for a in (*function.args.posonlyargs, *function.args.args)}
    epochs = {p for p in params if _EPOCH.match(p)}
    if not epochs or not any(_LR.match(p) for p in params):
        return None
    milestones: list[ast.expr] = []
    factors: list[ast.expr] = []
    for sub in ast.walk(function):
        if isinstance(sub, ast.Compare) and len(sub.ops) == 1:
            if not isinstance(sub.ops[0], ast.Lt | ast.LtE | ast.Gt | ast.GtE):
                continue
            left, right = sub.left, sub.comparators[0]
            for subject, bound in ((left, right), (right, left)):
                if _last_name(subject) in epochs and is_int(bound) and not trivial(bound):
                    milestones.append(bound)
        elif isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Div | ast.Mult):
            if _LR.match(_last_name(sub.left)) and is_number(sub.right) and not trivial(sub.right):
                factors.append(sub.right)
            elif (
                isinstance(sub.op, ast.Mult)
                and _LR.match(_last_name(sub.right))
                and is_number(sub.left)
                and not trivial(sub.left)
            ):
                factors.append(sub.left)
    return (milestones, factors) if milestones else None


_DRAWS = frozenset(
    {"np.random.rand", "numpy.random.rand", "np.random.random", "random.random", "torch.rand"}
)
_UNIFORM = frozenset({"random.uniform", "np.random.uniform", "numpy.random.uniform"})


def _draw(node: ast.expr) -> bool:
    """``np.random.rand()``, ``random.random()``, ``torch.rand(1)``: a uniform draw in [0, 1)."""
    if not isinstance(node, ast.Call) or node.keywords:
        return False
    callee = callee_name(node.func)
    return (callee in _DRAWS and len(node.args) <= 1) or (callee in _UNIFORM and not node.args)


def chance(
    compare: ast.Compare, function: ast.FunctionDef | ast.AsyncFunctionDef | None
) -> ast.expr | None:
    """``if np.random.rand() > 0.5:`` (or ``p = random.random()`` then ``if p < 0.3:``): the
    chance of a random branch (an augmentation applied to some samples) is a setting; the
    probability literal, else ``None``."""
    if len(compare.ops) != 1 or not isinstance(compare.ops[0], ast.Lt | ast.LtE | ast.Gt | ast.GtE):
        return None
    left, right = compare.left, compare.comparators[0]
    names = [s.id for s in (left, right) if isinstance(s, ast.Name)]
    if not any(_draw(s) for s in (left, right)) and not names:
        return None
    drawn: set[str] = set()
    if function is not None and names:
        for stmt in ast.walk(function):
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and _draw(stmt.value)
            ):
                drawn.add(stmt.targets[0].id)
    for subject, bound in ((left, right), (right, left)):
        random_side = _draw(subject) or (isinstance(subject, ast.Name) and subject.id in drawn)
        if random_side and share(bound) is not None:
            return share(bound)
    return None


def running_best(scope: ast.AST, name: str, line: int) -> bool:
    """``best_thresh = 0.5`` before ``for thresh in grid: ... best_thresh = thresh``: the
    starting point of a search that keeps the best candidate it tries, not a setting (the
    candidates are). ``scope`` is the function (or module) holding the assignment at
    ``line``; a loop that rebinds the name from anything else (``lr = lr * 0.9``) is no
    search."""
    body = scope.body if isinstance(scope, ast.Module) else [scope]
    for stmt in body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
            isinstance(scope, ast.Module)
        ):
            continue
        for loop in ast.walk(stmt):
            if not isinstance(loop, ast.For) or loop.lineno < line:
                continue
            tried = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
            for sub in ast.walk(loop):
                if (
                    isinstance(sub, ast.Assign)
                    and isinstance(sub.value, ast.Name)
                    and sub.value.id in tried
                    and any(isinstance(t, ast.Name) and t.id == name for t in sub.targets)
                ):
                    return True
    return False


def repeated_cutoffs(node: ast.If) -> list[ast.expr]:
    """``if p > 0.5: ... elif p <= 0.5: ...``: the literals of an if/elif chain that compare
    a quantity already compared with the same number higher up the chain. The chain's branches
    are one decision about one cut-off, so only the first comparison is its finding."""
    seen: set[tuple[str, float]] = set()
    repeated: list[ast.expr] = []
    link: ast.If | None = node
    while link is not None:
        test = link.test
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            sides = [test.left, test.comparators[0]]
            numbers = [s for s in sides if is_float(s)]
            others = [s for s in sides if not is_float(s)]
            if len(numbers) == 1 and len(others) == 1:
                key = (ast.dump(others[0]), number_value(numbers[0]))
                if key in seen:
                    repeated.append(numbers[0])
                seen.add(key)
        chained = len(link.orelse) == 1 and isinstance(link.orelse[0], ast.If)
        link = link.orelse[0] if chained else None  # type: ignore[assignment]
    return repeated


#: calls that show words to a person (a report line, a log record, a dashboard's text)
_SHOWING = frozenset(
    {"print", "pprint", "echo", "write", "markdown", "info", "warning", "warn", "error"}
    | {"debug", "critical", "exception", "success", "caption", "text", "metric", "log"}
)


def message_choice(node: ast.If, scope: ast.AST) -> bool:
    """``if share > 0.7: status = "WARNING: high drift" elif ...: ... else: status = "OK"``
    then only ``print(f"{status}")``: every branch of the chain binds a text to a name that
    ``scope`` only shows (printed, logged, formatted into a message). The comparison picks
    the words of a message; it decides nothing (a label returned or stored is a decision)."""
    names: set[str] = set()
    link: ast.If | None = node
    while link is not None:
        chained = len(link.orelse) == 1 and isinstance(link.orelse[0], ast.If)
        bodies = [link.body] if chained else [link.body, link.orelse]
        for body in bodies:
            if not body:
                continue
            for stmt in body:
                if not (
                    isinstance(stmt, ast.Assign)
                    and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)
                    and _text(stmt.value)
                ):
                    return False
                names.add(stmt.targets[0].id)
        link = link.orelse[0] if chained else None  # type: ignore[assignment]
    return bool(names) and all(_shown_only(scope, name) for name in names)


def _text(node: ast.expr) -> bool:
    """A text: a string, an f-string, or a string method's result (``f"{p:.6f}".rstrip("0")``)."""
    while (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("rstrip", "lstrip", "strip", "upper", "lower", "title", "format")
    ):
        node = node.func.value
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _shown_only(scope: ast.AST, name: str) -> bool:
    """Whether every read of ``name`` in ``scope`` is inside words shown to a person: an
    f-string, ``str(name)`` or a concatenation with text, or an argument of a showing call."""
    parents: dict[int, ast.AST] = {}
    reads: list[ast.Name] = []
    for parent in ast.walk(scope):
        for child in ast.iter_child_nodes(parent):
            parents[id(child)] = parent
            if isinstance(child, ast.Name) and child.id == name and isinstance(child.ctx, ast.Load):
                reads.append(child)
    if not reads:
        return False
    for read in reads:
        current: ast.AST = read
        shown = False
        while id(current) in parents and not isinstance(current, ast.stmt):
            parent = parents[id(current)]
            if isinstance(parent, ast.JoinedStr | ast.FormattedValue):
                shown = True
            elif isinstance(parent, ast.Call) and current is not parent.func:
                short = callee_name(parent.func).rsplit(".", 1)[-1]
                shown = shown or short in _SHOWING or short == "str"
            elif isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add):
                sides = (parent.left, parent.right)
                shown = shown or any(
                    isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides
                )
            if shown:
                break
            current = parent
        if not shown:
            return False
    return True


def chain_tests(node: ast.If) -> list[ast.expr]:
    """The tests of an if/elif chain, first to last."""
    tests: list[ast.expr] = []
    link: ast.If | None = node
    while link is not None:
        tests.append(link.test)
        chained = len(link.orelse) == 1 and isinstance(link.orelse[0], ast.If)
        link = link.orelse[0] if chained else None  # type: ignore[assignment]
    return tests


def bounding_literal(node: ast.expr) -> ast.expr | None:
    """``max(0.75, auc * 0.95)``, ``min(0.25, brier * 1.1)``: the literal floor or ceiling a
    computed cut-off never passes (the first number of a ``max``/``min`` of two)."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("max", "min")
        and len(node.args) == 2
        and not node.keywords
    ):
        return None
    return next((a for a in node.args if is_number(a) and not trivial(a)), None)
