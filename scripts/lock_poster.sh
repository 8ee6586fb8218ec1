#!/usr/bin/env bash
# Regenerates actions/report/requirements.txt, the hash-locked dependencies the poster
# (actions/report) installs with `pip install --require-hashes`: every version pinned, every
# file's sha256 listed, for Python 3.10+ on any platform. Run after changing
# actions/report/requirements.in or mlnudge's dependencies; needs `uv` (pip install uv).
set -euo pipefail
cd "$(dirname "$0")/../actions/report"
uv pip compile requirements.in --generate-hashes --universal --python-version 3.10 \
  --no-header -o requirements.txt
