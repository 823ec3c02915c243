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
# `run-ingest-http.sh kafka [SECONDS SENDERS BATCH]` instead measures the stateless ingest tier
# producing to Kafka (see the block below), next to SQLite: bench/results/ingest-kafka-<date>.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode=http; if [ "${1:-}" = kafka ]; then mode=kafka; shift; fi
seconds="${1:-20}"; senders="${2:-4}"; batch="${3:-500}"
pg="${FUSION_BENCH_STORE:-postgresql://fusion:fusion@127.0.0.1:5432/fusion}"
[ -n "${FUSION_BENCH_NO_BUILD:-}" ] || mvn -q -B -Dstyle.color=never -DskipTests -pl server,bench -am package
bench="bench/target/benchmarks.jar"
out="bench/results/ingest-http-$(date -u +%Y-%m-%d).txt"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin

serve() { # serve STORE_ARGS... ; sets pid
  java -Xmx2g ${FUSION_BENCH_SERVER_OPTS:-} -jar "${FUSION_BENCH_JAR:-server/target/fusion.jar}" serve --port $port "$@" > /tmp/fusion-bench-server.log 2>&1 &
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
    "$batch" "$1" "$2" "$pid" "$3" "run-$(date +%s%N)")
  c1=$(cpu "$pid")
  events=$(echo "$line" | sed -n 's/.*(\([0-9,]*\) events,.*/\1/p' | tr -d ',')
  awk -v l="$line" -v c=$((c1 - c0)) -v e="$events" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s | server CPU %.1f ms per 1000 events\n", l, (e > 0 ? c * 1000000 / hz / e : 0) }'
}
max_rate() { sed -n 's/^[^|]* \([0-9,]*\) events\/s.*/\1/p' | tr -d ',' ; }

if [ "$mode" = kafka ]; then
  # The stateless ingest tier (serve --log kafka://...) against a KRaft broker in another JVM
  # (KafkaFixture, with PostgreSQL for the API's reads), beside the single node on SQLite, in one run:
  # a warm-up of WARMUP s, then SECONDS measured; the server's CPU per 1000 accepted events, in total
  # (/proc/PID/stat) and per thread group (/proc/PID/task/*/stat). Writes ingest-kafka-<date>.txt.
  out="bench/results/ingest-kafka-$(date -u +%Y-%m-%d).txt"
  warmup="${FUSION_BENCH_WARMUP:-20}"
  fixture_in=$(mktemp -u); mkfifo "$fixture_in"; fixture_out=$(mktemp)
  pgarg=(); java -cp "$bench" fusion.bench.RawInsertBench reset "$pg" 2>/dev/null && pgarg=("$pg")
  java -Xmx1g -cp "$bench" -Dorg.slf4j.simpleLogger.defaultLogLevel=error fusion.bench.KafkaFixture \
    fusion-bench "${FUSION_BENCH_PARTITIONS:-4}" "${pgarg[@]}" < "$fixture_in" > "$fixture_out" 2>/tmp/fusion-bench-fixture.log &
  fixture=$!; exec 7>"$fixture_in"   # the fixture runs until this descriptor closes
  trap 'exec 7>&-; wait $fixture 2>/dev/null || true; rm -f "$fixture_in" "$fixture_out"' EXIT
  for _ in $(seq 1 300); do grep -q '^store=' "$fixture_out" && break; kill -0 $fixture || break; sleep 0.2; done
  bootstrap=$(sed -n 's/^bootstrap=//p' "$fixture_out"); kstore=$(sed -n 's/^store=//p' "$fixture_out")
  [ -n "$kstore" ] || { echo "the Kafka fixture did not start; see /tmp/fusion-bench-fixture.log" >&2; exit 1; }
  measure() { # measure LABEL: warm-up, then the measured phase with per-thread CPU
    local a b line events
    java -cp "$bench" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$warmup" "$senders" \
      "$batch" 0 0 "$pid" warmup "warm-$RANDOM$RANDOM" > /dev/null
    a=$(mktemp); b=$(mktemp)
    python3 bench/lib/thread-cpu.py snap "$pid" > "$a"
    line=$(drive 0 0 "$1")
    python3 bench/lib/thread-cpu.py snap "$pid" > "$b"
    echo "$line"
    events=$(echo "$line" | sed -n 's/.*(\([0-9,]*\) events,.*/\1/p' | tr -d ',')
    python3 bench/lib/thread-cpu.py diff "$a" "$b" "$events"
    rm -f "$a" "$b"
  }
  {
    echo "# The ingest tier's CPU per 1000 events: producing to Kafka (serve --log kafka://) against the single node on SQLite"
    echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit:   $(git rev-parse --short HEAD)"
    echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM (load driver, server and broker share it)"
    echo "java:     $(java -version 2>&1 | head -1)"
    echo "load:     $senders senders, batches of $batch calls, fresh messageIds per run, warm-up $warmup s, $seconds s measured, loopback, no gzip"
    echo "kafka:    KRaft broker (Kafka's test kit) in its own JVM, topic of ${FUSION_BENCH_PARTITIONS:-4} partitions, idempotent producer, acks=all"
    echo "machine load average before the run (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    serve --log "kafka://$bootstrap/fusion-bench" --store "$kstore" --data "$(mktemp -d)"
    measure "kafka (serve --log)"; stop
    if [ -z "${FUSION_BENCH_KAFKA_ONLY:-}" ]; then serve --data "$(mktemp -d)"; measure "sqlite (single node)"; stop; fi
    echo "machine load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee "$out"
  echo "wrote $out"
  exit 0
fi

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
