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

echo "== pytest"
set +e
python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$status"
