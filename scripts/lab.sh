#!/usr/bin/env bash
# Set up ./.venv (scripts/setup.sh) and open the quickstart notebook in JupyterLab.
# Extra arguments go to `jupyter lab`, e.g. `bash scripts/lab.sh --port 8890`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
extra=()
[ "$(id -u)" = 0 ] && extra+=(--allow-root)  # containers often run as root; Jupyter refuses that without the flag
exec .venv/bin/jupyter lab notebooks/quickstart.ipynb "${extra[@]}" "$@"
