#!/usr/bin/env bash
# Installs what the browser test of the web editor needs, once: Debian's Chromium (when /usr/bin/chromium is
# missing; needs root and the machine's Debian mirror) and playwright-core from the npm registry (web-tests/,
# `npm ci` from its package-lock.json; Playwright never downloads a browser of its own).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq chromium >/dev/null
fi
cd "$root/web-tests"
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null
