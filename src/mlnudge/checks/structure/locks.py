"""Where a project's lock file belongs, and the command that writes it."""

from __future__ import annotations

from mlnudge.facts.repo import Repo


def expected_lock(repo: Repo, declared: list[str]) -> tuple[str, str]:
    """Where the lock belongs and the command that writes it, after the declaring file's tool;
    beside that file, so that a sub-project's lock lands in the sub-project."""
    pyprojects = [d for d in declared if d.endswith("pyproject.toml")]
    pipfiles = [d for d in declared if d.rsplit("/", 1)[-1] == "Pipfile"]
    requirements = [d for d in declared if d.endswith((".txt", ".in"))]
    if pyprojects or pipfiles:
        source = (pyprojects or pipfiles)[0]
        tool = (repo.toml(source) or {}).get("tool") if pyprojects else None
        tools = tool if isinstance(tool, dict) else {}
        if not pyprojects:
            name, command = "Pipfile.lock", "pipenv lock"
        elif "poetry" in tools:
            name, command = "poetry.lock", "poetry lock"
        elif "pdm" in tools:
            name, command = "pdm.lock", "pdm lock"
        else:
            name, command = "uv.lock", "uv lock"
        base = source.rsplit("/", 1)[0] if "/" in source else ""
        return beside(source, name), f"cd {base} && {command}" if base else command
    if requirements:
        lock = beside(requirements[0], "requirements.lock")
        return lock, f"uv pip compile {requirements[0]} -o {lock}"
    source = declared[0] if declared else "environment.yml"
    lock = beside(source, "conda-lock.yml")
    return lock, f"conda-lock -f {source} --lockfile {lock}"


def beside(source: str, name: str) -> str:
    return f"{source.rsplit('/', 1)[0]}/{name}" if "/" in source else name
