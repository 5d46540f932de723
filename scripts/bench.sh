#!/usr/bin/env bash
# Sets everything up and runs the benchmarks (not part of the tests): prints a table, writes bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python bench/run.py "$@"
