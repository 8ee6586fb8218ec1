"""Hard-coded data locations (MLN202): the part of the params walk that finds them.

A mixin of :class:`~mlnudge.checks.params.analysis.Analyser`: it decides whether a string is a
location the pipeline reads or writes, in which direction, and what the parameter file should
say instead; it reads the walk's state and reports through the walk's ``_emit``.
"""

from __future__ import annotations

import ast
import re

from mlnudge.checks.params import paths as P
from mlnudge.checks.params import secrets as K
from mlnudge.checks.params import surroundings as W
from mlnudge.checks.params import tables as T
from mlnudge.checks.params.config import ConfigFacts
from mlnudge.checks.params.credentials import CredentialFinder
from mlnudge.checks.params.rules import DATA_PATH
from mlnudge.checks.params.syntax import assigned_name, shorten
from mlnudge.facts.syntax import scope_nodes
from mlnudge.finding import Detail

#: a partition folder whose value the code fills in (``date=`` of ``features/date={d}``)
_PARTITION = re.compile(r"(?:^|/)[A-Za-z_][\w-]*=$")
#: a command that puts files under data version control (``["dvc", "add", path]``,
#: ``"dvc add data/raw"``, ``git lfs track``): the paths it is given are what is versioned
_VERSIONING = re.compile(
    r"""["']dvc["']\s*,\s*["'](?:add|commit|push)["']|["']dvc (?:add|commit|push)\b"""
    r"""|["']git["']\s*,\s*["']lfs["']|git lfs track"""
)
#: keywords of container runners that mount host folders (``volumes=``, ``binds=``)
_MOUNT_KEYWORDS = frozenset({"volumes", "binds"})


class LocationFinder(CredentialFinder):
    """Reports paths and folders hard-coded where the pipeline reads or writes data."""

    facts: ConfigFacts
    #: what holds a dict literal (an assignment, a call, a keyword, another dict)
    parents: dict[int, ast.AST]
    #: nodes inside a reported search space: their literals get no other finding
    space: set[int]
    #: module constants that hold a path part: name -> (text, value node)
    constants: dict[str, tuple[str, ast.expr]]
    #: per function (the module first): what a name was last bound to (one assignment deep)
    derived: list[dict[str, ast.expr]]
    #: the functions being walked; the names each binds, found when first needed
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef]
    bound: dict[int, set[str]]
    #: the project's own helpers called by name (they know their folders)
    helpers: set[str]
    #: the project's own classes and functions this module calls bare
    project_names: frozenset[str]
    #: the enclosing classes and functions (empty at module level)
    scope: list[str]
    #: bare file names the module deletes or logs by name (temporary files of a run)
    scratch: frozenset[str]
    #: an offline Kaggle kernel (:func:`~mlnudge.checks.params.paths.offline_kernel`)
    kernel: bool
    #: names bound to parsed arguments, and names bound to one of their values
    _cli_roots: tuple[frozenset[str], frozenset[str]] | None = None

    def _mounts(self, node: ast.Call, callee: str) -> None:
        """``DockerOperator(volumes=["/home/me/project/data:/data"])``, ``docker.run(...,
        volumes={"/mnt/raw": {"bind": "/data"}})``: the host side of a container's mount is
        one machine's folder; the container side is the image's own and stays silent."""
        for kw in node.keywords:
            if kw.arg not in _MOUNT_KEYWORDS:
                continue
            items: list[ast.expr] = []
            if isinstance(kw.value, ast.List | ast.Tuple):
                items = list(kw.value.elts)
            elif isinstance(kw.value, ast.Dict):
                items = [k for k in kw.value.keys if k is not None]
                for bind in kw.value.values:  # ``{"bind": "/data"}``: inside the container
                    self.handled.update(id(child) for child in ast.walk(bind))
            for item in items:
                if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
                    continue
                host = item.value.split(":", 1)[0] if ":" in item.value[2:] else item.value
                if id(item) in self.handled or P.path_kind(host) != "absolute":
                    continue
                group = f"{self.module.path}:{item.lineno}:{callee}:{kw.arg}"
                where = f"`{callee}()`"
                self._path(item, host, where, group, f"{self.where}:{callee}")

    def _is_location(self, node: ast.expr, value: str, *, named: bool) -> bool:
        """Whether ``value`` (the text of ``node``) is a data location in this context.

        A relative path needs a folder (``../input/train.csv``) or a path-like name; a bare
        folder (``"data"``) counts only when built into a path (``Path("data") / "raw"``).
        """
        if isinstance(node, ast.Call | ast.BinOp) and P.cwd_folder(value):
            return True  # ``os.path.join(os.getcwd(), "features")``: ``./features/``
        kind = P.path_kind(value)
        if kind is None and named and P.folder_path(value):
            return True  # ``train_path = os.path.join("Faces", "Training")``
        if kind is None and named and (P.bare_dir(value) or P.parent_folder(value)):
            return True  # ``ARTIFACT_PATH = "artifacts"``, ``SUBMISSION_DIR = "../result/"``
        if kind is None and named and P.explicit_folder(value):
            return True  # ``image_dir = "./img"``
        # ``SAVED_RUNS_PATH = "saved_runs/"``: a module constant, and the slash says folder
        # (inside a function, ``dir = "train/"`` is a sub-folder under a root from elsewhere)
        module_folder = not self.scope and value.endswith("/") and P.named_folder(value)
        if kind is None and named and module_folder:
            return True
        if kind is None:
            built = isinstance(node, ast.BinOp | ast.Call)
            return (built or named) and P.bare_dir(value.split("/", 1)[0]) and "/" in value
        if kind != "relative":
            return True
        return named or "/" in P.normalise(value).rstrip("/")

    def _command_line_root(self, node: ast.expr) -> bool:
        """``args.path``, ``opt.data_dir``, ``sys.argv[1]``, or a name bound to one (``PATH =
        args.path``): a folder the script is given on its command line."""
        if self._cli_roots is None:
            self._cli_roots = W.command_line_roots(self.module.tree)
        parsed, roots = self._cli_roots
        if isinstance(node, ast.Name):
            return node.id in roots
        return W.command_line_value(node, parsed)

    def _maybe_path(
        self,
        node: ast.expr,
        where: str,
        group: str,
        anchor: str,
        *,
        bare: bool = False,
        callee: str = "",
    ) -> None:
        if id(node) in self.handled:
            return
        value = P.path_literal(node, self._constant)
        if (
            value is None
            and isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Div | ast.Add)
            and isinstance(node.right, ast.Constant | ast.JoinedStr)
        ):
            # ``project_dir / "data/raw/x.csv"``, ``root + "data/x.csv"``: the literal part
            if W.inside_run(node.left):
                return  # ``version.source + "artifacts/x.bin"``: a place inside the run
            if self._command_line_root(node.left):
                # ``args.path + "step-1/train.npz"``: a file under the script's own path
                # argument; the argument (whoever runs the script passes it) is the location
                self.handled.update(id(child) for child in ast.walk(node))
                return
            node = node.right
            value = P.path_literal(node)
            if value is None or P.path_kind(value) is None or value.startswith(("/", "\\")):
                return  # ``tmp + "/x.parquet"``: the folder in the variable is the location
            if "/" not in P.normalise(value):
                return  # ``OUT / "forecast.csv"``: the named folder is the location
        if value is None:
            return
        if callee.rsplit(".", 1)[-1] in W.MATCHING_CALLS and not callee.startswith("os.path"):
            return  # ``f.endswith("model.pkl")``: matching a name, not a location
        if value in self.scratch:
            return  # ``to_csv("cv_results.csv")`` then logged and ``os.remove``-d: scratch
        scope = self.functions[-1] if self.functions else self.module.tree
        if "/" not in P.normalise(value).strip("/") and W.inside_chdir(scope, node.lineno):
            return  # ``os.chdir("out/preds")`` then ``read_csv("./fold0.csv")``: the folder
        if (
            (callee in self.helpers or self._project_method(callee))
            and "/" not in P.normalise(value).strip("/")
            and not P.explicit_folder(value)  # ``make_loaders("./img")``: a folder, on purpose
        ):
            # ``load_pkl("X_train.pkl")``, ``storage.load_dataframe("raw", "accounts.csv")``:
            # the project's own helper knows the folder; a bare file name handed to it is a
            # name, the helper's folder is the location (also as ``Path("accounts.csv")``)
            self.handled.update(id(child) for child in ast.walk(node))
            return
        if callee.rsplit(".", 1)[-1] == "open" and P.log_file(value):
            return  # ``open("logs/history.json", "a")``: the run's record, not a location
        creates_dir = callee.rsplit(".", 1)[-1] in ("mkdir", "makedirs")
        # ``open("metrics/report.json", "w")`` writes a file into a folder, as ``to_csv`` does
        opened = (
            callee.rsplit(".", 1)[-1] == "open"
            and self._direction(node, callee) == "output"
            and not P.code_folder(value)
        )
        writes = (P.is_output_call(callee) or opened) and not creates_dir
        written = bool(callee) and (
            (writes and P.written_file(value)) or P.read_as_data(callee, value)
        )
        if P.path_kind(value) is None and not (
            written
            or (bare and (P.bare_dir(value) or P.parent_folder(value)))
            or P.explicit_folder(value)  # ``make_loaders("./img", "./msk")``
            or self._is_location(node, value, named=False)
        ):
            return
        for child in ast.walk(node):
            self.handled.add(id(child))
        self._path(node, value, where, group, anchor, direction=self._direction(node, callee))

    def _project_method(self, callee: str) -> bool:
        """``storage.load_dataframe`` with ``storage = StorageManager(config)`` (a class of the
        project, defined here or imported from it): a method of the project's own object, or
        of one of its attributes (``engineer.storage.save``), is the project's helper."""
        if "." not in callee:
            return False
        root = callee.split(".", 1)[0]
        for scope in (self.derived[-1], self.derived[0]):
            bound = scope.get(root)
            if bound is not None:
                return (
                    isinstance(bound, ast.Call)
                    and (made := P.callee_name(bound.func)) in self.project_names
                    and made[:1].isupper()
                )
        return False

    def _helper_name(self, scope: ast.AST, name: str, value: str) -> bool:
        """``file_path = "processed.csv"`` only handed to the project's helpers
        (``storage.save_dataframe(df, "processed", file_path)``): a bare file name whose folder
        the helper holds, as when the literal is written in the call."""
        if "/" in P.normalise(value).strip("/") or P.explicit_folder(value):
            return False
        reads, handed = 0, 0
        for sub in scope_nodes(scope):
            if isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, ast.Load):
                reads += 1
            elif isinstance(sub, ast.Call):
                given = sum(1 for a in sub.args if isinstance(a, ast.Name) and a.id == name)
                if given:
                    callee = P.callee_name(sub.func)
                    if not (callee in self.helpers or self._project_method(callee)):
                        return False
                    handed += given
        return handed > 0 and reads == handed

    def _direction(self, node: ast.expr, callee: str) -> str | None:
        """``output`` for ``to_csv``/``save``/``open(..., "wb")``, ``input`` for ``read_*``,
        ``None`` when the call does not say (the folder decides)."""
        if not callee:
            return None
        if callee.rsplit(".", 1)[-1] == "open":
            call = self.parents.get(id(node))
            modes = [] if not isinstance(call, ast.Call) else call.args[1:2]
            if isinstance(call, ast.Call):
                modes += [kw.value for kw in call.keywords if kw.arg == "mode"]
            for mode in modes:
                if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
                    return "output" if set(mode.value) & set("wax") else "input"
            return "input"
        if P.is_output_call(callee):
            return "output"
        return "input" if P.is_input_call(callee) else None

    def _path(
        self,
        node: ast.expr,
        value: str,
        where: str,
        group: str,
        anchor: str,
        *,
        direction: str | None = None,
    ) -> None:
        if K.url_password(value) or K.token_shaped(value):  # never show a secret as a path
            self._secret(node, "secret", where)
            return
        if P.bare_pattern(value):
            return  # ``glob("crm_features_*.csv")``: names matched in a folder held elsewhere
        if P.own_folder(value, self.module.path):
            return  # ``this_folder = "/user01/models"`` in user01/models/: the code's own folder
        if P.package_archive(value):
            return  # ``PKG = "wheels/lib-1.0-py3-none-any.whl"``: code to install, not data
        if self.kernel and P.kernel_location(value):
            return  # ``../input/x`` in an offline Kaggle kernel: a mount the platform fixes
        for child in ast.walk(node):
            self.handled.add(id(child))
        if id(node) in self.space:
            return
        shown = shorten(value, 60)
        known = self.facts.with_value(value)
        details: dict[str, Detail] = {"group": group, "value": value}
        if known is not None:
            details.update(key=known.key, config_file=known.file)
            message = (
                f"Path `{shown}` is hard-coded in {where}, although {known.file} already has "
                f"`{known.key}: {known.value}`; read it from there."
            )
        else:
            key = P.path_key(value, direction)
            if self.facts.kedro:  # Kedro: locations are datasets of the catalog
                dataset = key.split(".", 1)[1]
                # the catalog beside the parameters (``risk-model/conf/base/catalog.yml``)
                catalog = self.facts.main.rpartition("/")[0] + "/catalog.yml"
                details.update(key=dataset, config_file=catalog)
                message = (
                    f"Path `{shown}` is hard-coded in {where}; declare it as the dataset "
                    f"`{dataset}` (with `filepath: {shown}`) in {catalog} and let "
                    "the node receive it."
                )
            elif (taken := self.facts.leaf(key)) is not None:
                details.update(key=taken.key, config_file=taken.file)
                message = (
                    f"Path `{shown}` is hard-coded in {where}; {taken.file} has `{taken.key}: "
                    f"{shorten(str(taken.value), 60)}`, which this code ignores: read it from "
                    "there (or give this location a key of its own if it is a different one)."
                )
            else:
                details.update(
                    key=key, config_file=self.facts.main, proposed=True, owner=f"path:{value}"
                )
                message = (
                    f"Path `{shown}` is hard-coded in {where}; suggest `{key}: {shown}` "
                    f"in {self.facts.main}."
                )
        self._emit(DATA_PATH, node, message, f"path:{self.where}:{value}", details)

    def _path_constants(self, tree: ast.Module) -> dict[str, tuple[str, ast.expr]]:
        """``ROOT = "data"``, ``RAW = os.path.join(ROOT, "raw")``: module constants bound
        once to a string or a path expression (what a join of them builds is a location)."""
        found: dict[str, tuple[str, ast.expr]] = {}
        seen: set[str] = set()
        for stmt in tree.body:
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1):
                continue
            target = stmt.targets[0]
            if not isinstance(target, ast.Name):
                continue
            if target.id in seen:
                found.pop(target.id, None)
                continue
            seen.add(target.id)

            def known(name: str) -> str | None:
                entry = found.get(name)
                return None if entry is None else entry[0]

            if P.is_cwd(stmt.value):  # ``cwd = os.getcwd()``: the working directory
                found[target.id] = (P.CWD, stmt.value)
                continue
            text = P.path_literal(stmt.value, known)
            if text is not None and not isinstance(stmt.value, ast.JoinedStr):
                found[target.id] = (text, stmt.value)
        return found

    def _constant(self, name: str) -> str | None:
        """The text of a module constant used as a path part, unless a function rebinds the
        name or the constant was itself reported as a location (one finding is enough)."""
        if self._code_root(name):
            return P.CWD
        entry = self.constants.get(name)
        if entry is None or any(name in self._bound(f) for f in self.functions):
            return None
        if entry[0] == P.CWD:
            return entry[0]  # ``cwd = os.getcwd()``: no location itself, nothing reported
        if any(id(n) in self.handled for n in ast.walk(entry[1])):
            return None
        if isinstance(entry[1], ast.Constant):
            return entry[0]
        # built from other constants: none of them may have been reported either
        return P.path_literal(entry[1], self._constant)

    def _code_root(self, name: str) -> bool:
        """``project_dir = Path(__file__).resolve().parents[2]`` bound in this function or in
        the module's main block: the code's own place (or the working directory), no setting,
        as a module constant of it is; what is put on it is fixed in code."""
        value = self.derived[-1].get(name)
        return value is not None and P.is_cwd(value)

    def _bound(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
        """The names a function binds: its parameters and what its body assigns."""
        if id(node) not in self.bound:
            arguments = node.args
            names = {
                a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            }
            names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
            names |= {
                sub.id
                for stmt in node.body
                for sub in ast.walk(stmt)
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store)
            }
            self.bound[id(node)] = names
        return self.bound[id(node)]

    def _path_list(self, name: str, value: ast.List | ast.Tuple, group: str, anchor: str) -> None:
        """``IN_FILES = ["../input/a.csv", "../input/b.csv"]``: each file is a location."""
        texts = [e.value for e in value.elts if isinstance(e, ast.Constant)]
        if P.names_a_pattern(name) or not all(isinstance(t, str) for t in texts):
            return
        if len(texts) != len(value.elts):
            return
        if _VERSIONING.search(self.module.source):
            # ``dvc_paths = ["data/raw", "models/trained"]`` beside ``["dvc", "add", path]``:
            # the list declares what the project versions, not where a run reads or writes
            return
        for element in value.elts:
            assert isinstance(element, ast.Constant)
            text = str(element.value)
            if P.path_kind(text) is not None and self._is_location(element, text, named=False):
                self._path(element, text, f"`{name}`", group, anchor, direction=None)

    def _rooted_folder(self, node: ast.BinOp) -> None:
        """``os.getcwd() + "/data/01_raw/train/" + name``: a data folder under a root the code
        computes is still a folder fixed in code (a file name alone under a root is not)."""
        parts = P.added(node)[::-1]  # the last part first, the root last
        if all(isinstance(p, ast.Constant) for p in parts):
            return  # a literal split over lines: the whole string is judged elsewhere
        first = parts[-1]
        if W.inside_run(first):
            return  # ``version.source.split(...)[0] + "artifacts/x.bin"``: inside the run
        name = assigned_name(self.parents.get(id(node)))
        for part in parts:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                continue
            if id(part) in self.handled:
                continue
            text = part.value.replace("\\", "/")
            if part is first and not text.startswith("/"):
                # ``file_path = "models/" + blob_name``: the folder a path-named variable's
                # file goes into (a call's argument may be built from a configured root)
                named = name is not None and P.is_path_name(name)
                text = text[: text.rfind("/") + 1] if named and "/" in text else ""
            else:
                text = text.lstrip("/")
                # ``os.getcwd() + "/features"``: a data folder on the working directory
                on_cwd = self._is_cwd(first) and P.cwd_folder("./" + text)
                if "/" not in text.rstrip("/") and not on_cwd:
                    continue
                if on_cwd and "/" not in text.rstrip("/"):
                    text = text.rstrip("/") + "/"
            if not text or P.path_kind(text) != "relative":
                continue
            if not any(text.startswith(d.lstrip("./")) for d in T.DATA_DIRS):
                continue
            where = f"`{name}`" if name else "a path expression"
            group = f"{self.module.path}:{part.lineno}:{name or 'path'}"
            self._path(part, text, where, group, f"{self.where}:path")

    def _is_cwd(self, node: ast.expr) -> bool:
        """``os.getcwd()``, or a module name bound to it (``cwd = os.getcwd()``)."""
        if isinstance(node, ast.Name):
            return self._constant(node.id) == P.CWD
        return P.is_cwd(node)

    def _cwd_replace(self, node: ast.Call, group: str, anchor: str) -> None:
        """``cwd.replace(this_folder, "/features")``: the working directory with a data
        folder put in place of the code's own folder is that data folder, fixed in code."""
        if not (
            isinstance(node.func, ast.Attribute)
            and self._is_cwd(node.func.value)
            and len(node.args) == 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and id(node.args[1]) not in self.handled
        ):
            return
        value = P.on_cwd([P.CWD, node.args[1].value.replace("\\", "/")])
        if value is not None:
            self._path(node.args[1], value, "the working directory", group, anchor)

    def _rooted_fstring(self, node: ast.JoinedStr) -> None:
        """``f"{base}proj/data/{name}"``: a data folder written after a prefix glued to it
        (an optional root from the environment, often empty) is still a folder fixed in code.
        After a separator (``f"{run_dir}/models/m"``) it is a sub-path of the folder the code
        holds, and that folder is the location."""
        if self._partitioned(node):
            return
        values = node.values
        head = values[0] if values else None
        bucket = (
            isinstance(head, ast.Constant)
            and isinstance(head.value, str)
            and P.scheme_only(head.value)
        )
        if bucket:
            # ``f"s3://{bucket}/data/train.csv"``: the key inside the bucket is fixed in code
            values = values[1:]
        if len(values) < 2 or not isinstance(values[0], ast.FormattedValue):
            return
        part = values[1]
        if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
            return
        text = part.value.replace("\\", "/")
        if bucket:
            text = text.lstrip("/")
        elif text.startswith("/"):
            root = values[0].value
            if isinstance(root, ast.Name) and self._constant(root.id) == P.CWD:
                # ``f"{here}/dataset/x.npz"`` with ``here = os.path.dirname(__file__)``: a
                # folder beside the code, as ``os.path.join(here, "dataset", "x.npz")`` is
                self._path_on_root(node, text)
            return  # ``f"{run_dir}/models/m"``: a sub-path of a folder the code holds
        folder = text[: text.rfind("/") + 1] if "/" in text else ""
        if not folder or P.path_kind(folder.rstrip("/") + "/x.csv") != "relative":
            return
        segments = [s for s in folder.split("/") if s]
        if P.code_folder(folder) or not set(segments) & P.DATA_FOLDERS:
            return  # ``f"{ROOT}/train.csv"``: the file under the root; the root is the setting
        self._path_expression(node, text)

    def _path_on_root(self, node: ast.JoinedStr, text: str) -> None:
        folder = text[: text.rfind("/") + 1]
        value = P.on_cwd([P.CWD, folder])
        if value is None:
            return
        self._path_expression(node, value)

    def _path_expression(self, node: ast.JoinedStr, value: str) -> None:
        """Report the f-string ``node`` as the path ``value``, named after what it is assigned
        to; its parts are handled (no second finding for a literal inside it)."""
        for child in ast.walk(node):
            self.handled.add(id(child))
        name = assigned_name(self.parents.get(id(node)))
        where = f"`{name}`" if name else "a path expression"
        group = f"{self.module.path}:{node.lineno}:{name or 'path'}"
        self._path(node, value, where, group, f"{self.where}:path")

    def _partitioned(self, node: ast.JoinedStr) -> bool:
        """``f"features/date={day}/hour={hour}/part.parquet"``, ``f"s3://{bucket}/preds/dt={d}"``:
        a partitioned layout (a ``name=`` folder filled from a value) exists only in a data
        store, so the literal folder above it is a data location, whoever holds the bucket.
        Not a message or a query (whitespace, ``?``, ``&``), not a web address."""
        values = node.values
        texts = [v.value if isinstance(v, ast.Constant) else None for v in values]
        if any(
            isinstance(t, str) and (re.search(r"[\s?&]", t) or re.match(r"https?:", t, re.I))
            for t in texts
        ):
            return False
        for index, text in enumerate(texts[:-1]):
            if not isinstance(text, str) or not isinstance(values[index + 1], ast.FormattedValue):
                continue
            found = _PARTITION.search(text)
            if found is None:
                continue
            folder = text[: found.start() + 1] if found.group().startswith("/") else ""
            if not folder.strip("/"):  # ``f"preds/{model}/dt={d}"``: the key's first folder
                folder = texts[0] if isinstance(texts[0], str) and index else ""
            folder = folder.lstrip("/")
            if not folder.strip("/") or P.scheme_only(folder):
                return False
            name = assigned_name(self.parents.get(id(node)))
            where = f"`{name}`" if name else "a partitioned key"
            group = f"{self.module.path}:{node.lineno}:{name or 'path'}"
            self._path(node, folder, where, group, f"{self.where}:path")
            return True
        return False

    def _join_into_folder(self, node: ast.Call, callee: str, group: str, anchor: str) -> None:
        """``os.path.join("results", run_name)``: a literal data folder the code fills with
        names it computes is a location fixed in code (``join(DATA_DIR, name)`` is not)."""
        first = node.args[0] if node.args else None
        if not (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and id(first) not in self.handled
            and P.bare_dir(first.value)
            and any(not isinstance(a, ast.Constant) for a in node.args[1:])
        ):
            return
        direction = None
        parent = self.parents.get(id(node))
        if isinstance(parent, ast.Call):
            direction = self._direction(node, P.callee_name(parent.func))
        self._path(first, first.value, f"`{callee}()`", group, anchor, direction=direction)
