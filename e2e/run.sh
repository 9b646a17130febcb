#!/usr/bin/env bash
# `npm run test:e2e`: the browser tests, in Debian's Chromium driven by playwright-core.
# CI starts from a fresh machine (as root): install chromium only when it is missing.
# Playwright never downloads a browser of its own here.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "e2e: $CHROMIUM is missing: installing Debian's chromium"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

echo "e2e: building the client"
npx vite build
npx tsx e2e/bundle-size.ts

echo "e2e: running the browser specs"
npx vitest run --config e2e/vitest.config.ts "$@"
