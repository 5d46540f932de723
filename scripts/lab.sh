#!/usr/bin/env bash
# Sets up, adds JupyterLab with its Japanese language pack, and opens the analyst notebooks on the demo
# store (or on PLANNER_DB). Extra arguments go to `jupyter lab`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m pip install -q --disable-pip-version-check 'jupyterlab>=4' jupyterlab-language-pack-ja-JP
# Japanese menus by default (設定 → Language で切り替え可)
mkdir -p .venv/share/jupyter/lab/settings
echo '{"@jupyterlab/translation-extension:plugin": {"locale": "ja_JP"}}' > .venv/share/jupyter/lab/settings/overrides.json
export PLANNER_DB=${PLANNER_DB:-$PWD/var/demo.db}
[ -f "$PLANNER_DB" ] || .venv/bin/planner demo
ROOT_FLAG=""; [ "$(id -u)" -eq 0 ] && ROOT_FLAG="--allow-root"
exec .venv/bin/jupyter lab --notebook-dir notebooks --ip 127.0.0.1 $ROOT_FLAG "$@"
