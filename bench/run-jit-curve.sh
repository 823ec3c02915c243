#!/usr/bin/env bash
# How the server's CPU per 1000 events settles after its start (issue 18: what the JIT compiler
# still spends after run-ingest-http.sh's 15 s warm-up). Per round and per variant (alternating):
# a fresh server on a fresh store (PostgreSQL: a throw-away cluster from the system's binaries,
# reset per server; FUSION_BENCH_STORES=sqlite: a fresh data directory), then PHASES consecutive
# phases of SECONDS each at full rate (load driver: 4 senders, batches of 500, fresh messageIds),
# each phase reporting the server's uptime at its end, its rate and its CPU per 1000 events by
# thread group (lib/thread-cpu.py: writer, request threads, JIT, GC, other).
# Variants: FUSION_BENCH_VARIANTS, JVM options per variant separated by '|' (default: one variant,
# no options; e.g. '|-XX:-TieredCompilation' puts the JVM's defaults beside C2 alone).
# Usage: bench/run-jit-curve.sh [PHASES SECONDS ROUNDS]; writes FUSION_BENCH_OUT (default
# bench/results/jit-curve-<date>.txt).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
phases="${1:-8}"; seconds="${2:-10}"; rounds="${3:-1}"
store="${FUSION_BENCH_STORES:-postgresql}"
out="${FUSION_BENCH_OUT:-bench/results/jit-curve-$(date -u +%Y-%m-%d).txt}"
IFS='|' read -r -a variants <<< "${FUSION_BENCH_VARIANTS:-}"
[ ${#variants[@]} -gt 0 ] || variants=("")
[ -n "${FUSION_BENCH_NO_BUILD:-}" ] || mvn -q -B -o -Dstyle.color=never -DskipTests -pl server,bench -am package
bench="bench/target/benchmarks.jar"
jar="${FUSION_BENCH_JAR:-server/target/fusion.jar}"
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin
work="$(mktemp -d)"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
as_pg=(); [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
pid=""
cleanup() {
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  if [ -f "$work/pg/data/postmaster.pid" ]; then "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -w -m fast stop >/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
if [ "$store" = postgresql ]; then
  [ -n "$pgbin" ] || { echo "no PostgreSQL binaries under /usr/lib/postgresql" >&2; exit 1; }
  pgport=$(free_port)
  mkdir -p "$work/pg"; [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$work/pg" && chmod 755 "$work"
  "${as_pg[@]}" "$pgbin/initdb" -D "$work/pg/data" -U fusion --auth=trust -E UTF8 >/dev/null
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -w -t 60 -l "$work/pg/log" \
      -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
  "${as_pg[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U fusion fusion
  pg="postgresql://fusion:fusion@127.0.0.1:$pgport/fusion"
fi
{
  echo "# The server's CPU per 1000 events by thread group, phase by phase from its start (store: $store)"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:   $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo ' + uncommitted changes')"
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM (load driver, server and the store share it)"
  echo "java:     $(java -version 2>&1 | head -1)"
  [ "$store" = postgresql ] && echo "postgres: $("$pgbin/postgres" --version), throw-away cluster on loopback, default settings (fsync on)"
  echo "load:     4 senders, batches of 500 calls, full rate, fresh messageIds per phase, $phases phases of $seconds s from the server's start, $rounds round(s), variants alternating"
  echo "machine load average before the run (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
  for round in $(seq 1 "$rounds"); do
    for v in "${variants[@]}"; do
      echo
      echo "round $round, JVM options: ${v:-(none)}; load average $(cut -d' ' -f1 /proc/loadavg)"
      if [ "$store" = postgresql ]; then
        java -cp "$bench" fusion.bench.RawInsertBench drop "$pg"
        java -jar "$jar" migrate --store "$pg" >/dev/null
        args=(--store "$pg")
      else
        rm -rf "$work/data"; args=(--data "$work/data")
      fi
      port=$(free_port)
      # shellcheck disable=SC2086 # the variant's options are words
      java -Xmx2g $v -jar "$jar" serve --port "$port" "${args[@]}" > /tmp/fusion-bench-jit-curve.log 2>&1 &
      pid=$!
      for _ in $(seq 1 150); do
        kill -0 "$pid" 2>/dev/null || { echo "server died; see /tmp/fusion-bench-jit-curve.log" >&2; exit 1; }
        curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2
      done
      for i in $(seq 1 "$phases"); do
        python3 bench/lib/thread-cpu.py snap "$pid" > "$work/a.json"
        line=$(java -cp "$bench" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$seconds" 4 500 0 0 \
          "$pid" "phase $i" "curve-$round-$i-$(date +%s%N)")
        python3 bench/lib/thread-cpu.py snap "$pid" > "$work/b.json"
        events=$(echo "$line" | sed -n 's/.*(\([0-9,]*\) events,.*/\1/p' | tr -d ',')
        rate=$(echo "$line" | sed -n 's/^[^|]* \([0-9,]*\) events\/s.*/\1/p')
        up=$(jcmd "$pid" VM.uptime 2>/dev/null | tail -1 | awk '{printf "%.0f", $1}')
        printf "  phase %d, to %3s s after start, %7s events/s:" "$i" "$up" "$rate"
        python3 bench/lib/thread-cpu.py diff "$work/a.json" "$work/b.json" "$events" \
          | awk '{ sub(/ per 1000 events.*/, ""); sub(/^ +/, ""); printf " | %s", $0 } END { print "" }' \
          | sed 's/  */ /g'
      done
      kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    done
  done
  echo
  echo "machine load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "wrote $out"
