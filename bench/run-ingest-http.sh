#!/usr/bin/env bash
# End-to-end ingest over HTTP, on each store, against the store's raw insert ceiling, in one run.
# For each store (SQLite; PostgreSQL: FUSION_BENCH_STORE, else a throw-away cluster made with the
# system's PostgreSQL binaries on loopback, default settings) and each build (this tree; with
# BASE=<commit>, e.g. BASE=origin/main, that commit's server too, built in a temporary worktree,
# as "before"), a fresh Fusion server (separate process) on loopback, driven by the load driver
# (another process) with fresh messageIds per run and phase:
#   1. a warm-up of FIRST_WARMUP s (FUSION_BENCH_FIRST_WARMUP, default 60: the JIT warms up over a minute), then SECONDS as fast as batches are
#      taken: accepted events/s, batch p50/p99, server peak RSS;
#   2. a warm-up of WARMUP s (FUSION_BENCH_WARMUP, default 15) at half that rate with the same reads, then SECONDS at half that rate while profiles are read 100
#      times a second: read p50/p99; for a build whose `serve --help` knows --audit-sync, this phase runs
#      again on a server restarted on the same store with `--audit-sync interval` ("audit interval":
#      a read's audit entry committed, not yet flushed, before the answer; docs/SECURITY.md), after
#      a warm-up of FIRST_WARMUP s, as that server is fresh too.
# Each measured phase reports the server's CPU per 1000 accepted events, in total (/proc/PID/stat)
# and per thread group (request threads, writer, JIT, GC, other: lib/thread-cpu.py, from
# /proc/PID/task/*/stat), and the bytes written per event: the server process's write_bytes
# (/proc/PID/io) and the store's growth (SQLite: the data directory; PostgreSQL: WAL bytes from
# pg_current_wal_lsn and the database's size). After the load, the rows the server wrote are
# counted from its store (events, ledger, relationships, profiles, identities), and
#   3. RawInsertBench inserts that same mix of rows per event into the same store with plain JDBC
#      (no HTTP, no scoring): the raw events/s, and end-to-end / raw for each build.
# Writes bench/results/ingest-http-<date>.txt (FUSION_BENCH_OUT overrides the path).
# FUSION_BENCH_STORES=postgresql (or sqlite) measures one store only.
# Every messageId is a random UUID, as Segment's Java library and RudderStack's Node SDK send them
# (the raw insert's too); FUSION_BENCH_IDS=growing makes them grow within each sender, as before 2026-12-07.
# `run-ingest-http.sh kafka [SECONDS SENDERS BATCH]` instead measures the stateless ingest tier
# producing to Kafka (see the block below), next to SQLite: bench/results/ingest-kafka-<date>.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode=http; if [ "${1:-}" = kafka ]; then mode=kafka; shift; fi
seconds="${1:-20}"; senders="${2:-4}"; batch="${3:-500}"
pg="${FUSION_BENCH_STORE:-postgresql://fusion:fusion@127.0.0.1:5432/fusion}"
[ -n "${FUSION_BENCH_NO_BUILD:-}" ] || mvn -q -B -o -Dstyle.color=never -DskipTests -pl server,bench -am package
bench="bench/target/benchmarks.jar"
out="${FUSION_BENCH_OUT:-bench/results/ingest-http-$(date -u +%Y-%m-%d).txt}"
warmup="${FUSION_BENCH_WARMUP:-15}"
# the first phase of a fresh server warms up longer: C2 compiles the hot path for the first time over
# its first minute (47 -> 16 -> 1.4-5 ms of JIT per 1000 events at 39, 51 and 60+ s after the start:
# bench/results/jit-curve-2026-12-07.txt), and the issue's CPU target is the warm server's
first_warmup="${FUSION_BENCH_FIRST_WARMUP:-60}"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin

serve() { # serve STORE_ARGS... ; sets pid
  java -Xmx2g ${FUSION_BENCH_SERVER_OPTS:-} -jar "${FUSION_BENCH_JAR:-server/target/fusion.jar}" serve --port $port "$@" > /tmp/fusion-bench-server.log 2>&1 &
  pid=$!
  # up to 150 s: a server started on a filled store reads its interactions back first (audiences), which
  # took more than 20 s on the shared machine at load 9 (the audit-interval phase's start then failed)
  for _ in $(seq 1 750); do
    kill -0 "$pid" 2>/dev/null || break   # ours died (port taken?): do not measure someone else's server
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0; sleep 0.2
  done
  echo "server did not start; see /tmp/fusion-bench-server.log" >&2; return 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
wbytes() { awk '/^write_bytes/ {print $2}' "/proc/$1/io"; } # bytes the process caused to be written to storage
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
# rawbench ARGS...: RawInsertBench; on failure its output (the exception) goes to stderr, so a
# failing count or raw insert stops the run with the reason instead of silently (set -e)
rawbench() {
  local o
  if ! o=$(java -cp "$bench" fusion.bench.RawInsertBench "$@" 2>&1); then
    { echo "RawInsertBench $1 failed:"; echo "$o"; } >&2; return 1
  fi
  echo "$o"
}
max_rate() { sed -n 's/^[^|]* \([0-9,]*\) events\/s.*/\1/p' | tr -d ',' ; }
# store_bytes STORE: the store's size so far (sqlite:DIR: the data directory; a PostgreSQL URL:
# "WAL_POSITION DATABASE_SIZE"), to difference across a phase
store_bytes() {
  case "$1" in
    sqlite:*) du -sb "${1#sqlite:}" | cut -f1 ;;
    "") echo 0 ;;
    *) java -cp "$bench" fusion.bench.RawInsertBench pgstat "$1" 2>/dev/null | sed -n 's/^wal=\([0-9]*\) size=\([0-9]*\)$/\1 \2/p' ;;
  esac
}
# measure RATE READS LABEL [STORE]: a warm-up at RATE with READS profile reads a second (the read path
# is measured warm too) and fresh ids, then the measured phase; prints
# the LoadDriver line with the server's CPU, its CPU per thread group and the bytes written per
# event; sets `rate` to the measured events/s
measure() {
  local a b line events io0 io1 s0 s1 w="$warmup"
  # a fresh server's first phase (as fast as taken, or the restarted server's: fresh=1) warms up
  # as long as C2 needs; the restarted server's phase had 15 s until 2026-12-07 and spent 11-37 ms
  # of JIT per 1000 events in its measured phase (bench/results/ingest-http-2026-12-07b.txt)
  if [ "$1" = 0 ] || [ "${fresh:-0}" = 1 ]; then w="$first_warmup"; fi
  fresh=0
  java -cp "$bench" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$w" "$senders" \
    "$batch" "$1" "$2" "$pid" warmup "warm-$(date +%s%N)" > /dev/null
  a=$(mktemp); b=$(mktemp)
  python3 bench/lib/thread-cpu.py snap "$pid" > "$a"; io0=$(wbytes "$pid"); s0=$(store_bytes "${4:-}")
  line=$(drive "$1" "$2" "$3")
  python3 bench/lib/thread-cpu.py snap "$pid" > "$b"; io1=$(wbytes "$pid"); s1=$(store_bytes "${4:-}")
  echo "$line"
  rate=$(echo "$line" | max_rate)
  events=$(echo "$line" | sed -n 's/.*(\([0-9,]*\) events,.*/\1/p' | tr -d ',')
  python3 bench/lib/thread-cpu.py diff "$a" "$b" "$events"
  rm -f "$a" "$b"
  awk -v e="$events" -v io=$((io1 - io0)) -v s0="$s0" -v s1="$s1" -v store="${4:-}" 'BEGIN {
    if (e <= 0) exit
    printf "  bytes written per event: server process %.0f (/proc/PID/io write_bytes)", io / e
    split(s0, x, " "); split(s1, y, " ")
    if (store ~ /^sqlite:/) printf ", data directory growth %.0f", (y[1] - x[1]) / e
    else if (store != "") printf ", PostgreSQL WAL %.0f, database growth %.0f", (y[1] - x[1]) / e, (y[2] - x[2]) / e
    printf "\n" }'
}

if [ "$mode" = kafka ]; then
  # The stateless ingest tier (serve --log kafka://...) against a KRaft broker in another JVM
  # (KafkaFixture, with PostgreSQL for the API's reads), beside the single node on SQLite, in one run:
  # a warm-up of WARMUP s, then SECONDS measured; the server's CPU per 1000 accepted events, in total
  # (/proc/PID/stat) and per thread group (/proc/PID/task/*/stat). Writes ingest-kafka-<date>.txt.
  out="bench/results/ingest-kafka-$(date -u +%Y-%m-%d).txt"
  fixture_in=$(mktemp -u); mkfifo "$fixture_in"; fixture_out=$(mktemp)
  pgarg=(); java -cp "$bench" fusion.bench.RawInsertBench reset "$pg" 2>/dev/null && pgarg=("$pg")
  java -Xmx1g -cp "$bench" -Dorg.slf4j.simpleLogger.defaultLogLevel=error fusion.bench.KafkaFixture \
    fusion-bench "${FUSION_BENCH_PARTITIONS:-4}" "${pgarg[@]}" < "$fixture_in" > "$fixture_out" 2>/tmp/fusion-bench-fixture.log &
  fixture=$!; exec 7>"$fixture_in"   # the fixture runs until this descriptor closes
  trap 'exec 7>&-; wait $fixture 2>/dev/null || true; rm -f "$fixture_in" "$fixture_out"' EXIT
  for _ in $(seq 1 300); do grep -q '^store=' "$fixture_out" && break; kill -0 $fixture || break; sleep 0.2; done
  bootstrap=$(sed -n 's/^bootstrap=//p' "$fixture_out"); kstore=$(sed -n 's/^store=//p' "$fixture_out")
  [ -n "$kstore" ] || { echo "the Kafka fixture did not start; see /tmp/fusion-bench-fixture.log" >&2; exit 1; }
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
    measure 0 0 "kafka (serve --log)"; stop
    if [ -z "${FUSION_BENCH_KAFKA_ONLY:-}" ]; then d=$(mktemp -d); serve --data "$d"; measure 0 0 "sqlite (single node)" "sqlite:$d"; stop; fi
    echo "machine load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee "$out"
  echo "wrote $out"
  exit 0
fi

# the builds: this tree ("after"), and BASE's server ("before") when BASE is set; the work
# directory, BASE's worktree and the throw-away cluster come from lib/pg-cluster.sh
. bench/lib/pg-cluster.sh
builds=(after); jars=("${FUSION_BENCH_JAR:-server/target/fusion.jar}"); commits=("$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo ' + uncommitted changes')")
if [ -n "${BASE:-}" ]; then
  base_worktree "$BASE"
  (cd "$work/base" && mvn -q -B -o -Dstyle.color=never -DskipTests -pl server -am package)
  builds=(before after); jars=("$work/base/server/target/fusion.jar" "${jars[0]}"); commits=("$(git rev-parse --short "$BASE") ($BASE)" "${commits[0]}")
fi
pgnote="not measured: no PostgreSQL binaries and no FUSION_BENCH_STORE"
if [ -n "${FUSION_BENCH_STORE:-}" ]; then
  pg="$FUSION_BENCH_STORE"; pgnote="$pg"
elif [ -n "$pgbin" ]; then
  pg_start
  pg="$(pgurl fusion)"
  pgnote="$("$pgbin/postgres" --version), throw-away cluster on loopback, default settings (fsync on)"
fi
raw_events="${FUSION_BENCH_RAW_EVENTS:-60000}"

{
  echo "# Fusion end-to-end ingest over HTTP, and the store's raw insert ceiling for the same rows, side by side"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for i in "${!builds[@]}"; do echo "${builds[$i]}:$(printf '%*s' $((9 - ${#builds[$i]})) '')${commits[$i]}"; done
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM (load driver, server and the store share it)"
  echo "java:     $(java -version 2>&1 | head -1)"
  echo "postgres: $pgnote"
  echo "load:     $senders senders, batches of $batch calls, fresh messageIds per run and phase ($([ "${FUSION_BENCH_IDS:-}" = growing ] && echo "growing within each sender" || echo "random UUIDs")), warm-up $first_warmup s before the first phase of a fresh server and $warmup s before each other, $seconds s measured, loopback, no gzip"
  echo "machine load average before the run (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  stores=(); [ "${FUSION_BENCH_STORES:-sqlite,postgresql}" != postgresql ] && stores+=(sqlite)
  if [ "${FUSION_BENCH_STORES:-sqlite,postgresql}" != sqlite ] && [ -n "${pg:-}" ] \
    && java -cp "$bench" fusion.bench.RawInsertBench reset "$pg" 2>/dev/null; then stores+=(postgresql); fi
  for store in "${stores[@]}"; do
    declare -A e2e=()
    mix=""
    for i in "${!builds[@]}"; do
      build=${builds[$i]}
      if [ "$store" = sqlite ]; then d=$(mktemp -d); args=(--data "$d"); target="sqlite:$d"
      else # each build migrates an empty database to its own schema (the builds' schemas may differ)
        java -cp "$bench" fusion.bench.RawInsertBench drop "$pg"
        java -jar "${jars[$i]}" migrate --store "$pg" >/dev/null
        args=(--store "$pg"); target="$pg"; fi
      FUSION_BENCH_JAR="${jars[$i]}" serve "${args[@]}"
      measure 0 0 "$store, $build, as fast as taken" "$target"; e2e[$build]=$rate
      measure $((rate / 2)) 100 "$store, $build, at half, with reads" "$target"
      stop
      if java -jar "${jars[$i]}" serve --help 2>&1 | grep -q -- --audit-sync; then
        FUSION_BENCH_JAR="${jars[$i]}" serve "${args[@]}" --audit-sync interval
        fresh=1
        measure $((e2e[$build] / 2)) 100 "$store, $build, at half, with reads, audit interval" "$target"
        stop
      fi
      mix=$(rawbench count "$target" | grep '^events=') \
        || { echo "RawInsertBench count $target printed no events= line; its output above says why" >&2; exit 1; }
      echo "  rows the server wrote (counted from the store after the load, warm-ups included): $mix"
      [ "$store" = sqlite ] && rm -rf "$d"
    done
    raw=$(rawbench "$raw_events" "$([ "$store" = sqlite ] && echo sqlite || echo "$pg")" "$mix" | grep -v SLF4J) \
      || { echo "RawInsertBench's raw insert on $store failed; its output above says why" >&2; exit 1; }
    echo "$raw"
    rawrate=$(echo "$raw" | sed -n 's/^[^0-9]* \([0-9,]*\) events\/s.*/\1/p' | tr -d ',')
    [ -n "$rawrate" ] || { echo "RawInsertBench's raw insert on $store printed no events/s" >&2; exit 1; }
    for build in "${builds[@]}"; do
      awk -v e="${e2e[$build]}" -v r="$rawrate" -v s="$store, $build" 'BEGIN { printf "%-28s end-to-end / raw insert of the same rows = %.2f\n", s, e / r }'
    done
    echo
  done
  echo "machine load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "wrote $out"
