#!/usr/bin/env bash
# Installs everything the tests need and runs them: the one test command (README Quickstart,
# and what .ci/run calls). Safe to re-run; works on a fresh clone with only the package
# registries (PyPI, npm) reachable.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
export PATH="$PWD/.venv/bin:$PATH"
export VIRTUAL_ENV="$PWD/.venv"

echo "== installing mlnudge with its test and dev tools"
python -m pip install --quiet --disable-pip-version-check --upgrade pip
python -m pip install --quiet --disable-pip-version-check -e '.[dev]'

# The GitHub API stand-in (Prism + GitHub's OpenAPI description) for the PR bot's tests.
if [ -f tests/github/standin/package-lock.json ]; then
  echo "== installing the GitHub API stand-in (npm ci)"
  (cd tests/github/standin && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== dogfood: ruff, mypy --strict, mlnudge on itself (generated docs: tests/test_meta.py)"
python -m ruff check .
python -m ruff format --check .
python -m mypy
python -m mlnudge check . --mode strict --fail-on error --quiet

echo "== zizmor: the GitHub Actions security linter on our workflows and actions (docs/security.md)"
zizmor --offline --no-progress --config .github/zizmor.yml .github/workflows actions action.yml

# Which Python versions ran what: printed at the end whatever happens (set by each stage).
SUPPORTED=$(python - <<'PY'
import re
try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
meta = tomllib.load(open("pyproject.toml", "rb"))["project"]
print(" ".join(m.group(1) for c in meta["classifiers"] if (m := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c))))
PY
)
MAIN_VERSION=$(python -c 'import platform; print(platform.python_version())')
RAN=()
report_versions() {
  echo "== Python versions (supported: $SUPPORTED)"
  for line in "${RAN[@]}"; do echo "   $line"; done
}
trap report_versions EXIT

echo "== pytest (Python $MAIN_VERSION: the full suite)"
RAN+=("$MAIN_VERSION: full suite ... running")
set +e
python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  RAN[0]="$MAIN_VERSION: full suite: collected no tests (a failure)"
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  RAN[0]="$MAIN_VERSION: full suite: FAILED"
  exit "$status"
fi
RAN[0]="$MAIN_VERSION: full suite passed"

# Every other supported version (pyproject classifiers = requires-python and up): the fast
# tests, where this machine has a working interpreter. CI runs each version in its own job
# (.github/workflows/ci.yml) and sets MLNUDGE_OTHER_PYTHONS=0.
MAIN_MINOR=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
for minor in $SUPPORTED; do
  [ "$minor" = "$MAIN_MINOR" ] && continue
  if [ "${MLNUDGE_OTHER_PYTHONS:-1}" = "0" ]; then
    RAN+=("$minor: not run here (MLNUDGE_OTHER_PYTHONS=0; CI tests it in its own job)")
    continue
  fi
  found=""
  # pyenv shims exist for versions that are not selected: probe that a candidate really runs
  for candidate in $(command -v "python$minor" || true) /root/.pyenv/versions/"$minor".*/bin/python"$minor" \
      "$HOME"/.pyenv/versions/"$minor".*/bin/python"$minor" /usr/bin/python"$minor" /usr/local/bin/python"$minor"; do
    if [ -x "$candidate" ] && "$candidate" -c "import sys; assert '%d.%d' % sys.version_info[:2] == '$minor'" 2>/dev/null; then
      found=$candidate
      break
    fi
  done
  if [ -z "$found" ]; then
    RAN+=("$minor: SKIPPED, no working python$minor on this machine")
    echo "== Python $minor: no working interpreter on this machine, skipped"
    continue
  fi
  version=$("$found" -c 'import platform; print(platform.python_version())')
  venv=".venv${minor/./}"
  echo "== Python $version ($found): fast tests (not slow, not e2e) in $venv"
  RAN+=("$version: fast tests ... running")
  last=$((${#RAN[@]} - 1))
  [ -x "$venv/bin/python" ] || "$found" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
  if "$venv/bin/python" -m pytest -q -p no:cacheprovider -m "not slow and not e2e"; then
    RAN[last]="$version: fast tests passed"
  else
    RAN[last]="$version: fast tests FAILED"
    exit 1
  fi
done
