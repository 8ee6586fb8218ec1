"""The check families, listed explicitly: the one registry of built-in rules.

Each family module keeps its rules, options and ``check`` together so that a reader finds any
rule in one hop (family module, rule code, test file of the same name).
"""

from __future__ import annotations

from mlnudge.checks import deps, params, structure, transforms
from mlnudge.checks.base import FamilySpec

FAMILIES: tuple[FamilySpec, ...] = (structure.SPEC, params.SPEC, transforms.SPEC, deps.SPEC)
