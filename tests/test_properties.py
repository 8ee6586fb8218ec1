"""Property-based tests (hypothesis): requirement parsing, notebook cells, configuration,
fingerprints and markdown escaping hold whatever the input."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from mlnudge_testing import write_tree
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from mlnudge.checks import rule_texts
from mlnudge.checks.deps.parsers import join_physical, parse_requirements
from mlnudge.config import ConfigError, build_config
from mlnudge.facts.repo import Repo
from mlnudge.finding import Finding, ReadError, Severity, Suppressed
from mlnudge.report import markdown
from mlnudge.report.model import Report

markdown_it = pytest.importorskip("markdown_it")

PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- requirement parsing --------------------------------------------------------------------

NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,6}([-_.][A-Za-z0-9]{1,5}){0,2}", fullmatch=True)
VERSIONS = st.lists(st.integers(0, 30), min_size=1, max_size=3).map(
    lambda parts: ".".join(map(str, parts))
)
SPECS = st.lists(
    st.tuples(st.sampled_from(["==", ">=", "<=", "<", ">", "~=", "!="]), VERSIONS), max_size=2
).map(lambda items: ",".join(op + v for op, v in items if not (op == "~=" and "." not in v)))


@PROFILE
@given(st.text(max_size=400))
def test_requirement_parsing_never_raises_and_spans_stay_in_the_file(text: str) -> None:
    manifest = parse_requirements("requirements.txt", text)
    lines = text.splitlines()
    for dep in manifest.deps:
        assert dep.line is not None and 1 <= dep.line <= max(len(lines), 1)
        assert dep.end_line is not None and dep.line <= dep.end_line <= max(len(lines), 1)
        if dep.before is not None:
            assert dep.before + dep.old + dep.after == join_physical(lines, dep.line, dep.end_line)


@PROFILE
@given(NAMES, SPECS, st.sampled_from(["", "  # pinned for CUDA", " ; python_version >= '3.10'"]))
def test_a_valid_requirement_keeps_its_name_and_specifier(name: str, spec: str, tail: str) -> None:
    manifest = parse_requirements("requirements.txt", f"{name}{spec}{tail}\n")
    [dep] = manifest.deps
    assert dep.error is None
    assert dep.name == canonicalize_name(name)
    assert dep.spec == SpecifierSet(spec)
    rewritten = dep.replaced(">=1.0")
    if rewritten is not None:  # the fix rewrites the constraint and nothing else
        [again] = parse_requirements("requirements.txt", rewritten + "\n").deps
        assert again.name == dep.name and again.spec == SpecifierSet(">=1.0")


# -- notebook cells -------------------------------------------------------------------------

CODE_LINES = st.lists(
    st.sampled_from(
        [
            "x = 1",
            "lr = 0.01",
            "model.fit(X, y, epochs=3)",
            "%matplotlib inline",
            "!pip install xgboost",
            "files = !ls",
            "print('hi')  # a comment",
            "",
            "def f(a):\n    return a",
        ]
    ),
    min_size=0,
    max_size=5,
).map("\n".join)
CELLS = st.lists(
    st.one_of(
        st.tuples(st.just("code"), CODE_LINES),
        st.tuples(st.just("markdown"), st.text(max_size=30)),
        st.tuples(st.just("raw"), st.text(max_size=10)),
    ),
    max_size=8,
)


@PROFILE
@given(CELLS, st.booleans())
def test_notebook_lines_map_back_to_the_cell_and_line_jupyter_shows(
    cells: list[tuple[str, str]], as_list: bool
) -> None:
    data = {
        "cells": [
            {
                "cell_type": kind,
                "metadata": {},
                "source": source.splitlines(keepends=True) if as_list else source,
            }
            for kind, source in cells
        ],
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), {"nb.ipynb": json.dumps(data)})
        repo = Repo.discover(root, build_config({}))
        module = repo.python("nb.ipynb")
    assert module is not None, repo.errors
    assert repo.errors == []
    for number, line in enumerate(module.lines, start=1):
        where = module.cell_of(number)
        if where is None or line.startswith("pass  # magic") or line.endswith("= None  # magic"):
            continue
        cell, cell_line = where
        kind, source = cells[cell - 1]
        assert kind == "code"
        assert source.splitlines()[cell_line - 1] == line


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@PROFILE
@given(st.one_of(JSONISH, st.fixed_dictionaries({"cells": st.lists(JSONISH, max_size=4)})))
def test_any_json_named_ipynb_is_read_or_reported_never_a_crash(data: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), {"nb.ipynb": json.dumps(data)})
        repo = Repo.discover(root, build_config({}))
        module = repo.python("nb.ipynb")
    assert module is not None or repo.errors


# -- configuration --------------------------------------------------------------------------

KEYS = st.sampled_from(
    [
        "mode",
        "fail-on",
        "select",
        "ignore",
        "severity",
        "exclude",
        "max-file-size",
        "profile",
        "overrides",
        "params",
        "deps",
        "notebooks-dir",
        "baseline",
        "bogus",
    ]
)
VALUES = st.one_of(
    JSONISH,
    st.sampled_from(["advisory", "strict", "ratchet", "warning", "MLN2", "ALL", "info"]),
    st.lists(st.sampled_from(["MLN201", "MLN4", "MLN999", "XYZ", "legacy/"]), max_size=3),
)


@PROFILE
@given(st.dictionaries(KEYS, VALUES, max_size=5))
def test_any_configuration_builds_or_says_which_key_is_wrong(table: dict[str, Any]) -> None:
    try:
        config = build_config(table, where="pyproject.toml", prefix="tool.mlnudge.")
    except ConfigError as exc:
        assert str(exc).startswith("pyproject.toml: ")
        assert "tool.mlnudge." in str(exc) or "names no known rule" in str(exc)
    else:
        assert config.mode in ("advisory", "ratchet", "strict")
        if "mode" in table:
            assert config.mode == table["mode"]


# -- fingerprints ---------------------------------------------------------------------------

TRAIN = (
    "from sklearn.ensemble import RandomForestClassifier\n"
    "def train(X, y):\n"
    "    model = RandomForestClassifier(n_estimators=300, max_depth=8)\n"
    "    return model.fit(X, y)\n"
)
IRRELEVANT = st.lists(
    st.sampled_from(
        [
            "",
            "# a comment",
            "import os",
            "def helper():\n    return 1",
            '"""docstring"""',
            "X = None",
        ]
    ),
    max_size=4,
).map(lambda lines: "\n".join(lines) + "\n" if lines else "")


def _fingerprints(source: str) -> set[tuple[str, str]]:
    from mlnudge.runner import run

    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), {"train.py": source})
        report = run(root, build_config({"select": ["MLN2"]}), use_cache=False)
    return {(f.rule, f.fingerprint) for f in report.findings}


BASE_FINGERPRINTS = _fingerprints(TRAIN)


@settings(max_examples=25, deadline=None)
@given(IRRELEVANT, IRRELEVANT)
def test_fingerprints_are_stable_under_irrelevant_edits(above: str, below: str) -> None:
    assert BASE_FINGERPRINTS  # the snippet has findings to fingerprint
    head, body = TRAIN.split("def train", 1)
    assert _fingerprints(head + above + "def train" + body + below) == BASE_FINGERPRINTS


# -- markdown escaping ----------------------------------------------------------------------

HOSTILE_TEXT = st.lists(
    st.one_of(
        st.text(alphabet="ab @<>`*_[]|#!-\n\r\t&;:/\\()~{}=\"'.\u200b", max_size=12),
        st.sampled_from(
            [
                "@octocat",
                "@org/team",
                "<img src=x onerror=alert(1)>",
                "<script>",
                "</details>",
                "<!--",
                "-->",
                "```",
                "`",
                "\n## heading",
                "\n- item",
                "| a | b |",
                "[x](javascript:alert(1))",
                "&lt;b&gt;",
                "<https://evil.example>",
                "***",
                "\\",
            ]
        ),
    ),
    max_size=6,
).map("".join)

#: the HTML the renderers write themselves; anything else came from the input
OURS = re.compile(r"<!-- mlnudge:[^<>]*-->|</?(?:details|summary|sub|code|br|b)>")


def _report(text: str) -> Report:
    path = ("src/" + text.replace("\0", "")).strip() or "x.py"
    findings = (
        Finding(
            "MLN201",
            path,
            f"`lr={text}` {text}",
            Severity.WARNING,
            line=3,
            fix=f"fix {text}",
            details={"group": f"{path}:{text}"},
        ),
        Finding(
            "MLN203", path, text, Severity.WARNING, line=4, details={"group": f"{path}:{text}"}
        ),
        Finding("MLN401", "requirements.txt", f"`{text}` has no bound", Severity.ERROR, line=1),
    )
    return Report(
        findings=findings,
        errors=(ReadError(path, "syntax", text, line=2),),
        suppressed=(Suppressed(Finding("MLN202", path, text, Severity.INFO, line=9), text),),
        rules=rule_texts(),
        notes=(text,),
    )


def _blocks(rendered: str) -> list[str]:
    """The block structure markdown-it sees: headings, lists, paragraphs, details."""
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    return [t.type + t.tag for t in parser.parse(rendered) if t.type != "inline"]


def _html(rendered: str) -> list[str]:
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    found = []
    for token in parser.parse(rendered):
        if token.type == "html_block":
            found.extend(line for line in token.content.splitlines() if line.strip())
        for child in token.children or []:
            if child.type == "html_inline":
                found.append(child.content)
    return found


def _renderings(report: Report) -> dict[str, str]:
    from mlnudge.github.comment import sticky

    comment, _ = sticky(report, key="ci/check", links=None)
    return {"markdown": markdown.render(report), "comment": comment}


@PROFILE
@given(HOSTILE_TEXT)
@example("\n## heading")  # a note opened a heading in the blockquote
@example("``<img src=x onerror=alert(1)>`:")  # two code spans side by side merged their fences
@example("0.1.0. - 1) #tag")  # not block openers: left as written
def test_rendered_markdown_has_no_mention_no_html_and_its_structure(text: str) -> None:
    assume(text.strip())
    hostile = _renderings(_report(text))
    benign = _renderings(_report("x"))
    for name, rendered in hostile.items():
        assert not re.search(r"@[A-Za-z0-9]", rendered), (name, rendered)  # no active mention
        bad = [h for h in _html(rendered) if "<" in OURS.sub("", h)]
        assert not bad, (name, bad)
        assert _blocks(rendered) == _blocks(benign[name]), name  # nothing broke out
