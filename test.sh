#!/usr/bin/env bash
# Runs every test of Abono on SQLite and on a real, throwaway PostgreSQL server.
# Installs what is missing (Debian: postgresql, chromium) when run as root; otherwise says what to install.
set -euo pipefail
cd "$(dirname "$0")"
started=$(date +%s)

# --- 1. What the suite needs ------------------------------------------------------------------
source scripts/throwaway-postgres.sh
missing=()
[ -x "$(find_pg_bin)/initdb" ] || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "==> Installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
  else
    echo "Missing: ${missing[*]}. Install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not found)." >&2; exit 1; }

# --- 2. A throwaway PostgreSQL cluster on a free local port -----------------------------------
trap stop_throwaway_postgres EXIT
start_throwaway_postgres
pg_dir=$PG_DIR
port=$PG_PORT

# --- 3. Build once, test on both providers ----------------------------------------------------
echo "==> Building"
dotnet build Abono.slnx -c Release -nologo -v quiet
echo "==> Checking layout (.editorconfig)"
dotnet format whitespace Abono.slnx --verify-no-changes --no-restore \
  || { echo "Formatting differs from .editorconfig: run 'dotnet format whitespace Abono.slnx'." >&2; exit 1; }

status=0
summary=()
failures=()
total_passed=0
total_failed=0
providers=${ABONO_TEST_PROVIDERS:-Sqlite Postgres}
filter=()
[ -n "${ABONO_TEST_FILTER:-}" ] && filter=(--filter "$ABONO_TEST_FILTER")
for provider in $providers; do
  echo "==> Tests on $provider"
  log="$pg_dir/test-$provider.log"
  set +e
  figures="$pg_dir/figures-$provider.txt"
  # Polling file watchers: hundreds of test hosts would exhaust the 128 inotify instances Linux allows by default.
  DOTNET_USE_POLLING_FILE_WATCHER=true ABONO_TEST_PROVIDER=$provider ABONO_TEST_FIGURES="$figures" \
  ABONO_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=abono;Database=postgres;Pooling=true;Maximum Pool Size=50;Timeout=60;Command Timeout=300" \
    dotnet test Abono.slnx -c Release --no-build -nologo "${filter[@]}" > "$log" 2>&1
  result=$?
  set -e
  # Failures with their messages, then each test project's summary line.
  grep -vE "^\s*(info|warn|dbug|trce):|^\s{6}" "$log" | grep -E -A30 "^\s+Failed [A-Za-z]" | head -200 || true
  grep -E "(Passed|Failed)!" "$log" || true
  # Figures the load-bearing tests measure (storm, crash, two instances), for the record.
  [ -f "$figures" ] && sed 's/^/    /' "$figures"
  passed=$( (grep -Eo "Passed: +[0-9]+" "$log" || true) | awk '{s+=$2} END {print s+0}')
  failed=$( (grep -Eo "Failed: +[0-9]+" "$log" || true) | awk '{s+=$2} END {print s+0}')
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  summary+=("$provider: $passed passed, $failed failed")
  # The names of failed tests again, for the summary at the end (CI keeps only the tail of the output).
  while read -r name; do failures+=("$provider: $name"); done < <(grep -Eo "^\s+Failed [A-Za-z][^ ]*" "$log" | awk '{print $2}' | sort -u || true)
  if [ "$result" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then status=1; fi
done

echo
for line in "${summary[@]}"; do echo "  $line"; done
echo "  took $(( $(date +%s) - started )) s"
for line in "${failures[@]}"; do echo "  FAILED $line"; done
echo "Tests: $total_passed passed, $total_failed failed"
exit $status
