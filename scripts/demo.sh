#!/usr/bin/env bash
# The main job on the bundled samples: set up, ingest samples/ into the default archive, search it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
status=0
.venv/bin/vanban ingest samples/ || status=$?  # failures are reported; search what went in
echo; echo '$ vanban search "kien an"'
.venv/bin/vanban search "kien an"
echo; echo '$ vanban search "225/KH-UBND"'
.venv/bin/vanban search "225/KH-UBND"
echo; echo '$ vanban stats'
.venv/bin/vanban stats
exit "$status"
