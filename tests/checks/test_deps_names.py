"""Import name <-> distribution: one relation, the same answer in both directions."""

from __future__ import annotations

import pytest

from mlnudge.checks.deps.names import (
    BUILTIN_IMPORT_NAMES,
    looks_local,
    provides,
    similar,
    suggested_distribution,
    used_without_import,
)

NO_EXTRA: dict[str, tuple[str, ...]] = {}

#: (distribution, import name, provides?)
PAIRS = [
    ("scikit-learn", "sklearn", True),
    ("scikit-optimize", "skopt", True),
    ("scikit-image", "skimage", True),
    ("opencv-python", "cv2", True),
    ("opencv-python-headless", "cv2", True),
    ("pillow", "PIL", True),
    ("pyyaml", "yaml", True),
    ("PyYAML", "yaml", True),
    ("python-dateutil", "dateutil", True),
    ("beautifulsoup4", "bs4", True),
    ("psycopg2-binary", "psycopg2", True),
    ("faiss-gpu", "faiss", True),
    ("hydra-core", "hydra", True),
    ("google-cloud-bigquery", "google", True),
    ("azure-storage-blob", "azure", True),
    ("torch", "torch", True),
    ("sentence_transformers", "sentence_transformers", True),
    ("mxnet-cu112", "mxnet", True),
    ("mlflow-skinny", "mlflow", True),
    ("matplotlib-base", "matplotlib", True),  # conda's name
    ("pandas", "numpy", False),
    ("scikit-learn", "skimage", False),
    ("seaborn", "sklearn", False),
    ("torchvision", "torch", False),
]


@pytest.mark.parametrize(("dist", "module", "expected"), PAIRS)
def test_provides(dist: str, module: str, expected: bool) -> None:
    assert provides(dist, module, NO_EXTRA, use_installed=False) is expected


@pytest.mark.parametrize(("module", "dists"), sorted(BUILTIN_IMPORT_NAMES.items()))
def test_every_table_entry_is_a_provider(module: str, dists: tuple[str, ...]) -> None:
    assert all(provides(d, module, NO_EXTRA, use_installed=False) for d in dists)


def test_the_user_table_comes_first() -> None:
    extra = {"acmevis": ("acme-vision",)}
    assert provides("acme-vision", "acmevis", extra, use_installed=False)
    assert suggested_distribution("acmevis", "acmevis", extra, use_installed=False) == (
        "acme-vision"
    )


@pytest.mark.parametrize(
    ("module", "dotted", "expected"),
    [
        ("sklearn", "sklearn.linear_model", "scikit-learn"),
        ("google", "google.cloud.storage", "google-cloud-storage"),
        ("google", "google.protobuf.message", "protobuf"),
        ("google", "google.auth", "google-auth"),
        ("azure", "azure.identity", "azure-identity"),
        ("azure", "azure.storage.blob", "azure-storage-blob"),
        ("kedro", "kedro.pipeline", "kedro"),
        ("lightgbm", "lightgbm", "lightgbm"),
    ],
)
def test_suggested_distribution(module: str, dotted: str, expected: str) -> None:
    assert suggested_distribution(module, dotted, NO_EXTRA, use_installed=False) == expected


@pytest.mark.parametrize(
    ("module", "dist", "expected"),
    [
        ("skopt", "scikit-optimize", True),
        ("tbtk", "tabular-toolkit", True),
        ("lightgbm", "seaborn", False),
        ("xgb", "catboost", False),
    ],
)
def test_similar(module: str, dist: str, expected: bool) -> None:
    assert similar(module, dist) is expected


@pytest.mark.parametrize(
    ("dist", "configured", "expected"),
    [
        ("dvc-s3", (), True),
        ("openpyxl", (), True),
        ("uvicorn", (), True),
        ("jsonargparse", (), True),
        ("ipykernel", (), True),
        ("pytest-cov", (), True),
        ("types-requests", (), True),
        ("pandas-stubs", (), True),
        ("seaborn", (), False),
        ("acme_plugin", ("acme-plugin",), True),
        ("acme-s3", ("acme-*",), True),
    ],
)
def test_used_without_import(dist: str, configured: tuple[str, ...], expected: bool) -> None:
    assert used_without_import(dist, configured) is expected


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("utils", True),
        ("helpers", True),
        ("my_models", True),
        ("data_utils", True),
        ("mypy", False),
        ("mysql", False),
        ("schema", False),
        ("pandas", False),
    ],
)
def test_looks_local(module: str, expected: bool) -> None:
    assert looks_local(module) is expected
