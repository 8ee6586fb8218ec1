"""Family 2 (MLN2xx): parameters isolated in configuration, not hard-coded.

``check(ctx)`` reads the repository's parameter files once (:mod:`params_config`) and hands
the resulting facts to :func:`analyse`, a pure function of a module's source, the options and
those facts (:mod:`params_analysis`), so its results are cached per file. What counts as a
hyperparameter, seed, threshold, location, credential or search space is data in
:mod:`params_tables`, :mod:`params_paths`, :mod:`params_secrets` and :mod:`params_search`.

Every finding carries ``details["group"] = "<path>:<line>:<callee or name>"``: the literals of
one call (or one dict, or one constant) share it, so reports can show them together.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import replace
from functools import partial

import pathspec

from mlnudge.checks.base import CheckContext, FamilySpec, in_cell
from mlnudge.checks.params.analysis import Analyser
from mlnudge.checks.params.config import (
    ConfigFacts,
    candidate_files,
    collect,
    gather,
    kedro_base,
    mlproject_files,
    parameter_files,
)
from mlnudge.checks.params.defaults import CALL_FACTS, CallIndex, Slice
from mlnudge.checks.params.defaults import key as defaults_key
from mlnudge.checks.params.forwarded import FORWARD_FACTS, Foreign, foreign
from mlnudge.checks.params.forwarded import key as foreign_key
from mlnudge.checks.params.imports import IMPORT_FACTS, imported_modules, own_helpers
from mlnudge.checks.params.returns import UNPACK_FACTS, Unpack, for_module, relevant
from mlnudge.checks.params.returns import key as returns_key
from mlnudge.checks.params.rules import (
    CREDENTIAL,
    HYPERPARAMETER,
    RULES,
    SEARCH_SPACE,
    SEED,
    SPREAD,
)
from mlnudge.checks.params.runs import COMMAND_FACTS, RUNNER_RE, TEXT_SUFFIXES, Commands
from mlnudge.checks.params.syntax import Knowledge
from mlnudge.facts.access import FileFacts
from mlnudge.facts.prefetch import FindingsJob, findings_many
from mlnudge.facts.repo import PyModule
from mlnudge.finding import Finding
from mlnudge.project import (
    NOTEBOOK_DIRS,
    is_test_path,
    name_kind,
    notebook_twin,
    pipeline_notebook,
    production_training_scripts,
)
from mlnudge.settings import Option, Options, path_matches

__all__ = ["OPTIONS", "RULES", "SPEC", "Knowledge", "analyse", "check"]

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

FILE_CODES = ("MLN201", "MLN202", "MLN203", "MLN204", "MLN205", "MLN208", "MLN209")
#: where a library keeps documentation: its notebooks and scripts there show explicit values
#: on purpose
DOC_DIRS = frozenset(
    {"docs", "doc", "examples", "example", "tutorials", "tutorial", "demo", "demos", "notebooks"}
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.any_enabled(*(r.code for r in RULES)):
        return
    facts = _config_facts(ctx)
    if ctx.any_enabled(*FILE_CODES):
        know = Knowledge.of(ctx.options)
        commands = _CommandSlices(ctx)
        results = partial(
            _file_results,
            ctx,
            facts=facts,
            know=know,
            pipeline=_PipelineNotebooks(ctx),
            unpacks=_unpacks(ctx, know, commands.runs),
            calls=_CallSlices(ctx, commands.runs),
            commands=commands,
            functions_of=_Forwards(ctx, know, commands.runs),
        )
        found = results(ctx.target_files(*PYTHON))
        index = _ProposalIndex(ctx, facts, commands.runs)
        if ctx.targets is None:
            index.store(found)
            yield from distinct_keys(found)
        elif not any(f.details.get("proposed") is True for f in found):
            yield from distinct_keys(found)
        else:
            # a proposed key is renamed when another file proposes it with another value: the
            # hook run needs the other files' proposals (stored by the last whole run, or
            # their cached findings: they are not read)
            focus = set(ctx.targets)
            others = index.load(focus)
            if others is not None:
                yield from distinct_keys(found, others)
            else:
                rest = [p for p in ctx.repo.files if p.endswith(PYTHON) and p not in focus]
                errors = ctx.repo.errors
                before = len(errors)
                found += results(rest)
                # the other files' read and syntax errors are not this run's to report
                errors[before:] = [e for e in errors[before:] if e.path in focus]
                yield from (f for f in distinct_keys(found) if f.path in focus)
    if ctx.enabled(SPREAD.code):
        yield from _spread(ctx, facts)


PYTHON = (".py", ".ipynb")


class _ProposalIndex:
    """The proposals of every file after a whole run, stored with the digest of every Python
    file (and keyed by the configuration and what decides each file's scope), so a hook run
    renames keys as the whole run does without loading every file's findings."""

    def __init__(self, ctx: CheckContext, facts: ConfigFacts, runs: Callable[[str], bool]) -> None:
        self.ctx = ctx
        self.runs = runs
        cache = ctx.cache
        project = ctx.project
        scope = [project.profile, project.packaging, project.packages, ctx.config.notebooks_dir]
        self.key = (
            ""
            if cache is None
            else cache.make_key(cache.salt, "params", "proposals", facts.key(), json.dumps(scope))
        )

    def _digests(self, exclude: Collection[str] = ()) -> dict[str, str | None]:
        """The digest of every file the family analyses (tests and ``setup.py`` are not)."""
        return {
            p: self.ctx.digest(p)
            for p in self.ctx.repo.files
            if p.endswith(PYTHON) and p not in exclude and _analysed(p, self.ctx, self.runs)
        }

    def store(self, found: list[Finding]) -> None:
        if self.ctx.cache is None:
            return
        entry = {
            "files": self._digests(),
            "proposals": [[f.path, *p] for f in found for p in proposals([f])],
        }
        if self.ctx.cache.get_facts(self.key) != entry:  # unchanged: the store stays clean
            self.ctx.cache.put_facts(self.key, entry)

    def load(self, focus: Collection[str]) -> list[tuple[str, str, str]] | None:
        """The other files' proposals, or ``None`` when any of them changed since."""
        if self.ctx.cache is None:
            return None
        entry = self.ctx.cache.get_facts(self.key)
        if not isinstance(entry, dict):
            return None
        try:
            stored = {p: d for p, d in entry["files"].items() if p not in focus}
            if stored != self._digests(focus):
                return None
            rows = [(str(k), str(o), str(v)) for p, k, o, v in entry["proposals"] if p not in focus]
        except (AttributeError, KeyError, TypeError, ValueError):
            return None
        return rows


#: one file's analysis: ``(path, compute, extra)`` for :meth:`CheckContext.file_findings`


def _file_results(
    ctx: CheckContext,
    paths: Iterable[str],
    *,
    facts: ConfigFacts,
    know: Knowledge,
    pipeline: Callable[[], bool],
    unpacks: list[Unpack] | None = None,
    calls: Callable[[str], Slice] = lambda path: (),
    commands: _CommandSlices | None = None,
    functions_of: Callable[[str], tuple[Foreign, ...]] = lambda path: (),
) -> list[Finding]:
    """The findings of ``paths``, each in its scope (none for tests and ``setup.py``)."""
    extra = facts.key()
    jobs: list[FindingsJob] = []
    scopes: list[str] = []
    listing: set[str] | None = None
    helper_modules: frozenset[str] | None = None
    for path in paths:
        if not _analysed(path, ctx, commands.runs if commands is not None else _never):
            continue
        # a package module a runner runs (``python src/make_dataset.py`` in a Makefile) is an
        # entry point: its ``__main__`` block is the run, not a smoke test
        smoke: bool | str = _smoke_test_block(ctx, path) and not (
            commands is not None and commands.runs(path)
        )
        if not smoke and path.endswith(".py") and name_kind(path) is None:
            # a flat module the code imports (``from data import load_data`` in ``train.py``)
            # is a helper: a block that looks at what it made tries it out, unless a runner
            # runs the module as the script
            if helper_modules is None:
                helper_modules = _helper_modules(ctx)
            if path in helper_modules and not (
                commands is not None and commands.runs_directly(path)
            ):
                smoke = "inspects"
            elif not (commands is not None and commands.runs(path)):
                # any other module: a network's demo on generated tensors is a try-out
                smoke = "random"
        returns = for_module(path, unpacks or ())
        helpers: tuple[str, ...] = ()
        imported = ctx.facts(path, IMPORT_FACTS) if path.endswith(".py") else None
        if isinstance(imported, list) and imported:
            listing = set(ctx.repo.files) if listing is None else listing
            helpers = own_helpers(path, imported, listing)
        defaults = calls(path)
        cli = commands(path) if commands is not None else None
        functions = functions_of(path)
        compute = partial(
            analyse,
            options=ctx.options,
            facts=facts,
            skip_main=smoke,
            know=know,
            returns=returns,
            helpers=helpers,
            defaults=defaults,
            cli=cli,
            imported=functions,
        )
        tail = f"|returns:{returns_key(returns)}" if returns else ""
        tail += f"|helpers:{','.join(helpers)}" if helpers else ""
        tail += f"|defaults:{defaults_key(defaults)}" if defaults else ""
        tail += f"|cli:{','.join(cli)}" if cli is not None else ""
        tail += f"|imported:{foreign_key(functions)}" if functions else ""
        jobs.append((path, compute, f"{extra}|main:{smoke}{tail}"))
        scope = _scope(ctx, path, pipeline_notebooks=pipeline)
        if scope != "secrets" and _beside_notebooks(ctx, path):
            # a script beside the exploration notebooks (``notebooks/eda/explore.py``) is
            # exploration too: its values would only ever be info, and were never right
            scope = "secrets"
        elif scope != "secrets" and _exploration_twin(ctx, path, commands):
            scope = "secrets"
        scopes.append(scope)
    found: list[Finding] = []
    for scope, results in zip(scopes, _findings_many(ctx, jobs), strict=True):
        if scope == "secrets":
            found.extend(f for f in results if f.rule == CREDENTIAL.code)
        elif scope == "objectives":
            found.extend(
                f
                for f in results
                if f.rule == CREDENTIAL.code
                or (f.rule == SEARCH_SPACE.code and f.details.get("objective") == "optuna")
            )
        elif scope == "paths":
            found.extend(f for f in results if f.rule not in (HYPERPARAMETER.code, SEED.code))
        else:
            found.extend(results)
    return found


def _unpacks(ctx: CheckContext, know: Knowledge, runs: Callable[[str], bool]) -> list[Unpack]:
    """Every ``a, epochs, lr = f(...)`` of the repository's Python files that names a setting
    (text facts: an unchanged file is not read)."""
    rows: list[Unpack] = []
    for path in ctx.repo.files:
        if not path.endswith(".py") or not _analysed(path, ctx, runs):
            continue
        data = ctx.facts(path, UNPACK_FACTS)
        if not isinstance(data, list):
            continue
        for names, kind, target in data:
            rows.append((tuple(str(n) for n in names), str(kind), str(target)))
    return relevant(rows, lambda name: know.classify(name) is not None)


class _CallSlices:
    """Per module: how the project's other code calls its top-level functions and classes
    (from every non-test file's call facts, read once per run when first asked)."""

    def __init__(self, ctx: CheckContext, runs: Callable[[str], bool]) -> None:
        self.ctx = ctx
        self.runs = runs
        self.index: CallIndex | None = None

    def __call__(self, path: str) -> Slice:
        facts = self.ctx.facts(path, CALL_FACTS)
        if not isinstance(facts, dict) or not facts.get("defs"):
            return ()
        if self.index is None:
            rows = [
                (other, self.ctx.facts(other, CALL_FACTS))
                for other in self.ctx.repo.files
                if other.endswith(PYTHON) and _analysed(other, self.ctx, self.runs)
            ]
            self.index = CallIndex((p, row) for p, row in rows if isinstance(row, dict))
        return self.index.slice(path, (str(d) for d in facts["defs"]))


class _Forwards:
    """Per module: the project functions it calls that one other module defines, with their
    parameters and the library keywords those are handed to (from every analysed module's
    forward facts, read once per run when first asked)."""

    def __init__(self, ctx: CheckContext, know: Knowledge, runs: Callable[[str], bool]) -> None:
        self.ctx = ctx
        self.know = know
        self.runs = runs
        self.index: dict[str, list[tuple[str, object]]] | None = None

    def __call__(self, path: str) -> tuple[Foreign, ...]:
        facts = self.ctx.facts(path, CALL_FACTS)
        if not isinstance(facts, dict) or not isinstance(facts.get("calls"), dict):
            return ()
        called = [str(name) for name in facts["calls"] if "." not in str(name)]
        if not called:
            return ()
        if self.index is None:
            self.index = {}
            for other in self.ctx.repo.files:
                if not other.endswith(".py") or not _analysed(other, self.ctx, self.runs):
                    continue
                rows = self.ctx.facts(other, FORWARD_FACTS)
                if isinstance(rows, dict):
                    for name, row in rows.items():
                        self.index.setdefault(str(name), []).append((other, row))
        defined = [str(d) for d in facts.get("defs", [])]
        return foreign(path, called, defined, self.index, self.know)


class _CommandSlices:
    """Per script: the flags the pipeline's commands pass it or the project mentions
    (``None`` when no runner runs it), from every text file's command facts, read once per
    run when first asked."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.commands: Commands | None = None

    def _commands(self) -> Commands:
        if self.commands is None:
            files = self.ctx.repo.files
            rows = [
                (p, self.ctx.facts(p, COMMAND_FACTS))
                for p in files
                if p.endswith(TEXT_SUFFIXES) and (RUNNER_RE.search(p) or not is_test_path(p))
            ]
            self.commands = Commands(rows, set(files))
        return self.commands

    def runs_directly(self, path: str) -> bool:
        """Whether a runner of the project runs ``path`` itself as a script."""
        return path in self._commands().passed

    def runs(self, path: str) -> bool:
        """Whether a runner of the project runs ``path`` as a script, or a script it runs
        imports ``path`` from its own folder (``from data_split import split`` beside
        ``testing/test_cnn.py``): that module is part of the script."""
        passed = self._commands().passed
        if path in passed:
            return True
        folder, _, name = path.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        for script in passed:
            if script.rpartition("/")[0] != folder or not script.endswith(".py"):
                continue
            rows = self.ctx.facts(script, IMPORT_FACTS)
            if isinstance(rows, list) and any(
                isinstance(row, list) and row and row[0] == stem for row in rows
            ):
                return True
        return False

    def __call__(self, path: str) -> tuple[str, ...] | None:
        if not path.endswith(".py") or path not in self._commands().passed:
            return None
        assert self.commands is not None
        own = self.ctx.facts(path, COMMAND_FACTS)
        flags = own.get("defined", []) if isinstance(own, dict) else []
        return self.commands.slice(path, [str(f) for f in flags])


def _beside_notebooks(ctx: CheckContext, path: str) -> bool:
    """A Python script in the notebooks folder (or a ``notebooks/``-like folder) that the
    configuration calls exploration, unless ``include-notebooks`` asks for those."""
    if ctx.options.bool("include-notebooks") or ctx.config.stage_of(path) != "exploration":
        return False
    home = ctx.config.notebooks_dir.rstrip("/") + "/"
    return path.startswith(home) or bool(NOTEBOOK_DIRS.intersection(path.split("/")[:-1]))


def _exploration_twin(ctx: CheckContext, path: str, commands: _CommandSlices | None) -> bool:
    """The text form of an exploration notebook (a jupytext ``eda.py`` beside ``eda.ipynb``)
    is that notebook: exploration, unless a runner runs the script or the notebook is part of
    the pipeline (:func:`mlnudge.project.pipeline_notebook`). The notebook side of a pair is
    never read: its script reports the code once."""
    if path.endswith(".ipynb"):  # the script side of the pair carries the findings
        return notebook_twin(ctx.store, path[: -len(".ipynb")] + ".py") == path
    if ctx.options.bool("include-notebooks") or (commands is not None and commands.runs(path)):
        return False
    twin = notebook_twin(ctx.store, path)
    return twin is not None and not pipeline_notebook(ctx.store, twin, ctx.project.served)


def _never(path: str) -> bool:
    return False


def _analysed(path: str, ctx: CheckContext, runs: Callable[[str], bool] = _never) -> bool:
    """Whether the family looks at a Python file at all (not tests, not ``setup.py``).

    A script the project's runners run (``python test_cnn.py`` in a ``run.sh``, in any folder)
    is an entry point, whatever its name or folder: pytest never runs a file that way.

    A script only *named* like a test outside a tests folder (``src/models/test_model.py``,
    which scores the trained model on the test split) is no test when its text has no test
    function, test class or test framework (a text fact: an unchanged file is not read)."""
    if path.endswith("setup.py"):
        return False
    if not is_test_path(path):
        return True
    if runs(path):
        return True
    parts = path.split("/")
    in_tests = any(p in ("tests", "test", "testing") for p in parts[:-1])
    if in_tests or parts[-1] == "conftest.py" or not path.endswith(".py"):
        return False
    return ctx.facts(path, TEST_CODE_FACTS) is False


_TEST_CODE = re.compile(
    r"^[ \t]*(?:async[ \t]+)?def[ \t]+test|^[ \t]*class[ \t]+Test|"
    r"^[ \t]*(?:import|from)[ \t]+(?:pytest|unittest|hypothesis|nose)\b",
    re.MULTILINE,
)


def _test_code(text: str) -> bool:
    """Whether a module has test functions or classes, or imports a test framework."""
    return _TEST_CODE.search(text) is not None


#: per file: whether a module named like a test holds tests (only asked of such modules)
TEST_CODE_FACTS = FileFacts(_test_code, "1", text=True)


def _findings_many(ctx: CheckContext, jobs: list[FindingsJob]) -> list[list[Finding]]:
    """Each job's findings, in order, through the per-file cache; many misses (a cold run) are
    analysed in worker processes."""
    return findings_many(ctx.store, ctx.family, jobs)


def _config_facts(ctx: CheckContext) -> ConfigFacts:
    """What the repository's parameter files say. With a cache, stored beside the digests of
    every file it was read from (and the read and syntax errors met), so a run over unchanged
    configuration does not read or parse it again; a changed, new or removed input reads
    everything again."""
    repo, cache = ctx.repo, ctx.cache
    if cache is None:
        return collect(repo)
    listing = json.dumps([candidate_files(repo), kedro_base(repo), mlproject_files(repo)])
    key = cache.make_key(cache.version, "params", "config", listing)
    stored = cache.get_facts(key)
    if isinstance(stored, dict):
        try:
            inputs = stored["inputs"]
            if all(
                path in repo.files and ctx.digest(path) == digest
                if digest is not None
                else path not in repo.files
                for path, digest in inputs.items()
            ):
                facts = ConfigFacts.from_json(stored["facts"])
                for path, kind, message, line in stored["errors"]:
                    repo.error(path, kind, message, line)
                return facts
        except (AttributeError, KeyError, TypeError, ValueError):
            pass  # an entry of another shape: read the configuration again
    facts, paths = gather(repo)
    digests = {path: ctx.digest(path) if path in repo.files else None for path in paths}
    errors = [
        [e.path, e.kind, e.message, e.line]
        for e in repo.errors
        if e.path in digests and e.kind != "internal"
    ]
    cache.put_facts(key, {"inputs": digests, "facts": facts.to_json(), "errors": errors})
    return facts


def _helper_modules(ctx: CheckContext) -> frozenset[str]:
    """The flat modules another (non-test) Python file of the project imports by name."""
    scripts = [p for p in ctx.repo.files if p.endswith(".py") and not is_test_path(p)]
    return imported_modules(scripts, lambda p: ctx.facts(p, IMPORT_FACTS), set(ctx.repo.files))


def _smoke_test_block(ctx: CheckContext, path: str) -> bool:
    """A package module that is not an entry point (``models/quantize.py``): its ``__main__``
    block tries the module out; the pipeline's settings are not there."""
    in_package = any(path.startswith(p + "/") for p in ctx.project.packages)
    return in_package and path.endswith(".py") and name_kind(path) is None


#: folders and file names of plotting code: how results are drawn, not how they are made
_VISUAL_WORDS = ("visuali", "viz", "plot", "figure", "dashboard")
#: folders named for plots in short (``visual/``, ``visuals/``): whole names only, as
#: ``visual`` inside a name is as often a model's part (``visual_encoder``)
_VISUAL_FOLDERS = frozenset({"visual", "visuals"})


class _PipelineNotebooks:
    """Whether the repository's notebooks are its pipeline (its Python files train nothing),
    asked only when a notebook's scope depends on it: answering reads every Python file."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.answer: bool | None = None

    def __call__(self) -> bool:
        if self.answer is None:
            self.answer = not production_training_scripts(self.ctx.repo, self.ctx.store)
        return self.answer


def _scope(
    ctx: CheckContext, path: str, *, pipeline_notebooks: Callable[[], bool] = lambda: False
) -> str:
    """``all`` (every params rule), ``paths`` (no hyperparameters or seeds: plotting code, where
    locations and cut-offs still count), ``secrets`` (only credentials) or ``objectives``
    (credentials and the search space of an Optuna objective: a library's own code).

    Documentation, exploration notebooks and the project's own config modules are only
    checked for credentials. Notebooks are exploration (``include-notebooks`` turns them
    on), except where they *are* the pipeline: outside a notebooks folder, in a repository
    whose Python files train nothing (``pipeline_notebooks``), a notebook that trains and
    writes a deliverable (:func:`mlnudge.project.pipeline_notebook`). In a library only training
    entry points are production code:
    model-zoo modules, a library's own ``trainer.py`` and helpers show their values on
    purpose, and its notebooks and examples are documentation.
    """
    parts = path.split("/")
    if parts[0] in ("docs", "doc"):
        return "secrets"
    notebook = path.endswith(".ipynb")
    home = ctx.config.notebooks_dir.rstrip("/") + "/"
    if notebook and not ctx.options.bool("include-notebooks"):
        in_folder = path.startswith(home) or NOTEBOOK_DIRS.intersection(parts[:-1])
        served = ctx.project.served
        if in_folder or not pipeline_notebooks() or not pipeline_notebook(ctx.store, path, served):
            return "secrets"
    if glob_matcher(tuple(ctx.options.list("config-modules")))(path):
        return "secrets"
    visual = [
        any(word in part.lower() for word in _VISUAL_WORDS)
        or (i < len(parts) - 1 and part.lower() in _VISUAL_FOLDERS)
        for i, part in enumerate(parts)
    ]
    computes = (
        not notebook and ctx.facts(path, MAIN_GUARD_FACTS) and not ctx.facts(path, DRAWS_FACTS)
    )
    if any(visual[:-1]) or (visual[-1] and not computes):
        # where figures go is a location; t-SNE's perplexity is presentation. A script named
        # for figures that imports no plotting library draws nothing: it runs what they show
        # (``produce_figure_data.py`` training each setting a figure compares)
        return "paths"
    # a tree without install metadata is an application whatever the detection says
    if ctx.project.profile == "library" and ctx.project.packaging:
        if notebook or DOC_DIRS.intersection(parts[:-1]):
            return "secrets"
        if name_kind(path) != "train":
            # a library's Optuna objective is the space every user's tuning searches: no
            # caller can hand it another (a grid can be replaced; an objective's code cannot)
            return "objectives"
        in_package = any(path.startswith(p + "/") for p in ctx.project.packages)
        if in_package and not ctx.facts(path, MAIN_GUARD_FACTS):
            return "objectives"
    return "all"


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


def analyse(
    module: PyModule,
    options: Options,
    facts: ConfigFacts | None = None,
    *,
    skip_main: bool | str = False,
    know: Knowledge | None = None,
    returns: tuple[tuple[str, tuple[str, ...]], ...] = (),
    helpers: tuple[str, ...] = (),
    defaults: Slice = (),
    cli: tuple[str, ...] | None = None,
    imported: tuple[Foreign, ...] = (),
) -> list[Finding]:
    """All params findings in one module: a pure function of its source, options and facts
    (``skip_main``: leave out the ``__main__`` block, a package module's smoke test, or with
    ``"inspects"`` a flat helper module's block that looks at what it made; ``know``:
    the tables merged with ``options``, built once per run by :func:`check`)."""
    know = know or Knowledge.of(options)
    found = Analyser(
        module,
        know,
        facts or ConfigFacts(),
        skip_main=skip_main,
        returns=returns,
        helpers=helpers,
        defaults=defaults,
        cli=cli,
        imported=imported,
    ).run()
    findings = sorted(_one_per_place(found), key=Finding.sort_key)
    findings = distinct_keys(findings)
    return [in_cell(module, f) for f in findings] if module.is_notebook else findings


def _one_per_place(found: Iterable[Finding]) -> list[Finding]:
    """A construct is reported once, by the first rule that claimed it."""
    seen: set[tuple[int | None, int | None, int | None, int | None]] = set()
    out = []
    for f in found:
        where = (f.line, f.column, f.end_line, f.end_column)
        if f.line is not None and where in seen:
            continue
        seen.add(where)
        out.append(f)
    return out


def distinct_keys(
    findings: list[Finding], others: Iterable[tuple[str, str, str]] = ()
) -> list[Finding]:
    """Proposed keys never collide: when one key would hold different values of different
    calls (four models' ``n_estimators``), each gets the name of its model, dict or folder;
    the other proposals of a renamed call follow, so one call's keys stay together.
    ``others``: the ``(key, owner, value)`` proposals of files not among ``findings``.
    """
    values: dict[str, dict[str, set[str]]] = {}
    for proposed_key, owner, value in [*others, *proposals(findings)]:
        values.setdefault(proposed_key, {}).setdefault(owner, set()).add(value)
    clashing = {
        key
        for key, by_owner in values.items()
        if len(by_owner) > 1 and len(set().union(*by_owner.values())) > 1
    }
    if not clashing:
        return findings
    renamed_groups = {
        (f.path, f.details.get("group"))
        for f in findings
        if f.details.get("key") in clashing and f.details.get("proposed") is True
    }
    out = []
    for f in findings:
        key = f.details.get("key")
        proposed = f.details.get("proposed") is True and isinstance(key, str)
        follows = f.rule == "MLN201" and (f.path, f.details.get("group")) in renamed_groups
        if not (proposed and isinstance(key, str) and (key in clashing or follows)):
            out.append(f)
            continue
        raw_owner = str(f.details.get("owner", ""))
        owner = _owner_part(raw_owner, f.path)
        section, _, name = key.rpartition(".")
        if not owner or owner in (name, section):
            owner = _file_part(f.path)
        if raw_owner.startswith("path:"):  # a location stays a leaf: `data.raw_loans`
            new = f"{section}.{owner}_{name}" if section else f"{owner}_{name}"
        else:
            new = f"{section}.{owner}.{name}" if section else f"{owner}.{name}"
        message = f.message.replace(f"`{key}: ", f"`{new}: ")
        out.append(replace(f, message=message, details={**f.details, "key": new}))
    return out


def proposals(findings: Iterable[Finding]) -> Iterator[tuple[str, str, str]]:
    """``(key, owner, value)`` of each finding that proposes a new key."""
    for f in findings:
        key = f.details.get("key")
        if f.details.get("proposed") is True and isinstance(key, str):
            yield key, str(f.details.get("owner", "")), str(f.details.get("value"))


_MODEL_SUFFIX = re.compile(r"_?(classifier|regressor|ranker|model|params|parameters|kwargs)$")


def _owner_part(owner: str, path: str) -> str:
    if owner.startswith("path:"):
        value = owner[5:].replace("\\", "/").rstrip("/")
        folder = value.rsplit("/", 2)[-2] if value.count("/") >= 1 else ""
        return re.sub(r"[^a-z0-9]+", "_", folder.lower()).strip("_") or _file_part(path)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", owner.rsplit(".", 1)[-1])
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", spaced)
    slug = re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")
    slug = _MODEL_SUFFIX.sub("", slug).strip("_")
    return slug or _file_part(path)


def _file_part(path: str) -> str:
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_") or "module"


@functools.lru_cache(maxsize=16)
def glob_matcher(globs: tuple[str, ...]) -> Callable[[str], bool]:
    """``path -> any(path_matches(path, glob) for glob in globs)``, with the globs compiled
    into one gitignore-style spec (a run asks it of every file). A negated glob (``!x``)
    would change what the combined spec means: then each glob is matched on its own."""
    if any(glob.strip().startswith("!") for glob in globs):
        return lambda path: any(path_matches(path, glob) for glob in globs)
    spec = pathspec.GitIgnoreSpec.from_lines([glob.strip().rstrip("/") or "*" for glob in globs])

    def matches(path: str) -> bool:
        if spec.match_file(path):
            return True
        parts = path.split("/")
        return any(spec.match_file("/".join(parts[:i]) + "/") for i in range(1, len(parts)))

    return matches


def _runs_as_script(text: str) -> bool:
    """Whether a module has a ``__main__`` block (a script, not only a library module)."""
    return "__main__" in text and "__name__" in text


#: per file: whether it runs as a script (a library's training module that does is an entry
#: point); from the text, so an unchanged file is not read again
MAIN_GUARD_FACTS = FileFacts(_runs_as_script, "1", text=True)

_DRAWING_IMPORT = re.compile(
    r"^\s*(?:from|import)\s+(?:matplotlib|seaborn|plotly|bokeh|altair|plotnine|pygal|holoviews"
    r"|hvplot|dash|streamlit|gradio|visdom|wandb|tensorboard|cv2|PIL)\b",
    re.M,
)


_PLOTS = re.compile(r"\bplt\.|\.savefig\(|\.plot\(|\.imshow\(")


def _draws(text: str) -> bool:
    """Whether a module imports a plotting, dashboard or imaging library, or plots."""
    return _DRAWING_IMPORT.search(text) is not None or _PLOTS.search(text) is not None


#: per file: whether it draws (a file named for figures that does not only computes them)
DRAWS_FACTS = FileFacts(_draws, "1", text=True)

SPEC = FamilySpec(
    name="params",
    rules=RULES,
    options=OPTIONS,
    check=check,
    file_facts=(
        MAIN_GUARD_FACTS,
        DRAWS_FACTS,
        UNPACK_FACTS,
        TEST_CODE_FACTS,
        CALL_FACTS,
        COMMAND_FACTS,
        FORWARD_FACTS,
        IMPORT_FACTS,
    ),
)
