"""MLN201 classes of acc-params-15, found by reading unseen application repositories: a
well-known hyperparameter name with a qualifier after it, a fixed Box-Cox lambda, and the
numbers of an optax optimizer or learning-rate schedule. Fixtures written here from
scratch, never copied from a corpus repository."""

from __future__ import annotations

import pytest
from mlnudge_testing import params_values


def _found(source: str, path: str = "scripts/train.py") -> list[tuple[str, int, str]]:
    return params_values(source, path)


# -- a hyperparameter name with a qualifier after it -----------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # which stage: the epochs of fine-tuning are epochs
        ("EPOCHS_FINETUNE = 4\n", [("MLN201", 1, "4")]),
        ("EPOCHS_STAGE2 = 8\n", [("MLN201", 1, "8")]),
        # which part of the model: the head's learning rate is a learning rate
        ("LR_HEAD = 3e-4\n", [("MLN201", 1, "3e-4")]),
        ("learning_rate_backbone = 1e-5\n", [("MLN201", 1, "1e-5")]),
        ("BATCH_SIZE_TRAIN = 48\n", [("MLN201", 1, "48")]),
        ("dropout_head = 0.3\n", [("MLN201", 1, "0.3")]),
        # an evaluation's batch size changes no result
        ("BATCH_SIZE_TEST = 512\n", []),
        ("batch_size_inference = 512\n", []),
        # counters and schedules of saving or logging are not the setting
        ("EPOCHS_PER_CHECKPOINT = 5\n", []),
        ("epochs_since_best = 3\n", []),
        ("LR_FINDER_STEPS = 100\n", []),
        # a word that only starts like a head is not it
        ("lrelu_slope = 0.2\n", []),
    ],
)
def test_a_hyperparameter_name_with_a_qualifier_after_it_is_that_hyperparameter(
    source: str, expected: list[tuple[str, int, str]]
) -> None:
    assert [f for f in _found(source) if f[0] == "MLN201"] == expected


# -- a fixed Box-Cox lambda ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from scipy.special import boxcox1p\n"
            "def unskew(frame, cols):\n"
            "    for c in cols:\n"
            "        frame[c] = boxcox1p(frame[c], 0.2)\n"
            "    return frame\n",
            [("MLN201", 4, "0.2")],
        ),
        (
            "from scipy import stats\ndef unskew(x):\n    return stats.boxcox(x, lmbda=0.3)\n",
            [("MLN201", 3, "0.3")],
        ),
        # the lambda bound to a name first, then handed to the transform
        (
            "from scipy.special import boxcox1p\n"
            "def unskew(frame, cols):\n"
            "    lam = 0.25\n"
            "    for c in cols:\n"
            "        frame[c] = boxcox1p(frame[c], lam)\n"
            "    return frame\n",
            [("MLN201", 3, "0.25")],
        ),
        # without a lambda scipy fits it from the data: nothing fixed
        (
            "from scipy import stats\ndef unskew(x):\n    return stats.boxcox(x)[0]\n",
            [],
        ),
    ],
)
def test_a_fixed_box_cox_lambda_is_a_setting_of_the_preprocessing(
    source: str, expected: list[tuple[str, int, str]]
) -> None:
    assert [f for f in _found(source) if f[0] == "MLN201"] == expected


# -- optax optimizers and schedules ----------------------------------------------------------


def test_the_numbers_of_an_optax_schedule_and_optimizer_are_hyperparameters() -> None:
    source = (
        "import optax\n"
        "def make_optimizer():\n"
        "    schedule = optax.cosine_decay_schedule(init_value=0.02, decay_steps=3000, alpha=0.1)\n"
        "    return optax.chain(optax.clip_by_global_norm(2.0), optax.adamw(3e-4))\n"
    )
    assert sorted(f[2] for f in _found(source) if f[0] == "MLN201") == [
        "0.02",
        "0.1",
        "3000",
        "3e-4",
    ]
