#!/usr/bin/env bash
# Two (or more) builds side by side over HTTP on the embedded store, interleaved in one run, so a
# busy shared machine disturbs them alike. Each BUILD_DIR holds a fusion.jar and a benchmarks.jar
# (copies of server/target/fusion.jar and bench/target/benchmarks.jar of that build).
#   compare-ingest-http.sh SECONDS SENDERS BATCH RATE READS_PER_S BUILD_DIR...
# RATE 0 is as fast as taken. Prints one LoadDriver line per build and the server's CPU time per
# 1000 accepted events (from /proc), which moves much less with other work than the rates.
set -euo pipefail
seconds=$1; senders=$2; batch=$3; rate=$4; reads=$5; shift 5
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for d in "$@"; do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  data=$(mktemp -d)
  java -Xmx2g -jar "$d/fusion.jar" serve --port "$port" --data "$data" > /tmp/fusion-compare-server.log 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
  c0=$(cpu "$pid")
  line=$(java -cp "$d/benchmarks.jar" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin \
    "$seconds" "$senders" "$batch" "$rate" "$reads" "$pid" "$(basename "$d")")
  c1=$(cpu "$pid")
  events=$(echo "$line" | sed -n 's/.*(\([0-9,]*\) events,.*/\1/p' | tr -d ',')
  awk -v l="$line" -v c=$((c1 - c0)) -v e="$events" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s | server CPU %.1f ms per 1000 events\n", l, (e > 0 ? c * 1000000 / hz / e : 0) }'
  kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$data"
done
