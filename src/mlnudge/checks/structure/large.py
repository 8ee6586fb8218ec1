"""Large files committed to git (MLN110): what counts as data, a model or a report, by
extension or by its first bytes, and what Git LFS or DVC keeps out of git."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlnudge.checks.structure.rules import LARGE_FILE
from mlnudge.facts.repo import Repo
from mlnudge.finding import Finding, Severity
from mlnudge.settings import path_matches

DATA_EXTENSIONS = frozenset(
    {
        "csv", "tsv", "parquet", "feather", "arrow", "avro", "orc", "jsonl", "ndjson", "xlsx",
        "xls", "h5", "hdf5", "hdf", "nc", "mat", "npy", "npz", "tfrecord", "tfrecords", "db",
        "sqlite", "sqlite3", "zip", "tar", "gz", "tgz", "bz2", "xz", "7z", "lmdb", "zarr",
        "pq", "txt", "dat", "nii", "dcm", "nrrd", "mha", "mhd", "mgz", "edf", "fits", "wav",
        "flac", "las", "laz", "grib", "grb", "shp", "shx", "dbf", "gpkg", "geojson", "pcd",
        "ply",
    }
)  # fmt: skip
#: HTML pages this large are generated reports (profiling, drift, Evidently, pandas-profiling)
REPORT_EXTENSIONS = frozenset({"html", "htm"})
MODEL_EXTENSIONS = frozenset(
    {
        "pkl", "pickle", "joblib", "pt", "pth", "ckpt", "onnx", "safetensors", "pb", "tflite",
        "keras", "sav", "model", "bin", "weights", "gguf", "mlmodel", "cbm", "msgpack", "xgb",
        "ubj", "lgb", "p",
    }
)  # fmt: skip
#: how much larger than ``large-file-size`` any other file may be before it is reported
OTHER_FILE_FACTOR = 10


def lfs_patterns(repo: Repo) -> list[tuple[str, str]]:
    """``(directory, pattern)`` for every ``filter=lfs`` line of every ``.gitattributes``."""
    found = []
    for rel in repo.files:
        if rel.rsplit("/", 1)[-1] != ".gitattributes":
            continue
        base = rel.rsplit("/", 1)[0] if "/" in rel else ""
        for line in (repo.text(rel) or "").splitlines():
            fields = line.split()
            if len(fields) >= 2 and not fields[0].startswith("#") and "filter=lfs" in fields[1:]:
                found.append((base, fields[0]))
    return found


def dvc_tracked(repo: Repo) -> list[str]:
    """Paths DVC manages: the targets of ``*.dvc`` pointers and the ``outs`` of ``dvc.yaml``."""
    found = []
    for rel in repo.files:
        base = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
        if rel.endswith(".dvc"):
            found.append(rel[: -len(".dvc")])
            data = repo.yaml(rel)
            outs = data.get("outs") if isinstance(data, dict) else None
            found.extend(base + p for p in _out_paths(outs))
        elif rel.rsplit("/", 1)[-1] == "dvc.yaml":
            data = repo.yaml(rel)
            stages = data.get("stages") if isinstance(data, dict) else None
            for stage in (stages or {}).values() if isinstance(stages, dict) else ():
                if isinstance(stage, dict):
                    wdir = str(stage.get("wdir", ".")).strip("./")
                    prefix = base + (wdir + "/" if wdir else "")
                    for key in ("outs", "metrics", "plots"):
                        found.extend(prefix + p for p in _out_paths(stage.get(key)))
    return [p.rstrip("/") for p in found if p]


def _out_paths(outs: Any) -> Iterator[str]:
    if not isinstance(outs, list):
        return
    for out in outs:
        if isinstance(out, str):
            yield out
        elif isinstance(out, dict):
            if isinstance(out.get("path"), str):
                yield out["path"]
            else:
                yield from (k for k in out if isinstance(k, str))


def _lfs_tracked(rel: str, patterns: list[tuple[str, str]]) -> bool:
    for base, pattern in patterns:
        if base and not rel.startswith(base + "/"):
            continue
        local = rel[len(base) + 1 :] if base else rel
        if path_matches(local, pattern):
            return True
    return False


#: suffixes of copies (``mlflow.db.old``): the extension before them is the file's kind
_COPY_SUFFIXES = frozenset({"old", "bak", "backup", "orig", "tmp", "copy"})


def extension(rel: str) -> str:
    parts = rel.rsplit("/", 1)[-1].lower().split(".")[1:]
    while len(parts) > 1 and parts[-1] in _COPY_SUFFIXES:
        parts.pop()
    return parts[-1] if parts else ""


#: the first bytes of a pickle (protocol 2 to 5), what joblib, torch and pickle write
_PICKLE_MAGIC = tuple(bytes([0x80, protocol]) for protocol in range(2, 6))


def _sniffed_kind(repo: Repo, rel: str, ext: str) -> str:
    """The kind of a large file its extension does not tell, from its first bytes.

    A pickle is a model file whatever its name (``models/classifier``, ``encoder.b``); a file
    with no extension at all that is binary (a NUL byte in its first 4 kB) is a data or model
    artifact too: code, text and configuration have extensions or are text.
    """
    head = repo.head(rel, 4096)
    if head.startswith(_PICKLE_MAGIC):
        return "Model file"
    if not ext and b"\0" in head:
        return "Binary file"
    return ""


def _size_text(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def _beside_its_pointer(rel: str, kind: str, size: int) -> Finding:
    """A file DVC tracks that git does not ignore: committed before `dvc add` ran (or with
    `git add -f` after), or about to be, so git stores every version of it as well."""
    return LARGE_FILE.finding(
        rel,
        f"{kind or 'Large file'} `{rel}` ({_size_text(size)}) is tracked by DVC but not ignored "
        "by git: git holds (or takes at the next `git add`) every version of it too.",
        fix=(
            f"Ignore it as `dvc add` does (`/{rel.rsplit('/', 1)[-1]}` in the `.gitignore` "
            f"beside it) and, if git already tracks it, `git rm --cached {rel}`."
        ),
        anchor=rel,
        details={"bytes": size},
    )


def large_files(repo: Repo, limit: int) -> tuple[Finding, ...]:
    """MLN110: data, model and report files over ``limit`` bytes (any other file over ten
    times that) that git stores itself, not Git LFS or DVC. A page exported from the notebook
    beside it (``eda.html`` next to ``eda.ipynb``) is that notebook, rendered: not reported."""
    lfs = lfs_patterns(repo)
    dvc = dvc_tracked(repo)
    findings = []
    for rel in repo.files:
        ext = extension(rel)
        kind = (
            "Model file"
            if ext in MODEL_EXTENSIONS
            else "Data file"
            if ext in DATA_EXTENSIONS
            else "Generated report"
            if ext in REPORT_EXTENSIONS
            else ""
        )
        size = repo.size(rel)
        if size <= limit:
            continue
        if not kind:
            kind = _sniffed_kind(repo, rel, ext)
        if not kind and size <= limit * OTHER_FILE_FACTOR:
            continue
        if _lfs_tracked(rel, lfs):
            continue
        pointer = next((d for d in dvc if rel == d or rel.startswith(d + "/")), None)
        if pointer is not None:
            if repo.exists(pointer + ".dvc") or repo.exists(rel + ".dvc"):
                findings.append(_beside_its_pointer(rel, kind, size))
            continue
        pattern = f"*.{ext}" if ext else rel
        if ext in REPORT_EXTENSIONS and repo.exists(rel.rsplit(".", 1)[0] + ".ipynb"):
            continue  # the notebook beside it, exported to read in a browser: the notebook
        if ext in REPORT_EXTENSIONS:
            # a page for people to read, not an input or output of the model: worth a
            # mention, not a warning (most reviewers of the corpus called these fine)
            findings.append(
                LARGE_FILE.finding(
                    rel,
                    f"Generated report `{rel}` ({_size_text(size)}) is committed to git; every "
                    "new version adds its full size to the history.",
                    fix=(
                        "Publish it as a CI artifact or rebuild it from the pipeline, and ignore "
                        f"it in git; to keep it versioned, `git lfs track '{pattern}'`."
                    ),
                    anchor=rel,
                    severity=Severity.INFO,
                    details={"bytes": size},
                )
            )
            continue
        findings.append(
            LARGE_FILE.finding(
                rel,
                f"{kind or 'Large file'} `{rel}` ({_size_text(size)}) is committed to git; "
                "version it with DVC or Git LFS instead.",
                fix=(
                    f"`dvc add {rel}` (commits the small `{rel}.dvc` pointer) or "
                    f"`git lfs track '{pattern}'`; then `git rm --cached {rel}`."
                ),
                anchor=rel,
                details={"bytes": size},
            )
        )
    return tuple(findings)
