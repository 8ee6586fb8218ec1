"""MLN2xx: the ``__main__`` self-test of a module the project imports (acc-params-24).
Fixtures written here from scratch, never copied from a corpus repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlnudge_testing import params_findings

_TRAIN = (
    "import argparse\n"
    "import torch\n"
    "from nets.recurrent import GatedCell\n"
    "\n"
    "\n"
    "def main():\n"
    "    parser = argparse.ArgumentParser()\n"
    "    parser.add_argument('--lr', type=float, default=0.01)\n"
    "    args = parser.parse_args()\n"
    "    model = GatedCell(3, 8)\n"
    "    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)\n"
    "    return optimizer\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    main()\n"
)

_CELL_HEAD = (
    "import torch\n"
    "from torch import nn\n"
    "\n"
    "\n"
    "class GatedCell(nn.Module):\n"
    "    def __init__(self, inputs, hidden):\n"
    "        super().__init__()\n"
    "        self.gate = nn.Linear(inputs + hidden, hidden)\n"
    "\n"
    "    def forward(self, x, h):\n"
    "        return torch.sigmoid(self.gate(torch.cat([x, h], 1)))\n"
    "\n"
    "\n"
)

#: a demo that trains the cell a few steps on random tensors and prints the loss
_DEMO = (
    "def _try_training():\n"
    "    steps = 20\n"
    "    step_size = 0.1\n"
    "    torch.manual_seed(0)\n"
    "    cell = GatedCell(3, 5)\n"
    "    x, h = torch.rand(4, 3), torch.rand(4, 5)\n"
    "    for _ in range(steps):\n"
    "        loss = cell(x, h).sum()\n"
    "        cell.zero_grad()\n"
    "        loss.backward()\n"
    "        for p in cell.parameters():\n"
    "            p.data.sub_(p.grad.data * step_size)\n"
    "    print('loss', loss.item())\n"
    "\n"
    "\n"
    "def _try_shapes():\n"
    "    print(GatedCell(3, 5)(torch.rand(2, 3), torch.rand(2, 5)).shape)\n"
    "    _try_training()\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    _try_shapes()\n"
)


def _cell(demo: str) -> dict[str, str]:
    return {"train.py": _TRAIN, "nets/recurrent.py": _CELL_HEAD + demo}


def _in_cell(tmp_path: Path, files: dict[str, str]) -> list[tuple[int | None, str, str]]:
    return [
        (line, rule, value)
        for path, line, rule, value in params_findings(tmp_path, files)
        if path == "nets/recurrent.py"
    ]


def test_a_demo_only_the_guard_runs_is_no_pipeline(tmp_path: Path) -> None:
    # ``nets/`` has no ``__init__.py``: the training script imports the module by its
    # dotted name through a namespace folder, and the demo's lr and seed are its own
    assert _in_cell(tmp_path, _cell(_DEMO)) == []


@pytest.mark.parametrize(
    ("change", "why"),
    [
        # the same functions, also called by the module's own code: part of the module
        (("    _try_shapes()\n", "    _try_shapes()\n\n\nWARM = _try_training\n"), "used"),
        # a block that trains and saves a model is a run, whatever module it sits in
        (
            ("    print('loss', loss.item())\n", "    torch.save(cell.state_dict(), 'cell.pt')\n"),
            "writes",
        ),
        # a block reading the project's parameter file runs with the project's settings
        (
            ("    steps = 20\n", "    steps = load_config('params.yaml')['steps']\n"),
            "config",
        ),
    ],
)
def test_a_guard_run_that_is_a_step_keeps_its_values(
    tmp_path: Path, change: tuple[str, str], why: str
) -> None:
    demo = _DEMO.replace(*change)
    assert demo != _DEMO, why
    found = _in_cell(tmp_path, _cell(demo))
    assert any(rule == "MLN203" for _, rule, _ in found), why


def test_a_module_nobody_imports_keeps_its_run(tmp_path: Path) -> None:
    # no script imports the module: its ``__main__`` block is how it runs
    files = {"train.py": _TRAIN.replace("from nets.recurrent import GatedCell\n", "")}
    files["nets/recurrent.py"] = _CELL_HEAD + _DEMO
    found = _in_cell(tmp_path, files)
    assert any(rule == "MLN203" for _, rule, _ in found)
