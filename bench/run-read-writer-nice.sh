#!/usr/bin/env bash
# Does the writer thread keep profile reads off the CPU? (issue 18, read p99 at half rate)
# One fresh SQLite server (this tree's fusion.jar), a warm-up of 60 s at RATE events/s with 100
# profile reads a second, then ROUNDS x (the writer thread at nice 0, the writer thread at nice
# NICE, default 10), SECS measured each, alternating within the one warm server: LoadDriver's line
# (read p50/p99) and the server's CPU ticks. renice back to 0 needs root (or CAP_SYS_NICE).
#   bench/run-read-writer-nice.sh [RATE ROUNDS SECS]
# Writes bench/results/read-writer-nice-<date>.txt (or FUSION_BENCH_OUT).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rate="${1:-15000}"; rounds="${2:-3}"; secs="${3:-20}"
out="${FUSION_BENCH_OUT:-bench/results/read-writer-nice-$(date -u +%Y-%m-%d).txt}"
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
d=$(mktemp -d)
java -Xmx2g -jar server/target/fusion.jar serve --port "$port" --data "$d" > /tmp/fusion-bench-server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$d"' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
drv() { java -cp bench/target/benchmarks.jar fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$1" 4 500 "$rate" 100 "$pid" "$2" "$2-$(date +%s%N)"; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
{
  echo "# The writer thread's priority against the profile read's tail: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD)"
  echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg); SQLite, $rate events/s, 100 reads/s, warm-up 60 s, $secs s a phase"
  drv 60 warmup > /dev/null
  tid=$(ps -L -o tid=,comm= -p $pid | awk '/fusion-wri/{print $1}' | head -1)
  for r in $(seq 1 "$rounds"); do
    for v in normal niced; do
      if [ $v = niced ]; then renice -n "${NICE:-10}" -p "$tid" >/dev/null; else renice -n 0 -p "$tid" > /dev/null; fi
      c0=$(cpu); line=$(drv "$secs" $v); c1=$(cpu)
      echo "$v: $(echo "$line" | sed 's/.*accepted/accepted/') | server CPU ticks $((c1 - c0))"
    done
  done
} | tee "$out"
