#!/usr/bin/env bash
# Times importing 10,000 generated DTE files from a zip into a fresh database through DteImporter
# (bench/dte-import/last-run.txt keeps the last figures).
#   bench/dte-import/run.sh [files]                 # SQLite in a temporary file
#   PROVIDER=postgres bench/dte-import/run.sh       # a throwaway PostgreSQL cluster
set -euo pipefail
cd "$(dirname "$0")"
files=${1:-10000}
dotnet build -c Release -nologo -v quiet
run() { dotnet bin/Release/net10.0/DteImport.dll "$files" "$@"; }
if [ "${PROVIDER:-sqlite}" = postgres ]; then
  source ../../scripts/throwaway-postgres.sh
  start_throwaway_postgres
  trap stop_throwaway_postgres EXIT
  echo "PostgreSQL (throwaway, fsync off)" | tee last-run-postgres.txt
  run postgres "Host=127.0.0.1;Port=$PG_PORT;Username=abono;Database=abono_dte_bench;Command Timeout=600" | tee -a last-run-postgres.txt
else
  rm -f /tmp/abono-dte-import.db /tmp/abono-dte-import.db-wal /tmp/abono-dte-import.db-shm
  echo "SQLite (/tmp/abono-dte-import.db)" | tee last-run.txt
  run sqlite "Data Source=/tmp/abono-dte-import.db" | tee -a last-run.txt
fi
