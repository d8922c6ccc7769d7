#!/usr/bin/env bash
# The console's browser test (ConsoleBrowserE2EIT) drives Debian's chromium through chromium-driver. A fresh machine
# (CI's) has neither: install them from Debian's packages, only where missing, so a machine that has them builds offline.
#   install-chromium.sh start   starts the install in the background and returns at once (the root build does this
#                               first, so the download and unpacking overlap the other modules' builds)
#   install-chromium.sh         installs now, or waits for the install the build started and checks it (e2e-tests,
#                               just before its integration tests)
set -euo pipefail
lock="${TMPDIR:-/tmp}/stopplane-chromium.lock"
log="${TMPDIR:-/tmp}/stopplane-chromium-install.log"

present() { [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; }

install() {
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo -n); fi
  echo "[e2e-tests] installing chromium and chromium-driver (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq chromium chromium-driver
}

if present; then
  exit 0
fi
case "${1:-now}" in
  start)
    echo "[stopplane] chromium missing: installing it in the background (log: $log)"
    # detached, every descriptor away from Maven's, so that the build does not wait for it here
    nohup setsid bash -c "exec 9>'$lock'; flock 9; $(declare -f present install); present || install" \
      </dev/null >"$log" 2>&1 &
    ;;
  now)
    exec 9>"$lock"
    flock 9 # the background install, if one runs, holds it until it is done
    if ! present; then
      [[ -s "$log" ]] && { echo "[e2e-tests] the background install did not finish:"; tail -20 "$log"; }
      install
    fi
    ;;
  *) echo "usage: $0 [start]" >&2; exit 2 ;;
esac
