"""Which distribution provides which import name, and the other knowledge tables of MLN4xx.

One relation, :func:`provides`, answers "may distribution D provide top-level module M?" for
both directions: "imported but not declared" (MLN410) asks it for every declared D, "declared
but never imported" (MLN411) for every imported M. Because both ask the same question they
cannot contradict each other. It is answered, in order, by the user's ``import-names``, the
installed packages' metadata, a built-in table of well-known mismatches, and naming
conventions (``python-X``, ``pyX``, ``X-python``, ``X-headless``, ``scikit-X`` -> ``skX``,
``google-*`` for the ``google`` namespace, ...).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping

from mlnudge.checks.deps.facts import packages_distributions

#: import name -> distributions, for names that differ (the ML stack and friends)
BUILTIN_IMPORT_NAMES: Mapping[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "skopt": ("scikit-optimize",),
    "sksurv": ("scikit-survival",),
    "skbio": ("scikit-bio",),
    "skvideo": ("scikit-video",),
    "scikitplot": ("scikit-plot",),
    "surprise": ("scikit-surprise",),
    "imblearn": ("imbalanced-learn",),
    "cv2": (
        "opencv-python",
        "opencv-python-headless",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
        "opencv",
        "py-opencv",
    ),
    "PIL": ("pillow", "pillow-simd", "PIL"),
    "yaml": ("pyyaml",),
    "ruamel": ("ruamel-yaml",),
    "bs4": ("beautifulsoup4",),
    "dateutil": ("python-dateutil",),
    "dotenv": ("python-dotenv",),
    "decouple": ("python-decouple",),
    "jwt": ("pyjwt",),
    "attr": ("attrs",),
    "Crypto": ("pycryptodome", "pycrypto"),
    "Cryptodome": ("pycryptodomex",),
    "OpenSSL": ("pyopenssl",),
    "magic": ("python-magic",),
    "serial": ("pyserial",),
    "usb": ("pyusb",),
    "win32api": ("pywin32",),
    "win32con": ("pywin32",),
    "win32com": ("pywin32",),
    "pythoncom": ("pywin32",),
    "pywintypes": ("pywin32",),
    "git": ("gitpython",),
    "github": ("pygithub",),
    "gi": ("pygobject",),
    "torch": ("torch", "pytorch", "torch-cpu"),
    "tensorflow": (
        "tensorflow",
        "tensorflow-cpu",
        "tensorflow-gpu",
        "tensorflow-macos",
        "tensorflow-intel",
        "tf-nightly",
    ),
    "keras": ("keras", "tf-keras"),
    "tf_keras": ("tf-keras",),
    "umap": ("umap-learn",),
    "Levenshtein": ("python-levenshtein", "levenshtein"),
    "mpl_toolkits": ("matplotlib", "basemap"),
    "pylab": ("matplotlib",),
    "faiss": ("faiss-cpu", "faiss-gpu"),
    "hydra": ("hydra-core",),
    "pkg_resources": ("setuptools",),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "fitz": ("pymupdf",),
    "pdfminer": ("pdfminer-six",),
    "zmq": ("pyzmq",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "psycopg": ("psycopg", "psycopg-binary"),
    "MySQLdb": ("mysqlclient",),
    "mysql": ("mysql-connector-python", "mysql-connector"),
    "grpc": ("grpcio",),
    "jose": ("python-jose",),
    "multipart": ("python-multipart",),
    "slugify": ("python-slugify",),
    "socketio": ("python-socketio",),
    "engineio": ("python-engineio",),
    "websocket": ("websocket-client",),
    "telegram": ("python-telegram-bot",),
    "discord": ("discord-py",),
    "dns": ("dnspython",),
    "nacl": ("pynacl",),
    "Bio": ("biopython",),
    "rdkit": ("rdkit", "rdkit-pypi"),
    "pytorch_lightning": ("pytorch-lightning", "lightning"),
    "lightning_fabric": ("lightning-fabric", "lightning"),
    "xgboost": ("xgboost", "py-xgboost", "xgboost-cpu"),
    "mlflow": ("mlflow", "mlflow-skinny"),
    "IPython": ("ipython",),
    "haiku": ("dm-haiku",),
    "tree": ("dm-tree",),
    "sonnet": ("dm-sonnet",),
    "absl": ("absl-py",),
    "pyro": ("pyro-ppl",),
    "pywt": ("pywavelets",),
    "osgeo": ("gdal",),
    "airflow": ("apache-airflow",),
    "kafka": ("kafka-python", "kafka-python-ng"),
    "bson": ("pymongo",),
    "igraph": ("python-igraph", "igraph"),
    "community": ("python-louvain",),
    "whisper": ("openai-whisper",),
    "speech_recognition": ("speechrecognition",),
    "newspaper": ("newspaper3k",),
    "googleapiclient": ("google-api-python-client",),
    "pydrive": ("pydrive", "pydrive2"),
    "pydrive2": ("pydrive2",),
    "bayes_opt": ("bayesian-optimization",),
    "kerastuner": ("keras-tuner",),
    "cpuinfo": ("py-cpuinfo",),
    "pynvml": ("nvidia-ml-py", "pynvml", "nvidia-ml-py3"),
    "talib": ("ta-lib",),
    "OpenGL": ("pyopengl",),
    "wx": ("wxpython",),
    "camelot": ("camelot-py",),
    "tabula": ("tabula-py",),
    "box2d": ("box2d-py", "box2d"),
    "onnxsim": ("onnx-simplifier",),
    "mmcv": ("mmcv", "mmcv-full", "mmcv-lite"),
    "vertexai": ("google-cloud-aiplatform",),
    "neptune": ("neptune", "neptune-client"),
    "pinecone": ("pinecone", "pinecone-client"),
    "weaviate": ("weaviate-client",),
    "fasttext": ("fasttext", "fasttext-wheel"),
    "darts": ("darts", "u8darts"),
    "ulid": ("python-ulid", "ulid-py"),
    "rest_framework": ("djangorestframework",),
    "corsheaders": ("django-cors-headers",),
    "environ": ("django-environ",),
    "lzo": ("python-lzo",),
    "snappy": ("python-snappy",),
    "memcache": ("python-memcached",),
    "ldap": ("python-ldap",),
    "Xlib": ("python-xlib",),
    "sentry_sdk": ("sentry-sdk",),
    "thop": ("thop", "ultralytics-thop"),
    "jieba": ("jieba", "jieba3k"),
    "editdistance": ("editdistance",),
    "pycocotools": ("pycocotools", "pycocotools-windows"),
    "detectron2": ("detectron2",),
    "lightgbm": ("lightgbm",),
    "google": ("protobuf",),
    "pydantic_core": ("pydantic-core",),
}

#: namespace packages: the top-level import name -> distribution name prefixes that fill it
NAMESPACES: Mapping[str, tuple[str, ...]] = {
    "google": ("google-", "googleapis-", "protobuf", "gcloud"),
    "azure": ("azure-", "azureml-"),
    "azureml": ("azureml-",),
    "nvidia": ("nvidia-",),
    "opentelemetry": ("opentelemetry-",),
    "zope": ("zope-",),
    "jaraco": ("jaraco-",),
    "backports": ("backports-",),
    "sphinxcontrib": ("sphinxcontrib-",),
    "ruamel": ("ruamel-",),
    "snowflake": ("snowflake-",),
    "databricks": ("databricks-",),
}

#: modules that only exist inside a hosted notebook environment (Colab, Kaggle, Databricks)
ENVIRONMENT_MODULES: frozenset[str] = frozenset(
    {"google.colab", "kaggle_secrets", "kaggle_web_client", "kaggle_datasets", "dbutils", "js"}
)

#: distributions used without an import of their own name: tools run from the command line or
#: a hook, plugins and engines other libraries load (pandas I/O engines, DVC remotes, ASGI/WSGI
#: servers, LightningCLI's parser, Jupyter kernels, SQLAlchemy drivers, ...)
USED_WITHOUT_IMPORT: frozenset[str] = frozenset(
    {
        # packaging and development tools
        "pip",
        "setuptools",
        "wheel",
        "build",
        "twine",
        "hatchling",
        "hatch",
        "flit",
        "flit-core",
        "poetry",
        "poetry-core",
        "pdm",
        "pdm-backend",
        "uv",
        "pip-tools",
        "pipenv",
        "setuptools-scm",
        "cython",
        "pybind11",
        "scikit-build",
        "scikit-build-core",
        "maturin",
        "coverage",
        "tox",
        "nox",
        "pre-commit",
        "ruff",
        "black",
        "isort",
        "flake8",
        "pylint",
        "mypy",
        "pyright",
        "bandit",
        "codespell",
        "pydocstyle",
        "autopep8",
        "yapf",
        "nbstripout",
        "nbqa",
        "invoke",
        "poethepoet",
        "cookiecutter",
        "bump2version",
        "bumpversion",
        "commitizen",
        "mkdocs",
        "mkdocs-material",
        "mkdocstrings",
        "sphinx",
        "sphinx-rtd-theme",
        "furo",
        "myst-parser",
        "myst-nb",
        "nbsphinx",
        "jupyter-book",
        "watermark",
        "python-dotenv",
        "certifi",
        # notebooks
        "jupyter",
        "jupyterlab",
        "notebook",
        "ipykernel",
        "ipywidgets",
        "nbconvert",
        "nbformat",
        "nbclient",
        "jupytext",
        "papermill",
        "voila",
        "widgetsnbextension",
        "jupyter-contrib-nbextensions",
        "jupyter-server",
        # servers
        "gunicorn",
        "uvicorn",
        "hypercorn",
        "daphne",
        "waitress",
        "uwsgi",
        "granian",
        "uvloop",
        "httptools",
        "watchfiles",
        "python-multipart",
        "email-validator",
        # pandas / pyarrow I/O engines and file systems
        "openpyxl",
        "xlrd",
        "xlwt",
        "xlsxwriter",
        "odfpy",
        "pyxlsb",
        "python-calamine",
        "pyarrow",
        "fastparquet",
        "tables",
        "pyreadstat",
        "lxml",
        "html5lib",
        "tabulate",
        "numexpr",
        "bottleneck",
        "s3fs",
        "gcsfs",
        "adlfs",
        "fsspec",
        "pandas-gbq",
        # database drivers (named in a connection URL)
        "psycopg2-binary",
        "psycopg2",
        "psycopg",
        "psycopg-binary",
        "pymysql",
        "mysqlclient",
        "mysql-connector-python",
        "oracledb",
        "cx-oracle",
        "pyodbc",
        "asyncpg",
        "aiosqlite",
        "snowflake-sqlalchemy",
        "sqlalchemy-bigquery",
        "duckdb-engine",
        # pipelines, tracking and experiment tools driven by configuration or a CLI
        "dvc",
        "tensorboard",
        "tensorboardx",
        "jsonargparse",
        "docstring-parser",
        "typeshed-client",
        "omegaconf",
        "wandb",
        "comet-ml",
        "neptune",
        "neptune-client",
        "kaleido",
        "gdown",
        "kaggle",
        "awscli",
        # model hubs load these through configuration (transformers, timm, evaluate)
        "accelerate",
        "sentencepiece",
        "protobuf",
        "safetensors",
        "bitsandbytes",
        "tiktoken",
        "flash-attn",
        "xformers",
        "sacremoses",
        "seqeval",
        "rouge-score",
        "sacrebleu",
        "absl-py",
        "onnxruntime-gpu",
        "deepspeed",
        # storage backends MLflow, DVC and fsspec load for a URL (s3://, gs://)
        "boto3",
        "google-cloud-storage",
        "azure-storage-blob",
        # template and chart engines other libraries load (FastAPI templates, pandas Styler,
        # Altair)
        "jinja2",
        "vegafusion",
        "vl-convert-python",
    }
)

#: distribution name prefixes used without an import (plugins of tools and frameworks: Kedro
#: datasets are named in catalog.yml, Hydra plugins in the config, DVC remotes in .dvc/config)
USED_WITHOUT_IMPORT_PREFIXES: tuple[str, ...] = (
    "dvc-",
    "kedro-",
    "tensorboard-plugin-",
    "optuna-dashboard",
    "pytest-",
    "flake8-",
    "mkdocs-",
    "mkdocstrings-",
    "sphinx-",
    "sphinxcontrib-",
    "hydra-",
    "jupyter-",
    "jupyterlab-",
    "nvidia-",
    "types-",
    "mypy-",
    "pylint-",
    "pre-commit-",
    "nbconvert-",
    "opentelemetry-instrumentation",
)

#: libraries a pickled or saved model needs at load time, without an import by the code that
#: loads it (`joblib.load`, `mlflow.pyfunc.load_model`)
MODEL_FRAMEWORKS: frozenset[str] = frozenset(
    {
        "scikit-learn",
        "xgboost",
        "lightgbm",
        "catboost",
        "torch",
        "tensorflow",
        "keras",
        "statsmodels",
        "prophet",
        "onnxruntime",
        "imbalanced-learn",
        "category-encoders",
        "feature-engine",
        "sentence-transformers",
        "transformers",
        "skops",
        "pycaret",
    }
)

#: conda packages that are not Python distributions (compilers, system and CUDA libraries)
CONDA_SYSTEM: frozenset[str] = frozenset(
    {
        "python",
        "pip",
        "ca-certificates",
        "openssl",
        "certifi",
        "cudatoolkit",
        "cudnn",
        "nccl",
        "pytorch-cuda",
        "cuda-toolkit",
        "cuda",
        "blas",
        "openblas",
        "mkl",
        "mkl-service",
        "intel-openmp",
        "tbb",
        "nodejs",
        "git",
        "git-lfs",
        "graphviz",
        "ffmpeg",
        "cmake",
        "make",
        "gcc",
        "gxx",
        "compilers",
        "zlib",
        "sqlite",
        "tk",
        "xz",
        "readline",
        "ncurses",
        "bzip2",
        "hdf5",
        "proj",
        "geos",
        "gdal",
        "cairo",
        "jpeg",
        "libpng",
        "openjdk",
        "r-base",
        "magma",
        "ipykernel",
        "nb-conda-kernels",
        "jupyter",
        "jupyterlab",
        "notebook",
        "nbformat",
    }
)
_CONDA_SYSTEM_PREFIXES = ("lib", "_", "cuda-", "r-", "font", "xorg-", "gst", "qt")


def conda_system_package(name: str) -> bool:
    """A conda package that is a library or tool, not something Python code imports."""
    n = normalise(name)
    return n in CONDA_SYSTEM or n.startswith(_CONDA_SYSTEM_PREFIXES)


#: packages a ``pip freeze`` dump holds although nobody lists them by hand (transitive only)
TRANSITIVE_ONLY: frozenset[str] = frozenset(
    {
        "certifi",
        "charset-normalizer",
        "chardet",
        "idna",
        "urllib3",
        "six",
        "pytz",
        "tzdata",
        "pyparsing",
        "kiwisolver",
        "cycler",
        "fonttools",
        "contourpy",
        "threadpoolctl",
        "markupsafe",
        "zipp",
        "importlib-metadata",
        "typing-extensions",
        "wcwidth",
        "traitlets",
        "decorator",
        "parso",
        "jedi",
        "pexpect",
        "ptyprocess",
        "pickleshare",
        "backcall",
        "matplotlib-inline",
        "prompt-toolkit",
        "pygments",
        "executing",
        "asttokens",
        "pure-eval",
        "stack-data",
        "comm",
        "debugpy",
        "nest-asyncio",
        "tornado",
        "pyzmq",
        "jupyter-core",
        "jupyter-client",
        "platformdirs",
        "filelock",
        "mpmath",
        "triton",
        "grpcio",
        "werkzeug",
        "tensorboard-data-server",
        "oauthlib",
        "requests-oauthlib",
        "rsa",
        "pyasn1",
        "pyasn1-modules",
        "cachetools",
        "wrapt",
        "gast",
        "astunparse",
        "opt-einsum",
        "flatbuffers",
        "libclang",
        "ml-dtypes",
        "frozenlist",
        "multidict",
        "yarl",
        "aiosignal",
        "async-timeout",
        "aiohappyeyeballs",
        "soupsieve",
        "itsdangerous",
        "blinker",
        "greenlet",
        "smmap",
        "gitdb",
        "cffi",
        "pycparser",
        "exceptiongroup",
        "iniconfig",
        "pluggy",
        "annotated-types",
        "pydantic-core",
        "sniffio",
        "anyio",
        "h11",
        "httpcore",
        "jsonschema-specifications",
        "referencing",
        "rpds-py",
        "fastjsonschema",
        "defusedxml",
        "bleach",
        "tinycss2",
        "webencodings",
        "mistune",
        "pandocfilters",
        "jupyterlab-pygments",
        "argon2-cffi",
        "argon2-cffi-bindings",
        "send2trash",
        "terminado",
        "prometheus-client",
        "rfc3339-validator",
        "rfc3986-validator",
        "fqdn",
        "isoduration",
        "jsonpointer",
        "uri-template",
        "webcolors",
        "python-json-logger",
        "json5",
        "notebook-shim",
        "distlib",
        "identify",
        "cfgv",
        "nodeenv",
        "mdurl",
        "markdown-it-py",
        "shellingham",
        "appnope",
        "ipython-genutils",
        "entrypoints",
        "jupyterlab-widgets",
        "widgetsnbextension",
        "pyrsistent",
        "multiprocess",
        "xxhash",
        "pyarrow-hotfix",
        "llvmlite",
    }
)

#: import names of widely used third-party packages: in a script that edits ``sys.path`` an
#: unknown undeclared import is most likely the project's own module, but not one of these
POPULAR_IMPORTS: frozenset[str] = frozenset(
    {
        "numpy",
        "pandas",
        "scipy",
        "sklearn",
        "matplotlib",
        "seaborn",
        "plotly",
        "torch",
        "torchvision",
        "torchaudio",
        "tensorflow",
        "keras",
        "jax",
        "flax",
        "optax",
        "xgboost",
        "lightgbm",
        "catboost",
        "transformers",
        "datasets",
        "tokenizers",
        "accelerate",
        "peft",
        "trl",
        "diffusers",
        "timm",
        "albumentations",
        "cv2",
        "PIL",
        "skimage",
        "imageio",
        "tqdm",
        "yaml",
        "requests",
        "httpx",
        "aiohttp",
        "fastapi",
        "flask",
        "django",
        "starlette",
        "uvicorn",
        "pydantic",
        "sqlalchemy",
        "psycopg2",
        "pymongo",
        "redis",
        "boto3",
        "botocore",
        "s3fs",
        "gcsfs",
        "mlflow",
        "wandb",
        "optuna",
        "hyperopt",
        "ray",
        "dask",
        "polars",
        "pyarrow",
        "duckdb",
        "h5py",
        "zarr",
        "xarray",
        "netCDF4",
        "statsmodels",
        "sympy",
        "networkx",
        "nltk",
        "spacy",
        "gensim",
        "sentence_transformers",
        "openai",
        "anthropic",
        "langchain",
        "llama_index",
        "faiss",
        "chromadb",
        "streamlit",
        "gradio",
        "dash",
        "bokeh",
        "altair",
        "shap",
        "lime",
        "joblib",
        "dill",
        "cloudpickle",
        "click",
        "typer",
        "fire",
        "hydra",
        "omegaconf",
        "lightning",
        "pytorch_lightning",
        "torchmetrics",
        "einops",
        "onnx",
        "onnxruntime",
        "dvc",
        "prefect",
        "airflow",
        "kedro",
        "zenml",
        "bentoml",
        "evidently",
        "great_expectations",
        "pandera",
        "rich",
        "loguru",
        "dotenv",
        "jinja2",
        "bs4",
        "lxml",
        "selenium",
        "scrapy",
        "pytest",
        "hypothesis",
        "mock",
        "tabulate",
        "openpyxl",
        "xlrd",
        "kaggle",
        "gdown",
        "umap",
        "hdbscan",
        "imblearn",
        "category_encoders",
        "mlxtend",
        "pmdarima",
        "prophet",
        "sktime",
        "darts",
        "tsfresh",
        "librosa",
        "soundfile",
        "pydub",
        "whisper",
        "pydicom",
        "nibabel",
        "SimpleITK",
        "monai",
        "rasterio",
        "geopandas",
        "shapely",
        "folium",
        "gym",
        "gymnasium",
        "stable_baselines3",
        "numba",
        "cupy",
        "cython",
        "tensorboard",
        "tensorboardX",
        "comet_ml",
        "neptune",
        "clearml",
        "sagemaker",
        "google",
        "azure",
        "pyspark",
        "findspark",
        "psutil",
        "GPUtil",
        "pynvml",
        "matplotlib_inline",
        "IPython",
        "ipywidgets",
        "tables",
        "sqlite_utils",
        "pymysql",
        "jwt",
        "cryptography",
        "paramiko",
    }
)

#: module names that are a project's own even when no file of that name is left in the tree
#: (a module since renamed or deleted): nobody means the PyPI project of that name
GENERIC_LOCAL_NAMES: frozenset[str] = frozenset(
    {
        "utils",
        "util",
        "utilities",
        "helpers",
        "helper",
        "common",
        "config",
        "configs",
        "settings",
        "constants",
        "consts",
        "src",
        "app",
        "lib",
        "libs",
        "core",
        "model",
        "models",
        "data",
        "dataset",
        "datasets_utils",
        "dataloader",
        "dataloaders",
        "data_loader",
        "loader",
        "loaders",
        "train",
        "training",
        "trainer",
        "inference",
        "predict",
        "prediction",
        "evaluate_model",
        "evaluation",
        "eval",
        "preprocess",
        "preprocessing",
        "postprocess",
        "postprocessing",
        "features",
        "feature_engineering",
        "pipeline",
        "pipelines",
        "modules",
        "layers",
        "networks",
        "network",
        "nets",
        "net",
        "losses",
        "loss",
        "callbacks",
        "engine",
        "tools",
        "scripts",
        "misc",
        "custom",
        "components",
        "experiments",
        "api",
        "server",
        "main",
        "run",
        "test_utils",
        "conftest",
        "backbone",
        "backbones",
        "encoder",
        "decoder",
        "architecture",
        "architectures",
        "params",
        "hparams",
        "paths",
        "schemas",
        "database",
        "db",
        "routes",
        "services",
        "visualization",
        "visualisation",
        "plotting",
        "logger",
        "transforms",
        "augmentations",
        "augmentation",
        "metrics_utils",
        "project",
        "source",
    }
)
_LOCAL_NAME_RE = re.compile(r"^(my_\w+|\w+_(utils?|helpers?|config|tools|funcs?|functions))$")

_PREFIXES = ("python-", "py-", "py")
_SUFFIXES = (
    "-python",
    "-py",
    "-binary",
    "-headless",
    "-contrib",
    "-cpu",
    "-gpu",
    "-core",
    "-client",
    "-sdk",
    "-lite",
    "-slim",
    "-skinny",
    "-nightly",
    "-wheel",
    "-macos",
    "-intel",
    "-pypi",
    "-full",
    "-base",
    "-learn",
    "-ppl",
    "-six",
    "-ng",
)
_CUDA_SUFFIX_RE = re.compile(r"-(cu|cuda)\d+x?$")


def normalise(name: str) -> str:
    """PEP 503 normal form (``Scikit_Learn`` -> ``scikit-learn``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _flat(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@functools.lru_cache(maxsize=4096)
def name_variants(dist: str) -> frozenset[str]:
    """Import names a distribution may have by naming convention alone (flattened)."""
    d = normalise(dist)
    found = {d}
    changed = True
    while changed:
        changed = False
        for v in list(found):
            for prefix in _PREFIXES:
                if v.startswith(prefix) and len(v) > len(prefix) + 1:
                    changed |= _add(found, v[len(prefix) :].lstrip("-"))
            for suffix in _SUFFIXES:
                if v.endswith(suffix) and len(v) > len(suffix) + 1:
                    changed |= _add(found, v[: -len(suffix)])
            cuda = _CUDA_SUFFIX_RE.sub("", v)
            if cuda != v:
                changed |= _add(found, cuda)
    if d.startswith("scikit-"):
        found.add("sk" + d[len("scikit-") :])
    return frozenset(_flat(v) for v in found)


def _add(found: set[str], value: str) -> bool:
    if value and value not in found:
        found.add(value)
        return True
    return False


@functools.lru_cache(maxsize=1)
def installed_map() -> Mapping[str, tuple[str, ...]]:
    """``packages_distributions()`` of the running interpreter, read once and only when asked.
    The family reads it through :class:`mlnudge.checks.deps.facts.Installed` (cached per
    environment in the run's store); this is for callers without a run."""
    return packages_distributions()


#: the installed distributions' import names, read only when called
InstalledMap = Callable[[], Mapping[str, tuple[str, ...]]]


def provides(
    dist: str,
    module: str,
    extra: Mapping[str, tuple[str, ...]],
    *,
    use_installed: bool = True,
    installed: InstalledMap | None = None,
) -> bool:
    """Whether the distribution ``dist`` may provide the top-level module ``module``.

    The installed distributions' metadata (``installed``, default :func:`installed_map`) is
    asked last, only when nothing else says yes: reading it is the expensive part."""
    if provides_by_name(dist, module, extra):
        return True
    return use_installed and installed_provides(dist, module, installed or installed_map)


def provides_by_name(dist: str, module: str, extra: Mapping[str, tuple[str, ...]]) -> bool:
    """:func:`provides` without the installed metadata: names, tables and conventions."""
    d = normalise(dist)
    if d == normalise(module):
        return True
    for table in (extra, BUILTIN_IMPORT_NAMES):
        if any(normalise(x) == d for x in table.get(module, ())):
            return True
    prefixes = NAMESPACES.get(module)
    if prefixes and d.startswith(prefixes):
        return True
    return _flat(module) in name_variants(d)


def installed_provides(dist: str, module: str, installed: InstalledMap) -> bool:
    """Whether the installed metadata says ``dist`` provides ``module``."""
    d = normalise(dist)
    return any(normalise(x) == d for x in installed().get(module, ()))


def suggested_distribution(
    module: str,
    dotted: str,
    extra: Mapping[str, tuple[str, ...]],
    *,
    use_installed: bool,
    installed: InstalledMap | None = None,
) -> str:
    """The distribution to add for an undeclared import (``scikit-learn`` for ``sklearn``)."""
    if module in extra:
        return extra[module][0]
    if module not in NAMESPACES:  # `google` is filled by many distributions: use the dotted name
        tables = [(installed or installed_map)()] if use_installed else []
        for table in (*tables, BUILTIN_IMPORT_NAMES):
            found = table.get(module)
            if found:
                return found[0]
    else:
        parts = dotted.split(".")
        if dotted == "google.protobuf" or dotted.startswith("google.protobuf."):
            return "protobuf"
        deep = len(parts) > 2 and (module == "azure" or parts[1] == "cloud")
        return "-".join(parts[: 3 if deep else 2])
    return module


def similar(module: str, dist: str) -> bool:
    """Whether an import name reads like an abbreviation of a distribution name (``skopt`` of
    ``scikit-optimize``): used only to keep MLN410 and MLN411 from contradicting each other."""
    m = _flat(module)
    for d in name_variants(dist) | {_flat(dist)}:
        if len(m) >= 3 and len(d) >= 3 and m[0] == d[0]:
            short, long_ = (m, d) if len(m) <= len(d) else (d, m)
            it = iter(long_)
            if all(c in it for c in short):
                return True
    return False


def used_without_import(dist: str, configured: Iterable[str]) -> bool:
    """Distributions that are used although nobody imports them by name."""
    import fnmatch

    d = normalise(dist)
    if d in USED_WITHOUT_IMPORT or d.startswith(USED_WITHOUT_IMPORT_PREFIXES):
        return True
    if d.endswith("-stubs"):
        return True
    return any(fnmatch.fnmatchcase(d, normalise(pattern)) for pattern in configured)


def looks_local(module: str) -> bool:
    """A generic module name (``utils``, ``my_helpers``) that is a project's own file."""
    return module.lower() in GENERIC_LOCAL_NAMES or bool(_LOCAL_NAME_RE.match(module.lower()))
