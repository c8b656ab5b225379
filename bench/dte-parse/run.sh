#!/usr/bin/env bash
# Times reading 10,000 generated DTE files from a zip (bench/dte-parse/last-run.txt keeps the last figures).
#   bench/dte-parse/run.sh [files]
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v quiet
dotnet bin/Release/net10.0/DteParse.dll "${1:-10000}" | tee last-run.txt
