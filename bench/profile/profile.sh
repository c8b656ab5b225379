#!/usr/bin/env bash
# Profiles the app under bench/load.sh load (issue #19): one long closed-loop level, and while our side runs,
# `perf` samples the app's CPU (JIT frames named through the perf map) and `dotnet-counters` records its runtime and
# ASP.NET Core counters. bench/profile/summarize.py turns the samples into inclusive µs per request by component.
#   bench/profile/profile.sh                 # 1,000,000 documents, 8 workers, 30 s of samples
# Output in bench/profile/out/: perf.data, counters.csv, load.txt, summary.txt. Not part of ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/profile/out
mkdir -p "$out"
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-counters >/dev/null || dotnet tool install -g dotnet-counters --version 10.0.750501
command -v perf >/dev/null || { echo "perf is required (apt-get install linux-perf)." >&2; exit 1; }
# Perf maps name JIT-compiled frames (inherited by the app process the bench starts); W^X's double mapping would
# hide them from perf.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
SAMPLE=${SAMPLE:-30}
# One level, one repetition, one slice per side long enough to hold the sample window on our side (ours runs first).
duration=${DURATION:-$((SAMPLE + 20))}
DURATION=$duration SLICE=$duration REPEATS=1 LEVELS=${LEVELS:-8} bench/load.sh > "$out/load.txt" 2>&1 &
load=$!
# Our side of the first measured level starts after "Closed loop" is printed (or the interleaved bench's first slice).
until grep -q "Closed loop" "$out/load.txt" 2>/dev/null; do sleep 1; kill -0 $load 2>/dev/null || { cat "$out/load.txt"; exit 1; }; done
# Only this run's processes (other benches may run on the machine): the descendants of the bench started above.
descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
# The app is "dotnet …/Abono.Web.dll" (the bench's own command line names it too, after --app).
pid=$(for p in $(descendants $load); do tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -qE '^dotnet [^ ]*Abono\.Web\.dll' && echo $p; done | head -1 || true)
[ -n "$pid" ] || { echo "The app process was not found." >&2; exit 1; }
sleep 5
dotnet-counters collect -p "$pid" --format csv -o "$out/counters.csv" --duration "00:00:$SAMPLE" \
  --counters System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft-AspNetCore-Server-Kestrel >/dev/null &
perf record -F 999 -g -p "$pid" -o "$out/perf.data" -- sleep "$SAMPLE" 2> /dev/null
# The first table row carries our rate for the sampled level; the rest of the bench is not needed here.
until grep -qE "^ +[0-9]+ +[0-9]+" "$out/load.txt"; do sleep 2; kill -0 $load 2>/dev/null || break; done
kill $(descendants $load) 2>/dev/null || true; wait $load 2>/dev/null || true
grep -vE "^(warn|info):|^      " "$out/load.txt"
# Our request rate in the sampled level: the first number after the workers column of the first table row.
rps=$(awk '/^ +[0-9]+ +[0-9]+/ {print $2; exit}' "$out/load.txt")
perf script -i "$out/perf.data" 2>/dev/null | python3 bench/profile/summarize.py "$out/counters.csv" "$rps" "$SAMPLE" > "$out/summary.txt"
cat "$out/summary.txt"
