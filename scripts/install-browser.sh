#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (e2e/). Never downloads a Playwright browser build.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

SUDO=''
if [ "$(id -u)" -ne 0 ]; then
  SUDO='sudo'
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk

/usr/bin/chromium --version
