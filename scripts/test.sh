#!/usr/bin/env bash
# Sets everything up from a fresh clone and runs the whole test suite (lint first).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
