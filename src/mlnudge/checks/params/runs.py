"""CLI defaults a pipeline never overrides (MLN201/202/203): decided by what the pipeline passes.

An ``add_argument("--test-size", default=0.05)`` is a script's interface, and run by hand the
person typing the command decides. But a script the project's own pipeline runs (a Makefile
target, a shell script, a Dockerfile ``CMD``, a CI job, a DVC stage, an MLflow entry point)
without ``--test-size`` always trains with 0.05: the value is fixed in code. So:

* each runner file's ``python <script>.py ...`` / ``python -m <module> ...`` commands are a
  text fact (a regular expression, cached by content), as is every ``--flag`` token of the
  project's text files (code, docs, configuration, notebooks);
* a script is *run by the pipeline* when a runner's command names it (relative to the
  runner's folder or to the root, or as a dotted module);
* its CLI default is then reported when no other file of the project mentions the flag at all
  (a README that shows ``--data_path`` says people pass it; another script or a notebook that
  spells it may pass it): precision first.

A script no runner names keeps its CLI defaults: the command line is its interface.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from mlnudge.facts.access import FileFacts

#: files that run commands: Make, just, shell scripts, containers, CI, DVC, MLflow, Procfile
RUNNER_RE = re.compile(
    r"(^|/)(Makefile|GNUmakefile|[^/]+\.mk|Justfile|[^/]+\.sh|[^/]+\.bash|Dockerfile[^/]*"
    r"|[^/]*docker-compose[^/]*\.ya?ml|compose\.ya?ml|dvc\.yaml|MLproject|Procfile"
    r"|\.gitlab-ci\.ya?ml|azure-pipelines\.ya?ml)$|^\.github/workflows/[^/]+\.ya?ml$",
    re.IGNORECASE,
)
#: where flags may be mentioned: code, notebooks, docs, configuration and the runners (not
#: ``.txt``/``.json``: more often data than prose)
TEXT_SUFFIXES = (
    ".py",
    ".ipynb",
    ".md",
    ".rst",
    ".sh",
    ".bash",
    ".yaml",
    ".yml",
    ".mk",
    ".toml",
    ".cfg",
    ".ini",
    "Makefile",
    "makefile",
    "Dockerfile",
    "MLproject",
    "MLProject",
    "Procfile",
    "Justfile",
    "justfile",
)

#: where a command line is defined: its flag strings name options, they pass nothing
_DEFINITION = re.compile(
    r"\b(?:add_argument|option|Option|argument|Argument)\s*\(\s*(?:[rbuf]?[\"'][^\"'\n]*[\"']\s*,?\s*)+"
)
_FLAG = re.compile(r"(?<![\w-])--([A-Za-z][\w-]*)")
#: a short flag as a command passes it (``-e 1000``, ``-do=0.7``): kept with its dash
_SHORT = re.compile(r"(?<![\w./-])(-[A-Za-z][A-Za-z0-9_]*)(?=[\s=]|$)")
#: a short flag as a definition names it (``add_argument("-e", "--epochs")``)
_SHORT_DEFINED = re.compile(r"[\"'](-[A-Za-z][A-Za-z0-9_]*)[\"']")
#: a Python module that runs commands itself (a driver): its commands are a runner's
_EXECUTES = re.compile(r"\b(?:os\.system|os\.popen|subprocess\.\w+|check_call|check_output)\s*\(")
_RUN = re.compile(
    r"(?:(?<![\w./-])python[\d.]*|\$[({]?\w*python\w*[)}]?)(?:\s+-[A-Za-z]+)*\s+"
    r"(?:-m\s+([A-Za-z_][\w.]*)|([\w./\\-]+\.py))\b",
    re.IGNORECASE,
)


def command_facts(text: str) -> dict[str, Any]:
    """``{"runs": [[script or module, [flags]], ...], "flags": [...], "defined": [...]}``: the
    Python scripts
    the file's commands run, with the flags each command passes (continuation lines joined,
    and the following lines that start with a flag, as in a YAML command; quotes, commas and
    brackets of a JSON ``CMD`` ignored), and every ``--flag`` token of the file outside the
    definitions of a command line (``add_argument("--seed", ...)`` defines, not passes)."""
    lines = re.sub(r"\\\r?\n", " ", text).splitlines()
    runs: list[list[Any]] = []
    for number, line in enumerate(lines):
        if "python" not in line.lower():
            continue
        plain = re.sub(r"[\"'\[\],]", " ", line)
        for match in _RUN.finditer(plain):
            target = match.group(1) or match.group(2).replace("\\", "/")
            rest = plain[match.end() :]
            for following in lines[number + 1 :]:
                if not following.strip().startswith("-"):
                    break
                rest += " " + re.sub(r"[\"'\[\],]", " ", following)
            rest = re.split(r"&&|\|\||;|\|", rest, maxsplit=1)[0]
            flags = sorted(
                {f.replace("_", "-") for f in _FLAG.findall(rest)} | set(_SHORT.findall(rest))
            )
            if _forwards(rest):
                flags = ["*"]  # ``python train.py "$@"`` / ``$(ARGS)``: any flag may come
            runs.append([("-m " if match.group(1) else "") + target, flags])
    mentioned = _DEFINITION.sub(" ", text)
    flags = sorted({f.replace("_", "-") for f in _FLAG.findall(mentioned)})
    defined = {
        f.replace("_", "-") for m in _DEFINITION.finditer(text) for f in _FLAG.findall(m.group())
    } | {f for m in _DEFINITION.finditer(text) for f in _SHORT_DEFINED.findall(m.group())}
    facts: dict[str, Any] = {"runs": runs, "flags": flags, "defined": sorted(defined)}
    if _EXECUTES.search(text):
        # every flag token of a driver's text: the commands it builds over several lines
        # (``cmd += f" --bsize {b}"``) may pass any of them
        facts["executes"] = sorted(set(flags) | set(_SHORT.findall(mentioned)))
        # an ``argv`` list written one item a line (``[\n "python3",\n "train.py",``)
        known = {str(target) for target, _ in runs}
        quoted = re.sub(r"[\[\],\s]+", " ", re.sub(r"(?m)^\s*#.*$", "", text))
        for match in _RUN.finditer(re.sub(r"[\"']", " ", quoted)):
            target = match.group(1) or match.group(2).replace("\\", "/")
            target = ("-m " if match.group(1) else "") + target
            if target not in known:
                known.add(target)
                runs.append([target, ["*"] if _hands_on(quoted, target) else []])
    return facts


def _hands_on(quoted: str, target: str) -> bool:
    """Whether a Python ``argv`` list running ``target`` also hands on something unquoted
    where a flag would stand (``*extra``, ``+ sys.argv[1:]``, ``args.flags``)."""
    at = quoted.find(target)
    end = quoted.find(")", at)
    tokens = quoted[at + len(target) : end if end >= 0 else None].split()
    before = ""
    for token in tokens[1:] if tokens and not tokens[0].strip("\"'") else tokens:
        bare = token.strip("\"'")
        literal = token[:1] in "\"'"
        if not literal and not before.startswith("-") and bare:
            return True
        before = bare
    return False


def _forwards(rest: str) -> bool:
    """Whether a command hands on arguments we cannot read: ``"$@"``, ``$*``, ``%*``, or a
    variable standing where a flag would (``$(ARGS)``, ``${EXTRA}``, a Python driver's
    ``{extra}`` or ``+ extra``), not after one."""
    tokens = rest.split()
    for before, token in zip(["", *tokens], tokens, strict=False):
        if token.startswith(("$", "%", "{", "+")) and not before.startswith("-"):
            return True
    return False


COMMAND_FACTS = FileFacts(command_facts, "3", suffixes=TEXT_SUFFIXES, text=True)


def resolve(target: str, runner: str, files: Collection[str]) -> str | None:
    """The project file a runner's command runs: ``-m src.train`` -> ``src/train.py``;
    ``train.py`` relative to the runner's folder, else to the root (``./`` and ``../`` taken)."""
    if target.startswith("-m "):
        module = target[3:].replace(".", "/")
        for candidate in (f"{module}.py", f"{module}/__main__.py"):
            if candidate in files:
                return candidate
        return None
    folder = runner.rsplit("/", 1)[0] if "/" in runner else ""
    for base in (folder, ""):
        parts = [p for p in (f"{base}/{target}" if base else target).split("/") if p != "."]
        out: list[str] = []
        for part in parts:
            if part == "..":
                if not out:
                    break
                out.pop()
            elif part:
                out.append(part)
        else:
            candidate = "/".join(out)
            if candidate in files:
                return candidate
    return None


class Commands:
    """Which scripts the pipeline runs, the flags its commands pass each, and the flags the
    project's other files mention, from the command facts of every text file (``rows``:
    ``(path, facts)``)."""

    def __init__(self, rows: Iterable[tuple[str, Any]], files: Collection[str]) -> None:
        self.passed: dict[str, set[str]] = {}
        self.mentions: dict[str, set[str]] = {}
        for path, data in rows:
            if not isinstance(data, dict):
                continue
            if RUNNER_RE.search(path):
                for target, flags in data.get("runs", ()):
                    script = resolve(str(target), path, files)
                    if script is not None:
                        self.passed.setdefault(script, set()).update(str(f) for f in flags)
                continue  # a runner's flags go to the scripts its commands run
            driven = data.get("executes")
            if path.endswith(".py") and isinstance(driven, list):
                # a Python driver (``os.system(f"python train.py --lr {lr}")``) runs the
                # scripts its commands name; any flag it spells may reach them
                for target, flags in data.get("runs", ()):
                    script = resolve(str(target), path, files)
                    if script is not None and script != path:
                        given = self.passed.setdefault(script, set())
                        given.update(str(f) for f in driven)
                        given.update("*" for f in flags if f == "*")
            for flag in data.get("flags", ()):
                self.mentions.setdefault(str(flag), set()).add(path)

    def slice(self, path: str, own: Iterable[str]) -> tuple[str, ...] | None:
        """For a script the pipeline runs: its flags (``own``) that a command running it
        passes or another file mentions; ``None`` for a script no runner runs (its command
        line is its interface)."""
        if path not in self.passed:
            return None
        passed = self.passed[path]
        if "*" in passed:
            return tuple(sorted(set(own)))  # a command hands on any flag: all may be passed
        return tuple(
            sorted(f for f in set(own) if f in passed or self.mentions.get(f, set()) - {path})
        )
