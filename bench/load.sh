#!/usr/bin/env bash
# Load benchmark of the customer portal on PostgreSQL (issue #7): a company of 1,000,000 documents and 100,000
# customers, the app as its own process next to a raw Npgsql + hand-written-HTML baseline, at rising concurrency,
# then at half the baseline's saturation rate, then the confirmation path. Not part of ./test.sh.
#   bench/load.sh                                 # full size, 10 s per level
#   DOCUMENTS=200000 CUSTOMERS=20000 DURATION=5 bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/throwaway-postgres.sh
dotnet build src/Abono.Web -c Release -nologo -v quiet
dotnet build bench/Abono.Bench -c Release -nologo -v quiet
bench() { dotnet bench/Abono.Bench/bin/Release/net10.0/Abono.Bench.dll "$@"; }

PG_EXTRA_OPTIONS="-c shared_buffers=1GB -c work_mem=64MB -c effective_cache_size=8GB -c max_connections=300" start_throwaway_postgres
trap stop_throwaway_postgres EXIT
connection="Host=127.0.0.1;Port=$PG_PORT;Username=abono;Database=abono_bench;Command Timeout=600;Maximum Pool Size=200${PG_CONNECTION_EXTRA-;No Reset On Close=true;Max Auto Prepare=50}"
bench generate --provider postgres --connection "$connection" --documents "${DOCUMENTS:-1000000}" --customers "${CUSTOMERS:-100000}" --payments "${PAYMENTS:-100000}"
[ -n "${MICRO:-}" ] && bench micro --provider postgres --connection "$connection"
bench load --provider postgres --connection "$connection" --app src/Abono.Web/bin/Release/net10.0/Abono.Web.dll \
  --seconds "${DURATION:-10}" --levels "${LEVELS:-1,2,4,8,16,32,64}" --customers "${LINKS:-1000}"
