#!/usr/bin/env bash
# The one test command (README): installs what the tests need, builds the renderer the
# end-to-end tests load, then runs every test inside a private D-Bus session with a real,
# unlocked gnome-keyring. Prints "N passed, N failed" as its last line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
npm run -s build:renderer >/dev/null || { echo "renderer build failed"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p reports
export XDG_DATA_HOME; XDG_DATA_HOME="$(mktemp -d)"
export XDG_RUNTIME_DIR; XDG_RUNTIME_DIR="$(mktemp -d)"; chmod 700 "$XDG_RUNTIME_DIR"
# Two passes: everything else in parallel, then the browser tests on a quiet machine, so a
# scanner burst typed into Chromium is not stretched by the crash test competing for the CPU.
run_pass() {
  local report=$1; shift
  dbus-run-session -- sh -c 'printf %s test-keyring-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec npx vitest run --passWithNoTests --reporter=default --reporter=json --outputFile.json="$0" "$@"' "$report" "$@" 2>&1 | grep -v 'Failed to set fd limit'
  return "${PIPESTATUS[0]}"
}
# With arguments (a file or name filter), one pass runs just what was asked for.
if [ $# -gt 0 ]; then
  run_pass reports/vitest-main.json "$@"; status=$?
  node scripts/summary.mjs "$status" reports/vitest-main.json
  exit $?
fi
rm -f reports/vitest-main.json reports/vitest-e2e.json
# Two workers for the first pass: most of its files wait on sockets, child processes and
# timers, so a second fork keeps both cores busy and the whole run inside CI's time.
run_pass reports/vitest-main.json --exclude 'test/e2e/**' --maxWorkers=2; s1=$?
run_pass reports/vitest-e2e.json test/e2e/; s2=$?
status=$(( s1 != 0 || s2 != 0 ))
node scripts/summary.mjs "$status" reports/vitest-main.json reports/vitest-e2e.json
