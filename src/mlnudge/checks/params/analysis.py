"""The params analysis of one module: one walk of its syntax tree, findings out.

:class:`Analyser` is driven by :func:`mlnudge.checks.params.analyse`; it knows the tables
(:mod:`params_tables`) through :class:`Knowledge` and the repository's configuration through
:class:`~mlnudge.checks.params.config.ConfigFacts`. Every finding carries
``details["group"] = "<path>:<line>:<callee or name>"`` (the literals of one call share it);
the findings are written by :class:`~mlnudge.checks.params.emit.Emitter`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import replace

from mlnudge.checks.params import paths as P
from mlnudge.checks.params import search as S
from mlnudge.checks.params import surroundings as W
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.blends import blend_weights, not_tops
from mlnudge.checks.params.config import ConfigFacts
from mlnudge.checks.params.defaults import Slice
from mlnudge.checks.params.drivers import DriverCommands
from mlnudge.checks.params.emit import Emitter
from mlnudge.checks.params.forwarded import Foreign, class_init, imported_calls
from mlnudge.checks.params.layers import fold_count, hidden_widths, zoo_presets
from mlnudge.checks.params.literals import (
    chain_tests,
    constructor_api,
    cut_offs,
    fills_key,
    is_config_class,
    message_choice,
    missing_key_guard,
    params_dict_attribute,
    repeated_cutoffs,
    running_best,
    sacred_config,
    smoke_test,
    split_fraction,
    split_share,
    split_shares,
    split_window,
    step_decay,
    threshold_list_name,
)
from mlnudge.checks.params.selftest import random_input_demo, self_test_functions
from mlnudge.checks.params.syntax import (
    Knowledge,
    assigned_name,
    cli_call,
    drawing_call,
    expr_tokens,
    hydra_classes,
    is_int,
    is_number,
    is_number_seq,
    numeric_choice,
    quiet_call,
    sections_read,
    source_text,
    target_name,
    trivial,
)
from mlnudge.checks.params.thresholds import model_output
from mlnudge.checks.params.walk import Walker
from mlnudge.facts.repo import PyModule
from mlnudge.facts.syntax import scope_nodes
from mlnudge.finding import Finding, Severity
from mlnudge.project import name_kind, split_words

callee_name = P.callee_name


class Analyser(Emitter, DriverCommands, Walker):
    def __init__(
        self,
        module: PyModule,
        know: Knowledge,
        facts: ConfigFacts,
        *,
        skip_main: bool | str = False,
        returns: tuple[tuple[str, tuple[str, ...]], ...] = (),
        helpers: tuple[str, ...] = (),
        defaults: Slice = (),
        cli: tuple[str, ...] | None = None,
        imported: tuple[Foreign, ...] = (),
    ) -> None:
        super().__init__()
        self.module = module
        #: a script the pipeline runs: the flags its commands pass or the project mentions
        self.cli = cli
        #: how the project calls this module's top-level functions and classes
        self.defaults = defaults
        #: top-level classes in scikit-learn's style (``fit`` and ``predict``/``transform``)
        #: and the project's own optimizers and schedulers: constructors that are an API
        self.estimators = {
            stmt.name
            for stmt in module.tree.body
            if isinstance(stmt, ast.ClassDef) and constructor_api(stmt)
        }
        #: the module's configuration classes (a class deriving from one is one too)
        self.config_classes: set[str] = set()
        #: ``(function or "*", names)``: how callers elsewhere unpack this module's functions
        self.returns = returns
        #: the names a caller gives the values the current top-level function returns
        self.returned: list[tuple[str, ...]] = []
        #: a package module's ``if __name__ == "__main__":`` block is a smoke test, not a run
        if skip_main == "random":
            # any other module: its block is a try-out only when it feeds a network it
            # defines nothing but generated tensors
            skip_main = "inspects" if random_input_demo(module.tree) else False
        self.skip_main = skip_main
        #: the functions only that block runs, when they are a try-out too (a demo's values)
        self.self_tests = (
            self_test_functions(module.tree, inspects=skip_main == "inspects")
            if skip_main
            else frozenset()
        )
        self.know = know
        self.facts = facts
        self.scope: list[str] = []
        #: per scope: variable -> the expression last assigned to it (for threshold subjects)
        self.derived: list[dict[str, ast.expr]] = [{}]
        self.classified: dict[str, tuple[str, str] | None] = {}
        #: a model zoo's named presets (``WideNet16 = partial(WideNet, depth=16)``): architecture
        self.handled: set[int] = zoo_presets(module.tree)
        #: nodes inside a reported search space: their literals get no other finding
        self.space: set[int] = set()
        self.found: list[Finding] = []
        self.lines = module.source.splitlines()
        #: what holds a dict literal (an assignment, a call, a keyword, another dict)
        self.parents: dict[int, ast.AST] = {}
        #: sums not read as a blend (see :mod:`.blends`), found when first asked
        self._not_blends: set[int] | None = None
        self.search_vars = S.search_vars(module.tree, module.source)
        #: names handed to an environment variable as its fallback
        #: (``os.getenv("MODEL_PATH", DEFAULT_MODEL_DIR)``): the variable is their setting
        self.env_fallbacks = frozenset(W.ENV_FALLBACK.findall(module.source))
        self.logged = frozenset(W.LOGGED_ARTIFACT.findall(module.source))
        #: bare file names the module deletes or logs by name: temporary files of a run
        self.scratch = W.scratch_names(module.source)
        #: an offline Kaggle kernel: the platform fixes its input mounts and submission file
        self.kernel = P.offline_kernel(module.source)
        #: names handed to a call whose paths are inside a tracking run (``log_model(NAME)``)
        self.in_run = W.run_relative_names(module.source)
        #: comparisons of an ``if`` whose branches write a prediction -> the words written
        self.deciding: dict[int, set[str]] = {}
        #: spaces filled item by item, per (function, variable): their members, in order
        self.item_spaces: dict[tuple[str, str], list[list[tuple[ast.expr, str]]]] = {}
        #: whether the module evaluates or predicts and trains nothing (no ``.train(``/
        #: ``.fit(``): a trainer there has no training settings that matter
        self.evaluates_only = (
            re.search(r"\.(?:evaluate|predict)\s*\(", module.source) is not None
            and re.search(r"\.(?:train|fit)\s*\(", module.source) is None
        )
        #: a module that rebuilds a network only to load trained weights into it and predict
        #: (``load_state_dict`` and ``.eval()``, never an optimizer step, ``.backward()``,
        #: ``.train()`` or ``.fit()``): its layers' dropout rates change nothing
        self.restores_only = (
            "load_state_dict" in module.source
            and ".eval()" in module.source
            and re.search(r"\.(?:train|fit|backward|step)\s*\(|optim", module.source) is None
        )
        #: hidden widths of the module's fully connected networks -> their keyword; a
        #: training or pipeline script's are warnings, a model module's information
        self.widths = hidden_widths(module.tree)
        self.entry = name_kind(module.path) in ("train", "pipeline")
        #: whether the module imports Sacred (its ``@ex.config`` functions are configuration)
        self.sacred = re.search(r"^\s*(?:from|import)\s+sacred\b", module.source, re.M) is not None
        #: whether any ``*.suggest_*`` call exists (an Optuna objective is looked for only then)
        self.suggests = "suggest_" in module.source
        #: numeric entries of named dicts under no known name: (dict, key) -> (value, site,
        #: owner); and (dict, key) read into a hyperparameter keyword -> (kind, canonical)
        self.entries: dict[tuple[str, str], tuple[ast.expr, tuple[str, str, str], str]] = {}
        self.fed, self.loose, self.fed_names = {}, {}, {}  # (see UsageSettings)
        #: threshold comparisons per line: one finding per line, emitted at the end
        self.compares: dict[int, list[tuple[ast.Compare, list[ast.expr], set[str]]]] = {}
        #: classes of this module a Hydra config instantiates -> (config file, key prefix)
        self.hydra = hydra_classes(module.path, facts)
        #: config sections the call being analysed reads elsewhere (``cfg["train"]["epochs"]``)
        self.reads: list[set[str]] = [set()]
        #: dicts that are the fallback of a config read for a missing section -> where
        self.fallbacks: dict[int, str] = {}
        #: ``from lightgbm import early_stopping as lgb_es``: alias -> the imported name
        self.aliases: dict[str, str] = {}
        #: the functions being walked; the names each binds (they shadow module constants)
        #: are found only when a constant is looked up inside it
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.bound: dict[int, set[str]] = {}
        #: module constants that hold a path part: name -> (text, value node)
        self.constants = self._path_constants(module.tree)
        #: the module's own top-level functions -> their positional parameter names
        self.own: dict[str, list[str]] = {
            stmt.name: [a.arg for a in [*stmt.args.posonlyargs, *stmt.args.args]]
            for stmt in module.tree.body
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        #: the module's own top-level classes with an ``__init__`` -> its positional names
        self.own_classes: dict[str, list[str]] = {
            stmt.name: [a.arg for a in [*init.args.posonlyargs, *init.args.args]][1:]
            for stmt in module.tree.body
            if isinstance(stmt, ast.ClassDef) and (init := class_init(stmt)) is not None
        }
        #: the project's functions of other modules it imports, under the callee text this
        #: module calls them by -> (positional names, what each parameter is handed to)
        self.foreign = imported_calls(module.tree, imported)
        #: per call being analysed: whether it takes tuned numbers by keyword
        self.tuned_call: list[bool] = [False]
        #: the project's own helpers: defined here, or imported relatively or from this file's
        #: own top-level package (``from src.utils import load_pkl`` in ``src/train.py``)
        top = module.path.split("/", 1)[0] if "/" in module.path else ""
        # (anywhere in the module: ``try: from src.utils import load`` and a function's own
        # import name the project's helpers as a top-level import does)
        from_imports = [s for s in scope_nodes(module.tree) if isinstance(s, ast.ImportFrom)]
        self.helpers: set[str] = set(self.own) | {
            alias.asname or alias.name
            for stmt in from_imports
            if stmt.level > 0 or (top and (stmt.module or "").split(".")[0] == top)
            for alias in stmt.names
        }
        #: imported from a flat module of the project (``from utils import save_artifact``)
        self.helpers |= set(helpers)
        #: names of the project's own classes and functions this module calls bare: defined
        #: here or imported from the project (a library call of the same name is another)
        # (a class named as a library class it also imports, ``from sklearn.svm import SVC``
        # then ``class SVC(Base)``, is a wrapper: its calls of the name mean the library's)
        named_imports = {
            alias.asname or alias.name for stmt in from_imports for alias in stmt.names
        }
        self.project_names = frozenset(self.helpers) | {
            stmt.name
            for stmt in module.tree.body
            if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and stmt.name not in named_imports - self.helpers
        }
        # a helper of this module that opens what it is given (``def read(name): return
        # pd.read_parquet(name)``) holds no folder: a bare name handed to it is read from the
        # working directory, a location like any other
        self.helpers -= W.pass_through_helpers(module.tree)

    def run(self) -> list[Finding]:
        self._tried_tables()
        self.visit(self.module.tree)
        self._flush_compares()
        self._flush_fed_entries()
        self._flush_item_spaces()
        return self.found

    # -- scopes ------------------------------------------------------------------------------

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.asname and alias.asname != alias.name:
                self.aliases[alias.asname] = alias.name

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self._loop(node)  # the loop variable stands for its items; a loop may be a search
        count = fold_count(node)
        if count is not None:  # ``for fold in range(5):`` runs five folds, as ``KFold(5)``
            group = f"{self.module.path}:{node.lineno}:range"
            self._value("hp", "n_folds", count, ("the fold loop", group, f"{self.where}:range"))
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_ListComp(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp) -> None:
        # the generators first: ``[1 if p > 0.5 else 0 for p in probs]`` compares a probability
        for generator in node.generators:
            self._iterates(generator.target, generator.iter)
        self.generic_visit(node)

    visit_SetComp = visit_ListComp
    visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node: ast.DictComp) -> None:
        for generator in node.generators:
            self._iterates(generator.target, generator.iter)
        self.generic_visit(node)

    def _iterates(self, target: ast.expr, iterable: ast.expr) -> None:
        """A loop variable stands for the items of what it iterates (threshold subjects)."""
        if isinstance(target, ast.Name):
            self.derived[-1][target.id] = iterable

    def visit_If(self, node: ast.If) -> None:
        if self.skip_main and smoke_test(node, inspects=self.skip_main == "inspects"):
            # a try-out's settings are its own, except a path only its author's machine has
            self._machine_paths(W.personal_paths(node.body), "a `__main__` try-out")
            for child in node.orelse:
                self.visit(child)
            return
        # ``if p > 0.5: ... elif p <= 0.5:``: one cut-off, reported at its first comparison
        self.handled.update(id(literal) for literal in repeated_cutoffs(node))
        if id(node) not in self.handled and message_choice(
            node, self.functions[-1] if self.functions else self.module.tree
        ):
            # ``if share > 0.7: status = "high drift"`` then only printed: the words of a
            # message, not a decision (the chain's ``elif`` links are decided here too)
            for test in chain_tests(node):
                self.handled.update(id(child) for child in ast.walk(test))
        if isinstance(node.test, ast.Compare):
            # ``if p <= 0.5: y_pred[i] = 0 else: y_pred[i] = 1``: a comparison whose branches
            # write the prediction decides it, whatever the compared value is called
            written = [
                target
                for stmt in [*node.body, *node.orelse]
                if isinstance(stmt, ast.Assign) and len(node.body) + len(node.orelse) <= 4
                for target in stmt.targets
            ]
            words = set().union(*(expr_tokens(t) for t in written)) if written else set()
            if words & T.SCORE_TOKENS:
                self.deciding[id(node.test)] = words & T.SCORE_TOKENS
        if not (len(node.body) == 1 and isinstance(node.body[0], ast.Raise)):
            self._size_gate(node.test, node.body)  # (a check that only raises validates)
        guard = missing_key_guard(node.test)
        if guard is not None and self.facts.has_part(guard[0]):
            # ``if "db_path" not in cfg: cfg["db_path"] = "data/x.db"`` with a parameter file
            # that has ``db_path``: the configuration's default, as ``cfg.get(key, default)``
            key, holder = guard
            self.visit(node.test)
            for child in node.body:
                if not fills_key(child, key, holder):
                    self.visit(child)
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self.sacred and sacred_config(node):
            # Sacred's ``@ex.config``: its local variables are the experiment's configuration
            # (each overridable as ``with lr=0.01``); only a secret is reported
            for sub in ast.walk(node):
                if isinstance(sub, ast.Assign) and len(sub.targets) == 1:
                    self._secret_assignment(sub.targets[0], sub.value)
            return
        if not self.scope and node.name in self.self_tests:
            # run only by a module's ``__main__`` try-out: its settings are the demo's own
            self._machine_paths(W.personal_paths(node.body), "a `__main__` try-out")
            return
        # a function's own default arguments are its signature, not a pipeline's settings
        outer = self.returned
        self.returned = (
            [names for function, names in self.returns if function in ("*", node.name)]
            if not self.scope
            else []
        )
        if not self.scope:
            self._relied_defaults(node, node.name, method=False)
        elif len(self.scope) == 1 and not self.functions:
            self._method_defaults(node, self.scope[0])
        self.scope.append(node.name)
        self.derived.append({})
        self.functions.append(node)
        self._optuna(node)
        self._lr_schedule(node)
        self._machine_paths([*node.args.defaults, *node.args.kw_defaults], "a default argument")
        for child in node.body:
            self.visit(child)
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.derived.pop()
        self.functions.pop()
        self.scope.pop()
        self.returned = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def _machine_paths(self, values: Sequence[ast.expr | None], where: str) -> None:
        """A signature's values are its interface, except a path that exists on one machine
        (``/home/jacob/...``): it breaks the run everywhere else, default or not."""
        for value in values:
            if value is None:
                continue
            text = P.path_literal(value) or W.personal_path(value)
            if text is not None and (P.path_kind(text) == "absolute" or W.personal_path(value)):
                group = f"{self.module.path}:{value.lineno}:default"
                self._path(value, text, where, group, f"{self.where}:default")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append(node.name)
        holder = not is_config_class(node, self.config_classes)
        if not holder:
            self.config_classes.add(node.name)
        for child in node.body:
            if holder and isinstance(child, ast.Assign) and params_dict_attribute(child):
                # a model wrapper's `initial_params = {...}`: the model's settings, in code
                self.visit(child)
                continue
            if holder and isinstance(child, ast.Assign) and self._setting_attribute(child):
                # ``n_folds = 10`` on a target encoder with methods: the class fixes its
                # setting in code, as a module constant would
                self._assignment(child.targets[0], child.value)
                continue
            if holder and isinstance(child, ast.Assign) and len(child.targets) == 1:
                # ``n_trees = 300`` read as ``RandomForestClassifier(n_estimators=
                # self.n_trees)``: kept until the end, named by what it is handed to
                attribute, number = child.targets[0], child.value
                if isinstance(attribute, ast.Name) and is_number(number):
                    group = f"{self.module.path}:{number.lineno}:{attribute.id}"
                    where = f"`{attribute.id} = {source_text(number)}`"
                    self.loose.setdefault(("<attr>", attribute.id), []).append(
                        (number, (where, group, f"{self.where}:{attribute.id}="))
                    )
            if isinstance(child, ast.Assign | ast.AnnAssign | ast.AugAssign):
                # fields of a dataclass / pydantic / attrs / NamedTuple config class (and any
                # class attribute) are configuration, in every form; only a secret is reported
                value = child.value
                targets = child.targets if isinstance(child, ast.Assign) else [child.target]
                if value is not None and len(targets) == 1:
                    self._secret_assignment(targets[0], value)
                continue
            self.visit(child)
        self.scope.pop()

    def _setting_attribute(self, node: ast.Assign) -> bool:
        """A class attribute with a well-known hyperparameter or seed name and a number."""
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            return False
        classified = self.classify(node.targets[0].id)
        return classified is not None and (is_number(node.value) or numeric_choice(node.value))

    @property
    def where(self) -> str:
        return ".".join(self.scope) or "<module>"

    # -- assignments -------------------------------------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        self.parents[id(node.value)] = node
        if len(node.targets) == 1:
            self._assignment(node.targets[0], node.value)
            self._assigned_rows(node.targets[0], node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.value, ast.BinOp) and (part := split_fraction(node.value)) is not None:
            # ``score -= len(issues) * 0.1``: a count weighted into a running total, no split
            self.handled.add(id(part))
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.parents[id(node.value)] = node
            self._assignment(node.target, node.value)
        self.generic_visit(node)

    def _item_space(self, target: ast.expr, value: ast.expr) -> bool:
        """``space = dict(); space["max_depth"] = range(1, 50)``: a search space filled item by
        item is one space, as the dict literal would be (reported once, at the end)."""
        if isinstance(target, ast.Name) and S.space_context(
            target.id, None, value, self.search_vars
        ):
            empty = (isinstance(value, ast.Dict) and not value.keys) or (
                isinstance(value, ast.Call)
                and callee_name(value.func) == "dict"
                and not value.args
                and not value.keywords
            )
            if empty:  # a new space under that name (an earlier one stays what it was)
                self.item_spaces.setdefault((self.where, target.id), []).append([(value, "")])
            return False
        if not (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and isinstance(target.slice, ast.Constant)
            and isinstance(target.slice.value, str)
            and S.space_context(target.value.id, None, value, self.search_vars)
            and S.is_dimension(value)
        ):
            return False
        groups = self.item_spaces.setdefault((self.where, target.value.id), [[]])
        groups[-1].append((target, target.slice.value))
        groups[-1].append((value, ""))
        for child in ast.walk(value):
            self.space.add(id(child))
        return True

    def _flush_item_spaces(self) -> None:
        for (where, var), groups in self.item_spaces.items():
            for members in groups:
                names = [name for _, name in members if name]
                if names:
                    nodes = [m for m, _ in members]
                    self._space(nodes, var, names, "the dict", where=where)

    def _assignment(self, target: ast.expr, value: ast.expr) -> None:
        if self._item_space(target, value):
            return
        if isinstance(target, ast.Name) and not isinstance(value, ast.Constant):
            earlier = self.derived[-1].get(target.id)
            rebinds = (
                earlier is not None
                and model_output(earlier)
                and any(isinstance(s, ast.Name) and s.id == target.id for s in ast.walk(value))
            )
            if not rebinds:  # ``gender = "M" if gender > 0.5 else "F"``: the model's output
                self.derived[-1][target.id] = value
        elif isinstance(target, ast.Tuple) and isinstance(value, ast.Call):
            # ``age, gender = model(face)``: each name stands for part of what the call returned
            for element in target.elts:
                if isinstance(element, ast.Name):
                    self.derived[-1][element.id] = value
        if self._secret_assignment(target, value):
            return
        name = target_name(target)
        if name is None:
            return
        group = f"{self.module.path}:{value.lineno}:{name}"
        anchor = f"{self.where}:{name}="
        if isinstance(value, ast.List | ast.Tuple) and value.elts:
            self._path_list(name, value, group, anchor)
        location = P.path_literal(value, self._constant)
        if location is not None and (
            name in self.env_fallbacks or W.scratch_file(value, name, self.logged)
        ):  # ``os.getenv("MODEL_PATH", DEFAULT_DIR)``: configurable; a logged run file
            return
        scope = self.functions[-1] if self.functions else self.module.tree
        if location is not None and W.env_read_before(scope, name, value.lineno):
            # ``path = os.getenv("MODEL_PATH")`` then ``if path is None: path = "m.pkl"``
            self.handled.update(id(child) for child in ast.walk(value))
            return
        if location is not None and not isinstance(value, ast.BinOp):
            remote_id = (P.names_an_id(name) or name in self.in_run) and P.path_kind(location) in (
                None,
                "relative",
            )
            if (
                not P.names_a_pattern(name)
                and not remote_id
                and not self._helper_name(scope, name, location)
                and self._is_location(
                    value,
                    location,
                    named=P.is_path_name(name) or P.names_data_file(name, location),
                )
            ):
                self._path(value, location, f"`{name}`", group, anchor, direction=None)
            return
        shares = split_shares(value)
        for part, part_share in shares:
            # ``SPLITS = {"train": 0.8, "val": 0.1, "test": 0.1}``: each part's share
            site = (f"`{name}`", group, anchor)
            self._value("hp", f"{part}_share", part_share, site, key=part)
        if shares:
            return
        classified = self.classify(name)
        fraction = split_share(name, value) if classified is None or not is_number(value) else None
        if fraction is not None and id(fraction) not in self.handled:
            # ``len_train = int(len(data) * 0.7)``: the share of the data a split keeps
            site = (f"`{name}`", group, anchor)
            self._value("hp", "split_fraction", fraction, site, key="split_fraction")
            return
        window = split_window(name, value) if classified is None else None
        if window is not None and id(window) not in self.handled:
            # ``split_date = start + timedelta(days=8 * 7)``: the history a split trains on
            site = (f"`{name}`", group, anchor)
            self._value("hp", "train_window", window, site, key="train_window")
            return
        if classified is None:
            return self._loose(target, value, (f"`{name} = {source_text(value)}`", group, anchor))
        kind, canonical = classified
        if kind == "seed" and not (is_int(value) or numeric_choice(value, ints=True)):
            return
        if kind != "seed" and not (
            (is_number(value) and not trivial(value))
            or numeric_choice(value)
            or (canonical in T.TUPLE_VALUED and is_number_seq(value))
            or (threshold_list_name(canonical) and cut_offs(value))
        ):
            return
        if isinstance(target, ast.Name) and running_best(scope, name, value.lineno):
            return  # ``best_thresh = 0.5`` before a loop keeping the best candidate
        shown = source_text(target) if isinstance(target, ast.Subscript) else name
        self._value(kind, canonical, value, (f"`{shown} = {source_text(value)}`", group, anchor))

    # -- calls -------------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        callee = callee_name(node.func)
        self._fed_keywords(node, callee)
        short = callee.rsplit(".", 1)[-1]
        root = callee.split(".", 1)[0]
        self._secret_arguments(node, callee)
        self._mounts(node, callee)
        self._driver(node, callee)  # ``os.system(f"python train.py --lr {lr}")``
        if (probe := W.environment_probe(node, callee)) is not None:  # ``exists("/kaggle")``
            self.handled.add(id(probe))
        if short == "savefig" and node.args:  # a figure written into the project's folders
            where, group = f"`{callee}()`", f"{self.module.path}:{node.lineno}:{callee}"
            self._maybe_path(node.args[0], where, group, f"{self.where}:{callee}", callee=callee)
        if short in ("log_artifact", "log_artifacts") and root == "mlflow":
            # the local file a run uploads is read from the project's folders: a location
            # (where it goes inside the run, ``artifact_path``, is the run's business)
            local = node.args[:1] + [
                kw.value for kw in node.keywords if kw.arg in ("local_path", "local_dir")
            ]
            where, group = f"`{callee}()`", f"{self.module.path}:{node.lineno}:{callee}"
            text = P.path_literal(local[0]) if local else None
            if text is not None and "/" in text.replace("\\", "/").strip("/"):
                # (a bare file name is as often read as the name of the run's artifact)
                self._maybe_path(local[0], where, group, f"{self.where}:{callee}", callee=callee)
        fallback = self._config_fallback(node, callee, short)
        if fallback is not None:
            self.visit(fallback)
        if quiet_call(callee, short, root):
            if drawing_call(callee, short, root):
                # ``plot_tree(m, save_path="reports/figures/tree.png")``: the drawing is
                # presentation, where the figure is written is an output, as for ``savefig``
                for kw in node.keywords:
                    if kw.arg is not None and P.is_path_keyword(kw.arg):
                        where, group = f"`{callee}()`", f"{self.module.path}:{node.lineno}:{callee}"
                        anchor = f"{self.where}:{callee}"
                        self._maybe_path(kw.value, where, group, anchor, callee="savefig")
            self.visit(node.func)  # the receiver may hold code; the arguments are presentation
            return
        if cli_call(callee, short):
            # a CLI default is the signature of an entry point, not a hard-coded run, except
            # a path that exists on one machine only
            defaults = [kw.value for kw in node.keywords if kw.arg == "default"]
            self._machine_paths(defaults, f"the `{callee}()` default")
            self._entry_point_default(node, callee, defaults)
            self._unpassed_default(node, callee, defaults)
            return
        group = f"{self.module.path}:{node.lineno}:{callee}"
        anchor = f"{self.where}:{callee}"
        for arg in node.args:
            self.parents[id(arg)] = node
        for kw in node.keywords:
            self.parents[id(kw.value)] = kw
        if short == "dict" and root == "dict" and node.keywords and not node.args:
            pairs = [(kw.arg, kw.value) for kw in node.keywords if kw.arg is not None]
            self._mapping(node, pairs)
            self.generic_visit(node)
            return
        if short in T.SEED_CALLS and node.args and is_int(node.args[0]):
            site = (f"`{callee}()`", group, anchor)
            self._value("seed", "seed", node.args[0], site, call=True)
        spec = self.know.spec(callee, short)
        if spec is not None and callee in self.project_names:
            spec = None  # ``class UNet`` of the project is not MONAI's ``UNet``: its own API
        if spec is None and callee in self.aliases:  # a listed call under another name
            original = self.aliases[callee]
            spec = self.know.spec(original, original)
        if spec is None and (
            callee in self.own or callee in self.foreign or callee in self.own_classes
        ):
            self._own_positional(node, callee, group, anchor)
            self._tried_space(node, callee)
        if spec is not None and spec.kind == "layer" and self.restores_only:
            spec = None  # ``nn.Dropout(0.4)`` rebuilt to load weights: inactive at inference
        if spec is not None:
            for index, name in spec.positional:
                if index >= len(node.args):
                    continue
                arg = node.args[index]
                listed = name in T.TUPLE_VALUED and is_number_seq(arg)
                if listed or (is_number(arg) and not trivial(arg)):
                    site = (f"`{callee}()`", group, anchor)
                    self._value("hp", name, arg, site, call=True, owner=short)
        if self.widths and not self.restores_only:
            self._hidden_width(node, callee, group, anchor, short)
        pretrained = (
            short in T.PRETRAINED_CALLS
            or callee.endswith("hub.load")
            or callee.startswith("sys.path.")  # where code is imported from, not data
        )
        if pretrained:  # hub ids, weight URLs and hub file names are not the project's data
            if short == "from_pretrained" and node.args:
                self._local_model_folder(node.args[0], callee, group, anchor)
            for sub in [*node.args, *(kw.value for kw in node.keywords)]:
                if isinstance(sub, ast.Constant | ast.JoinedStr | ast.BinOp):
                    for child in ast.walk(sub):
                        self.handled.add(id(child))
        if short in T.ZOO_WEIGHTS_CALLS and node.args:
            weights = P.path_literal(node.args[0])
            if weights is not None and "/" not in P.normalise(weights):
                # ``YOLO("yolov8s.pt")``: official weights fetched by name, a hub id
                self.handled.update(id(child) for child in ast.walk(node.args[0]))
        evaluation = self._evaluation(node, short, spec)
        self.reads.append(sections_read(node))
        # a call of the project's own that takes tuned numbers (``LitModel(lr=0.002, ...)``)
        # takes tuned string choices too (``optimizer="adam"``)
        self.tuned_call.append(
            any(
                kw.arg is not None
                and is_number(kw.value)
                and (c := self.classify(kw.arg)) is not None
                and c[0] == "hp"
                for kw in node.keywords
            )
        )
        # a trainer in a module that never trains or fits (``Trainer(...).evaluate()`` in an
        # evaluation script): its training settings change nothing; where it writes still is
        idle = spec is not None and spec.kind == "trainer" and self.evaluates_only
        for kw in node.keywords:
            if kw.arg is None:
                continue
            if evaluation and "batch" in kw.arg:
                continue  # the batch size of inference or evaluation changes no result
            if idle and not P.is_path_keyword(kw.arg):
                continue
            self._keyword(kw.arg, kw.value, spec, (callee, group, anchor, short))
        self.reads.pop()
        self.tuned_call.pop()
        if short in ("quantile", "percentile", "nanquantile", "nanpercentile"):
            self._quantile(node, callee, short, group, anchor)
        if split_words(short) & {"outlier", "outliers"}:
            self._outlier_bounds(node, callee, group, anchor)
        if short in ("clip", "clip_upper", "clip_lower", "apply", "map"):
            self._column_cap(node, callee, short, group, anchor)
        run_relative = short in W.RUN_RELATIVE_CALLS
        if (
            not pretrained
            and not run_relative
            and not (short == "join" and P.path_literal(node) is None)
        ):
            bare = (P.is_output_call(callee) and short not in ("mkdir", "makedirs")) or callee in (
                "Path",
                "pathlib.Path",
            )
            for arg in node.args[:2]:
                self._maybe_path(arg, f"`{callee}()`", group, anchor, bare=bare, callee=callee)
        for place in W.object_places(node, short):  # ``s3.upload_file(f, bucket, "m/x.pt")``
            self._maybe_path(place, f"`{callee}()`", group, anchor, callee=callee)
        if short == "replace":
            self._cwd_replace(node, group, anchor)
        if callee in P.JOIN_CALLS and P.path_literal(node, self._constant) is None:
            self._join_into_folder(node, callee, group, anchor)
        self.generic_visit(node)

    def _hidden_width(
        self, node: ast.Call, callee: str, group: str, anchor: str, short: str
    ) -> None:
        """``Dense(64)`` in a small network the application defines: a tuned width, a
        warning in a training script and information in a model module (how the labels of the
        dev corpus read them: a model module's widths are often the architecture on purpose)."""
        for arg in [*node.args, *(kw.value for kw in node.keywords)]:
            name = self.widths.get(id(arg))
            if name is None:
                continue
            before = len(self.found)
            where = f"`{callee}()`, a hidden layer's width"
            self._value("hp", name, arg, (where, group, anchor), owner=short)
            if not self.entry:
                self.found[before:] = [
                    replace(f, severity=Severity.INFO) for f in self.found[before:]
                ]

    # -- search spaces -----------------------------------------------------------------------

    # -- comparisons, path joins -------------------------------------------------------------

    def classify(self, name: str) -> tuple[str, str] | None:
        if name not in self.classified:
            self.classified[name] = self.know.classify(name)
        return self.classified[name]

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Add) and id(node) not in self.handled:
            self._rooted_folder(node)
            self._blend(node)
        if isinstance(node.op, ast.Pow) and (parts := step_decay(node)) is not None:
            # ``lr * (0.1 ** (epoch // 30))``: a hand-written schedule's factor and step
            group = f"{self.module.path}:{node.lineno}:schedule"
            site = ("a hand-written step schedule", group, f"{self.where}:schedule")
            self._value("hp", "gamma", parts[0], site, key="lr_decay_factor", owner="schedule")
            self._value("hp", "step_size", parts[1], site, key="lr_decay_step", owner="schedule")
        fraction = split_fraction(node)
        if fraction is not None and id(fraction) not in self.handled:
            # ``int(len(ds) * 0.8)``: the share of the data a split keeps is a tuned setting
            group = f"{self.module.path}:{node.lineno}:split"
            site = ("a split size", group, f"{self.where}:split")
            self._value("hp", "split_fraction", fraction, site, key="split_fraction")
        if id(node) not in self.handled and isinstance(node.op, ast.Div):
            value = P.path_literal(node, self._constant)
            if value is not None:
                for child in ast.walk(node):
                    self.handled.add(id(child))
                parent = self.parents.get(id(node))
                name = assigned_name(parent)
                if name in self.env_fallbacks:
                    return  # the fallback of an environment variable: configurable already
                if self._is_location(node, value, named=True) and not (
                    name and P.names_a_pattern(name)
                ):
                    where = f"`{name}`" if name else "a path expression"
                    group = f"{self.module.path}:{node.lineno}:{name or 'path'}"
                    self._path(node, value, where, group, f"{self.where}:path")
                return
        self.generic_visit(node)

    def _blend(self, node: ast.BinOp) -> None:
        """``(resnet * 0.6 + senet * 0.4) * 0.15 + vgg * 0.85``: a blend's weights (see
        :mod:`.blends`), one finding each; a blend inside a class is architecture."""
        if self._not_blends is None:
            self._not_blends = not_tops(self.module.tree)
        if id(node) in self._not_blends:
            return
        target = assigned_name(self.parents.get(id(node)))
        weights = blend_weights(node, target)
        if not weights:
            return
        group = f"{self.module.path}:{node.lineno}:blend"
        site = ("a blend's weights", group, f"{self.where}:blend")
        for weight in weights:
            self._value("hp", "blend_weight", weight, site, key="blend_weight", owner="blend")

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        if id(node) in self.handled:
            return
        self._rooted_fstring(node)
        self.generic_visit(node)
