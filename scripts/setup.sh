#!/usr/bin/env bash
# Set up a development environment in ./.venv: build the front end, then install nblabel (editable) with the
# test extras (pytest, playwright, jupyterlab, notebook, nbclient, label-studio-sdk). Safe to re-run.
#
# Needs: python3 (>= 3.10) with venv, node >= 18 with npm. Environment: PYTHON=python3.12 to pick the interpreter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { echo "== [${SECONDS}s] $*"; }
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  step "creating .venv with $($PY --version 2>&1)"
  "$PY" -m venv .venv
fi

step "building the front end (npm)"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
npm run build

step "pip install -e \".[test]\""
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
.venv/bin/python -m pip install --quiet --progress-bar off --upgrade pip
# torch first, pinned: this version is a CPU build here; anything pulling plain `torch` later would fetch CUDA.
.venv/bin/python -m pip install --quiet --progress-bar off torch==2.13.0
# The editable build runs hatch-jupyter-builder, which re-runs the npm build only if js/ is newer than the bundle.
.venv/bin/python -m pip install --quiet --progress-bar off -e ".[test]"
.venv/bin/python -c "import nblabel; print('nblabel', nblabel.__version__, 'importable')"
step "ready: .venv"
