#!/usr/bin/env bash
# Idempotent set-up on a fresh Debian machine: system packages (only those missing), .venv, project.
# `setup.sh --test` adds what only the tests need: a PostgreSQL server and headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts: the samples and field scans (liberation2, croscore), restoration training (dejavu) and evaluation
# (freefont: a font no training page used)
DEBS=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils fonts-liberation2 fonts-croscore fonts-dejavu-core
      fonts-freefont-ttf unpaper)
if [ "${1:-}" = "--test" ]; then
    DEBS+=(postgresql postgresql-contrib chromium)
fi
missing=()
for pkg in "${DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.vanban-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
    touch "$stamp"
fi
