"""MLN201 classes of acc-params-19 (a sweep of fresh repositories): a variant of a
configuration class is configuration, the project's own optimizer takes its settings from its
callers, and a library's defaults written out are nobody's choice. Fixtures written here from
scratch, never copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import params_findings, params_values


def _found(source: str, path: str = "train_net.py") -> list[tuple[str, int, str]]:
    return params_values(source, path)


# -- a class deriving from a configuration class is a variant of the configuration -------------


@pytest.mark.parametrize(
    "base",
    [
        "class HP:\n    epochs = 12\n    learning_rate = 0.01\n",  # a plain namespace
        "class CFG:\n    epochs = 12\n    learning_rate = 0.01\n",  # named like one
        "class BaseOptions:\n    epochs = 12\n\n    def show(self):\n        print(self)\n",
    ],
)
def test_a_variant_of_a_configuration_class_is_configuration(base: str) -> None:
    name = base.split()[1].rstrip(":")
    source = (
        f"{base}\n\nclass LongRun({name}):\n    epochs = 40\n    learning_rate = 0.003\n"
        f"\n\nclass Mixer({name}):\n    drop_bg = True\n    n_folds = 7\n"
    )
    assert _found(source) == []


def test_a_model_class_is_no_configuration_variant() -> None:
    # a class with behaviour under no configuration base still fixes its setting in code
    source = "class Encoder:\n    n_folds = 10\n\n    def fit(self, frame):\n        return frame\n"
    assert [f[:2] for f in _found(source)] == [("MLN201", 2)]


# -- the project's own optimizer: its constructor is an API, the caller's groups carry lr -----


@pytest.mark.parametrize("base", ["Optimizer", "torch.optim.Optimizer", "_LRScheduler"])
def test_the_projects_own_optimizer_defaults_are_its_api(tmp_path: Path, base: str) -> None:
    optimizer = (
        "import torch\n"
        "from torch.optim import Optimizer\n"
        "from torch.optim.lr_scheduler import _LRScheduler\n\n\n"
        f"class Lion({base}):\n"
        "    def __init__(self, params, lr=3e-4, weight_decay=0.01):\n"
        "        super().__init__(params, dict(lr=lr, weight_decay=weight_decay))\n\n"
        "    def step(self, closure=None):\n"
        "        return None\n"
    )
    caller = (
        "from lion import Lion\n\n"
        "groups = [{'params': net.parameters(), 'lr': args.lr}]\n"
        "opt = Lion(groups)\n"
    )
    found = params_findings(tmp_path, {"lion.py": optimizer, "train_lion.py": caller})
    assert [f for f in found if f[0] == "lion.py"] == []


def test_a_helper_function_default_is_still_relied_on(tmp_path: Path) -> None:
    # the same default on a plain function (not an optimizer class) is what every run uses
    helper = (
        "import torch\n\n\n"
        "def make_optimizer(params, lr=3e-4):\n"
        "    return torch.optim.AdamW(params, lr=lr)\n"
    )
    caller = "from helpers import make_optimizer\n\nopt = make_optimizer(net.parameters())\n"
    found = params_findings(tmp_path, {"helpers.py": helper, "train_helpers.py": caller})
    assert [(f[0], f[2], f[3]) for f in found] == [("helpers.py", "MLN201", "3e-4")]


# -- a library's own default written out is nobody's choice -----------------------------------


@pytest.mark.parametrize(
    "call",
    [
        "torch.optim.lr_scheduler.OneCycleLR(opt, 0.01, epochs=epochs, steps_per_epoch=steps,"
        " div_factor=25.0, final_div_factor=1e4, base_momentum=0.85, max_momentum=0.95)",
        "torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=max_norm, norm_type=2)",
        "torch.optim.AdamW(net.parameters(), lr=lr, betas=(0.9, 0.999))",
        "torch.optim.NAdam(net.parameters(), lr=lr, betas=[0.9, 0.999])",
    ],
)
def test_a_library_default_restated_is_no_choice(call: str) -> None:
    source = (
        f"import torch\n\n\ndef fit(net, opt, epochs, steps, lr, max_norm):\n    return {call}\n"
    )
    assert _found(source) == []


@pytest.mark.parametrize(
    ("call", "value"),
    [
        ("torch.optim.lr_scheduler.OneCycleLR(opt, lr, total_steps=n, div_factor=10.0)", "10.0"),
        ("torch.optim.lr_scheduler.OneCycleLR(opt, lr, total_steps=n, pct_start=0.25)", "0.25"),
        ("torch.optim.AdamW(net.parameters(), lr=lr, betas=(0.9, 0.98))", "(0.9, 0.98)"),
    ],
)
def test_a_value_other_than_the_librarys_is_a_setting(call: str, value: str) -> None:
    source = f"import torch\n\n\ndef fit(net, opt, n, lr, m):\n    return {call}\n"
    assert [(f[0], f[2]) for f in _found(source)] == [("MLN201", value)]
