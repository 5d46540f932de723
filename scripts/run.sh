#!/usr/bin/env bash
# Sets everything up, creates the demo store, prints every consortium's FY2025 plan, and serves the
# Voilà apps on it (the URLs with the demo users' keys are printed; stop with Ctrl+C).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PLANNER_DB=${PLANNER_DB:-$PWD/var/demo.db}
.venv/bin/planner demo --force
.venv/bin/planner show --fy 2025
exec .venv/bin/planner serve --port "${PORT:-8866}"
