#!/usr/bin/env bash
# Fills a database with a company of 1,000,000 documents and 100,000 customers (plus neighbours), then times the
# reports against raw SQL over the same rows. PostgreSQL runs in a throwaway cluster; SQLite in a temporary file.
#   bench/run.sh                      # both providers, full size
#   PROVIDERS=postgres DOCUMENTS=200000 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/throwaway-postgres.sh
documents=${DOCUMENTS:-1000000}
customers=${CUSTOMERS:-100000}
payments=${PAYMENTS:-100000}
iterations=${ITERATIONS:-30}

dotnet build bench/Abono.Bench -c Release -nologo -v quiet
bench() { dotnet bench/Abono.Bench/bin/Release/net10.0/Abono.Bench.dll "$@"; }

for provider in ${PROVIDERS:-postgres sqlite}; do
  echo
  echo "################ $provider ################"
  if [ "$provider" = postgres ]; then
    PG_EXTRA_OPTIONS="-c shared_buffers=1GB -c work_mem=64MB -c effective_cache_size=8GB" start_throwaway_postgres
    trap stop_throwaway_postgres EXIT
    connection="Host=127.0.0.1;Port=$PG_PORT;Username=abono;Database=abono_bench;Command Timeout=600"
  else
    rm -f /tmp/abono-bench.db /tmp/abono-bench.db-wal /tmp/abono-bench.db-shm
    connection="Data Source=/tmp/abono-bench.db"
  fi
  bench generate --provider "$provider" --connection "$connection" --documents "$documents" --customers "$customers" --payments "$payments"
  bench run --provider "$provider" --connection "$connection" --iterations "$iterations"
  bench import --provider "$provider" --connection "$connection" --documents "${IMPORT_DOCUMENTS:-100000}"
  if [ "$provider" = postgres ]; then stop_throwaway_postgres; trap - EXIT; fi
done
