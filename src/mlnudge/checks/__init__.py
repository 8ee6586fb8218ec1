"""The check families, listed explicitly: the one registry of built-in rules.

Each family package keeps its rules, options and ``check`` together so that a reader finds any
rule in one hop (family package, rule code, test file of the same name). Everything that needs
the list of families or rules (configuration validation, the CLI's ``rules`` and ``explain``,
the reports' rule texts) gets it from here.
"""

from __future__ import annotations

from mlnudge.checks import deps, params, structure, transforms
from mlnudge.checks.base import FamilySpec
from mlnudge.report.model import RuleText
from mlnudge.rules import Rule
from mlnudge.settings import Catalog

FAMILIES: tuple[FamilySpec, ...] = (structure.SPEC, params.SPEC, transforms.SPEC, deps.SPEC)


def all_rules() -> tuple[Rule, ...]:
    return tuple(rule for family in FAMILIES for rule in family.rules)


def rules_by_code() -> dict[str, Rule]:
    return {rule.code: rule for rule in all_rules()}


def rule_texts() -> dict[str, RuleText]:
    """What reports say about each rule (name, why, fix, summary, default severity)."""
    return {
        r.code: RuleText(r.code, r.name, r.why, r.fix, r.summary, r.severity.label)
        for r in all_rules()
    }


#: what configuration is validated against
CATALOG = Catalog(
    options={spec.name: spec.options for spec in FAMILIES},
    codes=tuple(rule.code for rule in all_rules()),
)
