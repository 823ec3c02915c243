#!/usr/bin/env bash
# What any read costs on the loaded server, against what the profile read costs (issue 18: read p99
# < 10 ms at half rate). One fresh SQLite server (this tree's fusion.jar, or FUSION_BENCH_JAR), a
# warm-up of 60 s at RATE events/s with 100 profile reads a second, then ROUNDS x, alternating
# within the one warm server, SECS measured each, for each read and each reader:
#   reads  /api/profiles/u<N>/relationships (what run-ingest-http.sh reads) and /nope/u<N>, a path
#          no route serves: Jetty's 404, no authentication, store or audit: the floor any read has
#          (the run queue, pauses, the HTTP exchange);
#   reader plain (PlainHttpReader: the reading thread's own blocking connection) and httpclient
#          (the JDK's HttpClient, shared with the senders: what LoadDriver read through before
#          2026-12-07).
# FUSION_BENCH_SERVER_OPTS adds JVM options, FUSION_BENCH_SERVE_ARGS arguments of `serve` (e.g.
# `--audit-sync interval`). RATE 0 reads the idle server (no ingest beside the reads; the warm-up still ingests at 2,000
# events/s so the server's read path is compiled).
#   bench/run-read-floor.sh [RATE ROUNDS SECS]     (default 17000 2 20: half of SQLite's maximum)
# Writes bench/results/read-floor-<date>.txt (or FUSION_BENCH_OUT), appending when it exists.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rate="${1:-17000}"; rounds="${2:-2}"; secs="${3:-20}"
out="${FUSION_BENCH_OUT:-bench/results/read-floor-$(date -u +%Y-%m-%d).txt}"
jar="${FUSION_BENCH_JAR:-server/target/fusion.jar}"
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
d=$(mktemp -d)
java -Xmx2g ${FUSION_BENCH_SERVER_OPTS:-} -jar "$jar" serve --port "$port" --data "$d" ${FUSION_BENCH_SERVE_ARGS:-} > /tmp/fusion-bench-server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$d"' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
# drv SECONDS RATE LABEL: LoadDriver with 4 senders of 500-call batches (none at RATE 0) and 100 reads/s
drv() {
  local senders=4; [ "$2" = 0 ] && senders=0
  java -cp bench/target/benchmarks.jar fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin \
    "$1" "$senders" 500 "$2" 100 "$pid" "$3" "$3-$(date +%s%N)"
}
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
{
  echo "# Any read's floor against the profile read, under ingest: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD)"
  echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg); SQLite, $rate events/s of ingest, 100 reads/s, warm-up 60 s, $secs s a phase"
  echo "# JVM: java -Xmx2g ${FUSION_BENCH_SERVER_OPTS:-}; server $jar serve ${FUSION_BENCH_SERVE_ARGS:-} (sha256 $(sha256sum "$jar" | cut -c1-12))"
  drv 60 "$([ "$rate" = 0 ] && echo 2000 || echo "$rate")" warmup > /dev/null
  for r in $(seq 1 "$rounds"); do
    for path in '/api/profiles/u%d/relationships' '/nope/u%d'; do
      status=200; [ "${path#/nope}" != "$path" ] && status=404
      for reader in plain httpclient; do
        c0=$(cpu)
        line=$(FUSION_BENCH_READER=$reader FUSION_BENCH_READ_PATH=$path FUSION_BENCH_READ_STATUS=$status drv "$secs" "$rate" "$reader")
        c1=$(cpu)
        printf 'round %d %-32s %-10s %s | server CPU %d ms\n' "$r" "$path" "$reader" \
          "$(echo "$line" | sed 's/^[^ ]* *//; s/ | batch of [^|]*|/ |/')" $(((c1 - c0) * 1000 / $(getconf CLK_TCK)))
      done
    done
  done
} | tee -a "$out"
echo "wrote $out"
