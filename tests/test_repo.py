from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
from mlnudge_testing import git, git_repo, notebook, write_tree

from mlnudge.config import build_config
from mlnudge.facts.repo import RECOVER_MAX_LINES, Repo, check_syntax
from mlnudge.runner import run


def discover(root: Path, **config: object) -> Repo:
    return Repo.discover(root, build_config(config))


def test_git_lists_tracked_and_untracked_but_not_ignored(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path,
        {".gitignore": "data/\n*.log\n", "src/a.py": "x = 1\n", "data/big.csv": "a\n"},
    )
    write_tree(root, {"new.py": "y = 2\n", "run.log": "noise\n"})
    repo = discover(root)
    assert repo.is_git
    assert repo.files == (".gitignore", "new.py", "src/a.py")


def test_subdirectory_of_a_git_repo_is_its_own_root(tmp_path: Path) -> None:
    git_repo(tmp_path, {"examples/churn/train.py": "x = 1\n", "top.py": "y = 1\n"})
    repo = discover(tmp_path / "examples" / "churn")
    assert repo.files == ("train.py",)


def test_walk_outside_git_honours_gitignore_and_skips_environments(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".gitignore": "*.pkl\n/output/\n!keep.pkl\n",
            "sub/.gitignore": "scratch.py\n",
            "a.py": "",
            "model.pkl": "",
            "keep.pkl": "",
            "output/x.csv": "",
            "sub/scratch.py": "",
            "sub/real.py": "",
            ".venv/lib/site.py": "",
            "venv/x.py": "",
            "node_modules/p/index.py": "",
            "nb/.ipynb_checkpoints/a-checkpoint.ipynb": "{}",
            ".cache/scratch_copy_of_train.py": "",
            "pkg/__pycache__/a.cpython-311.pyc": "",
            "build/lib/a.py": "",
        },
    )
    repo = discover(tmp_path)
    assert not repo.is_git
    assert repo.files == (".gitignore", "a.py", "keep.pkl", "sub/.gitignore", "sub/real.py")


@pytest.mark.parametrize("in_git", [True, False])
def test_an_env_folder_is_skipped_only_when_it_holds_a_virtual_environment(
    tmp_path: Path, in_git: bool
) -> None:
    # `env/` often holds an image's Dockerfile and requirements; with a venv's marker it is one
    files = {
        "train.py": "import wandb\n",
        "env/Dockerfile": "FROM python:3.11\nRUN pip install -r requirements.txt\n",
        "env/requirements.txt": "wandb\n",
        "tools/env/pyvenv.cfg": "home = /usr/bin\n",
        "tools/env/lib/python3.11/helper.py": "",
        "old/env/bin/activate": "",
        "old/env/bin/tool.py": "",
    }
    if in_git:
        git_repo(tmp_path, files)
    else:
        write_tree(tmp_path, files)
    assert discover(tmp_path).files == ("env/Dockerfile", "env/requirements.txt", "train.py")


@pytest.mark.parametrize(
    ("rel", "template"),
    [
        ("{{ cookiecutter.repo_name }}/src/train.py", "{{ cookiecutter.repo_name }}/"),
        ("starters/{{cookiecutter.slug}}/conf/base/catalog.yml", "starters/{{cookiecutter.slug}}/"),
        ("{{ project_name }}/{{ package }}/nodes.py", "{{ project_name }}/"),
        ("src/{{ cookiecutter.module }}.py", None),  # a file, not a folder: it is judged
        ("src/train.py", None),
        ("docs/{ braces }/x.py", None),
    ],
)
def test_template_folders_are_found_by_their_placeholders(rel: str, template: str | None) -> None:
    from mlnudge.facts.listing import template_folder

    assert template_folder(rel) == template


def test_a_project_template_is_not_this_projects_code(tmp_path: Path) -> None:
    """A repository of cookiecutter or copier templates (an MLOps team's project template)
    holds Jinja where Python should be: below a placeholder folder nothing is read, parsed
    or judged, and the report says why."""
    root = git_repo(
        tmp_path,
        {
            "cookiecutter.json": '{"repo_name": "churn"}\n',
            "hooks/post_gen_project.py": "print('done')\n",
            "{{ cookiecutter.repo_name }}/src/train.py": (
                "from {{ cookiecutter.package }} import model\nmodel.fit(n_estimators=300)\n"
            ),
            "{{ cookiecutter.repo_name }}/requirements.txt": "pandas=={{ cookiecutter.pandas }}\n",
        },
    )
    repo = discover(root)
    assert repo.files == ("cookiecutter.json", "hooks/post_gen_project.py")
    assert repo.templates == ("{{ cookiecutter.repo_name }}/",)
    report = run(root, build_config({}), use_cache=False)
    assert report.errors == ()
    assert not [f for f in report.findings if "{{" in f.path]
    assert any("template for other projects" in n for n in report.notes)


def test_exclude_globs_from_configuration(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "", "legacy/b.py": "", "legacy/c/d.py": ""})
    assert discover(tmp_path, exclude=["legacy/"]).files == ("a.py",)


def test_symlinks_never_loop_or_leave_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_tree(outside, {"secret.py": "x = 1\n"})
    root = write_tree(tmp_path / "root", {"a.py": ""})
    os.symlink(root, root / "loop")
    os.symlink(outside / "secret.py", root / "linked.py")
    os.symlink(outside, root / "linked_dir")
    assert discover(root).files == ("a.py",)


def test_too_large_files_are_reported_and_skipped(tmp_path: Path) -> None:
    write_tree(tmp_path, {"big.py": "x = 1\n" * 1000, "small.py": "lr = 0.1\n"})
    repo = discover(tmp_path, **{"max-file-size": 1000})
    assert repo.python("big.py") is None
    assert repo.python("small.py") is not None
    [error] = repo.errors
    assert (error.path, error.kind) == ("big.py", "too-large")


def test_a_notebook_may_be_larger_than_a_python_file(tmp_path: Path) -> None:
    """A notebook's size is its outputs: one five times ``max-file-size`` is read (its code
    analysed), one over twenty-five times it is reported as too large."""
    plot = {"output_type": "display_data", "data": {"image/png": "iVBOR" * 1000}, "metadata": {}}
    cell = {
        "cell_type": "code",
        "metadata": {},
        "execution_count": 1,
        "source": ["import pandas as pd\n"],
        "outputs": [plot],
    }

    def nb(cells: int) -> str:
        return json.dumps(
            {"cells": [cell] * cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        )

    write_tree(tmp_path, {"eda.ipynb": nb(1), "huge.ipynb": nb(6)})
    repo = discover(tmp_path, **{"max-file-size": 1000})
    assert (
        4000
        < (tmp_path / "eda.ipynb").stat().st_size
        < 25_000
        < (tmp_path / "huge.ipynb").stat().st_size
    )
    assert repo.python("eda.ipynb") is not None
    assert repo.python("huge.ipynb") is None
    assert [(e.path, e.kind) for e in repo.errors] == [("huge.ipynb", "too-large")]


def test_a_text_file_with_a_utf16_mark_is_decoded_by_it(tmp_path: Path) -> None:
    """What PowerShell's ``>`` writes (UTF-16 with its mark, CRLF) is read; a ``.py`` file
    keeps Python's rules (UTF-16 source is no Python)."""
    env = "name: shop\r\ndependencies:\r\n  - pandas>=2.1\r\n"
    write_tree(
        tmp_path, {"environment.yml": env.encode("utf-16"), "odd.py": "x = 1\n".encode("utf-16")}
    )
    repo = discover(tmp_path)
    assert repo.yaml("environment.yml") == {"name": "shop", "dependencies": ["pandas>=2.1"]}
    assert repo.text("odd.py") is None
    assert [(e.path, e.kind) for e in repo.errors] == [("odd.py", "encoding")]


def test_json_with_comments_of_editors_is_not_checked_as_json(tmp_path: Path) -> None:
    """VS Code and dev containers read their JSON files with comments: no syntax error."""
    jsonc = (
        '{\n  // Use IntelliSense to learn about possible attributes.\n  "version": "0.2.0"\n}\n'
    )
    write_tree(
        tmp_path,
        {
            ".vscode/launch.json": jsonc,
            ".devcontainer/devcontainer.json": jsonc,
            "tsconfig.json": jsonc,
            "conf/params.json": jsonc,  # a parameter file must be JSON
        },
    )
    repo = discover(tmp_path)
    check_syntax(repo, repo.files, lambda rel, kind, check: check())
    assert [(e.path, e.kind) for e in repo.errors] == [("conf/params.json", "syntax")]


@pytest.mark.parametrize(
    ("content", "kind", "line"),
    [
        (b"def broken(:\n    pass\n", "syntax", 1),
        (b"x = 1\n\nif True\n    y = 2\n", "syntax", 3),
        (b"x = '\xff\xfe'\n", "encoding", 1),
        (b"x = 1\0\0\0", "encoding", None),
        (b"# -*- coding: klingon -*-\nx = 1\n", "encoding", None),
    ],
)
def test_unparseable_python_is_reported_with_line(
    tmp_path: Path, content: bytes, kind: str, line: int | None
) -> None:
    write_tree(tmp_path, {"bad.py": content})
    repo = discover(tmp_path)
    module = repo.python("bad.py")
    # a file that cannot be decoded is skipped; one that does not parse is recovered
    assert (module is None) == (kind == "encoding")
    [error] = repo.errors
    assert (error.path, error.kind, error.line) == ("bad.py", kind, line)
    assert error.message


def test_a_module_that_does_not_parse_is_analysed_without_its_broken_lines(
    tmp_path: Path,
) -> None:
    source = (
        "import pandas as pd\n"
        "from logging\n"  # 2: an unfinished import
        "\n"
        "def load(debug=False, logger):\n"  # 4: a broken signature keeps its body
        '    return pd.read_csv("data/train.csv")\n'
        "\n"
        "grid = {\n"
        "    'C': [1, 10]\n"  # 8: a missing comma
        "    'penalty': ['l2'],\n"
        "}\n"
        'print "done"\n'  # 11: Python 2
    )
    write_tree(tmp_path, {"train.py": source})
    repo = discover(tmp_path)
    module = repo.python("train.py")
    assert module is not None
    assert [f.name for f in module.tree.body if isinstance(f, ast.FunctionDef)] == ["load"]
    assert "read_csv" in ast.dump(module.tree)
    [error] = repo.errors
    assert (error.kind, error.line) == ("syntax", 2)
    assert error.message.endswith("the rest was analysed without lines 2, 4, 8, 11")
    # the file itself is never rewritten
    assert (tmp_path / "train.py").read_text() == source


def test_recovery_gives_up_on_a_file_broken_everywhere(tmp_path: Path) -> None:
    python2 = "".join(f'print "step {i}"\n' for i in range(RECOVER_MAX_LINES + 1))
    write_tree(tmp_path, {"old.py": python2})
    repo = discover(tmp_path)
    assert repo.python("old.py") is None
    [error] = repo.errors
    assert "analysed" not in error.message


def test_pep263_cookie_is_respected(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"latin.py": "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1")}
    )
    repo = discover(tmp_path)
    module = repo.python("latin.py")
    assert module is not None and "café" in module.source
    assert repo.errors == []


def test_notebook_cells_with_magics_parse_and_map_back(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "nb.ipynb": notebook(
                "%matplotlib inline\nimport pandas as pd",
                "# notes",
                "!pip install xgboost\nfiles = !ls\nx = 1\ny = x + 1",
                "%%bash\necho hi",
                kinds=("code", "markdown", "code", "code"),
            )
        },
    )
    repo = discover(tmp_path)
    module = repo.python("nb.ipynb")
    assert module is not None, repo.errors
    assert repo.errors == []
    # line 6 of the joined source is "y = x + 1": cell 3 as Jupyter shows it, line 4
    assert module.lines[5] == "y = x + 1"
    assert module.cell_of(6) == (3, 4)


def test_broken_notebook_cell_is_reported_and_other_cells_kept(tmp_path: Path) -> None:
    write_tree(tmp_path, {"nb.ipynb": notebook("x = 1", "def broken(:\n  pass", "y = 2")})
    repo = discover(tmp_path)
    module = repo.python("nb.ipynb")
    assert module is not None
    assert "y = 2" in module.source and "broken" not in module.source
    [error] = repo.errors
    assert error.kind == "syntax" and error.line == 1 and "cell 2" in error.message


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("nb.ipynb", '{"cells": [\n  {"cell_type": "code",,}\n]}', 2),
        ("params.yaml", "train:\n  lr: 0.1\n   bad: [\n", 3),
        ("pyproject.toml", '[project]\nname = "x"\ndependencies = [\n  "a"\n  "b"\n]\n', 5),
        ("meta.json", '{"a": 1,\n "b": }', 2),
    ],
)
def test_invalid_structured_files_are_reported_with_line_and_the_run_goes_on(
    tmp_path: Path, name: str, content: str, line: int
) -> None:
    write_tree(tmp_path, {name: content, "train.py": "model.fit(epochs=30)\n"})
    report = run(tmp_path, build_config({}), use_cache=False)
    errors = [e for e in report.errors if e.path == name]
    assert len(errors) == 1, report.errors
    assert errors[0].kind == "syntax" and errors[0].line == line
    assert any(f.path == "train.py" and f.rule == "MLN201" for f in report.findings)


def test_each_file_is_read_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/features.py": "def clean(df):\n    return df.dropna()\n",
            "tests/test_features.py": "from pkg.features import clean\n\ndef test_c():\n    clean(1)\n",
            "train.py": "model.fit(epochs=30)\n",
            "nb.ipynb": notebook("lr = 0.1"),
            "requirements.txt": "pandas==2.0\n",
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["numpy"]\n',
        },
    )
    reads: list[str] = []
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self.relative_to(tmp_path).as_posix())
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    report = run(tmp_path, build_config({}), use_cache=False)
    assert report.findings
    duplicates = {p for p in reads if reads.count(p) > 1}
    assert not duplicates, duplicates


def test_git_deleted_but_tracked_file_is_not_listed(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"a.py": "", "b.py": ""})
    (root / "b.py").unlink()
    assert discover(root).files == ("a.py",)
    git(root, "status")


def test_notebook_findings_sort_by_cell_then_line() -> None:
    from mlnudge.finding import Finding, Severity

    late = Finding("MLN201", "nb.ipynb", "m", Severity.WARNING, line=1, cell=9)
    early = Finding("MLN201", "nb.ipynb", "m", Severity.WARNING, line=5, cell=2)
    assert sorted([late, early], key=Finding.sort_key) == [early, late]


# -- .gitignore outside git: git's own rules (pathspec), checked against git itself -----------

GITIGNORE_CASES: dict[str, dict[str, str]] = {
    "negation": {".gitignore": "*.log\n!keep.log\n"},
    "negation-cannot-reinclude-below-an-ignored-directory": {
        ".gitignore": "build_out/\n!build_out/keep.txt\n"
    },
    "directory-only": {".gitignore": "tmp/\n"},
    "anchored-leading-slash": {".gitignore": "/root.txt\n"},
    "anchored-by-inner-slash": {".gitignore": "doc/frotz.txt\n"},
    "double-star-leading": {".gitignore": "**/logs\n"},
    "double-star-trailing": {".gitignore": "cache/**\n!cache/**/\n!cache/**/keep.txt\n"},
    "double-star-middle": {".gitignore": "a/**/b.txt\n"},
    "star-does-not-cross-slash": {".gitignore": "doc/*.txt\n"},
    "character-class-and-question-mark": {".gitignore": "[ab].py\nx?.txt\n[!c]z.py\n"},
    "escaped-hash-and-bang": {".gitignore": "\\#notes.txt\n\\!bang.txt\n# a comment\n"},
    "trailing-spaces": {".gitignore": "spaced.txt   \n"},
    "nested-gitignore-overrides-parent": {
        ".gitignore": "*.csv\n",
        "sub/.gitignore": "!wanted.csv\nlocal/x.txt\n",
    },
    "everything-but-python": {"sub/.gitignore": "*\n!*.py\n!*/\n"},
}

GITIGNORE_FILES = [
    "keep.log",
    "other.log",
    "build_out/keep.txt",
    "build_out/x.py",
    "tmp/a.txt",
    "sub/tmp",
    "root.txt",
    "sub/root.txt",
    "doc/frotz.txt",
    "sub/doc/frotz.txt",
    "logs/a.txt",
    "deep/er/logs/b.txt",
    "cache/x.bin",
    "cache/d/keep.txt",
    "cache/d/y.bin",
    "a/b.txt",
    "a/x/y/b.txt",
    "doc/guide.txt",
    "doc/api/ref.txt",
    "a.py",
    "b.py",
    "c.py",
    "az.py",
    "cz.py",
    "x1.txt",
    "x12.txt",
    "#notes.txt",
    "!bang.txt",
    "spaced.txt",
    "data.csv",
    "sub/wanted.csv",
    "sub/other.csv",
    "sub/local/x.txt",
    "sub/deeper/local/x.txt",
    "sub/m.py",
    "sub/n.txt",
    "sub/pkg/o.py",
    "sub/pkg/p.txt",
]


def _git_untracked(root: Path) -> set[str]:
    git(root, "init", "-q")
    listing = git(root, "ls-files", "-z", "--others", "--exclude-standard")
    return {p for p in listing.split("\0") if p and not p.startswith(".git/")}


#: pathspec's GitIgnoreSpec ranks a pattern matching a path as a directory below one matching it
#: as a file, so a negated directory-only pattern does not re-include directories: mlnudge skips
#: a little more than git there (the safe side). The day pathspec agrees, the test says so.
PATHSPEC_DIFFERS = {"double-star-trailing", "everything-but-python"}


@pytest.mark.parametrize("case", sorted(GITIGNORE_CASES))
def test_walk_outside_git_ignores_exactly_what_git_ignores(tmp_path: Path, case: str) -> None:
    """The cases where hand-written gitignore matching usually goes wrong, with git as oracle."""
    files = {**dict.fromkeys(GITIGNORE_FILES, "x\n"), **GITIGNORE_CASES[case]}
    walked = write_tree(tmp_path / "walked", files)
    oracle = write_tree(tmp_path / "oracle", files)
    listed = set(discover(walked).files)
    expected = _git_untracked(oracle)
    assert listed <= expected  # never lists what git ignores
    if case in PATHSPEC_DIFFERS:
        assert listed < expected, "pathspec now agrees with git: drop the case from the list"
    else:
        assert listed == expected
    assert listed != set(files) or case == "negation-cannot-reinclude-below-an-ignored-directory"


@pytest.mark.parametrize(
    ("path", "glob", "expected"),
    [
        # anchoring: a leading or an inner slash anchors at the root, a trailing one does not
        ("a/legacy/x.py", "legacy/", True),
        ("a/legacy/x.py", "/legacy/", False),
        ("a/src/x.py", "src/x.py", False),
        # ** in its three places
        ("x.py", "**/x.py", True),
        ("a/b/c/x.py", "**/x.py", True),
        ("a/x.py", "a/**", True),
        ("a/b.txt", "a/**/b.txt", True),
        ("a/x/y/b.txt", "a/**/b.txt", True),
        ("a/x/y/b.txt", "a/*/b.txt", False),
        # classes, negated classes, escapes
        ("cz.py", "[!c]z.py", False),
        ("az.py", "[!c]z.py", True),
        ("#notes.txt", "\\#notes.txt", True),
        ("x*y.py", "x\\*y.py", True),
        ("xay.py", "x\\*y.py", False),
    ],
)
def test_configuration_globs_follow_git_wildmatch(path: str, glob: str, expected: bool) -> None:
    from mlnudge.config import path_matches

    assert path_matches(path, glob) is expected


@pytest.mark.parametrize("pattern", ["/tests", "/tests/", "/src/pkg", "/tests/unit", "/t", "/"])
def test_a_literal_glob_from_the_root_matches_as_git_does(tmp_path: Path, pattern: str) -> None:
    """``Repo.glob`` answers a literal path from the root without a pattern match per file;
    the answer is the one git's rules give."""
    from mlnudge.config import path_matches

    files = {
        "tests/test_a.py": "",
        "tests/unit/test_b.py": "",
        "tests_extra/test_c.py": "",
        "src/pkg/__init__.py": "",
        "src/pkg2/x.py": "",
        "t": "",
        "docs/tests/x.md": "",
    }
    write_tree(tmp_path, files)
    repo = discover(tmp_path)
    assert repo.glob(pattern) == [f for f in repo.files if path_matches(f, pattern)]
