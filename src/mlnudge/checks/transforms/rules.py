"""The transforms family's rules (MLN3xx) and options: what each one says to a data scientist."""

from __future__ import annotations

from mlnudge.finding import Severity
from mlnudge.rules import Rule
from mlnudge.settings import Option

UNTESTED = Rule(
    code="MLN301",
    name="untested-transformation",
    family="transforms",
    severity=Severity.WARNING,
    scope="repo",
    options=("include", "exclude", "names", "marker", "max-depth", "coverage-file", "run-tests"),
    summary="A data transformation function is not run by any test.",
    why=(
        "Cleaning and feature code changes the data a model learns from; when it breaks it does "
        "so silently, and a small test with a three-row DataFrame catches it before training does."
        " It is a warning when the code shows the function is part of the data pipeline (its "
        "result reaches a model, a data set the project writes, a served response; it is a "
        "pipeline step or sits in a data-preparation module), and information otherwise (code "
        "that only reports, monitors or shows, loaders, helpers nothing uses): each finding "
        "says which."
    ),
    fix=(
        "Add a test that calls the function on a tiny example input and checks the output; "
        "the finding comes with a test skeleton shaped after the function's signature."
    ),
    example=(
        "# features/calendar.py\n"
        "def add_holiday_flags(df: pd.DataFrame) -> pd.DataFrame:\n"
        '    return df.assign(is_holiday=df["date"].isin(HOLIDAYS))'
    ),
    use_instead=(
        "# tests/test_calendar.py\n"
        "def test_add_holiday_flags():\n"
        '    df = pd.DataFrame({"date": ["2024-12-25", "2024-12-26"]})\n'
        '    assert add_holiday_flags(df)["is_holiday"].tolist() == [True, False]'
    ),
)
PARTIAL = Rule(
    code="MLN302",
    name="partially-tested-transformation",
    family="transforms",
    severity=Severity.INFO,
    scope="repo",
    options=("min-covered-share", "coverage-file", "run-tests"),
    summary="Tests run only part of a data transformation function (coverage data).",
    why=(
        "A branch no test runs (the fallback for missing values, the rare category, the empty "
        "input) is where a transformation breaks first; one more small case usually covers it."
    ),
    fix="Add a test case whose input takes the branches listed in the finding.",
    example=(
        "def impute_age(df):\n"
        '    if df["age"].isna().any():   # never true in the tests\n'
        '        df = df.fillna({"age": df["age"].median()})\n'
        "    return df"
    ),
    use_instead=(
        "def test_impute_age_fills_missing():\n"
        '    df = pd.DataFrame({"age": [20.0, None, 40.0]})\n'
        '    assert impute_age(df)["age"].tolist() == [20.0, 30.0, 40.0]'
    ),
)
SCRIPT = Rule(
    code="MLN303",
    name="module-level-transformation-script",
    family="transforms",
    severity=Severity.WARNING,
    scope="repo",
    options=("include", "exclude"),
    summary="A script transforms data in top-level code, where no test can call it.",
    why=(
        "Code that runs at import time cannot be called with a small example input, so it "
        "cannot be tested; wrapped in a function it can, and the script stays a one-line caller."
    ),
    fix=(
        "Move the transformation into a function that takes and returns the data, call it "
        'under `if __name__ == "__main__":`, and add a test for the function.'
    ),
    example=(
        "# scripts/clean_raw.py\n"
        'df = pd.read_csv("data/raw.csv")\n'
        'df = df.dropna(subset=["price"])\n'
        'df["price"] = df["price"].clip(lower=0)\n'
        'df.to_csv("data/clean.csv")'
    ),
    use_instead=(
        "def clean_raw(df: pd.DataFrame) -> pd.DataFrame:\n"
        '    df = df.dropna(subset=["price"])\n'
        '    return df.assign(price=df["price"].clip(lower=0))\n\n\n'
        'if __name__ == "__main__":\n'
        '    clean_raw(pd.read_csv("data/raw.csv")).to_csv("data/clean.csv")'
    ),
)

RULES = (UNTESTED, PARTIAL, SCRIPT)

OPTIONS = (
    Option(
        "include",
        "list",
        [],
        "Globs of modules that hold transformations (counted as a location signal, next to "
        "`features/`, `preprocessing/`, `transforms.py`, `data/`, `pipelines/`, ...).",
    ),
    Option("exclude", "list", [], "Globs of modules whose functions are never transformations."),
    Option(
        "names",
        "list",
        [],
        "Extra regular expressions for function names that are transformations.",
    ),
    Option(
        "marker",
        "str",
        "transformation",
        "Name of a decorator that marks a function as a transformation, whatever its signals "
        "(e.g. `@transformation` from your own code).",
    ),
    Option("max-depth", "int", 3, "How many calls deep a test may reach a transformation."),
    Option(
        "coverage-file",
        "str",
        ".coverage",
        "coverage.py data file with per-test contexts (`pytest --cov --cov-context=test`), "
        "relative to the root; used when it exists.",
    ),
    Option(
        "min-covered-share",
        "float",
        0.5,
        "With coverage data: a tested transformation whose body is run below this share is "
        "reported as partially tested (MLN302).",
    ),
    Option(
        "run-tests",
        "bool",
        False,
        "Run the project's tests under coverage.py (`--run-tests`) to decide precisely.",
    ),
    Option("test-timeout", "int", 600, "Seconds `--run-tests` waits for the test suite."),
    Option(
        "project-interpreter",
        "bool",
        True,
        "With `run-tests`: run the tests with the project's own `.venv`/`venv` interpreter when "
        "there is one (never one committed to git); `mlnudge github` always uses its own.",
    ),
)
