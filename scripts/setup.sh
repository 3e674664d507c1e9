#!/usr/bin/env bash
# Installs what the app and its tests need on a fresh Debian machine (as root, like CI):
# libsecret + gnome-keyring + D-Bus for the real keychain, Chromium for end-to-end tests,
# PostgreSQL for the events server's tests,
# then the npm packages. Electron's binary cannot be downloaded here, so it is skipped;
# native modules (better-sqlite3, keytar) are built from source against Node's headers.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v dbus-run-session >/dev/null || need+=(dbus-daemon dbus-bin)
command -v gnome-keyring-daemon >/dev/null || need+=(gnome-keyring)
[ -e /usr/include/libsecret-1/libsecret/secret.h ] || need+=(libsecret-1-dev)
[ -x /usr/bin/chromium ] || need+=(chromium)
# pdftotext, to read back the printed slips' text (the slip tests render them to PDF).
command -v pdftotext >/dev/null || need+=(poppler-utils)
# A CJK font, so screenshots and kiosk pages show Chinese instead of empty boxes.
fc-list 2>/dev/null | grep -qiE "wqy|noto.*cjk" || need+=(fonts-wqy-microhei)
# PostgreSQL for the events server's chain directory: its tests start a private server each.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "missing system packages: ${need[*]} (run as root or install them)"; exit 1; fi
  echo "installing system packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
stamp=node_modules/.install-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
  touch "$stamp"
fi
