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

echo "== pytest"
set +e
python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  exit "$status"
fi

# requires-python says 3.10: run the fast tests there too when this machine has a 3.10.
PY310=""
for candidate in ${PY310_CANDIDATE:-} $(command -v python3.10 || true) /root/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do
  if [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    PY310=$candidate
    break
  fi
done
if [ -n "$PY310" ]; then
  echo "== Python 3.10 ($PY310): fast tests"
  "$PY310" -m venv .venv310
  .venv310/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
  .venv310/bin/python -m pytest -q -p no:cacheprovider -m "not slow and not e2e"
else
  echo "== Python 3.10: no working interpreter on this machine, skipped"
fi
