"""Knowledge tables of MLN3xx identification: what data code looks like and what it is not.

Kept apart from :mod:`mlnudge.checks.transforms.evidence` (the one-pass extraction and the
verdict) so that a reader can review the tables on their own.
"""

from __future__ import annotations

import re

FRAME_ANNOTATION = re.compile(
    r"DataFrame|Series|ndarray|NDArray|ArrayLike|Tensor|LazyFrame|\bnp\.array|pa\.Table|"
    r"csr_matrix|spmatrix|sparse\.\w+"
)
RECORDS_ANNOTATION = re.compile(r"(list|List|Sequence|Iterable)\[\s*(dict|Dict|Mapping)")
TEXT_ANNOTATION = re.compile(r"^(str|list\[str\]|List\[str\]|Sequence\[str\]|Iterable\[str\])$")

#: libraries whose import makes a module data code
DATA_LIBS = frozenset(
    {
        "pandas",
        "numpy",
        "polars",
        "torch",
        "torchvision",
        "torchaudio",
        "tensorflow",
        "keras",
        "sklearn",
        "scipy",
        "cv2",
        "PIL",
        "albumentations",
        "pyspark",
        "dask",
        "nltk",
        "spacy",
        "gensim",
        "bs4",
        "transformers",
        "datasets",
        "xarray",
        "pyarrow",
        "skimage",
        "librosa",
        "category_encoders",
        "feature_engine",
    }
)

#: operations that only data (DataFrames, arrays, tensors) have
STRONG_OPS = frozenset(
    {
        "groupby",
        "fillna",
        "bfill",
        "ffill",
        "dropna",
        "drop_duplicates",
        "astype",
        "assign",
        "applymap",
        "pivot",
        "pivot_table",
        "melt",
        "get_dummies",
        "to_categorical",
        "reset_index",
        "set_index",
        "sort_values",
        "sort_index",
        "value_counts",
        "interpolate",
        "resample",
        "rolling",
        "ewm",
        "expanding",
        "select_dtypes",
        "to_datetime",
        "to_numeric",
        "with_columns",
        "with_column",
        "withColumn",
        "isin",
        "cumsum",
        "cumprod",
        "cut",
        "qcut",
        "explode",
        "unstack",
        "crosstab",
        "unsqueeze",
        "permute",
        "one_hot",
        "fit_transform",
        "isna",
        "isnull",
        "notna",
        "notnull",
        "nunique",
        "idxmax",
        "idxmin",
        "nlargest",
        "nsmallest",
        "pct_change",
        "rank",
        "clamp",
        "log1p",
        "concatenate",
        "vstack",
        "hstack",
        "expand_dims",
        "pad_sequence",
        "nan_to_num",
        "digitize",
        "argsort",
        "where",
        "pad",
        "normalize",
        "tile",
        "moveaxis",
        "swapaxes",
        "flip",
        "rot90",
        "clip",
        "to_tensor",
        "tokenize",
        "word_tokenize",
        "fit_resample",
        "drop_nulls",
        "fill_null",
        "fill_nan",
        "group_by",
        "pad_sequences",
        "texts_to_sequences",
    }
)
#: operations data has, but so do lists, dicts and strings
#: how a reshape that only adds or drops unit axes is recorded (``reshape(-1, 1)``)
UNIT_RESHAPE = "reshape(-1, 1)"

WEAK_OPS = frozenset(
    {
        "merge",
        "join",
        "apply",
        "map",
        "agg",
        "aggregate",
        "transform",
        "drop",
        "rename",
        "replace",
        "query",
        "shift",
        "diff",
        "stack",
        "concat",
        "reshape",
        "squeeze",
        "transpose",
        "filter",
        "mask",
        "cat",
        "sum",
        "mean",
        "std",
        "round",
        "abs",
        "repeat",
        "view",
        "flatten",
        "sample",
        "update",
        "mul",
        "div",
        "add",
        "sub",
        "pipe",
        "cumcount",
        "count",
        "head",
        "tail",
        "copy",
        "first",
        "last",
        "max",
        "min",
        "median",
        "unique",
        "exp",
        "log",
        "sqrt",
        "split",
        "stem",
        "lemmatize",
        "to_dict",
    }
)
#: attributes that say the object is a table or an array
FRAME_ATTRS = frozenset(
    {"loc", "iloc", "at", "iat", "columns", "dtypes", "shape", "ndim", "str", "dt", "T", "dtype"}
)
#: string methods: text cleaning when called on a text parameter
TEXT_METHODS = frozenset(
    {
        "lower",
        "upper",
        "strip",
        "lstrip",
        "rstrip",
        "replace",
        "split",
        "translate",
        "casefold",
        "title",
        "capitalize",
        "encode",
        "decode",
        "splitlines",
    }
)
REGEX_FUNCS = frozenset({"sub", "subn", "findall", "split", "finditer", "fullmatch"})
DATA_MODULES = ("pd.", "pandas.", "np.", "numpy.", "torch.", "pl.", "polars.", "tf.")
#: image-processing libraries, whose functions take images (like OpenCV's): SciPy's
#: ``ndimage`` (``ndi.label(mask)``, ``ndimage.binary_dilation(m)``) and scikit-image
#: (``skimage.morphology.remove_small_objects(m)``, ``morphology.disk`` after ``from skimage
#: import morphology``)
IMAGE_MODULES = (
    "cv2.",
    "ndi.",
    "ndimage.",
    "scipy.ndimage.",
    "skimage.",
    "morphology.",
    "torchvision.transforms.functional.",
    "torchvision.transforms.v2.functional.",
)
#: libraries of image functions whose names a module may import one by one (``from
#: scipy.ndimage import label``): their calls are read with the library's dotted name
IMAGE_FUNCTIONS = (
    "cv2.",
    "scipy.signal.",
    "scipy.ndimage.",
    "skimage.",
    "torchvision.transforms.functional.",
    "torchvision.transforms.v2.functional.",
)
#: SciPy's signal filters, transforms and peak finders, with the position of the signal they
#: take (``lfilter(b, a, x)``, ``sosfiltfilt(sos, x)``, ``savgol_filter(x, 11, 3)``): filtering,
#: resampling, detrending a signal or finding its peaks is an operation on data, like an image
#: filter
SIGNAL_FUNCTIONS = {
    **dict.fromkeys(("lfilter", "filtfilt"), 2),
    **dict.fromkeys(("sosfilt", "sosfiltfilt"), 1),
    **dict.fromkeys(
        (
            "savgol_filter",
            "medfilt",
            "wiener",
            "resample",
            "resample_poly",
            "decimate",
            "detrend",
            "hilbert",
            # peaks and spectra: the onsets, change points or band powers a signal has
            # (``find_peaks(score)``, ``argrelmax(score, order=5)``, ``welch(x, fs)``)
            "find_peaks",
            "find_peaks_cwt",
            "argrelmax",
            "argrelmin",
            "argrelextrema",
            "peak_prominences",
            "peak_widths",
            "welch",
            "periodogram",
            "spectrogram",
        ),
        0,
    ),
}
#: NetworkX: a graph handed to one of its algorithms (``nx.ancestors(g, n)``,
#: ``nx.get_node_attributes(g, "type")``, ``nx.dag_longest_path_length(g)``) is data, the way
#: a frame handed to pandas is, and the algorithm is an operation on it (graph features)
GRAPH_MODULES = ("nx.", "networkx.")
GRAPH_ANNOTATION = re.compile(r"\b(nx|networkx)\.(Multi)?(Di)?Graph\b")
#: ... except building, reading, writing and drawing one: those take sizes, files or axes
#: (``nx.create_empty_copy(g)`` builds an empty graph on the same nodes, to be filled)
GRAPH_NOT_ALGORITHM = re.compile(
    r"^(Graph|DiGraph|MultiGraph|MultiDiGraph|\w+_graph|create_\w+|draw\w*|read_\w+|write_\w+|"
    r"generate_\w+|parse_\w+|relabel_nodes|set_\w+_attributes)$"
)
#: where they are called from: ``scipy.signal.lfilter``, ``signal.lfilter`` after ``from
#: scipy import signal`` (the standard library's ``signal`` has none of those names)
SIGNAL_MODULES = ("scipy.signal.", "signal.")
#: ... except their builders of structuring elements, which take sizes (``ball(2)``)
STRUCTURING_ELEMENTS = frozenset(
    {"generate_binary_structure", "iterate_structure", "ball", "disk", "square", "cube"}
    | {"diamond", "octahedron", "rectangle", "star", "footprint_rectangle"}
)

#: files written or read: file I/O is not a transformation by itself
IO_CALLS = re.compile(
    r"(^|\.)(read_\w+|to_csv|to_parquet|to_pickle|to_excel|to_json|to_feather|to_sql|"
    r"open|load|loads|dump|dumps|save|savez|imread|imwrite|urlretrieve|dcmread|load_img|"
    r"read_file|read_image)$"
)
#: preprocessing objects called on a batch: ``image_processor(images)``, ``tokenizer(texts,
#: padding=True)``, ``self.augment(img)`` (an object configured to preprocess, called on data)
PREPROCESSOR_CALL = re.compile(
    r"(^|\.)\w*(processor|tokenizer|tokeniser|augmenter|augmentation|augmentations)$", re.IGNORECASE
)
#: what writes a table or an array to a file: what a function writes is its output, like what
#: it returns (``json.dump``/``pickle.dump`` write reports and objects: artifacts, not data)
WRITE_CALL = re.compile(
    r"(^|\.)(to_csv|to_parquet|to_pickle|to_excel|to_json|to_feather|to_sql|to_hdf|save|savez|"
    r"savez_compressed|imwrite|write_csv|write_parquet|write_table|write_feather|write_deltalake)$"
)
#: a table or array read from a file by a data library (``pd.read_csv(path)``,
#: ``np.load(path)``, ``pl.scan_parquet(path)``, Keras' ``mnist.load_data()``): data in
DATA_READ = re.compile(
    r"^(pd|pandas|pl|polars|np|numpy)\.(read_\w+|scan_\w+|load|loadtxt|genfromtxt|fromfile)$"
    r"|^(dd|dask\.dataframe|cudf|mpd|modin\.pandas)\.read_\w+$"
    r"|^(feather|pyarrow\.feather|pq|pyarrow\.parquet)\.(read_\w+)$"
    # a parsed XML document: its nodes are the records (``etree.parse(path)``)
    r"|^(etree|ET|ElementTree|lxml\.etree|xml\.etree\.ElementTree)\.parse$"
    r"|\.load_data$"
)
PLOT_CALL = re.compile(
    r"^(plt|sns|px|go|alt|matplotlib|seaborn|plotly|altair|fig|ax|axes|axs)\.|(^|\.)mark_\w+$|"
    r"(^|\.)(plot|savefig|imshow|"
    r"hist|scatter|barplot|heatmap|subplots|add_image|add_figure|show|Chart)$"
)
HTTP_CALL = re.compile(
    r"^(requests|httpx|urllib|aiohttp|websocket|websockets|socket|grpc|boto3|ccxt)\.|"
    r"(^|\.)(urlopen|recv|send|post|websocket_connect)$|"
    r"(^|\.)\w*client\.(get|fetch|download|list|query|request|search)\w*$"
)
METRIC_CALL = re.compile(
    r"(^|\.)(\w+_score|mean_squared_error|mean_absolute_error|mean_absolute_percentage_error|"
    r"root_mean_squared_error|median_absolute_error|confusion_matrix|classification_report|"
    r"roc_curve|precision_recall_curve|log_loss|brier_score_loss|hinge_loss|"
    r"matthews_corrcoef|cohen_kappa_score|evaluate|\w*kappa\w*|pearsonr|spearmanr|kendalltau|auc|"
    r"mean_\w+_error|metric|\w+_metric|evaluation|\w*Evaluation)$|"
    r"^(metrics|sklearn\.metrics|torchmetrics)\."
)
#: a hypothesis test or a multiple-testing correction gives back statistics and p-values
#: (``chi2_contingency(table)``, ``mannwhitneyu(a, b)``): analysis, not data for a model
HYPOTHESIS_TEST = re.compile(
    r"(^|\.)(chi2_contingency|fisher_exact|ttest_\w+|mannwhitneyu|wilcoxon|kruskal|f_oneway|"
    r"ks_2samp|kstest|shapiro|levene|bartlett|friedmanchisquare|chisquare|binomtest|binom_test|"
    r"anderson_ksamp|normaltest|multipletests|fdrcorrection|proportions_ztest)$"
)
LOSS_CALL = re.compile(
    r"(loss|criterion)\w*$|(^|\.)(cross_entropy|binary_cross_entropy\w*|mse_loss|l1_loss|nll_loss|"
    r"kl_div|smooth_l1_loss)$",
    re.IGNORECASE,
)
TUNING_CALL = re.compile(
    r"(^|\.)(GridSearchCV|RandomizedSearchCV|BayesSearchCV|HalvingGridSearchCV|cross_val_score|"
    r"cross_validate|cross_val_predict|create_study|optimize|fmin|suggest_\w+|tune)$|^(optuna|"
    r"hyperopt|ray\.tune)\."
)
#: data drift and quality reports (monitoring): they measure data, they do not transform it
MONITOR_CALL = re.compile(
    r"^(evidently|whylogs|nannyml|great_expectations|gx)\.|(^|\.)(ColumnMapping|TestSuite|"
    r"\w*Drift\w*|\w*ProfileSection|\w*Preset)$"
)
EXPLAIN_CALL = re.compile(r"^(shap|lime|eli5)\.|(^|\.)(TreeExplainer|Explainer|KernelExplainer)$")
OPTIMISER_CALL = re.compile(
    r"^(torch\.optim|optim|torch\.autograd|lr_scheduler)\.|(^|\.)(backward|zero_grad|"
    r"clip_grad_norm_|manual_backward)$|(optim|optimizer|optimiser|scheduler|opt)\.step$"
)
PREDICT_CALL = re.compile(
    r"(^|\.)(predict|predict_proba|predict_log_proba|decision_function|generate)$|"
    r"(^|\.)(no_grad|inference_mode)$|(^|\.)(model|net|network|encoder|decoder|"
    r"backbone|classifier|learner)_?$"
)
#: a network layer's function (``F.avg_pool2d``, ``nn.functional.linear``): pooling, dense
#: layers, dropout and normalisation layers are a model's math (a GeM pooling helper); image
#: resizing and padding (``F.interpolate``, ``F.pad``) are not among them
LAYER_CALL = re.compile(
    r"^(torch\.nn\.functional|nn\.functional|F)\.(avg_pool\w*|max_pool\w*|adaptive_\w*pool\w*|"
    r"lp_pool\w*|linear|bilinear|dropout\w*|batch_norm|layer_norm|group_norm|instance_norm)$"
    # a Keras or TF-1 layer (``tf.layers.conv1d(inputs=x, ...)``, ``keras.layers.Dense(8)``)
    # builds a network; the preprocessing layers (``Normalization``, ``RandomFlip``,
    # ``TextVectorization``, ...) transform data and are left out
    r"|^(tf\.layers|tf\.compat\.v1\.layers|tf\.keras\.layers|keras\.layers)\."
    r"(?!(Normalization|Rescaling|Resizing|CenterCrop|Random\w+|TextVectorization|StringLookup|"
    r"IntegerLookup|CategoryEncoding|Discretization|Hashing|HashedCrossing)$)\w+$"
)
FIT_RECEIVER = re.compile(
    r"(model|clf|classifier|regressor|estimator|regr|reg|learner|trainer|search|grid|"
    r"calibrat|booster|lgbm?|xgb|catboost|cb|rf|svm|svc|lr|knn|net|automl|predictor)\w*$",
    re.IGNORECASE,
)
TRAIN_CALL = re.compile(
    r"^(lgb|lightgbm|xgb|xgboost|catboost)\.(train|cv)$|(^|\.)train$"
    # a regularisation path fits the model once per penalty (``lasso_path(X, y)``)
    r"|(^|\.)(lasso_path|lars_path|enet_path|l1_min_c)$"
)
#: a model class constructed and fitted in one expression (``KMeans(n_clusters=k).fit(X)``):
#: clustering, regression and classification estimators, not preprocessing steps
ESTIMATOR_CLASS = re.compile(
    r"^(KMeans|MiniBatchKMeans|DBSCAN|HDBSCAN|OPTICS|GaussianMixture|AgglomerativeClustering|"
    r"SpectralClustering|MeanShift|Birch|IsolationForest|LocalOutlierFactor|OneClassSVM|"
    r"NearestNeighbors|SVC|SVR|LinearSVC|LinearSVR|Lasso\w*|Ridge\w*|ElasticNet\w*|Lars\w*|"
    r"\w*(Regression|Regressor|Classifier))$"
)
CLI_DECORATOR = re.compile(
    r"(^|\.)(command|group|route|get|post|put|patch|delete|main|callback|fixture|websocket)$"
)
DB_CALL = re.compile(
    r"(^|\.)(commit|insert_one|insert_many|add_all|put_item|send_message|publish|"
    r"bulk_save_objects)$|^(session|db|cursor|conn|connection)\.(add|execute)$"
)
#: project functions whose name says they train, predict or evaluate (called, not defined)
CALLEE_NEGATIVE = re.compile(
    r"^(?!train_test_split$)(evaluate|train|fit|predict|score|compute_metrics?|"
    r"calculate_metrics?|get_metrics|run_inference|inference)(_|$)"
)
ARGPARSE_CALL = re.compile(r"^(argparse|click|typer|sys\.exit|st|streamlit)\.|ArgumentParser$")
#: methods that frameworks call, named by the framework: model code, never data code
FRAMEWORK_HOOKS = re.compile(
    r"^(forward|training_step|validation_step|test_step|predict_step|configure_optimizers|"
    r"\w+_dataloader|on_\w+|\w+_epoch_end|backward|optimizer_step|lr_scheduler_step|"
    r"prepare_data|setup|teardown|train|eval|predict|predict_proba|fit|partial_fit|score|"
    r"evaluate|loss|compute_loss|training_epoch|main)$"
)
MODEL_BASES = re.compile(
    r"(^|\.)(Module|LightningModule|Model|Sequential|Layer|PreTrainedModel|nn\.Module)$"
)
#: calls that extract features from a signal (a short-time Fourier transform, a spectrogram,
#: mel filter banks, cepstral coefficients): inside a model's ``forward`` or a helper of it, they
#: turn the raw batch into the features the layers see, which is data work a test can check
FEATURE_CALLS = re.compile(
    r"(^|\.)(i?stft|spectrogram|melspectrogram|mel_spectrogram|mfcc|lfcc|fbank|"
    r"amplitude_to_db|power_to_db|melscale_fbanks|mel_filters?)$"
)
#: classes whose objects do that extraction (``self.mel = T.MelSpectrogram(...)``, then
#: ``self.mel(wav)`` in ``forward``)
FEATURE_CLASSES = re.compile(
    r"^(\w+\.)*(Spectrogram|MelSpectrogram|MFCC|LFCC|MelScale|AmplitudeToDB|STFT|"
    r"\w*Spectrogram\w*|LogMel\w*|Fbank)$"
)
#: bases of a loss, a scoring rule or a metric (``nn.MSELoss``, ``LogScore``, ``Metric``): the
#: methods of a class built on one compute that score or its gradient from predictions
SCORE_BASES = re.compile(r"(^|\.)_?\w*(Loss|Score|Metric|Criterion)$")
#: unfitted preprocessing objects: a function that only builds one is context, not a transform
#: objects a factory builds for training code: loaders and samplers feed data, they are not data
FACTORY_CLASSES = re.compile(r"^\w*(DataLoader|Loader|Sampler|Dataset|Generator)$")
BUILDER_CLASSES = re.compile(
    r"^(ColumnTransformer|Pipeline|make_pipeline|make_column_transformer|FeatureUnion|"
    r"\w*(Scaler|Encoder|Imputer|Transformer|Discretizer|Binarizer|Vectorizer|Normalizer|"
    r"Selector|PCA|SVD))$"
)
#: a builder is context only when it maps columns to treatments (it may wrap that in a Pipeline)
COLUMN_BUILDERS = frozenset({"ColumnTransformer", "make_column_transformer"})
#: return annotations that say the result is not data (names, settings, scalars, figures)
NOT_DATA_RETURN = re.compile(
    r"^(str|int|float|bool|(list|List|Sequence|set|Set|tuple|Tuple)\[(str|int|float)(, \.\.\.)?\]|"
    r"(dict|Dict)\[str, (Any|float|int|str)\]|(dict|Dict)|Figure|\w+\.Figure|Axes|\w+\.Axes)$"
)
#: parameters named like this hold a location or a setting, never the data itself
NOT_DATA_PARAM = re.compile(
    r"^(path|\w+_path|\w+_paths|file|\w+_file|filename|fname|\w*dir|\w*_dir|folder|url|uri|"
    r"\w+_url|root|bucket|endpoint|host|config|cfg|conf|params|\w+_params|settings|args|kwargs|"
    r"seed|random_state|verbose|n|size|\w+_size|shape|\w+_shape|num_\w+|n_\w+|\w+_name|name|"
    r"mode|model|\w+_model|metrics?|\w+_metrics?|metrics?_\w+|"
    # a folder named first (``dir_embeddings``), the specification of a setting
    # (``optimizer_spec``; a bare ``spec`` or ``mel_spec`` is a spectrogram), the p-values of
    # tests (``pvals``: correcting them is statistics, not data work)
    r"dir_\w+|(optimizer|model|layer|feature|column|schema|config)_specs?|"
    r"p_?vals?|p_?values|\w+_p_?vals?|\w+_p_?values|"
    r"logger|session|client|conn|engine|device)$"
)
#: array constructors: their arguments are sizes and ranges, not data
CONSTRUCTORS = frozenset(
    {
        "linspace",
        "arange",
        "zeros",
        "ones",
        "full",
        "empty",
        "eye",
        "randn",
        "rand",
        "randint",
        "normal",
        "uniform",
        "logspace",
        "seed",
        "manual_seed",
        "choice",
        "permutation",
        "DataFrame",
        "Series",
        "tensor",
        "array",
        "asarray",
        "from_numpy",
        "date_range",
        "Timedelta",
        "Timestamp",
        "col",
        "lit",
    }
)
#: constructors that wrap their first argument: it is the data
WRAPPERS = frozenset(
    {"DataFrame", "Series", "tensor", "array", "asarray", "from_numpy", "as_tensor", "Tensor"}
)
SCALAR_CALLS = frozenset(
    {"len", "float", "int", "bool", "round", "str", "isinstance", "print", "hash", "id", "repr"}
)
SCALAR_METHODS = frozenset(
    {"item", "any", "all", "sum", "mean", "max", "min", "std", "var", "median", "nunique"}
)
SCALAR_ATTRS = frozenset({"shape", "ndim", "size", "empty", "dtype", "dtypes", "columns"})

REDUCTIONS = frozenset(
    {
        "mean",
        "sum",
        "max",
        "min",
        "std",
        "var",
        "median",
        "average",
        "nanmean",
        "nansum",
        "item",
        "entropy",
        # ``np.linalg.norm(x)`` without an axis: the length of the whole array, one number
        "norm",
        # ``np.trace(cov)``: the sum of a matrix's diagonal, one number
        "trace",
    }
)
#: reductions an array or a table does along an axis (``spec.sum(axis=1)``, ``x.argmax(dim=1)``):
#: the result is an array, one value per row or frame, and what is reduced is data
AXIS_REDUCTIONS = REDUCTIONS | {"argmax", "argmin", "cumsum", "cumprod", "prod", "any", "all"}
#: array constructors whose arguments are sizes and ranges (a parameter handed to one is a number)
#: elementwise math: it runs on one number as it runs on an array, so an argument handed to it
#: is no evidence of data (``np.exp(-x)`` in a sigmoid, ``torch.cos(theta)`` in a stimulus
#: generator); the data itself is recognised by what only data has (columns, rows, shapes)
ELEMENTWISE_MATH = frozenset(
    {
        "exp",
        "exp2",
        "expm1",
        "log",
        "log2",
        "log10",
        "log1p",
        "sqrt",
        "power",
        "pow",
        "square",
        "sin",
        "cos",
        "tan",
        "arcsin",
        "arccos",
        "arctan",
        "arctan2",
        "sinh",
        "cosh",
        "tanh",
        "sigmoid",
        "abs",
        "absolute",
        "sign",
        "reciprocal",
        "deg2rad",
        "rad2deg",
        "radians",
        "degrees",
        "erf",
    }
)
SIZE_CONSTRUCTORS = frozenset(
    {"linspace", "arange", "zeros", "ones", "full", "empty", "eye", "randn", "rand", "logspace"}
)

#: what makes a ``Mock`` (test reach: a test that only hands these over does not test)
MOCK_NAMES = frozenset(
    {
        "Mock",
        "MagicMock",
        "NonCallableMock",
        "NonCallableMagicMock",
        "AsyncMock",
        "PropertyMock",
        "create_autospec",
        "mock_open",
    }
)
PATCH_CALLS = re.compile(r"(^|\.)(patch|patch\.object|patch\.dict|setattr)$")

#: operations that only put inputs side by side: a function doing nothing else is plumbing
STACKING = frozenset({"vstack", "hstack", "concatenate", "stack", "cat", "concat", "column_stack"})

#: a script doing only these orders rows and sets the key and target columns apart before a fit
SPLIT_OPS = frozenset(
    {"drop", "sort_values", "sort_index", "reset_index", "set_index", "train_test_split"}
)

#: scikit-learn's (and iterstrat's) cross-validation splitters: ``KFold(5).split(X)`` draws folds
SPLITTER_CLASS = re.compile(
    r"^(Repeated)?(Stratified)?(Group)?(KFold|ShuffleSplit)$|^StratifiedGroupKFold$|"
    r"^(TimeSeriesSplit|LeaveOneOut|LeaveOneGroupOut|LeavePGroupsOut|LeavePOut|PredefinedSplit)$|"
    r"^Multilabel(Repeated)?Stratified(KFold|ShuffleSplit)$"
)

#: only a table has them, but iterating rows is no operation (a loader iterates rows too)
ROW_ITERATORS = frozenset({"iterrows", "itertuples"})

#: methods of fitted or fitting preprocessing objects: what they are handed is the data
#: (``pca.fit_transform(X_train)``, ``smote.fit_resample(X, y)``)
ARG_DATA_METHODS = frozenset(
    {
        "fit_transform",
        "transform",
        "inverse_transform",
        "fit_resample",
        # a Keras tokenizer turns the texts it is handed into sequences
        "texts_to_sequences",
        "fit_on_texts",
    }
)

#: the methods the verdict takes for scikit-learn transformers whatever their parameters
SKLEARN_METHODS = ("transform", "fit_transform", "inverse_transform")
#: scikit-learn's protocol methods that describe an estimator rather than its data: the names
#: of the output columns (``get_feature_names_out(input_features)``), its settings
SKLEARN_DESCRIBERS = frozenset(
    {
        "get_feature_names_out",
        "get_feature_names",
        "get_params",
        "set_params",
        "set_output",
        "get_metadata_routing",
    }
)
#: calls that compare whole arrays and answer with one boolean (``np.array_equal(a, b)``); the
#: elementwise ones (``np.isclose``, ``np.equal``) answer with a mask and are not among them
WHOLE_COMPARISONS = frozenset({"array_equal", "array_equiv", "allclose", "torch.equal"})
