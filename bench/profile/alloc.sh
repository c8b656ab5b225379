#!/usr/bin/env bash
# Who allocates on the payer's page (issue #19): bench/load.sh with one long level at 8 workers; while our side runs,
# dotnet-trace records the app's allocation ticks (gc-verbose: type and stack every ~100 KB), and AllocTrace groups
# them by component, type and allocating frame.
#   DOCUMENTS=200000 CUSTOMERS=20000 bench/profile/alloc.sh
# Output in bench/profile/out/: alloc.nettrace, alloc-load.txt, alloc.txt. Not part of ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/profile/out
mkdir -p "$out"
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace --version 10.0.750501
dotnet build bench/profile/alloc -c Release -nologo -v quiet
SAMPLE=${SAMPLE:-20}
duration=$((SAMPLE + 30))
DURATION=$duration SLICE=$duration REPEATS=1 LEVELS=8 CONFIRMATIONS=0 WARMUP=${WARMUP:-30} bench/load.sh > "$out/alloc-load.txt" 2>&1 &
load=$!
until grep -q "Closed loop" "$out/alloc-load.txt" 2>/dev/null; do sleep 1; kill -0 $load 2>/dev/null || { cat "$out/alloc-load.txt"; exit 1; }; done
descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
pid=$(for p in $(descendants $load); do tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -qE '^dotnet [^ ]*Abono\.Web\.dll' && echo $p; done | head -1 || true)
[ -n "$pid" ] || { echo "The app process was not found." >&2; exit 1; }
sleep 5
dotnet-trace collect -p "$pid" --profile gc-verbose --duration "00:00:00:$SAMPLE" -o "$out/alloc.nettrace" > /dev/null
# The first table row carries our rate in the traced slice (per-request figures); the rest of the bench is not needed.
until grep -qE "^ +[0-9]+ +[0-9]+" "$out/alloc-load.txt"; do sleep 2; kill -0 $load 2>/dev/null || break; done
kill $(descendants $load) 2>/dev/null || true; wait $load 2>/dev/null || true
rps=$(awk '/^ +[0-9]+ +[0-9]+/ {print $2; exit}' "$out/alloc-load.txt")
dotnet bench/profile/alloc/bin/Release/net10.0/AllocTrace.dll "$out/alloc.nettrace" 40 "${rps:-0}" "$SAMPLE" | tee "$out/alloc.txt"
