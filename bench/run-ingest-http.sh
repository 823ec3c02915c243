#!/usr/bin/env bash
# End-to-end ingest over HTTP, on each store, against the store's raw insert ceiling, in one run.
#   1. a Fusion server (separate process) on loopback; the load driver (another process) posts
#      Segment batches as fast as they are taken for SECONDS: accepted events/s, request p50/p99,
#      server peak RSS;
#   2. a fresh server driven at half that rate while profiles are read 100 times a second:
#      read p50/p99;
#   3. the raw insert rate of the same log rows into the same store (plain JDBC, no HTTP, no scoring).
# Each load line ends with the server's CPU time per 1000 accepted events (from /proc), which a
# busy shared machine disturbs much less than the rates.
# PostgreSQL runs when FUSION_BENCH_STORE (default below) is reachable; Fusion's tables there are dropped.
# Writes bench/results/ingest-http-<date>.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-20}"; senders="${2:-4}"; batch="${3:-500}"
pg="${FUSION_BENCH_STORE:-postgresql://fusion:fusion@127.0.0.1:5432/fusion}"
mvn -q -B -Dstyle.color=never -DskipTests package
bench="bench/target/benchmarks.jar"
out="bench/results/ingest-http-$(date -u +%Y-%m-%d).txt"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin

serve() { # serve STORE_ARGS... ; sets pid
  java -Xmx2g ${FUSION_BENCH_SERVER_OPTS:-} -jar server/target/fusion.jar serve --port $port "$@" > /tmp/fusion-bench-server.log 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break   # ours died (port taken?): do not measure someone else's server
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0; sleep 0.2
  done
  echo "server did not start; see /tmp/fusion-bench-server.log" >&2; return 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # the server's user + system CPU, in clock ticks
drive() { # drive RATE READS LABEL; appends the server's CPU per 1000 accepted events (contention-proof)
  local c0 line c1 events
  c0=$(cpu "$pid")
  line=$(java -cp "$bench" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$seconds" "$senders" \
    "$batch" "$1" "$2" "$pid" "$3")
  c1=$(cpu "$pid")
  events=$(echo "$line" | sed -n 's/.*(\([0-9,]*\) events,.*/\1/p' | tr -d ',')
  awk -v l="$line" -v c=$((c1 - c0)) -v e="$events" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s | server CPU %.1f ms per 1000 events\n", l, (e > 0 ? c * 1000000 / hz / e : 0) }'
}
max_rate() { sed -n 's/^[^|]* \([0-9,]*\) events\/s.*/\1/p' | tr -d ',' ; }

{
  echo "# Fusion end-to-end ingest over HTTP, and the store's raw insert ceiling, side by side"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:   $(git rev-parse --short HEAD)"
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM (load driver and server share it)"
  echo "java:     $(java -version 2>&1 | head -1)"
  echo "load:     $senders senders, batches of $batch calls, $seconds s per phase, loopback, no gzip"
  echo "machine load average before the run (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  stores=(sqlite)
  if java -cp "$bench" fusion.bench.RawInsertBench reset "$pg" 2>/dev/null; then stores+=(postgresql); fi
  for store in "${stores[@]}"; do
    if [ "$store" = sqlite ]; then args=(--data "$(mktemp -d)"); else java -cp "$bench" fusion.bench.RawInsertBench reset "$pg"; args=(--store "$pg"); fi
    serve "${args[@]}"; line=$(drive 0 0 "$store, as fast as taken"); stop; echo "$line"
    rate=$(echo "$line" | max_rate)
    if [ "$store" = sqlite ]; then args=(--data "$(mktemp -d)"); else java -cp "$bench" fusion.bench.RawInsertBench reset "$pg"; args=(--store "$pg"); fi
    serve "${args[@]}"; drive $((rate / 2)) 100 "$store, at half, with reads"; stop
    raw=$(java -cp "$bench" fusion.bench.RawInsertBench 200000 "$([ "$store" = sqlite ] && echo sqlite || echo "$pg")" 2>&1 | grep -v SLF4J)
    echo "$raw"
    rawrate=$(echo "$raw" | sed -n 's/^[^0-9]* \([0-9,]*\) rows\/s.*/\1/p' | tr -d ',')
    awk -v e="$rate" -v r="$rawrate" -v s="$store" 'BEGIN { printf "%-28s end-to-end / raw insert = %.2f\n\n", s, e / r }'
  done
} | tee "$out"
echo "wrote $out"
