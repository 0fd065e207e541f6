#!/usr/bin/env bash
# Set up ./.venv (scripts/setup.sh), check the code (tsc on the JSDoc types, ruff with every finding an error), then
# run the whole test suite. Extra arguments go to pytest,
# e.g. `bash scripts/test.sh -m "not jupyter"` or `bash scripts/test.sh tests/test_jupyter_e2e.py -x`.
#
# The browser tests (marked `jupyter`) drive a real JupyterLab and Notebook 7 with headless Chromium at
# /usr/bin/chromium (Debian: `apt-get install chromium`); without it they are skipped, with the reason.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
echo "== npm run typecheck"
npm run --silent typecheck
echo "== ruff check"
.venv/bin/python -m ruff check nblabel tests bench scripts
[ -x /usr/bin/chromium ] || echo "!! /usr/bin/chromium not found: the JupyterLab / Notebook 7 browser tests will be skipped"
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
