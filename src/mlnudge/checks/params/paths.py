"""Which string literals are data, model or output locations, and which key they get.

Pure functions over ``ast`` nodes and strings, used by the params analysis (MLN202). A
location is a remote URI, a home/mount path, a data URL or a relative path into a data
folder or with a data extension; pretrained-weight URLs, hub files, file-suffix conventions
and secret files are not.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from mlnudge.checks.params import tables as T

_WINDOWS = re.compile(r"^[A-Za-z]:[\\/]|^\\\\[\w.-]+\\")
_HASH = re.compile(r"^(?=.*\d)[0-9a-f]{8,}$|^\d+$")
#: folder names that are data locations on their own in a path context (``Path("data")``)
BARE_DIRS = frozenset(
    {
        "data",
        "datasets",
        "input",
        "models",
        "artifacts",
        "outputs",
        "output",
        "checkpoints",
        "predictions",
        "results",
    }
)
#: first folders of a path that only a run writes to: models, its results and its figures
#: (``results/`` -> ``output.results``, never ``data.results``)
OUTPUT_FOLDERS = frozenset(
    {
        "models",
        "model",
        "outputs",
        "output",
        "artifacts",
        "checkpoints",
        "results",
        "predictions",
        "submissions",
        "reports",
        "figures",
        "plots",
    }
)
#: folder names that say a path leads to data, models or results (``proj/data/``)
DATA_FOLDERS = BARE_DIRS | {"raw", "processed", "interim", "external"}
#: words of a constant's name that say its file is a data set (``TRAIN_DATASET_PQ``)
_DATA_NAME_WORDS = frozenset(
    {"dataset", "datasets", "data", "pq", "parquet", "feather", "csv", "tsv", "xlsx"}
)
#: words of a variable name that make its string a name pattern, not a location
_NOT_LOCATION_NAMES = frozenset(
    {"prefix", "suffix", "ext", "extension", "extensions", "pattern", "glob", "name", "stem"}
)
#: words of a path that make it a credential file, not data (never suggest it for params.yaml)
_SECRET_PARTS = re.compile(
    r"(^|[/\\._-])(secrets?|credentials?|token|tokens|\.kaggle|kaggle\.json|\.aws|\.ssh|\.netrc|"
    r"service[_-]?account|id_rsa|\.env|api[_-]?key|apikey)([/\\._-]|$)",
    re.I,
)
_WEIGHT_EXTENSIONS = (
    ".pt",
    ".pth",
    ".ckpt",
    ".h5",
    ".hdf5",
    ".safetensors",
    ".onnx",
    ".bin",
    ".pb",
    ".tflite",
    ".keras",
    ".params",
    ".pkl",
    ".npz",
)
#: source files: a URL to one is code the project fetches, not data
_SOURCE_EXTENSIONS = (".py", ".ipynb", ".sh", ".js", ".r", ".jl", ".cpp", ".c", ".h")
_PATH_CALLS = frozenset({"Path", "pathlib.Path", "PurePath", "PurePosixPath", "WindowsPath"})
JOIN_CALLS = frozenset({"os.path.join", "path.join", "join", "osp.join", "posixpath.join"})
_OUTPUT_WORDS = re.compile(
    r"(^|[._])(to_\w+|save\w*|dump\w*|write\w*|export\w*|store\w*|persist\w*|"
    r"savefig|save_model|mkdir|makedirs)$"
)
_INPUT_WORDS = re.compile(r"(^|[._])(read_\w+|load\w*|open|imread|fetch\w*|glob)$")


def callee_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return f"{callee_name(func.value)}.{func.attr}"
    if isinstance(func, ast.Call):
        return callee_name(func.func) + "()"
    if isinstance(func, ast.Subscript):
        return callee_name(func.value) + "[...]"
    return "call"


def path_literal(node: ast.expr, resolve: Callable[[str], str | None] | None = None) -> str | None:
    """A literal location's text: a string, ``Path("a") / "b"``, ``os.path.join("a", "b")``,
    or an f-string whose first part is a literal folder (``f"data/raw/{day}.csv"``).

    ``resolve``: the text of a module constant by name, for the parts of a join or a ``/``
    (``os.path.join(ROOT, RAW, "train.csv")`` with ``ROOT = "data"``, ``RAW = "raw"``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return _fstring(node)
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    ):
        return _folder_of(node.left.value.split("%", 1)[0])  # ``"data/a_%s.npy" % width``
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        # ``"data/input/" + name + ".csv"`` is ``f"data/input/{name}.csv"``: the folder it
        # starts with (a literal split over lines, all parts literal, is one string)
        head: ast.expr = node
        while isinstance(head, ast.BinOp) and isinstance(head.op, ast.Add):
            head = head.left
        if (
            isinstance(head, ast.Constant)
            and isinstance(head.value, str)
            and not all(isinstance(p, ast.Constant) for p in added(node))
        ):
            folder = _folder_of(head.value)
            # a lone top folder (``"data/" + name``) is as often under a root the reader
            # chooses: the prefix counts when it says where it starts (``./``, ``../``) or
            # goes down more than one folder (``"data/raw/" + name``)
            if folder is not None and (
                folder.startswith(("./", "../", ".\\", "..\\"))
                or normalise(folder).strip("/").count("/") >= 1
            ):
                return folder
        return None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        return _folder_of(node.func.value.value.split("{", 1)[0])  # ``"out/{}.csv".format(x)``
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = _part(node.left, resolve)
        right = _part(node.right, resolve)
        rooted = isinstance(node.left, ast.Call | ast.BinOp) or (
            resolve is not None and isinstance(node.left, ast.Name)
        )
        if left == CWD and right is not None:
            return on_cwd([left, right])  # ``Path.cwd() / "data"``
        if left is not None and right is not None and rooted:
            return left.rstrip("/") + "/" + right
        return None
    if isinstance(node, ast.Call):
        callee = callee_name(node.func)
        if callee in _PATH_CALLS and len(node.args) == 1:
            return path_literal(node.args[0], resolve)
        if callee in JOIN_CALLS and node.args:  # (``os.path.join("./dataset")`` is the folder)
            parts = [_part(a, resolve) for a in node.args]
            if all(p is not None for p in parts):
                if parts[0] == CWD:  # ``os.path.join(os.getcwd(), "features")``
                    return on_cwd([p for p in parts if p is not None])
                if CWD in parts:
                    return None
                return "/".join(p.rstrip("/") for p in parts if p is not None)
    return None


def added(node: ast.BinOp) -> list[ast.expr]:
    """The parts of ``a + b + c``, in order."""
    parts: list[ast.expr] = []
    chain: ast.expr = node
    while isinstance(chain, ast.BinOp) and isinstance(chain.op, ast.Add):
        parts.append(chain.right)
        chain = chain.left
    parts.append(chain)
    return parts[::-1]


def _part(node: ast.expr, resolve: Callable[[str], str | None] | None) -> str | None:
    """One part of a join: a literal, or a module constant when ``resolve`` knows it
    (:data:`CWD` for the working directory, ``os.getcwd()`` or ``Path.cwd()``)."""
    if resolve is not None and isinstance(node, ast.Name):
        return resolve(node.id)
    if is_cwd(node):
        return CWD
    return path_literal(node, resolve)


#: the working directory as a part of a join (``os.getcwd()``, ``Path.cwd()``)
CWD = "<cwd>"
_CWD_CALLS = frozenset({"os.getcwd", "getcwd", "Path.cwd", "pathlib.Path.cwd", "os.getcwdu"})
#: folders that hold data, models or results when put on the working directory
#: (``os.path.join(os.getcwd(), "features")``)
CWD_DATA_FOLDERS = DATA_FOLDERS | {d.strip("./").split("/", 1)[0] for d in T.DATA_DIRS}


def is_cwd(node: ast.expr) -> bool:
    """``os.getcwd()``, ``Path.cwd()``: the working directory; or the code's own place
    (``Path(__file__).parent.parent``, ``os.path.dirname(os.path.abspath(__file__))``): a
    root no setting chose, so what is put on it is fixed in code."""
    if isinstance(node, ast.Call) and not node.args and callee_name(node.func) in _CWD_CALLS:
        return True
    if (
        isinstance(node, ast.Call)
        and callee_name(node.func) in _PATH_CALLS
        and not node.keywords
        and all(isinstance(a, ast.Constant) and a.value in (".", "./") for a in node.args)
        and len(node.args) <= 1
    ):
        return True  # ``Path()``, ``Path(".")``: the working directory
    return isinstance(node, ast.Call | ast.Attribute | ast.Subscript) and any(
        isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(node)
    )


def on_cwd(parts: list[str]) -> str | None:
    """The location of a path put on the working directory (``[CWD, "features"]`` ->
    ``./features/``): the same as writing ``./features/``, when its first folder holds data,
    models or results; ``None`` otherwise (``join(os.getcwd(), "src")`` is code)."""
    rest = "/".join(p.strip("/") for p in parts[1:] if p.strip("/"))
    # ``join(dirname(__file__), "..//../data/raw/x.csv")``: the parents climbed to reach the
    # project root are no folder; the first folder after them says what the place holds
    steps = [s for s in rest.split("/") if s not in ("", ".")]
    up = 0
    while up < len(steps) and steps[up] == "..":
        up += 1
    if up == len(steps) or steps[up].lower() not in CWD_DATA_FOLDERS:
        return None
    if up:
        return "/".join(steps)
    return "./" + rest + ("" if "/" in rest else "/")


def cwd_folder(value: str) -> bool:
    """``./features/``, ``./data/raw``: a data folder on the working directory."""
    return value.startswith("./") and normalise(value).split("/", 1)[0].lower() in CWD_DATA_FOLDERS


def own_folder(value: str, module_path: str) -> bool:
    """``this_folder = "/user01/models"`` in ``user01/models/train.py``: the folder the code
    itself sits in, an anchor to the code (stripped from or added to the working directory to
    find the project's root), not a place data is kept. At least two folders deep, so a plain
    ``"models"`` or ``"/models"`` (the project's or a container's model folder) never counts."""
    text = value.replace("\\", "/")
    segments = [s for s in text.split("/") if s and s != "."]
    folders = module_path.replace("\\", "/").split("/")[:-1]
    if not segments or len(segments) > len(folders) or "." in segments[-1]:
        return False
    if folders[len(folders) - len(segments) :] != segments:
        return False
    return len(segments) >= 2


def _fstring(node: ast.JoinedStr) -> str | None:
    """``f"data/raw/{day}.csv"`` -> ``data/raw/``: the literal folder an f-string starts with."""
    if not node.values or not isinstance(node.values[0], ast.Constant):
        return None
    head = node.values[0].value
    if not isinstance(head, str):
        return None
    return _folder_of(head)


def scheme_only(text: str) -> bool:
    """``s3://``, ``gs://``: a URL scheme and nothing else (the bucket comes next)."""
    return re.fullmatch(r"[a-z][a-z0-9+.-]*://", text, re.IGNORECASE) is not None


def _folder_of(head: str) -> str | None:
    """The literal folder a templated path starts with (``data/raw/`` of ``data/raw/{d}``).
    A URL scheme alone (``s3://`` of ``f"s3://{BUCKET}/{key}"``) is no folder: the bucket and
    everything after it come from names, which is where the location is kept."""
    cut = head.replace("\\", "/").rfind("/")
    if cut <= 0 or re.fullmatch(r"[a-z][a-z0-9+.-]*://", head[: cut + 1], re.IGNORECASE):
        return None
    return head[: cut + 1]


_SCRATCH_PREFIXES = ("/tmp/", "/var/tmp/", "/dev/")
#: a folder of an absolute path that names data (``/data1/``, ``/srv/datasets/``)
_DATA_SEGMENT = re.compile(r"^/(?:[^/\s]+/)*(?:data\w*|datasets?|input|raw)(?:/|$)", re.IGNORECASE)


def normalise(value: str) -> str:
    """Forward slashes, no leading ``./`` or ``../`` (``..\\raw\\x.csv`` -> ``raw/x.csv``)."""
    text = value.replace("\\", "/")
    while text.startswith(("./", "../")):
        text = text[2:] if text.startswith("./") else text[3:]
    return text


#: installable packages (a wheel, an egg): code the environment installs, never data
_PACKAGE_ARCHIVES = (".whl", ".egg")
#: an offline kernel installs wheels uploaded as a dataset (``pip install ../input/w/x.whl``)
_OFFLINE_KERNEL = re.compile(r"(?:\.\./input|/kaggle/input)/[^\s\"'`]*\.whl\b")
#: the fixed mounts of a Kaggle kernel: its datasets (read-only) and its working folder
_KERNEL_MOUNTS = ("../input", "/kaggle/input", "/kaggle/working")
#: the file name a competition requires the kernel to write
_SUBMISSION_FILE = "submission.csv"


#: a folder that stands for the user's own (``/INSERT_PATH/``, ``/path/to/your/data``)
_PLACEHOLDER = re.compile(
    r"(?i)(?:^|/)(?:(?:insert|enter|your|change)[_-]?(?:your[_-]?)?(?:own[_-]?)?"
    r"(?:data(?:set)?[_-]?)?(?:path|dir|directory|folder|root)(?:[_-]?here)?|path/to/your)(?:/|$)"
)


def package_archive(value: str) -> bool:
    """``lib-1.0-py3-none-any.whl``: an installable package, code the environment installs."""
    return value.lower().split("?", 1)[0].endswith(_PACKAGE_ARCHIVES)


def offline_kernel(source: str) -> bool:
    """Whether the module is an offline Kaggle kernel: it installs packages from wheels
    uploaded as datasets under ``../input/`` (a code competition runs without internet)."""
    return bool(_OFFLINE_KERNEL.search(source))


def kernel_location(value: str) -> bool:
    """``../input/train.csv``, ``/kaggle/working/submission.csv``, ``submission.csv``: a
    location the Kaggle platform fixes for a kernel (not one a config could move)."""
    text = value.replace("\\", "/").rstrip("/")
    if text.removeprefix("./").removeprefix("/kaggle/working/") == _SUBMISSION_FILE:
        return True
    return any(text == m or text.startswith(m + "/") for m in _KERNEL_MOUNTS)


def path_kind(value: str) -> str | None:
    """``remote``, ``absolute``, ``url`` or ``relative`` when ``value`` is a data location."""
    if not value or len(value) > 300 or "\n" in value or "%" in value or "{" in value:
        return None
    if _SECRET_PARTS.search(value):
        return None  # a token or credentials file: a secret, not data
    if value.startswith(T.REMOTE_PREFIXES):
        return "remote"
    if value.startswith("sqlite:///"):  # a database file: where its folder says
        database = value[len("sqlite:///") :]
        if database.startswith("/"):
            return path_kind(database)
        return "relative" if "/" in database and not database.startswith(":") else None
    if value.startswith(_SCRATCH_PREFIXES):
        return None  # a scratch file of the job (``/tmp/x.csv``): gone when the job ends
    lowered = value.lower().split("?", 1)[0]
    if package_archive(value):
        return None  # ``../input/wheels/textstat-0.7.0-py3-none-any.whl``: code to install
    if value.startswith(("http://", "https://")):
        if lowered.endswith(_WEIGHT_EXTENSIONS):
            return None  # pretrained weights: a model's identity, not the project's data
        if lowered.endswith(_SOURCE_EXTENSIONS):
            return None  # ``.../lib/metrics_pb2.py``: upstream code fetched to import
        data_url = lowered.endswith(T.DATA_EXTENSIONS) or "raw.githubusercontent" in lowered
        return "url" if data_url else None
    if lowered.endswith(T.CONFIG_EXTENSIONS) or lowered.rsplit("/", 1)[-1] in T.CONFIG_FILE_NAMES:
        return None
    if value.startswith(T.ABSOLUTE_PREFIXES) or _WINDOWS.match(value):
        return "absolute"
    if value.startswith("/") and _DATA_SEGMENT.search(value):
        return "absolute"  # ``/data1/team/data``: a machine's data root
    if value.startswith("/") and _PLACEHOLDER.search(value):
        return "absolute"  # ``/INSERT_PATH/``: a placeholder each user edits in the code
    if any(c.isspace() for c in value) and not _spaced_data_file(value):
        return None
    if value.startswith(("-", "_", "<", "*")) or (
        value.startswith(".") and not value.startswith(("./", "../", ".\\", "..\\"))
    ):
        return None  # a suffix (``_model.pkl``, ``.csv``), a flag or a glob pattern
    text = normalise(value)
    parts = text.split("/")
    if any(p in ("conf", "configs", "config", "tests", "fixtures") for p in parts[:-1]):
        return None
    if any(text.startswith(d.lstrip("./")) for d in T.DATA_DIRS):
        return "relative"
    stem = parts[-1].rsplit(".", 1)[0]
    if lowered.endswith(T.DATA_EXTENSIONS) and stem and set(stem) - {"*", "?"}:
        return "relative" if not stem.startswith("*") or len(parts) > 1 else None
    if lowered.endswith(".txt") and stem and not _PROJECT_TEXT.search(stem.lower()):
        # ``preds.txt``, ``labels/true.txt``, ``stop_words.txt``: a text file the pipeline
        # reads or writes is data like a CSV (not the project's documents, nor a log)
        return "relative"
    return None


#: text files that document or install the project, or log a run: not its data
_PROJECT_TEXT = re.compile(
    r"^(?:requirements|constraints|readme|licen[cs]e|notice|changelog|changes|authors"
    r"|contributing|version|todo|notes|install|setup|robots|runtime|copying)"
    r"|(?:^|[_.-])(?:log|logs|requirements)(?:$|[_.-])|[*?{}%]"
)


def _spaced_data_file(value: str) -> bool:
    """``../data/Bank Customer Churn.csv``: a data file with spaces in its name, inside a data
    folder (a message that mentions a file does not start with a folder and end with it)."""
    text = normalise(value)
    folder, _, name = text.rpartition("/")
    return (
        bool(folder)
        and not any(c.isspace() for c in folder)
        and any(text.startswith(d.lstrip("./")) for d in T.DATA_DIRS)
        and name.lower().endswith(T.DATA_EXTENSIONS)
        and "\n" not in value
    )


#: what a compiled library or program is: code, not data
_BINARY_CODE = (".dll", ".so", ".dylib", ".exe", ".jar", ".pyd")


def names_an_id(name: str) -> bool:
    """``DATASET_KAGGLE_URL``, ``MLFLOW_MODEL``, ``repo_id``: an identifier of something remote
    or inside a tracking run, whatever its value looks like."""
    lowered = name.lower()
    return lowered.endswith(("url", "uri", "_id")) or lowered.startswith(("mlflow", "wandb"))


def folder_path(value: str) -> bool:
    """``Yale_Faces/Training``, ``Result/PCA``: folders joined by ``/``, nothing else."""
    text = normalise(value).strip("/")
    parts = text.split("/")
    return (
        len(parts) >= 2
        and all(_WORD.fullmatch(p) for p in parts)
        and not value.startswith(("http", "<", "-", *_SCRATCH_PREFIXES))
        and not _SECRET_PARTS.search(value)  # a token or credentials file: not data
        and not value.lower().endswith(_BINARY_CODE)
        and not value.lower().endswith(_ASSET_EXTENSIONS)
        and not value.lower().endswith(T.CONFIG_EXTENSIONS)  # ``conf/params.yml``: settings
        and not code_folder(value)
    )


#: one image, page or style file: an asset an app shows (``imgs/logo.png``), not a data set
_ASSET_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".svg", ".ico", ".css", ".webp")


_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
#: a file's extension (``.pt``, ``.csv``, ``.tar``); a dot between digits (``sdxl-1.0-model``)
#: is a version inside a folder's name
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,5}$|\.$|^\.")


def written_file(value: str) -> bool:
    """``static/drift.html``, ``reports/run.json``, ``Result/t-SNE/`` (an f-string's folder): a
    file or folder with a folder, as an output call writes it (a name alone, ``model.txt``, may
    be anything)."""
    text = normalise(value)
    folder, _, name = text.rpartition("/")
    return (
        bool(folder)
        and ("." in name.strip(".") or not name)
        and not any(c.isspace() for c in text)
        and not text.startswith(("/", "-", "*", "<"))
        and "{" not in text
    )


#: readers whose file argument is data whatever its extension (``np.loadtxt("digits.txt")``)
DATA_READERS = frozenset({"loadtxt", "genfromtxt", "fromfile", "read_table", "read_fwf"})


def read_as_data(callee: str, value: str) -> bool:
    name = normalise(value).rpartition("/")[2]
    return callee.rsplit(".", 1)[-1] in DATA_READERS and "." in name.strip(".")


def bare_dir(value: str) -> bool:
    """``"data"``, ``"artifacts"``, ``"models"``: a data folder only in a path context."""
    return normalise(value).rstrip("/") in BARE_DIRS


def parent_folder(value: str) -> bool:
    """``../result/``, ``..\\work``: a folder beside the project's own, by its relative path
    (where a script keeps its inputs or outputs on the author's machine)."""
    text = value.replace("\\", "/")
    if not text.startswith("../"):
        return False
    parts = [p for p in normalise(text).split("/") if p]
    if any(p.lower() in _NOT_DATA_FOLDERS for p in parts):
        return False  # ``config_path="../configs"``: where the configuration lives
    return bool(parts) and all(_WORD.fullmatch(p) and "." not in p for p in parts)


def code_folder(value: str) -> bool:
    """``docs/index.md``, ``src/version.py``: a file in a folder of code, configuration or
    documentation (a script that writes it generates the project, not data)."""
    first = normalise(value).split("/", 1)[0].lower()
    return first in _NOT_DATA_FOLDERS or first in ("docs", "doc", ".github")


def log_file(value: str) -> bool:
    """``logs/promotion_history.json``: a file in a folder of logs is the run's record (an
    audit trail), not the project's data, model or results."""
    parts = [p for p in normalise(value).split("/") if p not in ("", ".")]
    return len(parts) >= 2 and parts[0].lower() in ("logs", "log")


#: folders of code, configuration and presentation, never of data
_NOT_DATA_FOLDERS = frozenset(
    {"conf", "config", "configs", "tests", "fixtures", "templates", "static", "src", "scripts"}
)


def names_data_file(name: str, value: str) -> bool:
    """``DATASET = "vehicles.csv"``, ``TRAIN_SET_PQ = "train.pq"``: a constant named for a data
    set whose value is a data file."""
    words = set(re.split(r"[^a-z0-9]+", name.lower()))
    return bool(words & _DATA_NAME_WORDS) and value.lower().endswith(T.DATA_EXTENSIONS)


def is_path_keyword(name: str) -> bool:
    """``save_path=``, ``output_dir=``, ``fname=``: a keyword that takes a location."""
    return name in T.PATH_KEYWORDS or name.endswith(("_path", "_dir", "_folder", "_file", "_uri"))


def output_folder_keyword(name: str) -> bool:
    """``output_dir=``, ``save_dir=``, ``dirpath=``: where a run writes its model or results
    (not where it logs or caches: ``logging_dir=``, ``cache_dir=``)."""
    lowered = name.lower()
    return lowered in ("output_dir", "save_dir", "out_dir", "model_dir", "dirpath") or (
        lowered.endswith(("checkpoint_dir", "ckpt_dir", "output_dir", "save_dir"))
    )


def is_path_name(name: str) -> bool:
    parts = re.split(r"[^a-z0-9]+", name.lower())
    if len(parts) >= 2 and parts[-1] in ("in", "out"):
        parts = parts[:-1]  # ``mask_path_out``: still a path
    return bool(parts) and parts[-1] in T.PATH_NAME_TOKENS


#: folders of a tool's own state, logs and scratch (``./mlruns``, ``./lightning_logs``): where
#: a tool keeps its records, not the project's data, models or results
_TOOL_FOLDERS = frozenset(
    {"mlruns", "wandb", "lightning_logs", "logs", "log", "tmp", "temp", "cache", "__pycache__"}
)


def named_folder(value: str) -> bool:
    """``saved_data/``, ``mit-b0-run``, ``./plots/``: folder names only (no file, no dots),
    none of them a folder of code, configuration or secrets."""
    text = value.replace("\\", "/")
    return not text.startswith(("/", "http", "<", "-", "~")) and _plain_folders(text)


def _plain_folders(text: str) -> bool:
    """Every part of ``text`` is a folder name (no file, no dots), none of them a folder of
    code, tools, configuration or secrets."""
    parts = [p for p in normalise(text).split("/") if p]
    if not parts or any(p.lower() in _NOT_DATA_FOLDERS | _TOOL_FOLDERS for p in parts):
        return False
    return all(
        _WORD.fullmatch(p) and not _EXTENSION.search(p) for p in parts
    ) and not _SECRET_PARTS.search(text)


def explicit_folder(value: str) -> bool:
    """``./img``, ``./data/masks``: a folder written relative to the working directory on
    purpose (``./``), not code, configuration or a secret."""
    text = value.replace("\\", "/")
    return text.startswith("./") and not text.startswith("./.") and _plain_folders(text)


#: words of a dict key whose value names a component, not a place (``"type": "data/loader"``)
_COMPONENT_KEYS = frozenset({"type", "kind", "class", "component", "target", "id", "factory"})


def names_a_component(key: str) -> bool:
    """``"type": "data/loader"``, ``"model_kind": "models/xgb"``: a registry name that only
    looks like a path; where the data is lives under other keys."""
    parts = re.split(r"[^a-z0-9]+", key.lower().strip("_"))
    return bool(parts) and parts[-1] in _COMPONENT_KEYS


def names_a_pattern(name: str) -> bool:
    """``CKPT_PREFIX``, ``FILE_SUFFIX``, ``MODEL_NAME``: a naming convention, not a location."""
    parts = re.split(r"[^a-z0-9]+", name.lower())
    return bool(parts) and parts[-1] in _NOT_LOCATION_NAMES


def bare_pattern(value: str) -> bool:
    """``crm_features_*.csv``, ``tile_?.png``: a pattern of file names with no folder names
    files, not where they are (the folder it is matched in is the location)."""
    return "/" not in normalise(value).strip("/") and any(ch in value for ch in "*?[")


def is_output_call(callee: str) -> bool:
    return bool(_OUTPUT_WORDS.search(callee.lower()))


def is_input_call(callee: str) -> bool:
    return bool(_INPUT_WORDS.search(callee.lower()))


def path_key(value: str, direction: str | None = None) -> str:
    """A config key for a location: ``data.<stem>`` for inputs, ``output.<stem>`` for outputs.

    Hashes and numbers never become keys (the folder names it instead); dots in file names
    never reach the key.
    """
    parts = [p for p in normalise(value).rstrip("/").split("/") if p and not set(p) & set("*?[")]
    stem = ""
    for part in reversed(parts):
        candidate = _slug(_strip_extensions(part))
        if candidate and not _HASH.match(candidate):
            stem = candidate
            break
    stem = stem or "location"
    if direction is None:
        first = normalise(value).split("/", 1)[0]
        direction = "output" if first in OUTPUT_FOLDERS else "input"
    section = "output" if direction == "output" else "data"
    return f"{section}.{stem}"


def _strip_extensions(name: str) -> str:
    """``train.v2.csv.gz`` -> ``train.v2`` (data and compression extensions only)."""
    for _ in range(2):
        stem, dot, ext = name.rpartition(".")
        if dot and stem and f".{ext.lower()}" in (*T.DATA_EXTENSIONS, ".json", ".txt", ".tar"):
            name = stem
    return name


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
