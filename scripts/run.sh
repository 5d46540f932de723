#!/usr/bin/env bash
# Sets everything up, creates the demo store and prints every consortium's FY2025 plan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PLANNER_DB=${PLANNER_DB:-$PWD/var/demo.db}
.venv/bin/planner demo --force
.venv/bin/planner show --fy 2025
.venv/bin/planner show --fy 2024 --consortium tohoku
