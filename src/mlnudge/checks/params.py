"""Family 2 (MLN2xx): parameters isolated in configuration, not hard-coded.

``check(ctx)`` reads the repository's parameter files once (:mod:`params_config`) and hands
the resulting facts to :func:`analyse`, a pure function of a module's source, the options and
those facts, so its results are cached per file. What counts as a hyperparameter, seed,
threshold or location is data in :mod:`params_tables`.

Every finding carries ``details["group"] = "<path>:<line>:<callee or name>"``: the literals of
one call (or one dict, or one constant) share it, so reports can show them together.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlnudge.checks import params_tables as T
from mlnudge.checks.base import CheckContext, FamilySpec, in_cell
from mlnudge.checks.params_config import ConfigFacts, Leaf, collect, parameter_files
from mlnudge.config import Option, Options, path_matches
from mlnudge.finding import Detail, Finding, Severity
from mlnudge.project import is_test_path
from mlnudge.repo import PyModule
from mlnudge.rules import Rule

HYPERPARAMETER = Rule(
    code="MLN201",
    name="hard-coded-hyperparameter",
    family="params",
    severity=Severity.WARNING,
    options=("hyperparameters", "calls"),
    summary="A hyperparameter is written as a literal in production code.",
    why=(
        "Values someone tunes belong in one configuration file: then every experiment is a "
        "reviewed change to one file, and the trained model can be traced back to its settings."
    ),
    fix="Move the value to `params.yaml` (e.g. `train.n_estimators: 300`) and read it from there.",
    example="model = RandomForestClassifier(n_estimators=300, max_depth=8)",
    use_instead=(
        'params = yaml.safe_load(open("params.yaml"))\n'
        'model = RandomForestClassifier(**params["train"])'
    ),
)
DATA_PATH = Rule(
    code="MLN202",
    name="hard-coded-data-path",
    family="params",
    severity=Severity.WARNING,
    summary="A data, model or output location is a string literal in production code.",
    why=(
        "Paths differ between laptops, CI and production; a path in code breaks the first time "
        "the project runs somewhere else, and hides which data a model was trained on."
    ),
    fix="Put the location in `params.yaml` (e.g. `data.raw: data/raw/churn.csv`) and read it.",
    example='df = pd.read_csv("/home/anna/data/churn.csv")',
    use_instead='df = pd.read_csv(params["data"]["raw"])',
)
SEED = Rule(
    code="MLN203",
    name="hard-coded-seed",
    family="params",
    severity=Severity.WARNING,
    summary="A random seed is a literal in production code.",
    why=(
        "The seed is part of an experiment's settings; kept in configuration it is recorded with "
        "every run and can be varied to check a result is not luck."
    ),
    fix="Add `seed: 42` to `params.yaml` and pass `params['seed']` everywhere a seed is needed.",
    example="train_test_split(X, y, random_state=42)",
    use_instead='train_test_split(X, y, random_state=params["seed"])',
)
THRESHOLD = Rule(
    code="MLN204",
    name="hard-coded-threshold",
    family="params",
    severity=Severity.WARNING,
    summary="A decision threshold or cut-off is a literal in pipeline logic.",
    why=(
        "Where a score becomes a decision (`proba > 0.35`) or a feature is dropped (more than 40% "
        "missing) is a business choice that gets tuned; in code it changes silently, in "
        "configuration it is reviewed and recorded with the model."
    ),
    fix="Add the value to `params.yaml` (e.g. `evaluate.threshold: 0.35`) and compare with it.",
    example="churners = scores[scores > 0.35]",
    use_instead='churners = scores[scores > params["evaluate"]["threshold"]]',
)
CONTRADICTION = Rule(
    code="MLN205",
    name="literal-contradicts-config",
    family="params",
    severity=Severity.ERROR,
    summary="A literal in code differs from the value the configuration file gives the same key.",
    why=(
        "Someone changes `params.yaml`, the run ignores it, and the recorded settings no longer "
        "describe the model: the worst kind of silent mismatch."
    ),
    fix="Delete the literal and read the value from the configuration file.",
    example=(
        "# params.yaml: train: {n_estimators: 300}\n"
        "model = RandomForestClassifier(n_estimators=400)"
    ),
    use_instead='model = RandomForestClassifier(n_estimators=params["train"]["n_estimators"])',
)
DEFAULT = Rule(
    code="MLN206",
    name="hard-coded-default",
    family="params",
    severity=Severity.INFO,
    summary="A CLI option or function parameter defaults to a hyperparameter, seed or threshold.",
    why=(
        "Defaults are fine for a quick run, and a configuration (Hydra, a DVC stage) may override "
        "them; but a pipeline that relies on them trains with values nobody sees in params.yaml."
    ),
    fix="Keep the default if you like, and pass the value from `params.yaml` in the pipeline.",
    example='parser.add_argument("--lr", type=float, default=3e-4)',
    use_instead=(
        'parser.add_argument("--lr", type=float, required=True)\n'
        "# dvc.yaml: cmd: python train.py --lr ${train.lr}"
    ),
)
SPREAD = Rule(
    code="MLN207",
    name="parameters-spread-over-formats",
    family="params",
    severity=Severity.INFO,
    scope="repo",
    summary="Parameters live in files of several formats (YAML and JSON and INI ...).",
    why=(
        "One format means one loader and one place to look; parameters spread over YAML, JSON "
        "and INI files are harder to find, to diff and to record with a run."
    ),
    fix="Move the parameters into the format most of them already use (usually YAML).",
    example="params.yaml\nconfigs/model.json\nsettings.ini",
    use_instead="params.yaml\nconfigs/model.yaml",
)

RULES = (HYPERPARAMETER, DATA_PATH, SEED, THRESHOLD, CONTRADICTION, DEFAULT, SPREAD)

DEFAULT_CONFIG_MODULES = (
    "config.py",
    "configs.py",
    "settings.py",
    "conf.py",
    "params.py",
    "hparams.py",
    "hyperparameters.py",
    "**/config/*.py",
    "**/configs/*.py",
    "**/conf/*.py",
)

OPTIONS = (
    Option(
        "hyperparameters",
        "list",
        [],
        "Extra keyword, dict-key and variable names treated as hyperparameters.",
    ),
    Option(
        "calls",
        "list",
        [],
        "Extra calls (class or function name, or a dotted suffix like `mylib.train`) whose "
        "numeric literal arguments are hyperparameters.",
    ),
    Option(
        "config-modules",
        "list",
        list(DEFAULT_CONFIG_MODULES),
        "Globs of the project's own Python configuration modules; constants there are fine.",
    ),
    Option(
        "include-notebooks",
        "bool",
        False,
        "Also look at notebooks under the notebooks directory (exploration is skipped by default).",
    ),
)

FILE_CODES = ("MLN201", "MLN202", "MLN203", "MLN204", "MLN205", "MLN206")


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.any_enabled(*(r.code for r in RULES)):
        return
    facts = collect(ctx.repo)
    if ctx.any_enabled(*FILE_CODES):
        home = ctx.config.notebooks_dir.rstrip("/") + "/"
        include_nb = ctx.options.bool("include-notebooks")
        config_modules = ctx.options.list("config-modules")
        options = ctx.options
        extra = facts.key()
        for path in ctx.target_files(".py", ".ipynb"):
            if is_test_path(path) or path.endswith("setup.py") or path.startswith("docs/"):
                continue
            if path.endswith(".ipynb") and path.startswith(home) and not include_nb:
                continue
            if any(path_matches(path, glob) for glob in config_modules):
                continue
            module = ctx.repo.python(path)
            if module is None:
                continue
            yield from ctx.per_file(module, lambda m: analyse(m, options, facts), extra)
    if ctx.enabled(SPREAD.code):
        yield from _spread(ctx, facts)


def _spread(ctx: CheckContext, facts: ConfigFacts) -> Iterator[Finding]:
    files = parameter_files(facts)
    by_format: dict[str, list[str]] = {}
    for path, fmt in files:
        by_format.setdefault(fmt, []).append(path)
    if len(by_format) < 2:
        return
    if ctx.targets is not None and not set(ctx.targets) & {p for p, _ in files}:
        return
    ranked = sorted(by_format, key=lambda f: (-len(by_format[f]), f != "YAML", f))
    keep = ranked[0]
    listing = "; ".join(f"{fmt}: {', '.join(sorted(by_format[fmt]))}" for fmt in ranked)
    stray = sorted(p for fmt in ranked[1:] for p in by_format[fmt])
    yield SPREAD.finding(
        stray[0],
        f"Parameters are spread over {len(by_format)} formats ({listing}); "
        f"keep them in {keep}, where most already are.",
        anchor="formats:" + "+".join(sorted(by_format)),
        details={
            "group": "formats",
            "formats": ", ".join(ranked),
            "keep": keep,
            "move": ", ".join(stray),
        },
    )


@dataclass(frozen=True)
class Knowledge:
    """The name and call tables, merged with the user's options."""

    generic: frozenset[str]
    suffixes: tuple[str, ...]
    short_calls: dict[str, T.CallSpec]
    dotted_calls: dict[str, T.CallSpec]

    @classmethod
    def of(cls, options: Options) -> Knowledge:
        extra_names = options.list("hyperparameters")
        generic = frozenset(T.HYPERPARAMETERS) | frozenset(extra_names)
        suffixes = tuple(
            sorted(n.lower() for n in generic if "_" in n or n in ("lr", "epochs", "dropout"))
        )
        short, dotted = T.merged_calls(options.list("calls"))
        return cls(generic, suffixes, short, dotted)

    def spec(self, callee: str, short: str) -> T.CallSpec | None:
        for suffix, dotted in self.dotted_calls.items():
            if callee == suffix or callee.endswith("." + suffix):
                return dotted
        found = self.short_calls.get(short)
        if found is not None and found.kind == "optimizer" and _keras_like(callee):
            return T.KERAS_OPTIMIZER
        return found

    def classify(self, name: str) -> tuple[str, str] | None:
        """``(kind, canonical name)`` for a variable or parameter name, or ``None``."""
        lowered = name.lower().lstrip("_")
        if lowered in T.SEED_NAMES or lowered.endswith("_seed"):
            return "seed", "seed" if lowered.endswith("_seed") else lowered
        if lowered in T.THRESHOLD_NAMES or lowered.endswith(("_threshold", "_thresh", "_cutoff")):
            return "threshold", lowered
        if name in self.generic or lowered in self.generic:
            return "hp", lowered
        for suffix in self.suffixes:
            if lowered.endswith("_" + suffix):
                return "hp", suffix
        return None


def _keras_like(callee: str) -> bool:
    return any(part in callee for part in T.KERAS_OPTIMIZERS)


def analyse(module: PyModule, options: Options, facts: ConfigFacts | None = None) -> list[Finding]:
    """All params findings in one module: a pure function of its source, options and facts."""
    analyser = _Analyser(module, Knowledge.of(options), facts or ConfigFacts())
    analyser.visit(module.tree)
    findings = sorted(analyser.found, key=Finding.sort_key)
    return [in_cell(module, f) for f in findings] if module.is_notebook else findings


_PARAMISH_VAR = re.compile(
    r"(param|grid|space|config|cfg|hp|hparam|kwargs|args|settings|search)", re.I
)


class _Analyser(ast.NodeVisitor):
    def __init__(self, module: PyModule, know: Knowledge, facts: ConfigFacts) -> None:
        self.module = module
        self.know = know
        self.facts = facts
        self.scope: list[str] = []
        self.in_class_body: list[bool] = [False]
        #: per scope: variable -> the expression last assigned to it (for threshold subjects)
        self.derived: list[dict[str, ast.expr]] = [{}]
        self.classified: dict[str, tuple[str, str] | None] = {}
        self.handled: set[int] = set()
        self.found: list[Finding] = []
        self.lines = module.source.splitlines()
        #: what holds a dict literal (an assignment, a call, a keyword, another dict)
        self.parents: dict[int, ast.AST] = {}

    # -- scopes ------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._defaults(node)
        self.scope.append(node.name)
        self.in_class_body.append(False)
        self.derived.append({})
        for child in node.body:
            self.visit(child)
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.derived.pop()
        self.in_class_body.pop()
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.in_class_body.append(True)
        self.generic_visit(node)
        self.in_class_body.pop()
        self.scope.pop()

    @property
    def where(self) -> str:
        return ".".join(self.scope) or "<module>"

    # -- assignments -------------------------------------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        self.parents[id(node.value)] = node
        if len(node.targets) == 1:
            self._assignment(node.targets[0], node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.parents[id(node.value)] = node
            self._assignment(node.target, node.value)
        self.generic_visit(node)

    def _assignment(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name) and not isinstance(value, ast.Constant):
            self.derived[-1][target.id] = value
        if self.in_class_body[-1]:
            return  # dataclass / pydantic / structured-config fields are configuration
        if isinstance(target, ast.Name):
            name = target.id
        elif isinstance(target, ast.Attribute):
            name = target.attr
        else:
            return
        group = f"{self.module.path}:{value.lineno}:{name}"
        anchor = f"{self.where}:{name}="
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            kind = _path_kind(value.value)
            if kind and (kind != "relative" or _path_name(name)):
                self._path(value, value.value, f"`{name}`", group, anchor)
            return
        classified = self.classify(name)
        if classified is None:
            return
        kind, canonical = classified
        if kind == "seed" and not _is_int(value):
            return
        if kind != "seed" and not (
            (_is_number(value) and not _trivial(value))
            or (canonical in T.TUPLE_VALUED and _is_number_seq(value))
        ):
            return
        self._value(kind, canonical, value, (f"`{name} = {_text(value)}`", group, anchor))

    # -- calls -------------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        callee = _callee(node.func)
        short = callee.rsplit(".", 1)[-1]
        root = callee.split(".", 1)[0]
        if _quiet(callee, short, root):
            self.visit(node.func)  # the receiver may hold code; the arguments are presentation
            return
        if short in T.CLI_CALLS and self._cli(node, callee, short):
            return
        group = f"{self.module.path}:{node.lineno}:{callee}"
        anchor = f"{self.where}:{callee}"
        for arg in node.args:
            self.parents[id(arg)] = node
        for kw in node.keywords:
            self.parents[id(kw.value)] = kw
        if short in T.SEED_CALLS and node.args and _is_int(node.args[0]):
            site = (f"`{callee}()`", group, anchor)
            self._value("seed", "seed", node.args[0], site, call=True)
        if short.startswith("suggest_"):
            self._search_space(node, callee, group, anchor)
        spec = self.know.spec(callee, short)
        if spec is not None:
            for index, name in spec.positional:
                if index < len(node.args) and _is_number(node.args[index]):
                    arg = node.args[index]
                    if not _trivial(arg):
                        self._value("hp", name, arg, (f"`{callee}()`", group, anchor), call=True)
        for kw in node.keywords:
            if kw.arg is None:
                continue
            self._keyword(kw.arg, kw.value, spec, (callee, group, anchor))
        if short in ("quantile", "percentile", "nanquantile", "nanpercentile"):
            self._quantile(node, callee, short, group, anchor)
        if not (short == "join" and _path_literal(node) is None):  # ``join(DATA_DIR, "x.csv")``
            for arg in node.args[:2]:
                self._maybe_path(arg, f"`{callee}()`", group, anchor)
        self.generic_visit(node)

    def _keyword(
        self, name: str, value: ast.expr, spec: T.CallSpec | None, site: tuple[str, str, str]
    ) -> None:
        callee, group, anchor = site
        where = f"`{callee}()`"
        if name in T.SEED_NAMES:
            if _is_int(value):
                self._value("seed", name, value, (where, group, anchor), call=True)
            return
        if name in T.PATH_KEYWORDS or name.endswith(("_path", "_dir", "_file", "_uri")):
            self._maybe_path(value, where, group, anchor)
            return
        if name in T.THRESHOLD_NAMES:
            if _is_number(value) and not _trivial(value):
                self._value("threshold", name, value, (where, group, anchor), call=True)
            return
        known = name in self.know.generic or (
            spec is not None and name not in T.NOT_HYPERPARAMETERS
        )
        if spec is None and name in T.AMBIGUOUS:
            known = False
        if not known or name in T.NOT_HYPERPARAMETERS:
            return
        number = _is_number(value) and not _trivial(value)
        if number or (name in T.TUPLE_VALUED and _is_number_seq(value)):
            self._value("hp", name, value, (where, group, anchor), call=True)

    def _cli(self, node: ast.Call, callee: str, short: str) -> bool:
        """``add_argument("--lr", default=0.01)`` and friends; ``True`` when it is a CLI call."""
        if not (short == "add_argument" or callee.startswith(("click.", "typer.", "argparse."))):
            return False
        flags = [
            a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
        ]
        dest = next((kw.value for kw in node.keywords if kw.arg == "dest"), None)
        if isinstance(dest, ast.Constant) and isinstance(dest.value, str):
            flags.insert(0, dest.value)
        default = next((kw.value for kw in node.keywords if kw.arg == "default"), None)
        if (
            short in ("Option", "Argument")
            and node.args
            and not isinstance(node.args[0], ast.Constant)
        ):
            default = None
        elif short in ("Option", "Argument") and node.args:
            default = node.args[0]
            flags = flags[1:]
        if default is None or not flags:
            return True
        flag = max(flags, key=len).lstrip("-").replace("-", "_")
        self._default(flag, default, f"the command-line option `{max(flags, key=len)}`", node)
        return True

    def _defaults(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        pairs: list[tuple[ast.arg, ast.expr | None]] = list(
            zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
        )
        pairs.extend(zip(args.kwonlyargs, args.kw_defaults, strict=True))
        owner = self.scope[-1] if self.in_class_body[-1] and self.scope else None
        hydra = owner is not None and owner in self.facts.targets
        label = f"`{owner or node.name}`" + (" (instantiated by Hydra)" if hydra else "")
        for arg, given in pairs:
            default = given
            if default is None:
                continue
            if isinstance(default, ast.Call) and _callee(default.func).endswith(
                ("typer.Option", "typer.Argument")
            ):
                if not default.args:
                    continue
                default = default.args[0]
            self._default(arg.arg, default, f"parameter `{arg.arg}` of {label}", node)

    def _default(self, name: str, default: ast.expr, where: str, owner: ast.AST) -> None:
        classified = self.classify(name)
        if classified is None:
            return
        kind, canonical = classified
        ok = _is_int(default) if kind == "seed" else _is_number(default) and not _trivial(default)
        if not ok:
            return
        value = self.text(default)
        key = self._proposed_key(kind, canonical)
        line = getattr(owner, "lineno", default.lineno)
        self._emit(
            DEFAULT,
            default,
            f"{where} defaults to `{value}`; fine for a quick run, but pass the value the "
            f"pipeline uses from {self.facts.main} (`{key}: {value}`).",
            f"default:{self.where}:{name}",
            {
                "group": f"{self.module.path}:{line}:{name}",
                "key": key,
                "value": value,
                "config_file": self.facts.main,
            },
        )

    def _search_space(self, node: ast.Call, callee: str, group: str, anchor: str) -> None:
        if not node.args or not isinstance(node.args[0], ast.Constant):
            return
        name = node.args[0].value
        bounds = [a for a in node.args[1:] if _is_number(a)]
        bounds += [
            kw.value for kw in node.keywords if kw.arg in ("low", "high") and _is_number(kw.value)
        ]
        if not isinstance(name, str) or not bounds:
            return
        value = ", ".join(_text(b) for b in bounds)
        key = f"search.{name}"
        self._emit(
            HYPERPARAMETER,
            node,
            f"The search range of `{name}` ({value}) is hard-coded in `{callee}()`; "
            f"suggest `{key}: [{value}]` in {self.facts.main}.",
            f"search:{self.where}:{name}",
            {"group": group, "key": key, "value": f"[{value}]", "config_file": self.facts.main},
        )

    def _quantile(self, node: ast.Call, callee: str, short: str, group: str, anchor: str) -> None:
        index = (
            0
            if isinstance(node.func, ast.Attribute)
            and callee.split(".", 1)[0]
            not in (
                "np",
                "numpy",
                "torch",
            )
            else 1
        )
        candidates = node.args[index : index + 1] + [
            kw.value for kw in node.keywords if kw.arg in ("q", "quantile", "percentile")
        ]
        scale = 100.0 if "percentile" in short else 1.0
        for cand in candidates:
            values = cand.elts if isinstance(cand, ast.List | ast.Tuple) else [cand]
            for value in values:
                if not _is_number(value):
                    continue
                q = _number(value) / scale
                if q <= 0.1 or q >= 0.9:
                    site = (f"`{callee}()`", group, anchor)
                    self._value("threshold", f"{short}_cutoff", value, site)

    # -- dicts, comparisons, path joins ------------------------------------------------------

    def visit_Dict(self, node: ast.Dict) -> None:
        pairs = [
            (k.value, v)
            for k, v in zip(node.keys, node.values, strict=True)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        ]
        named = [(k, v, self.classify(k)) for k, v in pairs]
        for value in node.values:
            self.parents[id(value)] = node
        paramish = [k for k, _, c in named if c is not None] + [
            k for k, _ in pairs if k in T.AMBIGUOUS
        ]
        parent = self.parents.get(id(node))
        var = _assigned_name(parent)
        hint = isinstance(parent, ast.Call | ast.Dict | ast.keyword) or bool(
            var and _PARAMISH_VAR.search(var)
        )
        dict_name = var or "dict"
        group = f"{self.module.path}:{node.lineno}:{dict_name}"
        anchor = f"{self.where}:{dict_name}"
        where = f"the `{var}` dict" if var else "a dict literal"
        if paramish and (len(paramish) >= 2 or hint):
            for key, value, classified in named:
                kind, canonical = classified or (("hp", key) if key in T.AMBIGUOUS else ("", ""))
                if not kind or (key in T.AMBIGUOUS and len(paramish) < 2):
                    continue
                if kind == "seed" and _is_int(value):
                    self._value("seed", canonical, value, (where, group, anchor), key=key)
                elif kind != "seed" and _is_number(value) and not _trivial(value):
                    self._value(kind, canonical, value, (where, group, anchor), key=key)
                elif kind == "hp" and _is_grid(value):
                    self._value("hp", canonical, value, (where, group, anchor), key=key)
        for _, value in pairs:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                self._maybe_path(value, where, group, anchor)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        if all(isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE) for op in node.ops):
            others = [o for o in operands if not _is_float(o)]
            literals = [o for o in operands if _is_float(o) and not _trivial(o)]
            if literals and others and all(not _is_difference(o) for o in others):
                tokens = set().union(*(self._tokens(o) for o in others))
                if tokens & T.SCORE_TOKENS:
                    subject = _short(_text(others[0]), 40)
                    site = (
                        f"the comparison with `{subject}`",
                        f"{self.module.path}:{node.lineno}:compare",
                        f"{self.where}:compare:{subject}",
                    )
                    for literal in literals:
                        self._value("threshold", _threshold_name(tokens), literal, site)
        self.generic_visit(node)

    def _tokens(self, node: ast.expr) -> set[str]:
        words = _tokens(node)
        for sub in ast.walk(node):
            origin = self.derived[-1].get(sub.id) if isinstance(sub, ast.Name) else None
            if origin is not None:
                words |= _tokens(origin)
        return words

    def classify(self, name: str) -> tuple[str, str] | None:
        if name not in self.classified:
            self.classified[name] = self.know.classify(name)
        return self.classified[name]

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if id(node) not in self.handled and isinstance(node.op, ast.Div):
            value = _path_literal(node)
            if value is not None:
                for child in ast.walk(node):
                    self.handled.add(id(child))
                if _path_kind(value):
                    self._path(
                        node,
                        value,
                        "a path expression",
                        f"{self.module.path}:{node.lineno}:path",
                        f"{self.where}:path",
                    )
                return
        self.generic_visit(node)

    # -- emitting ----------------------------------------------------------------------------

    def _maybe_path(self, node: ast.expr, where: str, group: str, anchor: str) -> None:
        if id(node) in self.handled:
            return
        value = _path_literal(node)
        if value is None or not _path_kind(value):
            return
        for child in ast.walk(node):
            self.handled.add(id(child))
        self._path(node, value, where, group, anchor)

    def _path(self, node: ast.expr, value: str, where: str, group: str, anchor: str) -> None:
        self.handled.add(id(node))
        shown = _short(value, 60)
        known = self.facts.with_value(value)
        details: dict[str, Detail] = {"group": group, "value": value}
        if known is not None:
            details.update(key=known.key, config_file=known.file)
            message = (
                f"Path `{shown}` is hard-coded in {where}, although {known.file} already has "
                f"`{known.key}: {known.value}`; read it from there."
            )
        else:
            key = _path_key(value)
            details.update(key=key, config_file=self.facts.main)
            message = (
                f"Path `{shown}` is hard-coded in {where}; suggest `{key}: {shown}` "
                f"in {self.facts.main}."
            )
        self._emit(DATA_PATH, node, message, f"path:{self.where}:{value}", details)

    def text(self, node: ast.expr) -> str:
        """The literal as written (``1e-3``, not ``0.001``)."""
        line, end = node.lineno, node.end_lineno
        if line == end and node.end_col_offset is not None and line <= len(self.lines):
            raw = self.lines[line - 1].encode("utf-8")
            return raw[node.col_offset : node.end_col_offset].decode("utf-8", "replace")
        return _text(node)

    def _value(
        self,
        kind: str,
        name: str,
        node: ast.expr,
        site: tuple[str, str, str],
        *,
        call: bool = False,
        key: str | None = None,
    ) -> None:
        """Report a literal hyperparameter, seed or threshold, checking the configuration.

        ``site`` is ``(where, group, anchor)``: the phrase naming the place, the group key
        and the anchor prefix.
        """
        where, group, anchor = site
        value = self.text(node)
        shown_name = key or name
        if call or key:
            written, place = f"`{shown_name}={value}`", f" in {where}"
        elif " = " in where:  # an assignment: ``NAME = value`` says it all
            written, place = where, ""
        else:
            written, place = f"`{value}`", f" in {where}"
        rule = {"hp": HYPERPARAMETER, "seed": SEED, "threshold": THRESHOLD}[kind]
        details: dict[str, Detail] = {"group": group, "value": value, "name": shown_name}
        counterparts = self.facts.counterparts(name) if not name.endswith("_cutoff") else []
        if isinstance(node, ast.List | ast.Tuple):  # a grid or a tuple: compare with lists only
            counterparts = [leaf for leaf in counterparts if isinstance(leaf.value, str)]
        same = next((leaf for leaf in counterparts if _same(leaf, node)), None)
        if counterparts and same is None:
            leaf = _best(counterparts, group)
            details.update(key=leaf.key, config_file=leaf.file, config_value=str(leaf.value))
            message = (
                f"{written}{place} here; {leaf.file} has `{leaf.key}: {leaf.value}`. Code and "
                f"configuration disagree: read the value from {leaf.file}."
            )
            rule = CONTRADICTION
        elif same is not None:
            details.update(key=same.key, config_file=same.file, config_value=str(same.value))
            message = (
                f"{written} is hard-coded{place}, although {same.file} already has "
                f"`{same.key}: {same.value}`; read it from there."
            )
        else:
            proposed = self._proposed_key(kind, name)
            details.update(key=proposed, config_file=self.facts.main)
            message = (
                f"{written} is hard-coded{place}; suggest `{proposed}: {value}` "
                f"in {self.facts.main}."
            )
        self._emit(rule, node, message, f"{kind}:{anchor}.{shown_name}", details)

    def _proposed_key(self, kind: str, name: str) -> str:
        if kind == "seed":
            return "seed"
        if kind == "threshold":
            if name.endswith("_cutoff") or name in ("max_missing_rate", "correlation_threshold"):
                return f"features.{name}"
            return f"evaluate.{name}"
        return f"{self.facts.section}.{name}"

    def _emit(
        self,
        rule: Rule,
        node: ast.expr | ast.stmt | ast.AST,
        message: str,
        anchor: str,
        details: dict[str, Detail],
    ) -> None:
        line = getattr(node, "lineno", None)
        col = getattr(node, "col_offset", None)
        end_col = getattr(node, "end_col_offset", None)
        self.found.append(
            rule.finding(
                self.module.path,
                message,
                line=line,
                column=None if col is None else col + 1,
                end_line=getattr(node, "end_lineno", None),
                end_column=None if end_col is None else end_col + 1,
                anchor=anchor,
                details=details,
            )
        )


# -- helpers ---------------------------------------------------------------------------------


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return f"{_callee(func.value)}.{func.attr}"
    if isinstance(func, ast.Call):
        return _callee(func.func) + "()"
    if isinstance(func, ast.Subscript):
        return _callee(func.value) + "[...]"
    return "call"


def _quiet(callee: str, short: str, root: str) -> bool:
    if short in T.QUIET_CALLS or root in ("re", "regex", "logging", "logger", "log", "st"):
        return True
    if root in T.PLOT_ROOTS or short in T.PLOT_CALLS or ".plot." in callee:
        return True
    return short.endswith(("Error", "Exception", "Warning"))


def _number(node: ast.expr) -> float:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_number(node.operand)
    assert isinstance(node, ast.Constant) and isinstance(node.value, int | float)
    return float(node.value)


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _is_int(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int


def _is_float(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is float


def _is_number_seq(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Tuple | ast.List)
        and bool(node.elts)
        and all(_is_number(e) for e in node.elts)
    )


def _is_grid(node: ast.expr) -> bool:
    """A search-grid value: a list of numbers (``None`` allowed, as in ``max_depth``)."""
    if not isinstance(node, ast.List | ast.Tuple) or len(node.elts) < 2:
        return False
    numbers = [e for e in node.elts if _is_number(e)]
    rest = [e for e in node.elts if not _is_number(e)]
    return bool(numbers) and all(isinstance(e, ast.Constant) and e.value is None for e in rest)


def _trivial(node: ast.expr) -> bool:
    return _is_number(node) and _number(node) in (0.0, 1.0, -1.0)


def _is_difference(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
        return True
    return isinstance(node, ast.Call) and _callee(node.func).rsplit(".", 1)[-1] in ("abs", "fabs")


def _tokens(node: ast.expr) -> set[str]:
    words: set[str] = set()
    for sub in ast.walk(node):
        text = ""
        if isinstance(sub, ast.Name):
            text = sub.id
        elif isinstance(sub, ast.Attribute):
            text = sub.attr
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            text = sub.value
        if text and len(text) < 60:
            lowered = text.lower()
            words.update(re.split(r"[^a-z0-9]+", lowered))
            words.add(re.sub(r"[^a-z0-9]", "", lowered))
    return words


def _threshold_name(tokens: set[str]) -> str:
    if tokens & {"missing", "isna", "isnull", "null", "nan"}:
        return "max_missing_rate"
    if tokens & {"pvalue", "pvalues", "pval", "pvals"}:
        return "p_value_threshold"
    if tokens & {"corr", "correlation"}:
        return "correlation_threshold"
    if tokens & {"auc", "f1", "accuracy", "acc", "precision", "recall"}:
        return "min_score"
    return "threshold"


def _text(node: ast.expr) -> str:
    return ast.unparse(node)


def _short(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 3] + "..."


def _assigned_name(parent: ast.AST | None) -> str | None:
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
    elif isinstance(parent, ast.AnnAssign):
        target = parent.target
    elif isinstance(parent, ast.keyword):
        return parent.arg
    else:
        return None
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return None


def _same(leaf: Leaf, node: ast.expr) -> bool:
    if (
        _is_number(node)
        and isinstance(leaf.value, int | float)
        and not isinstance(leaf.value, bool)
    ):
        return abs(_number(node) - float(leaf.value)) <= 1e-12 * max(1.0, abs(float(leaf.value)))
    if isinstance(node, ast.List | ast.Tuple) and isinstance(leaf.value, str):
        return leaf.value.replace(" ", "") == _text(node).replace(" ", "")
    return False


def _best(leaves: list[Leaf], group: str) -> Leaf:
    """The counterpart whose key shares most words with the call (``xgb.max_depth`` for XGB)."""
    words = set(re.split(r"[^a-z0-9]+", group.lower()))
    return max(leaves, key=lambda leaf: len(words & set(leaf.key.lower().split("."))))


def _path_name(name: str) -> bool:
    parts = re.split(r"[^a-z0-9]+", name.lower())
    return bool(parts) and parts[-1] in T.PATH_NAME_TOKENS


def _path_literal(node: ast.expr) -> str | None:
    """A literal location's text: a string, ``Path("a") / "b"``, ``os.path.join("a", "b")``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = _path_literal(node.left)
        right = _path_literal(node.right)
        if left is not None and right is not None and isinstance(node.left, ast.Call | ast.BinOp):
            return left.rstrip("/") + "/" + right
        return None
    if isinstance(node, ast.Call):
        callee = _callee(node.func)
        if callee in ("Path", "pathlib.Path", "PurePath", "PurePosixPath") and len(node.args) == 1:
            return _path_literal(node.args[0])
        if callee in ("os.path.join", "path.join", "join", "osp.join") and len(node.args) >= 2:
            parts = [_path_literal(a) for a in node.args]
            if all(p is not None for p in parts):
                return "/".join(p.rstrip("/") for p in parts if p is not None)
    return None


_WINDOWS = re.compile(r"^[A-Za-z]:[\\/]|^\\\\[\w.-]+\\")


def _path_kind(value: str) -> str | None:
    """``remote``, ``absolute``, ``url`` or ``relative`` when ``value`` is a data location."""
    if not value or len(value) > 300 or "\n" in value or "{" in value or "%" in value:
        return None
    if value.startswith(T.REMOTE_PREFIXES):
        return "remote"
    lowered = value.lower().split("?", 1)[0]
    if value.startswith(("http://", "https://")):
        data_url = lowered.endswith(T.DATA_EXTENSIONS) or "raw.githubusercontent" in lowered
        return "url" if data_url else None
    if lowered.endswith(T.CONFIG_EXTENSIONS) or lowered.rsplit("/", 1)[-1] in T.CONFIG_FILE_NAMES:
        return None
    if value.startswith(T.ABSOLUTE_PREFIXES) or _WINDOWS.match(value):
        return "absolute"
    if any(c.isspace() for c in value) or (
        value.startswith(("-", ".", "<")) and not value.startswith(("./", "../"))
    ):
        return None
    parts = value.replace("\\", "/").split("/")
    if any(p in ("conf", "configs", "config", "tests", "fixtures") for p in parts[:-1]):
        return None
    if value.startswith(T.DATA_DIRS):
        return "relative"
    stem = parts[-1].rsplit(".", 1)[0]
    if lowered.endswith(T.DATA_EXTENSIONS) and stem and set(stem) - {"*", "?"}:
        return "relative" if not stem.startswith("*") or len(parts) > 1 else None
    return None


def _path_key(value: str) -> str:
    name = value.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    stem = name.split(".", 1)[0] or "location"
    slug = re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_") or "location"
    section = (
        "output"
        if value.startswith(("models/", "model/", "outputs/", "output/", "artifacts/"))
        else "data"
    )
    return f"{section}.{slug}"


SPEC = FamilySpec(name="params", rules=RULES, options=OPTIONS, check=check)
