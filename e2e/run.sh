#!/usr/bin/env bash
# `npm run test:e2e`: the browser tests, in Debian's Chromium driven by playwright-core.
# CI starts from a fresh machine (as root): install chromium only when it is missing, with
# the fonts the screenshots need (CJK for the Chinese pages). Playwright never downloads a
# browser of its own here.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${CHROMIUM_PATH:-}" ]; then
  # Asked for a particular browser: use it or say clearly that it is not there.
  if [ ! -x "$CHROMIUM_PATH" ]; then
    echo "e2e: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file" >&2
    exit 1
  fi
elif [ ! -x /usr/bin/chromium ]; then
  echo "e2e: /usr/bin/chromium is missing: installing Debian's chromium and fonts"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-noto-cjk fonts-dejavu-core
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# Build unless dist/client is already newer than every source it is built from
# (`npm test` has just built it); a build takes about a second anyway.
if [ -f dist/client/index.html ] && [ -z "$(find client shared vite.config.ts -newer dist/client/index.html -type f -print -quit)" ]; then
  echo "e2e: dist/client is up to date"
else
  echo "e2e: building the client"
  npx vite build
fi
npx tsx e2e/bundle-size.ts

echo "e2e: running the browser specs"
npx vitest run --config e2e/vitest.config.ts "$@"
