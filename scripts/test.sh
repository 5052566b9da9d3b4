#!/usr/bin/env bash
# npm test: lint, type check, unit + browser tests, build, end-to-end tests in Debian's chromium.
# Ends with one plain line "total: N passed, N failed" and a non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step() { echo "== $1 ($((SECONDS - start))s)"; }
rc=0
step "chromium"
CHROMIUM_BIN="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_BIN" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "installing Debian's chromium with apt-get"
		export DEBIAN_FRONTEND=noninteractive
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "apt-get could not install chromium"
	fi
fi
if [ ! -x "$CHROMIUM_BIN" ]; then
	echo "chromium is missing: run 'sudo apt-get install chromium' (Debian) or set CHROMIUM_PATH to a Chromium binary."
	exit 1
fi
[ -d node_modules ] || npm ci --no-audit --no-fund || exit 1
rm -rf test-results && mkdir -p test-results
step "lint"
npm run -s lint || rc=1
step "type check"
npm run -s check || rc=1
step "vitest (unit + browser)"
npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json || rc=1
step "build"
npm run -s build >test-results/build.log 2>&1 || {
	tail -40 test-results/build.log
	rc=1
}
step "e2e (playwright, chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json npx playwright test --reporter=list,json || rc=1
step "done"
node scripts/summary.mjs || rc=1
exit $rc
