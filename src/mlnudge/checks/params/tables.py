"""What the params family knows about ML libraries, kept as data.

The call tables of each library are in :mod:`~mlnudge.checks.params.libraries`: every
numeric literal keyword of a listed call is a hyperparameter unless its name is in
:data:`NOT_HYPERPARAMETERS` (infrastructure, shapes, verbosity).

Name tables say which keyword, dict-key and variable names are hyperparameters, seeds,
thresholds or locations whatever the callee. Users extend both from the configuration
(``[tool.mlnudge.params] hyperparameters`` and ``calls``).
"""

from __future__ import annotations

#: numeric keywords of listed calls that are not hyperparameters (infrastructure, shapes, logging)
NOT_HYPERPARAMETERS = frozenset(
    {
        "min_grad_norm",  # t-SNE's convergence tolerance
        "tol",  # a solver's convergence tolerance: when the numerics stop, not the model
        "ftol",  # an optimiser's tolerance on the objective: the same
        "n_jobs",
        "verbose",
        "verbosity",
        "silent",
        "num_workers",
        "workers",
        "nthread",
        "thread_count",
        "num_threads",
        "device",
        "devices",
        "gpus",
        "gpu_id",
        "num_nodes",
        "precision",
        "log_every_n_steps",
        "logging_steps",
        "save_steps",
        "eval_steps",
        "save_total_limit",
        "prefetch_factor",
        "num_class",
        "spatial_dims",
        "img_size",
        "num_classes",
        "n_classes",
        "num_labels",
        "in_features",
        "out_features",
        "in_channels",
        "out_channels",
        "input_dim",
        "output_dim",
        "input_size",
        "output_size",
        "num_sanity_val_steps",
        "check_val_every_n_epoch",
        "max_queue_size",
        "missing",
        "timeout",
        "print_every",
        "verbose_eval",
        "cache_size",
        "max_tokens",
        "dataloader_num_workers",
        "local_rank",
        "copy",
        # the batch size of evaluation and inference changes no result
        "eval_batch_size",
        "per_device_eval_batch_size",
        "val_batch_size",
        "valid_batch_size",
        "test_batch_size",
        "inference_batch_size",
        "predict_batch_size",
        "pred_batch_size",
    }
)

#: keys only a gradient-boosting library's parameter dict has: the dict names its booster
BOOSTER_KEYS = frozenset({"objective", "boosting", "boosting_type", "booster", "tree_method"})
_INFRASTRUCTURE_WORDS = frozenset(
    {"gpu", "device", "thread", "threads", "verbose", "verbosity", "seed", "state", "class"}
)


def booster_params(keys: list[str]) -> bool:
    """``{"objective": "binary", "num_leaves": 63, ...}``: a LightGBM/XGBoost/CatBoost
    parameter dict (it names its booster and holds at least two known settings)."""
    return bool(BOOSTER_KEYS & set(keys)) and sum(1 for k in keys if k in _KNOWN) >= 2


def training_params(keys: list[str]) -> bool:
    """``{"batch_size": 128, "epochs": 1000, "timesteps": 150, ...}``: a dict of training
    settings built in code (at least two well-known, unambiguous training settings)."""
    return sum(1 for k in keys if k in _KNOWN and k not in AMBIGUOUS) >= 2


def booster_setting(key: str) -> bool:
    """A key of a booster's dict that is a setting someone tunes (``top_rate``,
    ``max_leaves``), not infrastructure (``gpu_device_id``, ``num_threads``, ``verbose``)."""
    words = set(key.lower().split("_"))
    return key not in NOT_HYPERPARAMETERS and not words & (_INFRASTRUCTURE_WORDS | EVAL_WORDS)


#: keywords that mean something else in a kind of call: a scheduler's ``threshold`` is a
#: tolerance on the monitored metric, not a decision threshold
QUIET_KEYWORDS_BY_KIND: dict[str, frozenset[str]] = {
    "scheduler": frozenset({"threshold", "threshold_mode", "eps", "cooldown", "last_epoch"}),
    "optimizer": frozenset({"threshold"}),
    "trainer": frozenset({"threshold"}),
    "loader": frozenset({"threshold"}),
    "layer": frozenset({"threshold"}),
}
#: a library's own defaults, per call: restated in a spelled-out signature they are nobody's
#: choice (``OneCycleLR(..., div_factor=25.0, final_div_factor=1e4)``, ``clip_grad_norm_(
#: ..., norm_type=2)``, every Adam's ``betas=(0.9, 0.999)``); any other value is a setting
RESTATED_DEFAULTS: dict[str, dict[str, object]] = {
    "OneCycleLR": {
        "pct_start": 0.3,
        "div_factor": 25.0,
        "final_div_factor": 1e4,
        "base_momentum": 0.85,
        "max_momentum": 0.95,
    },
    "clip_grad_norm_": {"norm_type": 2},
    **{key: {"betas": (0.9, 0.999)} for key in ("Adam", "NAdam", "RAdam")},  # and ``Adam*``
}
#: keywords that mean something else in one call: numerical constants of a layer, display
#: options (``np.set_printoptions(threshold=...)``) and activation cut-offs
QUIET_KEYWORDS_BY_CALL: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        (
            "BatchNorm1d",
            "BatchNorm2d",
            "BatchNorm3d",
            "SyncBatchNorm",
            "BatchNormalization",
            "LayerNorm",
            "LayerNormalization",
            "GroupNorm",
            "InstanceNorm2d",
        ),
        frozenset({"momentum", "eps", "epsilon"}),
    ),
    **dict.fromkeys(
        ("Softplus", "softplus", "set_printoptions", "set_option", "option_context"),
        frozenset({"threshold", "beta"}),
    ),
    # a t-SNE embedding is a picture: its 2 or 3 output dimensions are the plot's, not tuned
    "TSNE": frozenset({"n_components"}),
}

#: calls that run a model for inference or evaluation: their ``batch_size`` changes no result
EVAL_CALLS = frozenset(
    {
        "predict",
        "predict_proba",
        "predict_on_batch",
        "evaluate",
        "encode",
        "embed",
        "embed_documents",
        "infer",
        "inference",
        "generate",
        "pipeline",
        "score",
    }
)
#: words of a loader's dataset, target or function that make it an evaluation loader
EVAL_WORDS = frozenset(
    {
        "val",
        "valid",
        "validation",
        "test",
        "testing",
        "eval",
        "evaluate",
        "evaluation",
        "infer",
        "inference",
        "pred",
        "predict",
        "prediction",
        "predictions",
        "holdout",
        "dev",
        "submission",
        "serve",
        "serving",
    }
)
#: calls that fetch pretrained weights or hub files: their names and URLs are not data
#: model-zoo loaders that fetch official weights by a bare file name (``YOLO("yolov8s.pt")``);
#: a path with a folder (``runs/train/weights/best.pt``) is the project's own model
ZOO_WEIGHTS_CALLS = frozenset({"YOLO", "RTDETR", "SAM", "FastSAM", "YOLOWorld", "NAS"})
PRETRAINED_CALLS = frozenset(
    {
        "from_pretrained",
        "hf_hub_download",
        "snapshot_download",
        "cached_download",
        "load_state_dict_from_url",
        "load_url",
        "get_file",
        "download_url",
        "create_model",
        "cached_path",
        "hub.load",
        "load_model_from_hub",
    }
)

#: keyword, key and variable names that are hyperparameters whatever the callee
HYPERPARAMETERS = (
    "learning_rate",
    "lr",
    "base_lr",
    "max_lr",
    "initial_learning_rate",
    "learning_rate_init",
    "eta",
    "n_estimators",
    "num_iterations",
    "num_boost_round",
    "num_rounds",
    "num_round",
    "n_rounds",
    "nrounds",
    "max_depth",
    "num_leaves",
    "min_child_samples",
    "min_child_weight",
    "min_data_in_leaf",
    "feature_fraction",
    "bagging_fraction",
    "bagging_freq",
    "lambda_l1",
    "lambda_l2",
    "max_bin",
    "subsample",
    "colsample_bytree",
    "colsample_bylevel",
    "reg_alpha",
    "reg_lambda",
    "scale_pos_weight",
    "l2_leaf_reg",
    "early_stopping_rounds",
    "early_stopping_round",
    "min_samples_leaf",
    "min_samples_split",
    "max_features",
    "max_leaf_nodes",
    "l1_ratio",
    "n_neighbors",
    "n_clusters",
    "n_components",
    "max_iter",
    "n_splits",
    "n_folds",
    "n_fold",
    "num_fold",
    "num_folds",
    "nfolds",
    "test_size",
    "val_size",
    "valid_size",
    "validation_size",
    # the hold-out part under its other names (``dev_size=20000``, ``holdout_ratio=0.1``)
    "dev_size",
    "dev_ratio",
    "holdout_size",
    "holdout_ratio",
    "val_ratio",
    "valid_ratio",
    "validation_ratio",
    "test_ratio",
    "validation_split",
    "batch_size",
    "train_batch_size",
    "per_device_train_batch_size",
    "gradient_accumulation_steps",
    "accumulate_grad_batches",
    "gradient_clip_val",
    "max_grad_norm",
    "grad_clip",
    "gradient_clip",
    "clip_grad_norm",
    "grad_clip_norm",
    "epochs",
    "max_epochs",
    "num_epochs",
    "n_epochs",
    "num_train_epochs",
    "max_steps",
    "warmup_steps",
    "warmup_ratio",
    "num_warmup_steps",
    "dropout",
    "dropout_rate",
    "hidden_dropout_prob",
    "attention_dropout",
    "weight_decay",
    "label_smoothing",
    "momentum",
    "patience",
    "hidden_size",
    "hidden_dim",
    "hidden_units",
    "hidden_layer_sizes",
    "num_layers",
    "n_layers",
    "embedding_dim",
    "num_heads",
    "max_seq_length",
    "min_df",
    "max_df",
    "ngram_range",
    "changepoint_prior_scale",
    "seasonality_prior_scale",
    "holidays_prior_scale",
    "interval_width",
    "smoothing_level",
    "smoothing_trend",
    "smoothing_seasonal",
    "damping_trend",
    "n_iter",
    "num_trials",
    "max_evals",
    # the time budget of an AutoML fit or search is its budget, as a trial count is
    # (AutoGluon ``fit(time_limit=...)``, FLAML ``time_budget``, H2O ``max_runtime_secs``)
    "time_limit",
    "time_budget",
    "max_runtime_secs",
    "stopping_rounds",
    "folds",
    "k_folds",
    "kfolds",
    "cv_folds",
    "splits",
    "num_words",
    "sample_size",
    "train_sample_size",
    "subsample_for_bin",
    "min_split_gain",
    "min_gain_to_split",
    "max_delta_step",
    "colsample_bynode",
    "rsm",
    "random_strength",
    "bagging_temperature",
    "border_count",
)
#: the well-known names, for telling a parameter dict by its keys
_KNOWN = frozenset(HYPERPARAMETERS)

#: hyperparameter names too common elsewhere (plots, numerics) to flag outside listed calls
AMBIGUOUS = frozenset(
    {
        "alpha",
        "gamma",
        "C",
        "eps",
        "epsilon",
        "depth",
        "iterations",
        "max_length",
        "step_size",
        "T_max",
        "T_0",
        "factor",
        "degree",
        "beta_1",
        "beta_2",
        "betas",
        "min_lr",
        "min_delta",
        "order",
        "seasonal_order",
        "k",
        "p",
        "rate",
        "l1",
        "l2",
        "nu",
        "max_samples",
        "num_warmup_steps",
        "num_training_steps",
        "decay_steps",
        "decay_rate",
        "cv",
        "swa_lrs",
    }
)

#: names whose value may be a tuple or list of numbers (``order=(1, 1, 1)``)
TUPLE_VALUED = frozenset(
    {
        "order",
        "seasonal_order",
        "hidden_layer_sizes",
        "ngram_range",
        "betas",
        "milestones",
        "lengths",
    }
)

SEED_NAMES = frozenset({"random_state", "seed", "random_seed", "rng_seed", "seed_value"})
#: calls whose first literal argument is a seed
SEED_CALLS = frozenset(
    {
        "manual_seed",
        "manual_seed_all",
        "seed",
        "set_seed",
        "set_random_seed",
        "seed_everything",
        "default_rng",
        "RandomState",
        "Random",
        "PRNGKey",
    }
)
THRESHOLD_NAMES = frozenset(
    {
        "threshold",
        "thresh",
        "cutoff",
        "cut_off",
        "decision_threshold",
        "prob_threshold",
        "proba_threshold",
        "score_threshold",
        "conf_threshold",
        "confidence_threshold",
        "min_confidence",
        "min_score",
        "max_missing",
        "missing_threshold",
        "max_missing_rate",
        "missing_rate",
        "corr_threshold",
        "correlation_threshold",
        "drift_threshold",
        "min_auc",
        "min_accuracy",
    }
)
#: tokens of an expression's names that make a float comparison a decision threshold
SCORE_TOKENS = frozenset(
    {
        "score",
        "scores",
        "proba",
        "probas",
        "prob",
        "probs",
        "probability",
        "probabilities",
        "pred",
        "acc",
        "preds",
        "prediction",
        "predictions",
        "confidence",
        "likelihood",
        "pvalue",
        "pvalues",
        "pval",
        "pvals",
        "auc",
        "f1",
        "fbeta",
        "f2",
        "rmse",
        "mse",
        "mae",
        "mape",
        "logloss",
        "mcc",
        "kappa",
        "gini",
        "accuracy",
        "precision",
        "recall",
        "corr",
        "correlation",
        "missing",
        "isna",
        "isnull",
        "null",
        "nan",
        "psi",
        "drift",
        "similarity",
    }
)

#: words a variable name ends with when it names a location
PATH_NAME_TOKENS = frozenset(
    {
        "path",
        "dir",
        "file",
        "uri",
        "url",
        "bucket",
        "location",
        "folder",
        "directory",
        "root",
        "csv",
        "parquet",
    }
)
#: keyword names whose string value is a location whatever the callee
PATH_KEYWORDS = frozenset(
    {
        "path",
        "filepath",
        "file_path",
        "fname",
        "filename",
        "path_or_buf",
        "filepath_or_buffer",
        "output_dir",
        "save_dir",
        "dirpath",
        "model_dir",
        "data_dir",
        "logging_dir",
        "checkpoint_path",
        "ckpt_path",
        "model_path",
        "data_path",
        "data_files",
        "model_file",
        "default_root_dir",
        "root",
        "directory",
        "storage",
        "url",
    }
)

#: callees whose arguments are presentation, logging or config reads: literals there are fine
QUIET_CALLS = frozenset(
    {
        "print",
        "pprint",
        "format",
        "debug",
        "info",
        "warning",
        "warn",
        "error",
        "exception",
        "critical",
        "log",
        "log_param",
        "log_params",
        "log_metric",
        "log_metrics",
        "log_artifact",
        "log_dict",
        "add_scalar",
        "echo",
        "secho",
        "write",
        "get",
        "getenv",
        "getint",
        "getfloat",
        "getboolean",
        "select",
        "setdefault",
        "pop",
        "safe_load",
        "load_config",
        "initialize",
        "compose",
        "assert_allclose",
        "isclose",
        "allclose",
        "approx",
        "round",
        "linspace",
        "arange",
        "zeros",
        "ones",
        "full",
        "empty",
        "reshape",
        "view",
        "range",
        "savefig",
        "figure",
        "subplots",
        "cut",
        "qcut",
        "astype",
        "sleep",
    }
)
#: roots of callees that draw plots (matplotlib, seaborn, plotly, pandas plotting)
PLOT_ROOTS = frozenset({"plt", "sns", "ax", "axes", "axs", "fig", "px", "go", "alt", "mpl"})
PLOT_CALLS = frozenset(
    {"plot", "scatter", "hist", "bar", "barh", "boxplot", "heatmap", "lineplot", "imshow", "pie"}
)
#: CLI option builders; their ``default=`` literal is reported as an info-level default
CLI_CALLS = frozenset({"add_argument", "option", "Option", "argument", "Argument"})

#: extensions of files that hold data or models
DATA_EXTENSIONS = (
    ".csv",
    ".tsv",
    ".parquet",
    ".pq",
    ".pkl",
    ".pickle",
    ".joblib",
    ".pt",
    ".pth",
    ".ckpt",
    ".h5",
    ".hdf5",
    ".keras",
    ".feather",
    ".arrow",
    ".npy",
    ".npz",
    ".onnx",
    ".xlsx",
    ".xls",
    ".jsonl",
    ".avro",
    ".orc",
    ".gz",
    ".zip",
    ".bz2",
    ".db",
    ".sqlite",
    ".safetensors",
    ".cbm",
    ".ubj",
)
DATA_DIRS = (
    "data/",
    "./data/",
    "../data/",
    "datasets/",
    "input/",
    "../input/",
    "raw/",
    "processed/",
    "models/",
    "./models/",
    "model/",
    "artifacts/",
    "outputs/",
    "output/",
    "./outputs/",
    "checkpoints/",
    "ckpt/",
    "results/",
    "predictions/",
    "features/",
    "reports/",
    "figures/",
    "visualizations/",
)
REMOTE_PREFIXES = (
    "s3://",
    "s3a://",
    "gs://",
    "gcs://",
    "abfss://",
    "abfs://",
    "wasbs://",
    "wasb://",
    "az://",
    "adl://",
    "hdfs://",
    "dbfs:/",
    "oci://",
)
ABSOLUTE_PREFIXES = (
    "/home/",
    "/Users/",
    "/mnt/",
    "/data/",
    "/dbfs/",
    "/content/",
    "/kaggle/",
    "/media/",
    "/Volumes/",
    "/scratch/",
    "/nfs/",
    "/datasets/",
    "/workspace/",
    "/gpfs/",
    "~/",
)
CONFIG_EXTENSIONS = (".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".env")
CONFIG_FILE_NAMES = frozenset(
    {
        "params.json",
        "config.json",
        "settings.json",
        "hparams.json",
        "hyperparameters.json",
        "secrets.json",
    }
)

#: names of the counter a hand-written schedule divides (``epoch // 30``)
COUNTER_WORDS = frozenset({"epoch", "epochs", "step", "steps", "iteration", "iter", "it"})
