#!/usr/bin/env bash
# What the sorted indexes' upkeep (moves and merges, docs/STORAGE.md "Sorted runs") costs SQLite's
# writer, for BASE's server and this tree's, alternating per round, in one run (issue 18).
# Usage: BASE=<commit> bench/run-writer-upkeep.sh [ROUNDS SECONDS RATE]
# Per round and build: a fresh server on a fresh SQLite data directory with
# -Dfusion.writer.timing=true (WriterTiming logs the writer's CPU per statement and upkeep step,
# totals since the start, every 10 s while it works), a warm-up of 15 s, then SECONDS (default 90)
# of load driver at RATE events/s (default 9,000: both builds do the same work, fresh messageIds).
# Prints the server's CPU per 1000 events per thread group (lib/thread-cpu.py) and, from the
# WriterTiming reports that bracket the measured phase, the writer's CPU per event in upkeep and in
# everything else, its CPU per statement kind per logged event (lib/writer-timing.py), and the
# bytes the server wrote per event. MessageIds are random UUIDs (FUSION_BENCH_IDS=growing: growing ids). Writes bench/results/writer-upkeep-<date>.txt (FUSION_BENCH_OUT overrides).
# FUSION_BENCH_SQL="SQL" also runs each build, in each round, on a store changed by SQL after its
# schema is made (the server started, stopped, the SQL run with the sqlite3 command-line tool,
# the server started again), labelled "+ sql": e.g. "DROP INDEX ledger_brand" measures what an
# index costs the writer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-2}"; seconds="${2:-90}"; rate="${3:-9000}"
out="${FUSION_BENCH_OUT:-bench/results/writer-upkeep-$(date -u +%Y-%m-%d).txt}"
. bench/lib/base-build.sh
builds=(after); jars=("$work/after.jar"); cp server/target/fusion.jar "$work/after.jar"
variants=(""); [ -n "${FUSION_BENCH_SQL:-}" ] && variants=("" "${FUSION_BENCH_SQL}")
commits=("$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo ' + uncommitted changes')")
if [ -n "${BASE:-}" ]; then
  base_jar "$BASE"
  builds=(before after); jars=("$work/before.jar" "$work/after.jar"); commits=("$(git rev-parse --short "$BASE") ($BASE)" "${commits[0]}")
fi
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin

{
  echo "# The sorted indexes' upkeep on SQLite's writer, builds alternating per round"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for i in "${!builds[@]}"; do echo "${builds[$i]}:$(printf '%*s' $((9 - ${#builds[$i]})) '')${commits[$i]}"; done
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM (load driver and server share it)"
  echo "java:     $(java -version 2>&1 | head -1)"
  echo "load:     4 senders, batches of 500, $rate events/s, warm-up 15 s, $seconds s measured, fresh messageIds ($([ "${FUSION_BENCH_IDS:-}" = growing ] && echo "growing within each sender" || echo "random UUIDs"): FUSION_BENCH_IDS), loopback"
  [ -n "${FUSION_BENCH_SQL:-}" ] && echo "+ sql:    ${FUSION_BENCH_SQL} (run on the store after its schema was made, before the load)"
  echo "machine load average before the run (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  for round in $(seq 1 "$rounds"); do
    for i in "${!builds[@]}"; do
    for sql in "${variants[@]}"; do
      label="${builds[$i]}${sql:+ + sql}"
      port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
      d=$(mktemp -d "$work/data-XXXX"); log="$work/server-${builds[$i]}.log"
      start_server() {
        java -Xmx2g -Dfusion.writer.timing=true -jar "${jars[$i]}" serve --port "$port" --data "$d" >> "$log" 2>&1 &
        pid=$!
        up=0
        for _ in $(seq 1 150); do
          kill -0 "$pid" 2>/dev/null || break
          curl -sf "http://127.0.0.1:$port/health" >/dev/null && { up=1; break; }; sleep 0.2
        done
        [ "$up" = 1 ] || { echo "server did not start; see $log" >&2; exit 1; }
      }
      : > "$log"
      start_server
      if [ -n "$sql" ]; then
        kill "$pid"; wait "$pid" 2>/dev/null || true
        sqlite3 "$d/fusion.db" "$sql"
        start_server
      fi
      java -cp "$bench" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin 15 4 500 "$rate" 0 "$pid" warmup "warm-$(date +%s%N)" > /dev/null
      from=$(grep -c 'writer CPU by statement' "$log" || true)
      a=$(mktemp); b=$(mktemp)
      python3 bench/lib/thread-cpu.py snap "$pid" > "$a"; w0=$(awk '/^write_bytes/ {print $2}' "/proc/$pid/io")
      line=$(java -cp "$bench" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$seconds" 4 500 "$rate" 0 "$pid" "round $round, $label" "run-$(date +%s%N)")
      python3 bench/lib/thread-cpu.py snap "$pid" > "$b"; w1=$(awk '/^write_bytes/ {print $2}' "/proc/$pid/io")
      kill "$pid"; wait "$pid" 2>/dev/null || true
      events=$(echo "$line" | sed -n 's/.*(\([0-9,]*\) events,.*/\1/p' | tr -d ',')
      echo "$line" | sed 's/ | profile reads.*//'
      python3 bench/lib/thread-cpu.py diff "$a" "$b" "$events" | grep -E 'writer|request|GC|JIT'
      echo "  bytes written per event: $(( (w1 - w0) / events )) (the server's /proc/PID/io write_bytes over the phase)"
      python3 bench/lib/writer-timing.py "$log" "$from"
      rm -f "$a" "$b"; rm -rf "$d"
    done
    done
  done
  echo "machine load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "wrote $out"
