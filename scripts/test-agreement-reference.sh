#!/usr/bin/env bash
# Checks `newsmark agree`'s chance-corrected measures (Cohen's and Fleiss'
# κ, Krippendorff's α) against reference implementations from PyPI
# (krippendorff, nltk, statsmodels; pinned in
# tests/reference/requirements.txt), installed into the project's .venv,
# the one scripts/test-editors.sh uses. tests/reference/agreement.py writes
# annotators' folders, runs the real binary on them and compares.
#
#   scripts/test-agreement-reference.sh    needs target/debug/newsmark
#                                          (or NEWSMARK_BIN)
set -euo pipefail

# shellcheck source=scripts/reference-venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/reference-venv.sh"
"$VENV_PYTHON" "$ROOT/tests/reference/agreement.py" "$NEWSMARK_BIN"
