"""MLN301 on signal code: feature extraction inside a model, signal filters, peaks and graphs."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from mlnudge.config import build_config
from mlnudge.runner import run


def untested(root: Path, files: Mapping[str, str]) -> dict[str, str]:
    """The functions MLN301 reports (qualified name -> message) for a small repository."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    config = build_config({"transforms": {}})
    report = run(root, config, families=["transforms"], use_cache=False)
    # the message names the function first: `Tagger.forward()` transforms data ...
    return {
        f.message.split("`", 2)[1].removesuffix("()"): f.message
        for f in report.findings
        if f.rule == "MLN301"
    }


def test_feature_extraction_in_a_model_is_a_transformation(tmp_path: Path) -> None:
    """A network's helper that turns the raw batch into features (``torch.stft``, a log, a
    per-frame normalisation) is data work a test can pin down; so is a ``forward`` that runs
    a spectrogram extractor it holds (``self.mel(wav)``) before its layers. A ``forward`` that
    only chains layers, or hands the batch to the helper, is model code."""
    found = untested(
        tmp_path,
        {
            "audio/nets.py": """
                import torch
                import torch.nn as nn
                import torchaudio


                class Classifier(nn.Module):
                    def __init__(self, n_fft=256):
                        super().__init__()
                        self.n_fft = n_fft
                        self.head = nn.Linear(8, 3)

                    def spectral_features(self, signal):
                        spec = torch.stft(signal, n_fft=self.n_fft, return_complex=True).abs()
                        spec = torch.log1p(spec)
                        return spec - spec.mean(dim=-1, keepdim=True)

                    def forward(self, signal):
                        return self.head(self.spectral_features(signal).mean(dim=-1))


                class Tagger(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.to_mel = torchaudio.transforms.MelSpectrogram(sample_rate=8000)
                        self.out = nn.Linear(128, 2)

                    def forward(self, batch):
                        mel = torch.log(self.to_mel(batch) + 1e-6)
                        mel = (mel - mel.mean()) / mel.std()
                        return self.out(mel.mean(dim=-1))


                class Spotter(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.frontend = nn.Sequential(
                            torchaudio.transforms.Spectrogram(n_fft=128),
                            torchaudio.transforms.AmplitudeToDB(),
                        )
                        self.out = nn.Linear(65, 2)

                    def forward(self, wave):
                        return self.out(self.frontend(wave).mean(dim=-1))


                class Mlp(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.a = nn.Linear(4, 4)
                        self.b = nn.Linear(4, 2)

                    def forward(self, x):
                        return self.b(torch.relu(self.a(x)))
            """,
        },
    )
    assert sorted(found) == ["Classifier.spectral_features", "Spotter.forward", "Tagger.forward"]
    assert "runs the signal through `self.to_mel()` (feature extraction)" in found["Tagger.forward"]


def test_a_main_block_calling_the_scripts_own_step_named_like_an_operation_is_wiring(
    tmp_path: Path,
) -> None:
    """``normalize(X)`` under ``if __name__ == "__main__":`` calls the script's own step, which
    is what MLN303 asks for; it is no library operation named ``normalize``. The same call of
    scikit-learn's ``normalize`` on the data read there is one."""
    root = tmp_path
    own = """
        import pandas as pd


        def load():
            return pd.read_csv("wine.csv")


        def normalize(X):
            return (X - X.mean(axis=0)) / X.std(axis=0)


        if __name__ == "__main__":
            X = load().to_numpy()
            print(normalize(X).shape)
    """
    library = """
        import pandas as pd
        from sklearn.preprocessing import normalize

        if __name__ == "__main__":
            X = pd.read_csv("wine.csv").dropna()
            print(normalize(X).shape)
    """
    for rel, text in {"wine.py": own, "wine_sklearn.py": library}.items():
        (root / rel).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    config = build_config({"transforms": {}})
    report = run(root, config, families=["transforms"], use_cache=False)
    assert sorted(f.path for f in report.findings if f.rule == "MLN303") == ["wine_sklearn.py"]


def test_a_parameterless_function_shaping_what_a_project_loader_read_transforms(
    tmp_path: Path,
) -> None:
    """A per-dataset script's ``init_data()`` takes nothing, but binds a table from the
    project's loader (``data = load_table()``, imported from another module that reads a CSV)
    and then encodes it through the project's steps, or drops and reshapes it itself: what
    it read is its input. One that only hands the loader's table back is a loader, and a
    name imported from a module that reads nothing gives no data."""
    found = untested(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/io.py": """
                import pandas as pd


                def load_table(path="data/cells.csv"):
                    return pd.read_csv(path)


                def settings():
                    return {"seed": 1}
            """,
            "kit/steps.py": """
                import pandas as pd


                def encode_kind(frame, column):
                    return pd.get_dummies(frame, columns=[column])
            """,
            "cells.py": """
                import numpy as np
                from kit.io import load_table, settings
                from kit.steps import encode_kind


                def init_data():
                    data = load_table()
                    data = encode_kind(data, "kind")
                    return data


                def init_arrays():
                    data = load_table("data/cells.csv")
                    values = data.drop(columns=["label"]).to_numpy()
                    return values.reshape(len(values), -1, 1)


                def get_data():
                    data = load_table()
                    return data


                def get_settings():
                    config = settings()
                    config["seed"] = 2
                    return config
            """,
        },
    )
    assert sorted(found) == ["encode_kind", "init_arrays", "init_data"]
    assert "through the project's transformations (`encode_kind()`)" in found["init_data"]


def test_scipy_signal_filters_take_signals(tmp_path: Path) -> None:
    """``lfilter(b, a, x)``, ``sosfiltfilt(sos, x)`` and ``signal.savgol_filter(x, 11, 3)``
    filter the signal at their own position: a helper doing that to its input transforms
    data, like an image filter. Designing the filter (``butter(order, cutoff)``) takes numbers,
    and the standard library's ``signal`` module is not SciPy's."""
    found = untested(
        tmp_path,
        {
            "ecg/filters.py": """
                import signal as os_signal

                from scipy import signal
                from scipy.signal import butter, lfilter, sosfiltfilt


                def lowpass(trace, cutoff=30, rate=250, order=4):
                    b, a = butter(order, cutoff / (0.5 * rate), btype="low")
                    return lfilter(b, a, trace)


                def bandpass(trace, low=0.5, high=40, rate=250):
                    sos = butter(4, [low / (0.5 * rate), high / (0.5 * rate)], output="sos")
                    return sosfiltfilt(sos, trace)


                def smooth(trace):
                    return signal.savgol_filter(trace, 11, 3)


                def design(order, cutoff):
                    b, a = butter(order, cutoff)
                    return b, a


                def on_stop(handler):
                    previous = os_signal.signal(os_signal.SIGTERM, handler)
                    return previous
            """,
        },
    )
    assert sorted(found) == ["bandpass", "lowpass", "smooth"]


def test_data_from_a_star_imported_loader_that_reads_through_a_helper_is_input(
    tmp_path: Path,
) -> None:
    """Per-dataset experiment scripts star-import the project's loader module (``from
    kit.loading import *``), whose ``load_all()`` unpacks what ``read_all()`` read and fixes
    one table: a parameterless ``init_data()`` that takes one table from it and encodes it
    through the project's steps transforms data. ``main()`` wiring the steps stays silent."""
    found = untested(
        tmp_path,
        {
            "kit/__init__.py": "",
            "kit/loading.py": """
                import pandas as pd


                def read_all():
                    return pd.read_csv("data/a.csv"), pd.read_csv("data/b.csv")


                def load_all():
                    first, second = read_all()
                    second = second.replace("?", None)
                    return first, second
            """,
            "kit/steps.py": """
                import pandas as pd


                def as_floats(frame: pd.DataFrame) -> pd.DataFrame:
                    return frame.astype(float)
            """,
            "first_experiment.py": """
                from kit.loading import *
                from kit.steps import *


                def init_data():
                    first, second = load_all()
                    first = as_floats(first)
                    return first


                def main():
                    print(init_data().shape)
            """,
        },
    )
    assert "init_data" in found and "main" not in found
    assert "through the project's transformations (`as_floats()`)" in found["init_data"]


def test_splits_written_by_hand_with_fractional_samples_are_transformations(
    tmp_path: Path,
) -> None:
    """A module that imports nothing can still split a table by hand: ``df.sample(frac=0.8)``
    draws a share of the rows (only a table does that), and a loop building k pairs of
    random halves from a copy (``tmp = df[:]``) is a split with real behaviour."""
    found = untested(
        tmp_path,
        {
            "lab/folds.py": """
                def holdout(df):
                    train = df.sample(frac=0.8)
                    return train, df.drop(train.index)


                def halves(df, k):
                    out = []
                    for _ in range(k):
                        tmp = df[:]
                        first = tmp.sample(frac=0.5)
                        out.append((first, tmp.drop(first.index)))
                    return out


                def pick(items, n):
                    return items.sample(n)
            """,
        },
    )
    assert sorted(found) == ["halves", "holdout"]


def test_a_bare_stft_between_reshapes_in_forward_is_feature_extraction(tmp_path: Path) -> None:
    """``from torch import stft`` then ``x = stft(x, n_fft=...)`` between two reshapes: the
    extraction call is the data operation, not only a reason to look at the method."""
    found = untested(
        tmp_path,
        {
            "nets/spec.py": """
                from torch import istft, nn, stft


                class ToSpec(nn.Module):
                    def __init__(self, n_fft: int):
                        super().__init__()
                        self.n_fft = n_fft

                    def forward(self, x):
                        b, c, t = x.shape
                        x = x.reshape(b * c, t)
                        return stft(x, n_fft=self.n_fft, return_complex=True)


                class FromSpec(nn.Module):
                    def forward(self, x):
                        return istft(x, n_fft=512)
            """,
        },
    )
    assert sorted(found) == ["FromSpec.forward", "ToSpec.forward"]
    assert "runs the signal through `stft()` (feature extraction)" in found["ToSpec.forward"]


def test_a_helper_preparing_the_batch_before_the_layers_is_a_transformation(
    tmp_path: Path,
) -> None:
    """``forward`` hands its batch first to ``self.standardise(x)``, which normalises each
    sample and calls no layer: that preparation is data work. A helper that runs a layer
    (``self.embed(x)`` calling ``self.embedding``) is part of the model, and so is a helper
    ``forward`` calls after its layers, or one that is all ``forward`` does (a pooling
    layer's own computation)."""
    found = untested(
        tmp_path,
        {
            "nets/classifier.py": """
                import torch
                from torch import nn


                class Net(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.body = nn.Linear(16, 4)

                    def standardise(self, x):
                        mean = x.mean(dim=-1, keepdim=True)
                        return (x - mean) / (x.std(dim=-1, keepdim=True) + 1e-6)

                    def forward(self, x):
                        x = self.standardise(x)
                        return self.body(x)


                class Encoder(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.embedding = nn.Embedding(100, 8)

                    def embed(self, tokens):
                        out = self.embedding(tokens)
                        return out.mean(dim=1)

                    def forward(self, tokens):
                        return self.embed(tokens)


                class Pool(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.p = nn.Parameter(torch.ones(1) * 3)

                    def pool(self, x, p):
                        return x.clamp(min=1e-6).pow(p).mean(dim=(-2, -1)).pow(1.0 / p)

                    def forward(self, x):
                        return self.pool(x, self.p)


                class Head(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.fc = nn.Linear(4, 2)

                    def squash(self, z):
                        return z / z.norm(dim=-1, keepdim=True)

                    def forward(self, x):
                        return self.squash(self.fc(x))
            """,
        },
    )
    assert sorted(found) == ["Net.standardise"]
    assert "prepares the batch before `forward()` runs the layers" in found["Net.standardise"]


def test_peak_finders_and_spectra_take_signals(tmp_path: Path) -> None:
    """SciPy's peak finders and spectral estimators (``find_peaks``, ``argrelmax``,
    ``welch``) run on the signal at their first position: turning a score curve into the
    detected events, or a trace into band powers, is an operation on data."""
    found = untested(
        tmp_path,
        {
            "events/detect.py": """
                from scipy.signal import argrelmax, find_peaks, welch


                def detect_events(curve, distance=10):
                    idx, _ = find_peaks(curve, distance=distance)
                    return idx, curve[idx]


                def local_maxima(curve, order=3):
                    return argrelmax(curve, order=order)[0]


                def band_power(trace, rate=100):
                    freqs, power = welch(trace, fs=rate)
                    return power


                def describe(rate):
                    return {"rate": rate}
            """,
        },
    )
    assert sorted(found) == ["band_power", "detect_events", "local_maxima"]


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        # scores cut into classes: post-processing, wherever it sits
        (
            "return np.where(scores < cuts[0], 0, np.where(scores < cuts[1], 1, 2))",
            True,
        ),
        ("return np.digitize(scores, cuts)", True),
        ("peaks = argrelmax(scores, order=5)[0]\n    return peaks, scores[peaks]", True),
        # scores reduced to one number, or a curve of rates: a metric
        ("hits = np.where(scores > cuts[0], 1, 0)\n    return np.sum(hits) / len(hits)", False),
        ("order = np.argsort(scores)\n    return np.cumsum(scores[order]) / np.sum(scores)", False),
    ],
)
def test_decisions_made_in_a_metrics_module_are_post_processing(
    tmp_path: Path, body: str, reported: bool
) -> None:
    """A loss or metrics module scores predictions; a function there whose only operations
    cut the scores it is handed into classes or pick their peaks, and which gives back one
    decision per input rather than a number, post-processes predictions: it is judged like
    one, while what reduces the scores stays a metric."""
    source = (
        "import numpy as np\n"
        "from scipy.signal import argrelmax\n\n\n"
        f"def decide(scores, cuts=(0.5, 1.5)):\n    {body}\n"
    )
    found = untested(tmp_path, {"project/metrics.py": source})
    assert (list(found) == ["decide"]) is reported


def test_graph_features_are_computed_from_data(tmp_path: Path) -> None:
    """A NetworkX graph handed to one of its algorithms (``nx.ancestors(g, n)``), or annotated
    as one, is data, and the algorithm is an operation on it: a function computing a graph's
    features (a record of counts and path lengths, ``-> Dict[str, float]``) or one graph from
    another transforms data. Reading a graph's attributes as they are, building one from
    sizes, and drawing one do not."""
    found = untested(
        tmp_path,
        {
            "graphs/features.py": """
                from typing import Dict

                import networkx as nx
                import numpy as np


                def graph_features(g: nx.DiGraph) -> Dict[str, float]:
                    kinds = list(nx.get_node_attributes(g, "kind").values())
                    _, counts = np.unique(kinds, return_counts=True)
                    return {
                        "longest": nx.dag_longest_path_length(g),
                        "top_kind": float(np.max(counts)),
                    }


                def ancestor_counts(g):
                    return {n: len(nx.ancestors(g, n)) for n in g.nodes}


                def undirected(g: nx.DiGraph):
                    return nx.disjoint_union(g, g.reverse())


                def kinds_of(g: nx.DiGraph):
                    return list(nx.get_node_attributes(g, "kind").values())


                def grid(n):
                    return nx.grid_2d_graph(n, n)


                def show(g, ax):
                    nx.draw(g, ax=ax)
                    return ax
            """,
        },
    )
    assert sorted(found) == ["ancestor_counts", "graph_features", "undirected"]


def test_a_class_built_on_a_model_is_model_code_whatever_its_other_bases(tmp_path: Path) -> None:
    """A class whose bases include ``nn.Module`` (not only as the last one), or that is built
    on a class of the same module which is a model, holds model code: the steps of a
    generative model and a language model's generation plumbing are not data steps. A plain
    helper class with the same method stays judged by its body."""
    step = (
        "    def noisy(self, x0, t):\n"
        "        a = self.alpha_bar[t].view(x0.shape[0], 1, 1, 1)\n"
        "        return torch.sqrt(a) * x0 + torch.sqrt(1 - a) * torch.randn_like(x0)\n"
    )
    source = (
        "import torch\nfrom torch import nn\nfrom transformers import PreTrainedModel\n\n\n"
        "class Schedule:\n    pass\n\n\n"
        f"class Denoiser(nn.Module, Schedule):\n{step}\n\n"
        "class LMBase(PreTrainedModel):\n    pass\n\n\n"
        f"class LMHead(LMBase):\n{step}\n\n"
        f"class Noiser:\n{step}"
    )
    found = untested(tmp_path, {"project/models.py": source})
    assert sorted(found) == ["Noiser.noisy"]


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        # the target set apart, the rows drawn by the library: nothing of its own to test
        (
            "X = df.drop(columns=[target])\n    y = df[target]\n"
            "    return train_test_split(X, y, test_size=0.2, random_state=0)",
            False,
        ),
        (
            "X = df.drop(target, axis=1)\n    y = df[target]\n"
            "    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2)\n"
            "    return X_tr, X_te, y_tr, y_te",
            False,
        ),
        # printing the shapes on the way adds no step
        (
            "X = df.drop(target, axis=1)\n    y = df[target]\n"
            "    parts = train_test_split(X, y, test_size=0.2)\n"
            "    print([p.shape for p in parts])\n    return parts",
            False,
        ),
        # a split with logic of its own (rows drawn by hand) is still a transformation
        (
            "train = df.sample(frac=0.8, random_state=0)\n    test = df.drop(train.index)\n"
            "    return train, test",
            True,
        ),
        # a split that hands the table to a project step first is a transformation
        (
            "add_features(df)\n    X = df.drop(columns=[target])\n"
            "    return train_test_split(X, df[target])",
            True,
        ),
        # a split that also cleans the table first is a transformation
        (
            "df = df.dropna()\n    X = df.drop(columns=[target])\n"
            "    return train_test_split(X, df[target])",
            True,
        ),
    ],
)
def test_a_plain_split_is_no_transformation(tmp_path: Path, body: str, reported: bool) -> None:
    """Setting the target column apart and handing the rows to ``train_test_split`` is a plain
    split: the function holds no logic of its own a test would pin down."""
    source = (
        "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n\n\n"
        "def add_features(df: pd.DataFrame) -> None:\n"
        "    df['ratio'] = df['a'] / df['b']\n\n\n"
        f"def split(df: pd.DataFrame, target: str):\n    {body}\n"
    )
    found = untested(tmp_path, {"project/pipelines/modelling/nodes.py": source})
    assert ("split" in found) is reported


@pytest.mark.parametrize(
    ("path", "reported"),
    [
        # the nearest name is one of evaluation: the folder above it being data says nothing
        ("project/pipelines/evaluation/nodes.py", False),
        ("project/pipelines/utils/metrics/curves.py", False),
        ("project/data/metrics.py", False),
        # the nearest name is one of data work: a metrics folder above it says nothing
        ("project/metrics/features.py", True),
        ("project/pipelines/features/nodes.py", True),
    ],
)
def test_the_name_nearest_the_module_says_whether_it_evaluates(
    tmp_path: Path, path: str, reported: bool
) -> None:
    """A module in an evaluation pipeline or a metrics folder inside a data location scores a
    model: the name nearest the module decides, and the containers every pipeline has
    (``pipelines/``, ``nodes.py``) name no kind of work."""
    source = """
        import pandas as pd


        def errors_by_model(forecast: pd.DataFrame, sales: pd.DataFrame) -> pd.DataFrame:
            df = forecast.merge(sales, on=["id", "date"])
            df["abs_error"] = (df["prediction"] - df["sales"]).abs()
            return df.groupby("model", as_index=False)["abs_error"].mean()
    """
    found = untested(tmp_path, {path: source})
    assert (list(found) == ["errors_by_model"]) is reported


def test_a_function_handed_the_truth_and_the_predictions_evaluates(tmp_path: Path) -> None:
    """``y_true`` and ``y_pred`` side by side (scikit-learn's names for a metric's arguments)
    say the function compares predictions with the truth: a calibration curve or a table of
    errors per bin scores a model, and so does a helper nested in it. A function handed
    predictions alone post-processes them."""
    found = untested(
        tmp_path,
        {
            "project/reporting.py": """
                import numpy as np
                import pandas as pd


                def calibration_curve(y_true: pd.Series, y_pred: pd.Series, bins: int = 10):
                    order = np.argsort(y_pred.values)
                    true = np.cumsum(y_true.values[order]) / y_true.sum()
                    pred = np.cumsum(y_pred.values[order]) / y_pred.sum()
                    return pred, true


                def errors_per_bin(y_true: pd.Series, y_pred: pd.Series, n_bins: int = 5):
                    def weighted_std(x, w):
                        mean = np.average(x, weights=w)
                        return np.sqrt(np.average((x - mean) ** 2, weights=w))

                    bins = pd.qcut(y_pred, n_bins, labels=False)
                    err = (y_pred - y_true).abs()
                    return err.groupby(bins).agg(weighted_std, w=np.ones(len(err)))


                def clip_predictions(y_pred: pd.Series, low: float, high: float) -> pd.Series:
                    return y_pred.clip(lower=low, upper=high).round(2)
            """,
        },
    )
    assert sorted(found) == ["clip_predictions"]


def test_validating_models_through_the_modules_helpers_is_no_transformation(
    tmp_path: Path,
) -> None:
    """A cross-validation loop that fits through the module's own helper and scores with its
    own RMSE helper validates models, whatever it does to the rows of each fold; so does a
    bootstrap that hands its data to that loop, and a per-group fit-and-predict through the
    helper. The steps they call (a scaler, a resampler) stay transformations."""
    found = untested(
        tmp_path,
        {
            "project/modelling.py": """
                import numpy as np
                import pandas as pd
                from sklearn.metrics import mean_absolute_error
                from sklearn.model_selection import KFold


                def fit_model(model, X, y):
                    model.fit(X, y)
                    return model


                def mae(truth, guess):
                    return mean_absolute_error(truth, guess)


                def scale_columns(frame: pd.DataFrame) -> pd.DataFrame:
                    return (frame - frame.mean()) / frame.std()


                def resample_rows(frame: pd.DataFrame, share: float) -> pd.DataFrame:
                    return frame.sample(frac=share, replace=True).reset_index(drop=True)


                def kfold_scores(table, model, target):
                    rows = []
                    for k, (a, b) in enumerate(KFold(5).split(table)):
                        train = scale_columns(table.iloc[a].drop(columns=target))
                        valid = scale_columns(table.iloc[b].drop(columns=target))
                        fitted = fit_model(model, train, table.iloc[a][target])
                        rows.append({"fold": k, "mae": mae(table.iloc[b][target], fitted.predict(valid))})
                    return pd.DataFrame(rows)


                def bootstrap_scores(table, model, target, rounds=3):
                    out = []
                    for i in range(rounds):
                        drawn = resample_rows(table, 0.8)
                        out.append(kfold_scores(drawn, model, target).assign(round=i))
                    return pd.concat(out)


                def predict_each_region(table, model, target):
                    parts = []
                    for region in table["region"].unique():
                        part = table[table["region"] == region]
                        fitted = fit_model(model, part.drop(columns=target), part[target])
                        part = part.assign(guess=fitted.predict(part.drop(columns=target)))
                        parts.append(part)
                    return pd.concat(parts)
            """,
        },
    )
    assert sorted(found) == ["resample_rows", "scale_columns"]


@pytest.mark.parametrize(
    ("params", "reported"),
    [
        ("features, y_true, y_pred", False),  # scikit-learn's names
        ("features, y_df, y_pred_df", False),  # the same pair with a suffix
        ("features, targets, preds", False),
        ("features, ground_truth, predictions", False),
        ("features, weights, y_pred", True),  # predictions alone are post-processed
        ("features, y, offsets", True),  # a target without predictions
    ],
)
def test_the_truth_beside_the_predictions_under_any_usual_name_evaluates(
    tmp_path: Path, params: str, reported: bool
) -> None:
    """A function handed a model's predictions and the truth beside them compares them (an
    error table per group), whatever suffix the two names carry."""
    first, second, third = (p.strip() for p in params.split(","))
    found = untested(
        tmp_path,
        {
            "project/analysis.py": f"""
                import numpy as np
                import pandas as pd


                def error_table({params}):
                    frame = {first}.copy()
                    frame["gap"] = {second} - {third}
                    return frame.groupby("site").agg(err=("gap", lambda g: np.sqrt((g ** 2).mean())))
            """,
        },
    )
    assert ("error_table" in found) is reported


def test_the_names_of_selected_columns_are_names_not_data(tmp_path: Path) -> None:
    """``df.select_dtypes("number").columns`` and ``df._get_numeric_data().columns`` are the
    names of the columns a selection keeps: a list of names computed from them is the
    frame's schema, not data derived from it. Selecting the columns themselves still is."""
    found = untested(
        tmp_path,
        {
            "project/columns.py": """
                import pandas as pd


                def text_columns(frame):
                    numbers = list(frame._get_numeric_data().columns)
                    everything = list(frame.columns)
                    return list(set(everything) - set(numbers))


                def numeric_part(frame):
                    kept = frame.select_dtypes("number").dropna(axis=1)
                    return kept / kept.max()
            """,
        },
    )
    assert sorted(found) == ["numeric_part"]


def test_the_axes_of_a_grid_are_settings(tmp_path: Path) -> None:
    """``np.meshgrid(xs, ys)`` pairs every value of two lists (a grid of hyper-parameters,
    of coordinates): the lists are its axes, not data the function derives anything from."""
    found = untested(
        tmp_path,
        {
            "project/sweep.py": """
                import numpy as np


                def all_pairs(xs, ys):
                    gx, gy = np.meshgrid(xs, ys)
                    return list(np.transpose(np.array([gx.reshape(-1), gy.reshape(-1)])))


                def centre_rows(xs):
                    return xs - xs.mean(axis=1, keepdims=True)
            """,
        },
    )
    assert sorted(found) == ["centre_rows"]


def test_a_helper_nested_in_a_training_function_is_part_of_it(tmp_path: Path) -> None:
    """``decode(out)`` nested in a training loop turns the network's outputs back into class
    ids for its accuracy: it is part of that training code, as a helper nested in a
    transformation is part of the transformation."""
    found = untested(
        tmp_path,
        {
            "project/train.py": """
                import torch


                def train(model, inputs, labels, table, steps=10):
                    def decode(out):
                        gaps = torch.cdist(out, table)
                        return torch.argmin(gaps, dim=-1)

                    opt = torch.optim.SGD(model.parameters(), lr=0.1)
                    for _ in range(steps):
                        out = model(inputs)
                        loss = torch.nn.functional.mse_loss(out, table[labels])
                        opt.zero_grad()
                        loss.backward()
                        opt.step()
                    return (decode(model(inputs)) == labels).float().mean()
            """,
        },
    )
    assert found == {}


@pytest.mark.parametrize(
    ("line", "reported"),
    [
        ("    pool.map(train_one, grid)\n    pool.map(train_two, grid)", False),
        ("    pool.starmap(train_one, grid)\n    pool.imap(train_two, grid)", False),
        ("    frame['kind'] = frame['kind'].map(LABELS)\n    frame = frame.dropna()", True),
    ],
)
def test_a_pool_mapping_a_function_over_settings_is_no_data_operation(
    tmp_path: Path, line: str, reported: bool
) -> None:
    """``pool.map(train_one, grid)`` (a process pool or an executor: a function and the items
    it runs on) runs the function once per item, like a loop handing each item on; pandas'
    ``Series.map(mapping)`` recodes a column (MLN303)."""
    path = tmp_path / "runs.py"
    path.write_text(
        "import numpy as np\nimport pandas as pd\nfrom multiprocessing import Pool\n\n"
        "LABELS = {'a': 0, 'b': 1}\ngrid = list(np.linspace(0.1, 1.0, 5))\n"
        "frame = pd.DataFrame({'kind': ['a', 'b']})\n\n\n"
        "def train_one(rate):\n    return rate\n\n\n"
        "def train_two(rate):\n    return rate * 2\n\n\n"
        f"with Pool(2) as pool:\n{line}\n",
        encoding="utf-8",
    )
    config = build_config({"transforms": {}})
    report = run(tmp_path, config, families=["transforms"], use_cache=False)
    assert any(f.rule == "MLN303" for f in report.findings) is reported
