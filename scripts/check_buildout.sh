#!/usr/bin/env bash
# Check that buildout.cfg builds bin/instance and bin/test from the pins, and
# that bin/test runs the setup tests. Called by `make test` (make check-buildout).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
VENV=.venv-buildout
if [ ! -x "$VENV/bin/buildout" ]; then
  $PY -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q -c constraints.txt pip setuptools wheel zc.buildout
fi
"$VENV/bin/buildout" -N -c buildout.cfg
test -x bin/instance
bin/test tests/setup -q -p no:cacheprovider
