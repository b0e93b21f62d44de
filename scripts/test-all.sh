#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs every test:
# lint, format check, typecheck, Vitest, build and Playwright. This is the README's test command,
# and .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the end-to-end tests..."
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium
fi

# The fonts this machine has. The lab ships its own (Inter, JetBrains Mono) and the end-to-end tests
# check that text is drawn with them and that layout holds with only these: nothing installed by
# hand is needed (a fresh Debian machine has only the DejaVu fonts that chromium pulls in).
if command -v fc-list >/dev/null; then
  echo "System fonts: $(fc-list : family | tr ',' '\n' | sort -u | grep -c .) families: $(fc-list : family | tr ',' '\n' | sort -u | paste -sd ',' | sed 's/,/, /g')"
else
  echo "System fonts: fc-list not found"
fi

npm ci --no-audit --no-fund
start=$(date +%s)
npm test
echo "All tests passed in $(( $(date +%s) - start )) s."
