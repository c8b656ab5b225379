#!/usr/bin/env bash
# Load benchmark of the customer portal on PostgreSQL (issues #7, #19): a company of 1,000,000 documents and 100,000
# customers, the app as its own process (started in its content root, src/Abono.Web) next to a raw baseline (plain
# Npgsql, the same page's HTML written by hand, checked to match before measuring), at rising concurrency, then open
# loop at half our saturation and at half the baseline's, then the confirmation path against its own raw baseline.
# Ours and raw alternate in short slices and every level is repeated: ratios are medians with their spread.
# Not part of ./test.sh.
#   bench/load.sh                                 # full size, 10 s per side, level and repetition
#   DOCUMENTS=200000 CUSTOMERS=20000 DURATION=6 WARMUP=20 LEVELS=4,8,16 bench/load.sh
# Also: REPEATS (3), SLICE (2 s), LINKS (1,000 customers with a link), CONFIRMATIONS (900 per side and level),
# PG_CONNECTION_EXTRA (the baseline's Npgsql tuning), PG_MORE_OPTIONS (extra postgres -c settings, e.g. pg_stat_statements), APP_CONNECTION (the app's connection string; by default the
# deployed one, host/database/user, plus the bench's pool size).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/throwaway-postgres.sh
dotnet build src/Abono.Web -c Release -nologo -v quiet
dotnet build bench/Abono.Bench -c Release -nologo -v quiet
bench() { dotnet bench/Abono.Bench/bin/Release/net10.0/Abono.Bench.dll "$@"; }

PG_EXTRA_OPTIONS="-c shared_buffers=1GB -c work_mem=64MB -c effective_cache_size=8GB -c max_connections=300 ${PG_MORE_OPTIONS:-}" start_throwaway_postgres
trap stop_throwaway_postgres EXIT
pool="Maximum Pool Size=200"
connection="Host=127.0.0.1;Port=$PG_PORT;Username=abono;Database=abono_bench;Command Timeout=600;$pool${PG_CONNECTION_EXTRA-;No Reset On Close=true;Max Auto Prepare=50}"
bench generate --provider postgres --connection "$connection" --documents "${DOCUMENTS:-1000000}" --customers "${CUSTOMERS:-100000}" --payments "${PAYMENTS:-100000}"
[ -n "${MICRO:-}" ] && bench micro --provider postgres --connection "$connection"
app_connection=()
[ -n "${APP_CONNECTION:-}" ] && app_connection=(--app-connection "$APP_CONNECTION")
bench load --provider postgres --connection "$connection" "${app_connection[@]}" \
  --app src/Abono.Web/bin/Release/net10.0/Abono.Web.dll --content-root src/Abono.Web \
  --seconds "${DURATION:-10}" --levels "${LEVELS:-1,2,4,8,16,32,64}" --customers "${LINKS:-1000}" \
  --warmup "${WARMUP:-45}" --slice "${SLICE:-2}" --repeats "${REPEATS:-3}" --confirmations "${CONFIRMATIONS:-900}"
