#!/usr/bin/env bash
# The whole test suite, slow end-to-end tests included, after the same set-up as the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check pipeline scripts tests
.venv/bin/python -m pytest -q "$@"
