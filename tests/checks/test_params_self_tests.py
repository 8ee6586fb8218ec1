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
        # uploading what it made is a step too
        (
            (
                "    print('loss', loss.item())\n",
                "    bucket.upload_file('cell.pt', 'cells/cell.pt')\n",
            ),
            "uploads",
        ),
        # run through a framework that hands it the configuration: the configured step
        (
            ("def _try_shapes():\n", "@hydra.main(config_path='conf')\ndef _try_shapes():\n"),
            "decorated",
        ),
        # a block that reads data runs the module on something real
        (
            (
                "    x, h = torch.rand(4, 3), torch.rand(4, 5)\n",
                "    x, h = torch.load('batch.pt')\n",
            ),
            "reads",
        ),
        # a block that reads a command line runs with its caller's settings
        (("    steps = 20\n", "    steps = parser.parse_args().steps\n"), "cli"),
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


# -- a model zoo's named presets are architectures, not the run's settings -------------------

_ZOO = (
    "from functools import partial\n"
    "from torch import nn\n"
    "from nets.attention import AttentionNet\n"
    "\n"
    "\n"
    "class Block(nn.Module):\n"
    "    pass\n"
    "\n"
    "\n"
    "class WideNet(nn.Module):\n"
    "    def __init__(self, depth, widen, drop_rate=0.0, num_classes=10):\n"
    "        super().__init__()\n"
    "\n"
    "\n"
    "class SmallNet(nn.Module):\n"
    "    def __init__(self, hidden):\n"
    "        super().__init__()\n"
    "\n"
    "\n"
    "WideNet16 = partial(WideNet, depth=16, widen=4, drop_rate=0.3)\n"
    "Attention12 = partial(\n"
    "    AttentionNet,\n"
    "    hidden_size=384,\n"
    "    encoder={'num_heads': 6, 'num_layers': 12, 'dropout_rate': 0.1},\n"
    ")\n"
)

_PICK = (
    "import hydra\n"
    "from nets import zoo\n"
    "\n"
    "\n"
    "@hydra.main(config_path='conf', config_name='train')\n"
    "def main(cfg):\n"
    "    network = getattr(zoo, cfg.model)(num_classes=cfg.classes)\n"
    "    return network\n"
)


@pytest.mark.parametrize(
    ("networks", "reported"),
    [
        ("zoo", False),
        # one network: no zoo, a preset's dropout is the project's own choice
        ("one", True),
    ],
)
def test_a_model_zoos_named_presets_are_architectures(
    tmp_path: Path, networks: str, reported: bool
) -> None:
    zoo = _ZOO
    if networks == "one":
        zoo = zoo.replace("class Block(nn.Module):", "class Block:")
        zoo = zoo.replace("class SmallNet(nn.Module):", "class SmallNet:")
    files = {
        "nets/__init__.py": "",
        "nets/zoo.py": zoo,
        "nets/attention.py": "from torch import nn\n\n\nclass AttentionNet(nn.Module):\n    pass\n",
        "train.py": _PICK,
        "conf/train.yaml": "model: WideNet16\nclasses: 10\n",
    }
    found = [f for f in params_findings(tmp_path, files) if f[0] == "nets/zoo.py"]
    assert bool(found) is reported, found


# -- a network's demo on generated tensors, in a module nobody imports -------------------------


@pytest.mark.parametrize(
    ("change", "reported"),
    [
        (None, False),
        # the demo reads data: it runs the model on something real
        (
            (
                "    x, h = torch.rand(4, 3), torch.rand(4, 5)\n",
                "    x, h = torch.load('batch.pt')\n",
            ),
            True,
        ),
        # no network defined here: a script training on random numbers is still a script
        (("class GatedCell(nn.Module):\n", "class GatedCell:\n"), True),
    ],
)
def test_a_networks_demo_on_generated_input_is_a_try_out(
    tmp_path: Path, change: tuple[str, str] | None, reported: bool
) -> None:
    module = _CELL_HEAD + _DEMO
    if change is not None:
        module = module.replace(*change)
    files = {"train.py": _TRAIN.replace("from nets.recurrent import GatedCell\n", "")}
    files["nets/recurrent.py"] = module
    found = _in_cell(tmp_path, files)
    assert any(rule == "MLN203" for _, rule, _ in found) is reported, found


def test_a_try_outs_path_in_the_root_users_home_is_a_machines(tmp_path: Path) -> None:
    demo = _DEMO.replace(
        "    _try_shapes()\n",
        "    _try_shapes()\n    print(open('/root/work/sample.txt').read())\n",
    )
    found = _in_cell(tmp_path, _cell(demo))
    assert ("MLN202", "/root/work/sample.txt") in {(rule, value) for _, rule, value in found}
