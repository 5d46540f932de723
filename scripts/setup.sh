#!/usr/bin/env bash
# Sets up everything planner needs on a Debian machine: system packages (as root, only those missing,
# after one `apt-get update`) and a virtual environment in .venv with planner and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# grep without -q: an early exit would break the pipe, which pipefail counts as a failure
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
# the deployment tests: nginx with a self-signed certificate in front of `planner serve`, and
# JupyterHub's proxy (configurable-http-proxy, from npm, needs node)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# npm packages into the repo (node_modules/, ignored by git), pinned by package-lock.json: JupyterHub's
# configurable-http-proxy for the deployment tests, axe-core for the accessibility test. Either missing
# (an older checkout had only the proxy) runs the install.
if [ ! -x node_modules/.bin/configurable-http-proxy ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --silent --no-audit --no-fund >/dev/null 2>&1 || npm install --silent --no-audit --no-fund >/dev/null
fi
echo "setup: ready (.venv)"
