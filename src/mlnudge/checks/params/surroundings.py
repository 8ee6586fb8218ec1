"""What the code around a path literal says about it: a place inside a tracking run or an
object store, a scratch file the module deletes, an environment variable's fallback, a path on
one person's machine, a platform root probed to learn where the code runs, a helper that only
hands its argument to a reader.

Pure functions over ``ast`` nodes and module source, used by the params analysis (MLN202) next
to :mod:`mlnudge.checks.params.paths` (what a literal is by its text).
"""

from __future__ import annotations

import ast
import re

from mlnudge.checks.params.paths import callee_name, is_input_call, is_output_call
from mlnudge.facts.syntax import scope_nodes

#: the roots a hosted platform mounts (Kaggle, Colab, SageMaker, Databricks): testing whether
#: one exists asks where the code runs, not where its data is
_PLATFORM_ROOTS = frozenset(
    {
        "../input",
        "/kaggle",
        "/kaggle/input",
        "/kaggle/working",
        "/content",
        "/content/drive",
        "/content/drive/MyDrive",
        "/opt/ml",
        "/dbfs",
        "/databricks",
    }
)
#: ``os.path.exists(p)``, ``Path(p).is_dir()``: a test of whether a path exists
_EXISTENCE_TESTS = frozenset({"exists", "isdir", "is_dir", "lexists"})

#: an object store's transfer calls (boto3's S3 client and resources): the positions of the
#: object's key and of the local file (``upload_file(Filename, Bucket, Key)``)
_OBJECT_TRANSFERS: dict[str, tuple[int, ...]] = {
    "upload_file": (0, 2),
    "download_file": (1, 2),
    "upload_fileobj": (2,),
    "download_fileobj": (1,),
}
#: their keywords (and those of ``put_object(Bucket=..., Key=...)``) that name a place
_OBJECT_KEYWORDS = frozenset({"Key", "Filename", "Prefix"})
_OBJECT_CALLS = frozenset(
    {*_OBJECT_TRANSFERS, "put_object", "get_object", "copy_object", "list_objects_v2"}
)


def object_places(node: ast.Call, short: str) -> list[ast.expr]:
    """``s3.upload_file(path, bucket, "models/gpt.pt")``, ``put_object(Key="reports/m.json")``:
    the object's key and the local file of an object store's transfer: where the model or
    the data goes (the bucket is the store's name)."""
    if short not in _OBJECT_CALLS:
        return []
    places = [node.args[i] for i in _OBJECT_TRANSFERS.get(short, ()) if i < len(node.args)]
    return places + [kw.value for kw in node.keywords if kw.arg in _OBJECT_KEYWORDS]


#: calls whose path arguments live inside an MLflow (or W&B) run, not in the project
RUN_RELATIVE_CALLS = frozenset(
    {"log_model", "log_figure", "log_dict", "log_text", "log_image", "download_artifacts"}
)
#: the arguments of a run-relative call (``log_model(_SCALER_ARTIFACT)``), one call at a time
_RUN_RELATIVE_ARGS = re.compile(r"\b(?:" + "|".join(sorted(RUN_RELATIVE_CALLS)) + r")\(([^()]*)\)")
#: keywords of those calls that name a place on disk (``download_artifacts(dst_path=...)``)
_LOCAL_KEYWORD = re.compile(r"\b(?:dst_path|local_path|local_dir)\s*=\s*[A-Za-z_]\w*")


def run_relative_names(source: str) -> frozenset[str]:
    """Names handed to a call whose paths live inside a tracking run (``MLFlowLogger(m)
    .log_model(_scaler_artifact_path)``): their strings are places in the run, not on disk.
    A name also handed to a local keyword of those calls (``dst_path=``) is not one."""
    names: set[str] = set()
    for args in _RUN_RELATIVE_ARGS.findall(source):
        names.update(
            re.findall(r"(?<![\w.])([A-Za-z_]\w*)(?!\s*[=(.\w])", _LOCAL_KEYWORD.sub("", args))
        )
    return frozenset(names)


def pass_through_helpers(tree: ast.Module) -> set[str]:
    """Top-level functions that hand a parameter, untouched, as the first argument of a call
    that reads or writes (``pd.read_parquet(name)``, ``open(path)``), and never build a path
    from it (no ``join``, ``/``, ``+`` or f-string)."""
    found: set[str] = set()
    for stmt in tree.body:
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        params = {a.arg for a in [*stmt.args.posonlyargs, *stmt.args.args]}
        opened: set[str] = set()
        built: set[str] = set()
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
                callee = callee_name(node.func)
                short = callee.rsplit(".", 1)[-1]
                if short == "open" or is_input_call(callee) or is_output_call(callee):
                    opened.add(node.args[0].id)
                if short == "join":
                    built.update(a.id for a in node.args if isinstance(a, ast.Name))
            elif isinstance(node, ast.BinOp | ast.JoinedStr):
                built.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
        if (opened - built) & params:
            found.add(stmt.name)
    return found


#: a name handed to an environment variable as its fallback (``os.getenv("DIR", DEFAULT_DIR)``)
ENV_FALLBACK = re.compile(r"(?:getenv|environ\.get)\(\s*[^,()]+,\s*([A-Za-z_]\w*)\s*\)")


def env_read_before(scope: ast.AST, name: str, line: int) -> bool:
    """Whether ``name`` was bound to an environment variable's value (``path =
    os.getenv("MODEL_PATH")``) in ``scope`` before ``line``: a literal assigned to it later
    (``if path is None: path = "model/model.pkl"``) is that variable's fallback."""
    for node in scope_nodes(scope):
        if (
            isinstance(node, ast.Assign)
            and node.lineno < line
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Call)
            and callee_name(node.value.func).endswith(("getenv", "environ.get"))
        ):
            return True
    return False


#: a name logged to the tracking server as a run's file (``mlflow.log_artifact(cm_path)``)
LOGGED_ARTIFACT = re.compile(r"\blog_artifacts?\(\s*([A-Za-z_]\w*)\s*[,)]")


#: a bare file name the module deletes (``os.remove("cv_results.csv")``, ``Path(...).unlink()``)
_SCRATCH_LITERAL = re.compile(
    r"\b(?:remove|unlink)\(\s*(?:Path\(\s*)?[rR]?[\"']([^\"'/\\\s]+)[\"']"
    r"|\bPath\(\s*[rR]?[\"']([^\"'/\\\s]+)[\"']\s*\)\.unlink\("
)


def scratch_names(source: str) -> frozenset[str]:
    """File names (no folder) the module deletes itself: a temporary file of the run (written,
    logged to the tracker, removed), not a location."""
    return frozenset(name for pair in _SCRATCH_LITERAL.findall(source) for name in pair if name)


#: calls that match a name against a literal: the literal is a pattern, not a path
#: (``uri.split("artifacts/model")``: a separator to cut a string at)
MATCHING_CALLS = frozenset(
    {
        "endswith",
        "startswith",
        "fnmatch",
        "removesuffix",
        "removeprefix",
        "split",
        "rsplit",
        "partition",
        "rpartition",
    }
)

#: attributes of a tracking run (or a registered model version) that hold where its
#: artifacts are: ``run.info.artifact_uri``, ``version.source``
_RUN_LOCATIONS = frozenset({"artifact_uri", "artifact_location", "source"})


def inside_run(node: ast.expr) -> bool:
    """``version.source.split(...)[0] + "artifacts/x.bin"``: the left side reads where a
    tracking run keeps its artifacts; the literal joined to it is a place inside the run."""
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute) and child.attr in _RUN_LOCATIONS:
            return True
        if isinstance(child, ast.Call) and callee_name(child.func).endswith("get_artifact_uri"):
            return True
    return False


def scratch_file(value: ast.expr, name: str, logged: frozenset[str]) -> bool:
    """``cm_path = "confusion_matrix.csv"`` then ``mlflow.log_artifact(cm_path)``: a bare file
    name (no folder) written only to be logged is the run's file, not a location."""
    return (
        name in logged
        and isinstance(value, ast.Constant)
        and isinstance(value.value, str)
        and "/" not in value.value
        and "\\" not in value.value
    )


#: a path inside one person's machine: a home folder or a Windows drive
_PERSONAL = re.compile(r"(?:/home/|/Users/|/root/|[A-Za-z]:[\\/]+)\w")


def personal_path(node: ast.AST) -> str | None:
    """``"/home/anna/proj/data/x.pkl"``, ``r"C:\\Users\\anna\\data"``, ``"/root/work/x"`` (the
    root user's home): a literal that only exists on its author's machine (its text), else
    ``None``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if _PERSONAL.match(node.value) else None
    return None


def personal_paths(body: list[ast.stmt]) -> list[ast.expr | None]:
    """The literals of ``body`` that only exist on their author's machine."""
    return [
        c for stmt in body for c in ast.walk(stmt) if isinstance(c, ast.expr) and personal_path(c)
    ]


def environment_probe(node: ast.Call, callee: str) -> ast.expr | None:
    """``os.path.exists("/kaggle/input")``, ``Path("/content").exists()``: the platform root an
    existence test probes to learn where the code runs (the literal), else ``None``. The answer
    is a flag, not a location; the same root opened to read data stays a location."""
    short = callee.rsplit(".", 1)[-1]
    if short not in _EXISTENCE_TESTS:
        return None
    probed: ast.expr | None = node.args[0] if node.args and not node.keywords else None
    func = node.func
    if not node.args and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
        inner = func.value  # ``Path("/content").exists()``
        if callee_name(inner.func).rsplit(".", 1)[-1] == "Path" and len(inner.args) == 1:
            probed = inner.args[0]
    if not (isinstance(probed, ast.Constant) and isinstance(probed.value, str)):
        return None
    text = probed.value.replace("\\", "/").rstrip("/")
    return probed if text in _PLATFORM_ROOTS else None


_PARSE_CALLS = ("parse_args", "parse_known_args")


def command_line_value(node: ast.expr, parsed: frozenset[str]) -> bool:
    """``args.path`` (``args`` bound to ``parser.parse_args()``) or ``sys.argv[1]``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id in parsed
    return isinstance(node, ast.Subscript) and callee_name(node.value) == "sys.argv"


def command_line_roots(tree: ast.Module) -> tuple[frozenset[str], frozenset[str]]:
    """The names bound to a script's parsed arguments (``args = parser.parse_args()``) and
    the names bound to one of their values (``PATH = args.path``), anywhere in the module."""
    parsed: set[str] = set()
    assigns = [n for n in ast.walk(tree) if isinstance(n, ast.Assign)]
    for node in assigns:
        value = node.value
        if isinstance(value, ast.Subscript):
            value = value.value  # ``parser.parse_known_args()[0]``
        if isinstance(value, ast.Call) and callee_name(value.func).endswith(_PARSE_CALLS):
            for target in node.targets:
                first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
                if isinstance(first, ast.Name):
                    parsed.add(first.id)
    frozen = frozenset(parsed)
    roots = {
        target.id
        for node in assigns
        if command_line_value(node.value, frozen)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    return frozen, frozenset(roots)


_CWD_READS = ("getcwd", "Path.cwd", "pathlib.Path.cwd")


def inside_chdir(scope: ast.AST, line: int) -> bool:
    """Whether the code moved into another folder (``os.chdir("out/preds")``, or a folder it
    was given) before ``line`` in ``scope`` and did not move back to where it started
    (``os.chdir(wd)`` with ``wd = os.getcwd()``): a bare file name there is a name inside
    that folder, and the folder is the location."""
    saved = {
        target.id
        for node in scope_nodes(scope)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and callee_name(node.value.func).endswith(_CWD_READS)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    last: ast.Call | None = None
    for node in scope_nodes(scope):
        if (
            isinstance(node, ast.Call)
            and callee_name(node.func).rsplit(".", 1)[-1] == "chdir"
            and node.args
            and node.lineno < line
            and (last is None or node.lineno > last.lineno)
        ):
            last = node
    if last is None:
        return False
    target = last.args[0]
    return not (isinstance(target, ast.Name) and target.id in saved)
