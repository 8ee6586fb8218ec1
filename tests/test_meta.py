"""The registry, docs, hooks and README agree with each other."""

from __future__ import annotations

import re
import sys

import pytest
import yaml
from mlnudge_testing import ROOT

from mlnudge.checks import FAMILIES, all_rules
from mlnudge.docs import expected_files
from mlnudge.rules import CODE_RE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES = all_rules()
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
README = (ROOT / "README.md").read_text()


def test_codes_are_unique_and_well_formed() -> None:
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert CODE_RE.match(rule.code), rule.code
        assert (
            rule.family
            == {"1": "structure", "2": "params", "3": "transforms", "4": "deps"}[rule.code[3]]
        )
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.name), rule.name


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_its_words_and_a_docs_page(rule: object) -> None:
    for field in ("summary", "why", "fix", "example", "use_instead"):
        assert getattr(rule, field).strip(), f"{rule.code} has no {field}"
    page = ROOT / "docs" / "rules" / f"{rule.code}.md"
    assert page.exists(), "run `python -m mlnudge.docs`"


def test_rule_options_exist() -> None:
    from mlnudge.config import TOP_LEVEL

    for spec in FAMILIES:
        names = {o.name for o in spec.options} | {o.name for o in TOP_LEVEL}
        for rule in spec.rules:
            assert set(rule.options) <= names, (rule.code, rule.options)


def test_generated_docs_and_readme_table_are_current() -> None:
    stale = [
        str(path.relative_to(ROOT))
        for path, content in expected_files(ROOT).items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]
    assert not stale, f"stale: {stale}; run `python -m mlnudge.docs`"
    pages = {p.stem for p in (ROOT / "docs" / "rules").glob("MLN*.md")}
    assert pages == {r.code for r in RULES}, "docs/rules has pages of rules that no longer exist"


def test_every_hook_id_is_documented_and_uses_our_console_script() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    ids = [hook["id"] for hook in HOOKS]
    assert ids == [
        "mlnudge",
        "mlnudge-structure",
        "mlnudge-params",
        "mlnudge-transforms",
        "mlnudge-deps",
    ]
    for hook in HOOKS:
        assert f"`{hook['id']}`" in README, hook["id"]
        assert hook["entry"].split()[0] in scripts
        assert hook["language"] == "python"
        assert hook.get("verbose") is True  # advisory nudges pass; pre-commit hides passing output
    family_hooks = {h["id"]: h for h in HOOKS}
    assert family_hooks["mlnudge-structure"]["pass_filenames"] is False
    assert family_hooks["mlnudge-structure"]["always_run"] is True
    assert family_hooks["mlnudge-params"]["types_or"] == ["python", "jupyter"]


@pytest.mark.parametrize("stage", ["advisory", "ratchet", "strict"])
def test_stage_configs_use_existing_hooks(stage: str) -> None:
    config = yaml.safe_load((ROOT / "hooks" / f"{stage}.yaml").read_text())
    ids = {h["id"] for h in HOOKS}
    [repo] = config["repos"]
    assert {h["id"] for h in repo["hooks"]} <= ids
    assert f"hooks/{stage}.yaml" in README


def test_mlnudge_on_itself_has_no_errors() -> None:
    from mlnudge.config import load_config
    from mlnudge.finding import Severity
    from mlnudge.runner import run

    report = run(ROOT, load_config(ROOT), use_cache=False)
    assert report.errors == ()
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []
    assert report.profile == "library"
