#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (e2e/) and the Noto CJK fonts (Chinese text in the
# browser and in license PDFs). Never downloads a Playwright browser build.
set -euo pipefail

CJK_FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
if [ -x /usr/bin/chromium ] && [ -f "$CJK_FONT" ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  echo "CJK font present: $CJK_FONT"
  exit 0
fi

SUDO=''
if [ "$(id -u)" -ne 0 ]; then
  SUDO='sudo -n'
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk

/usr/bin/chromium --version
