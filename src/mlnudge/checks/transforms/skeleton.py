"""The example test written for an MLN301 finding: a pytest function shaped after the
function's signature, with example inputs where the body showed how they are used, that fails
until someone writes the expected output."""

from __future__ import annotations

import re

from mlnudge.checks.base import CheckContext
from mlnudge.checks.transforms.identify import Candidate


def skeleton(ctx: CheckContext, c: Candidate) -> str:
    """A pytest skeleton for ``c`` that fails until someone writes the expected output."""
    example = c.example or {}
    qualname = c.qualname.rsplit(".", 1)[-1] if c.nested else c.qualname
    parts = example.get("parts")
    imports = {"import pytest"}
    lines: list[str] = []
    call_args: list[str] = []
    if parts is not None:
        imports |= set(parts["imports"])
        lines = list(parts["lines"])
        call_args = list(parts["call"])
    owner, _, method = qualname.rpartition(".")
    target = owner or qualname
    joined = ", ".join(call_args)
    if owner:
        cls = example.get("class") or {"init": None, "fit": False}
        ctor = ""
        if cls["init"] is not None:
            ctor = ", ".join(f"{a}=None" for a in cls["init"])
            if ctor:
                lines.insert(0, f"    # TODO: the settings {owner} is usually built with")
        if method == "transform" and cls["fit"]:
            call = f"{owner}({ctor}).fit({joined}).transform({joined})"
        else:
            call = f"{owner}({ctor}).{method}({joined})"
    else:
        call = f"{qualname}({joined})"
    test_name = "test_" + re.sub(r"\W+", "_", qualname.replace(".", "_")).strip("_").lower()
    body = "\n".join(lines)
    return (
        "Example test (it fails until you fill in the expected result):\n\n"
        "```python\n"
        + "\n".join(sorted(imports))
        + _import_line(c.module, target)
        + f"\n\n\ndef {test_name}():\n"
        + (body + "\n\n" if body else "")
        + f"    result = {call}\n\n"
        + f"    # TODO: assert what {qualname}() should return, then delete the next line\n"
        + f'    pytest.fail("TODO: write the expected output of {qualname}()")\n'
        + "```"
    )


def _import_line(module: str, target: str) -> str:
    if all(part.isidentifier() for part in module.split(".")):
        return f"\n\nfrom {module} import {target}"
    # not an importable dotted name (a hyphen, a leading digit): still valid Python
    return f"\nfrom importlib import import_module\n\n{target} = import_module({module!r}).{target}"
