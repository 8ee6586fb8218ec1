"""What the params family knows about ML libraries' calls, kept as data.

One table per library maps a call (class or function, matched on the last dotted part of the
callee, or on a dotted suffix such as ``xgb.train``) to its kind and to the positions of
positional hyperparameters. Every numeric literal keyword of a listed call is a hyperparameter
unless its name is in :data:`~mlnudge.checks.params.tables.NOT_HYPERPARAMETERS`. Users extend
the tables from the configuration (``[tool.mlnudge.params] calls``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CallKind = Literal[
    "model", "optimizer", "scheduler", "trainer", "loader", "split", "search", "layer", "tuning"
]


@dataclass(frozen=True)
class CallSpec:
    kind: CallKind
    #: ``(index, name)`` of positional arguments that are hyperparameters when literal
    positional: tuple[tuple[int, str], ...] = ()


MODEL = CallSpec("model")
TRAINER = CallSpec("trainer")
LOADER = CallSpec("loader")
SPLIT = CallSpec("split")
SEARCH = CallSpec("search")
TORCH_OPTIMIZER = CallSpec("optimizer", ((1, "lr"),))
KERAS_OPTIMIZER = CallSpec("optimizer", ((0, "learning_rate"),))
SCHEDULER = CallSpec("scheduler")
DROPOUT = CallSpec("layer", ((0, "dropout"),))
BOOSTER_TRAIN = CallSpec("trainer", ((2, "num_boost_round"),))
#: early stopping: XGBoost's callback takes its rounds first (Keras and Lightning a monitor name)
EARLY_STOPPING = CallSpec("trainer", ((0, "early_stopping_rounds"),))
#: a tuning run: only its budget is a hyperparameter (``study.optimize(f, n_trials=50)``)
TUNING = CallSpec("tuning")
TUNING_BUDGETS = frozenset({"n_trials", "max_evals", "num_samples"})
#: words of a call that runs a tuning (``LGBMRegOptuna(n_trials=200)``): only there is
#: ``n_trials`` a tuning budget (elsewhere it counts an experiment's trials)
TUNING_WORDS = frozenset({"optuna", "tune", "tuner", "tuning", "search", "hpo", "hyperopt"})
#: last words of a keyword that say alone what it is, whatever comes before
#: (``early_stopping_patience=``, ``head_dropout=``, ``finetune_epochs=``)
HEAD_WORDS = frozenset({"patience", "dropout", "epochs"})
#: string-valued keywords of model and trainer calls that are tuned choices
#: (``SVC(kernel="rbf")``, ``compile(optimizer="adam")``), not labels or names
#: (not ``objective``/``loss``/``criterion``: they state the task; not ``solver`` or
#: ``class_weight``: they follow from the data or another setting)
STRING_HYPERPARAMETERS = frozenset(
    {"kernel", "gamma", "booster", "boosting_type", "activation", "optimizer"}
)


def _table(kind: CallSpec, *names: str) -> dict[str, CallSpec]:
    return dict.fromkeys(names, kind)


SKLEARN: dict[str, CallSpec] = {
    **_table(
        MODEL,
        "RandomForestClassifier",
        "RandomForestRegressor",
        "ExtraTreesClassifier",
        "ExtraTreesRegressor",
        "GradientBoostingClassifier",
        "GradientBoostingRegressor",
        "HistGradientBoostingClassifier",
        "HistGradientBoostingRegressor",
        "AdaBoostClassifier",
        "AdaBoostRegressor",
        "BaggingClassifier",
        "DecisionTreeClassifier",
        "DecisionTreeRegressor",
        "LogisticRegression",
        "LogisticRegressionCV",
        "Ridge",
        "RidgeClassifier",
        "Lasso",
        "ElasticNet",
        "SGDClassifier",
        "SGDRegressor",
        "SVC",
        "SVR",
        "LinearSVC",
        "LinearSVR",
        "KNeighborsClassifier",
        "KNeighborsRegressor",
        "MLPClassifier",
        "MLPRegressor",
        "GaussianNB",
        "MultinomialNB",
        "KMeans",
        "MiniBatchKMeans",
        "DBSCAN",
        "IsolationForest",
        "PCA",
        "TruncatedSVD",
        "TSNE",
        "TfidfVectorizer",
        "CountVectorizer",
        "SelectKBest",
        "VarianceThreshold",
        "SimpleImputer",
        "KNNImputer",
        "PolynomialFeatures",
        "CalibratedClassifierCV",
    ),
    **_table(
        SPLIT,
        "train_test_split",
        "KFold",
        "StratifiedKFold",
        "GroupKFold",
        "TimeSeriesSplit",
        "ShuffleSplit",
        "StratifiedShuffleSplit",
        "RepeatedStratifiedKFold",
        "cross_val_score",
        "cross_validate",
        "cross_val_predict",
    ),
    **_table(SEARCH, "GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV"),
}
SKLEARN["PCA"] = CallSpec("model", ((0, "n_components"),))
SKLEARN["TruncatedSVD"] = CallSpec("model", ((0, "n_components"),))
SKLEARN["KMeans"] = CallSpec("model", ((0, "n_clusters"),))
SKLEARN["VarianceThreshold"] = CallSpec("model", ((0, "threshold"),))
SKLEARN["KFold"] = CallSpec("split", ((0, "n_splits"),))
SKLEARN["StratifiedKFold"] = CallSpec("split", ((0, "n_splits"),))

XGBOOST: dict[str, CallSpec] = {
    **_table(MODEL, "XGBClassifier", "XGBRegressor", "XGBRanker", "XGBRFClassifier"),
    "xgb.train": BOOSTER_TRAIN,
    "xgboost.train": BOOSTER_TRAIN,
    "xgb.cv": BOOSTER_TRAIN,
    "xgboost.cv": BOOSTER_TRAIN,
}
LIGHTGBM: dict[str, CallSpec] = {
    **_table(MODEL, "LGBMClassifier", "LGBMRegressor", "LGBMRanker"),
    "lgb.train": BOOSTER_TRAIN,
    "lightgbm.train": BOOSTER_TRAIN,
    "lgb.cv": BOOSTER_TRAIN,
    "lightgbm.cv": BOOSTER_TRAIN,
    "early_stopping": CallSpec("trainer", ((0, "stopping_rounds"),)),
}
CATBOOST: dict[str, CallSpec] = _table(MODEL, "CatBoostClassifier", "CatBoostRegressor", "CatBoost")
PYTORCH: dict[str, CallSpec] = {
    **_table(
        TORCH_OPTIMIZER,
        "SGD",
        "Adam",
        "AdamW",
        "RMSprop",
        "Adagrad",
        "Adadelta",
        "Adamax",
        "NAdam",
        "RAdam",
        "LBFGS",
    ),
    "StepLR": CallSpec("scheduler", ((1, "step_size"), (2, "gamma"))),
    "MultiStepLR": SCHEDULER,
    "ExponentialLR": CallSpec("scheduler", ((1, "gamma"),)),
    "CosineAnnealingLR": CallSpec("scheduler", ((1, "T_max"),)),
    "CosineAnnealingWarmRestarts": CallSpec("scheduler", ((1, "T_0"),)),
    "ReduceLROnPlateau": SCHEDULER,
    "OneCycleLR": SCHEDULER,
    "LinearLR": SCHEDULER,
    "CyclicLR": SCHEDULER,
    "DataLoader": LOADER,
    "random_split": CallSpec("split", ((1, "lengths"),)),
    "Dropout": DROPOUT,
    "Dropout2d": DROPOUT,
    "clip_grad_norm_": CallSpec("trainer", ((1, "max_grad_norm"),)),
}
LIGHTNING: dict[str, CallSpec] = {
    "Trainer": TRAINER,
    "EarlyStopping": EARLY_STOPPING,
    "StochasticWeightAveraging": TRAINER,
    "LearningRateMonitor": TRAINER,
}
KERAS: dict[str, CallSpec] = {
    "Dropout": DROPOUT,
    "SpatialDropout1D": DROPOUT,
    "GaussianDropout": DROPOUT,
    "ReduceLROnPlateau": SCHEDULER,
    "ExponentialDecay": CallSpec("scheduler", ((0, "initial_learning_rate"), (1, "decay_steps"))),
    "CosineDecay": CallSpec("scheduler", ((0, "initial_learning_rate"), (1, "decay_steps"))),
    "EarlyStopping": EARLY_STOPPING,
    "l1": CallSpec("layer", ((0, "l1"),)),
    "l2": CallSpec("layer", ((0, "l2"),)),
    "L2": CallSpec("layer", ((0, "l2"),)),
    "image_dataset_from_directory": LOADER,
    "text_dataset_from_directory": LOADER,
}
KERAS_OPTIMIZERS = ("keras", "tf.", "tensorflow", "optimizers.")
TRANSFORMERS: dict[str, CallSpec] = {
    "TrainingArguments": TRAINER,
    "Seq2SeqTrainingArguments": TRAINER,
    "get_linear_schedule_with_warmup": CallSpec(
        "scheduler", ((1, "num_warmup_steps"), (2, "num_training_steps"))
    ),
    "get_cosine_schedule_with_warmup": CallSpec(
        "scheduler", ((1, "num_warmup_steps"), (2, "num_training_steps"))
    ),
    "EarlyStoppingCallback": TRAINER,
    # Hugging Face's bridges to a tf.data pipeline: loaders, whose batch size matters for
    # training only (``model.prepare_tf_dataset(tokenized_val, batch_size=8)`` then predict)
    "prepare_tf_dataset": LOADER,
    "to_tf_dataset": LOADER,
}
STATSMODELS: dict[str, CallSpec] = _table(
    MODEL, "ARIMA", "SARIMAX", "ExponentialSmoothing", "Holt", "SimpleExpSmoothing", "auto_arima"
)
PROPHET: dict[str, CallSpec] = _table(MODEL, "Prophet", "NeuralProphet")

#: pandas and Spark: sampling and splitting the data
DATAFRAME: dict[str, CallSpec] = {"sample": SPLIT, "randomSplit": SPLIT}

#: library name -> its call table; ``[tool.mlnudge.params] calls`` adds to a user table
#: MONAI (medical imaging): the networks' sizes and the patch sampling of training transforms
MONAI: dict[str, CallSpec] = _table(
    MODEL,
    "UNETR",
    "SwinUNETR",
    "UNet",
    "BasicUNet",
    "DynUNet",
    "SegResNet",
    "AttentionUnet",
    "RandCropByPosNegLabeld",
    "RandCropByPosNegLabel",
    "RandCropByLabelClassesd",
    "RandSpatialCropSamplesd",
)

#: metric learning (PyTorch, pytorch-metric-learning): margins of losses and miners are tuned
METRIC_LEARNING: dict[str, CallSpec] = _table(
    MODEL,
    "TripletMarginLoss",
    "MarginRankingLoss",
    "CosineEmbeddingLoss",
    "TripletMarginMiner",
    "MultiSimilarityMiner",
    "MultiSimilarityLoss",
    "ContrastiveLoss",
    "ArcFaceLoss",
    "CosFaceLoss",
)
#: text preprocessing of Keras: the vocabulary size is a tuned setting
KERAS_TEXT: dict[str, CallSpec] = {"Tokenizer": MODEL}

#: particle swarm optimisers (pyswarms): the swarm's coefficients and patience are tuned
PYSWARMS: dict[str, CallSpec] = _table(
    MODEL, "GlobalBestPSO", "LocalBestPSO", "GeneralOptimizerPSO", "BinaryPSO"
)

#: gensim: embeddings and topic models train on the corpus; their sizes, windows, counts and
#: epochs are tuned like any model's (``Word2Vec(sentences, vector_size=128, epochs=10)``)
GENSIM: dict[str, CallSpec] = _table(
    MODEL, "Word2Vec", "FastText", "Doc2Vec", "LdaModel", "LdaMulticore", "LsiModel"
)

#: Box-Cox transforms of skewed features (scipy): a fixed lambda is a setting of the
#: preprocessing (``boxcox1p(df[c], 0.15)``); without it scipy fits lambda from the data
BOXCOX = CallSpec("model", ((1, "lmbda"),))
SCIPY_TRANSFORMS: dict[str, CallSpec] = {"boxcox": BOXCOX, "boxcox1p": BOXCOX}

#: optax (JAX): optimizers take the learning rate first; every number of a learning-rate
#: schedule (initial, peak and end values, decay rate, transition steps) is tuned
OPTAX_OPTIMIZER = CallSpec("optimizer", ((0, "learning_rate"),))
OPTAX: dict[str, CallSpec] = {
    **{
        f"optax.{name}": OPTAX_OPTIMIZER
        for name in ("adam", "adamw", "sgd", "rmsprop", "adagrad", "lamb", "lion", "nadam", "radam")
    },
    **{
        f"optax.{name}": SCHEDULER
        for name in (
            "exponential_decay",
            "warmup_exponential_decay_schedule",
            "cosine_decay_schedule",
            "warmup_cosine_decay_schedule",
            "linear_schedule",
            "polynomial_schedule",
            "cosine_onecycle_schedule",
            "linear_onecycle_schedule",
            "piecewise_constant_schedule",
        )
    },
}

LIBRARIES: dict[str, dict[str, CallSpec]] = {
    "scikit-learn": SKLEARN,
    "xgboost": XGBOOST,
    "lightgbm": LIGHTGBM,
    "catboost": CATBOOST,
    "pytorch": PYTORCH,
    "lightning": LIGHTNING,
    "keras": KERAS,
    "transformers": TRANSFORMERS,
    "statsmodels": STATSMODELS,
    "prophet": PROPHET,
    "dataframes": DATAFRAME,
    "monai": MONAI,
    "metric-learning": METRIC_LEARNING,
    "keras-text": KERAS_TEXT,
    "pyswarms": PYSWARMS,
    "gensim": GENSIM,
    "scipy-transforms": SCIPY_TRANSFORMS,
    "optax": OPTAX,
    "tuning": {
        "optimize": TUNING,
        "fmin": TUNING,
        "tune.run": TUNING,
        "Tuner": TUNING,
        # hyperopt's early stop: its patience is the search's (``no_progress_loss(30)``)
        "no_progress_loss": CallSpec("trainer", ((0, "patience"),)),
    },
}


def merged_calls(extra: tuple[str, ...] = ()) -> tuple[dict[str, CallSpec], dict[str, CallSpec]]:
    """``(by short name, by dotted suffix)`` over all libraries plus the user's ``calls``."""
    short: dict[str, CallSpec] = {}
    dotted: dict[str, CallSpec] = {}
    for table in LIBRARIES.values():
        for name, spec in table.items():
            (dotted if "." in name else short).setdefault(name, spec)
    for name in extra:
        (dotted if "." in name else short).setdefault(name, MODEL)
    return short, dotted
