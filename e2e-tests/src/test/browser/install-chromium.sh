#!/usr/bin/env bash
# The console's browser test (ConsoleBrowserE2EIT) drives Debian's chromium through chromium-driver. A fresh machine
# (CI's) has neither: install them from Debian's packages, only where missing, so a machine that has them builds offline.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo -n); fi
echo "[e2e-tests] installing chromium and chromium-driver (apt-get)"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq chromium chromium-driver
