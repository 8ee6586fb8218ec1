"""New, existing or fixed: compare a run with the same analysis of the pull request's base.

``mlnudge check --diff-base REF`` and ``mlnudge github`` (in a pull request event) both call
:func:`run_against_base`. It finds the merge-base of ``REF`` and ``HEAD``, checks that commit
out in a temporary ``git worktree`` (sharing the per-file cache, so unchanged files cost
nothing), runs the same rules with the same configuration there, and matches the two sets of
findings:

1. by fingerprint, after mapping the base's paths through the renames git detects;
2. what is left, by rule and anchor (the offending construct, whatever its file): a function
   moved to another file keeps its findings "existing";
3. what is still left, by rule and message.

Findings of the head that match nothing are new; findings of the base that match nothing are
fixed. Repository-level findings (structure, deps) are compared the same way.

A base that cannot be resolved (a shallow clone without the base commit, a typo) raises
:class:`BaseError` with what to do; nothing is silently treated as all new or all unchanged.
:func:`fetch_base` is what the composite action runs to make a shallow clone deep enough.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from pathlib import Path

from mlnudge.facts.repo import CACHE_DIR
from mlnudge.finding import Family, Finding
from mlnudge.report.model import Report
from mlnudge.runner import run
from mlnudge.settings import Config, ConfigError

GIT_TIMEOUT = 120
#: how far a shallow clone is deepened, step by step, before fetching everything
DEEPEN_STEPS = (50, 200, 1000)

HOW_TO_FIX = (
    "Fetch the history the comparison needs: in GitHub Actions give actions/checkout "
    "`fetch-depth: 0` (or use mlnudge's composite action, which fetches the base itself); "
    "elsewhere run `git fetch --unshallow` or `git fetch origin <base branch>`."
)


class BaseError(ConfigError):
    """The pull request's base cannot be resolved or checked out; the message says what to do.

    A usage error like a bad setting: both command lines exit 2 with the message.
    """


def _git(
    cwd: Path, *args: str, check: bool = True, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=None if env is None else {**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise BaseError(f"cannot run git in {cwd}: {exc}") from None
    if check and proc.returncode != 0:
        raise BaseError(f"git {' '.join(args)} failed: {proc.stderr.strip() or proc.stdout}")
    return proc


def toplevel(root: Path) -> Path:
    proc = _git(root, "rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise BaseError(
            f"{root} is not inside a git repository: comparing with a base needs git history"
        )
    return Path(proc.stdout.strip()).resolve()


def _is_shallow(top: Path) -> bool:
    proc = _git(top, "rev-parse", "--is-shallow-repository", check=False)
    return proc.stdout.strip() == "true"


def _commit(top: Path, ref: str) -> str | None:
    proc = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else None


def merge_base(root: Path, ref: str, head: str = "HEAD") -> str:
    """The merge-base commit of ``ref`` and ``head``; :class:`BaseError` when there is none."""
    if ref.startswith("-"):
        raise BaseError(f"--diff-base {ref!r}: not a git revision")
    top = toplevel(root)
    base = _commit(top, ref)
    shallow = _is_shallow(top)
    if base is None:
        where = " (this clone is shallow)" if shallow else ""
        raise BaseError(f"the base {ref!r} is not a commit in this repository{where}. {HOW_TO_FIX}")
    proc = _git(top, "merge-base", base, head, check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        if shallow:
            raise BaseError(
                f"{ref!r} and {head} have no common ancestor in this shallow clone. {HOW_TO_FIX}"
            )
        raise BaseError(f"{ref!r} and {head} have no common ancestor; is {ref!r} the right base?")
    return proc.stdout.strip()


def fetch_base(
    root: Path,
    ref: str,
    *,
    remote: str = "origin",
    log: Callable[[str], None] = lambda _: None,
    git_env: Mapping[str, str] | None = None,
) -> str:
    """Fetch what the merge-base of ``ref`` and ``HEAD`` needs; return the merge-base.

    Fetches the base commit when it is missing, then deepens a shallow clone step by step
    (50, 200, 1000 commits) and finally unshallows it. Raises :class:`BaseError` when even that
    does not give a merge-base. ``git_env`` is added to the environment of the fetches only
    (e.g. ``GIT_CONFIG_*`` variables carrying an authorization header, never on a command line).
    """
    top = toplevel(root)
    try:
        return merge_base(top, ref)
    except BaseError:
        pass
    head = _commit(top, "HEAD")
    if _commit(top, ref) is None:
        log(f"fetching the base {ref} from {remote}")
        _git(top, "fetch", "--no-tags", "--quiet", "--depth=1", remote, ref, check=False,
             env=git_env)  # fmt: skip
    wanted = [r for r in (ref, head) if r]
    for step in DEEPEN_STEPS:
        if not _is_shallow(top):
            break
        try:
            return merge_base(top, ref)
        except BaseError:
            log(f"deepening the clone by {step} commits to find the merge-base")
            _git(top, "fetch", "--no-tags", "--quiet", f"--deepen={step}", remote, *wanted,
                 check=False, env=git_env)  # fmt: skip
    if _is_shallow(top):
        try:
            return merge_base(top, ref)
        except BaseError:
            log("fetching the full history")
            _git(top, "fetch", "--no-tags", "--quiet", "--unshallow", remote, check=False,
                 env=git_env)  # fmt: skip
    return merge_base(top, ref)


def renames(root: Path, base_sha: str) -> dict[str, str]:
    """Files renamed between ``base_sha`` and the work tree (old path -> new path), per git."""
    top = toplevel(root)
    proc = _git(top, "diff", "--name-status", "-M", "--no-color", "-z", base_sha, check=False)
    out: dict[str, str] = {}
    parts = proc.stdout.split("\0")
    i = 0
    while i < len(parts):
        status = parts[i]
        if status.startswith(("R", "C")) and i + 2 < len(parts):
            if status.startswith("R"):
                out[parts[i + 1]] = parts[i + 2]
            i += 3
        else:
            i += 2
    return out


def analyse_commit(
    root: Path,
    config: Config,
    sha: str,
    *,
    targets: Collection[str] | None = None,
    families: Collection[Family] | None = None,
    use_cache: bool = True,
    today: datetime.date | None = None,
) -> Report:
    """The same analysis as ``run(root, config)``, of commit ``sha`` in a temporary worktree."""
    top = toplevel(root)
    relative = root.resolve().relative_to(top)
    scratch = Path(tempfile.mkdtemp(prefix="mlnudge-base-"))
    tree = scratch / "tree"
    # the user's hooks (post-checkout) do not run, and LFS files stay pointers (no network)
    _git(top, "-c", f"core.hooksPath={os.devnull}", "worktree", "add", "--detach", "--quiet",
         str(tree), sha, env={"GIT_LFS_SKIP_SMUDGE": "1"})  # fmt: skip
    # the work tree's cache serves the base too, unless the work tree lists it (committed:
    # someone else's claims about the code, see runner.run)
    listed = _git(root, "ls-files", "--cached", "--others", "--exclude-standard", "--", CACHE_DIR)
    try:
        return run(
            tree / relative,
            config,
            targets=targets,
            families=families,
            use_cache=use_cache and not listed.stdout.strip(),
            cache_dir=root.resolve() / CACHE_DIR,
            today=today,
        )
    finally:
        _git(top, "worktree", "remove", "--force", str(tree), check=False)
        shutil.rmtree(scratch, ignore_errors=True)
        _git(top, "worktree", "prune", check=False)


def compare(
    head: Report, base: Report, moved: Mapping[str, str] | None = None
) -> tuple[list[Finding], list[Finding]]:
    """``head``'s findings with ``new`` set, and the base's findings no longer found (fixed)."""
    moved = moved or {}
    prints = [
        (f, f if f.path not in moved else replace(f, path=moved[f.path])) for f in base.findings
    ]
    left_base = [(f, renamed.identity(), renamed) for f, renamed in prints]
    matched: set[int] = set()
    status: dict[int, bool] = {}
    keys: list[Callable[[Finding], object]] = [
        lambda f: f.identity(),
        lambda f: (f.rule, f.anchor) if f.anchor else None,
        lambda f: (f.rule, _message_key(f)),
    ]
    for n, key in enumerate(keys):
        pool: dict[object, list[int]] = defaultdict(list)
        for i, (_, identity, renamed) in enumerate(left_base):
            if i in matched:
                continue
            k = identity if n == 0 else key(renamed)
            if k is not None:
                pool[k].append(i)
        for j, f in enumerate(head.findings):
            if j in status:
                continue
            k = key(f)
            if k is None or not pool.get(k):
                continue
            matched.add(pool[k].pop(0))
            status[j] = False
    marked = [replace(f, new=status.get(j, True)) for j, f in enumerate(head.findings)]
    fixed = [f for i, (f, _, _) in enumerate(left_base) if i not in matched]
    return marked, fixed


def _message_key(f: Finding) -> str:
    """The message without a notebook's ``cell N, line M:`` prefix (it moves with edits)."""
    text = f.message
    if f.cell is not None and text.startswith("cell "):
        text = text.split(": ", 1)[-1]
    return text


def run_against_base(
    root: Path,
    config: Config,
    ref: str,
    *,
    targets: Collection[str] | None = None,
    families: Collection[Family] | None = None,
    use_cache: bool = True,
    today: datetime.date | None = None,
    fetch: bool = False,
    log: Callable[[str], None] = lambda _: None,
    git_env: Mapping[str, str] | None = None,
) -> Report:
    """Check ``root`` and mark each finding new or existing relative to ``ref``'s merge-base.

    ``fetch``: fetch the base first when it is missing (:func:`fetch_base`, with ``git_env``).
    """
    sha = fetch_base(root, ref, log=log, git_env=git_env) if fetch else merge_base(root, ref)
    head = run(root, config, targets=targets, families=families, use_cache=use_cache, today=today)
    base = analyse_commit(
        root, config, sha, targets=targets, families=families, use_cache=use_cache, today=today
    )
    marked, fixed = compare(head, base, _relative_renames(root, sha))
    return replace(
        head,
        findings=tuple(marked),
        fixed=tuple(sorted(fixed, key=Finding.sort_key)),
        base_ref=ref,
        base_sha=sha,
        baseline=None,
    )


def _relative_renames(root: Path, sha: str) -> dict[str, str]:
    """Renames with paths relative to ``root`` (which may be a folder inside the repository)."""
    top = toplevel(root)
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    out = {}
    for old, new in renames(root, sha).items():
        if old.startswith(prefix) and new.startswith(prefix):
            out[old[len(prefix) :]] = new[len(prefix) :]
    return out
