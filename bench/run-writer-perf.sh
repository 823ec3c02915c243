#!/usr/bin/env bash
# Where the SQLite writer thread's CPU goes, native frames included (issue 18): a fresh server
# (this tree's fusion.jar, -XX:+PreserveFramePointer and a perf map of the JIT's code), a warm-up
# of 25 s at RATE events/s, then `perf record -g` of the writer thread alone over SECS while the
# load goes on. Prints the share of each library (JIT-compiled Java, SQLite, kernel, libc, JVM),
# the hottest frames by self time, and the inclusive shares under SqlStore.commitGroup
# (lib/perf-tree.py). xerial's SQLite is stripped and has no frame pointers: a sample in it shows
# as an address, and its Java callers are lost, so its share is the library's line.
# Needs perf (linux-perf) and permission to trace (root, or perf_event_paranoid <= 1).
#   bench/run-writer-perf.sh [RATE SECS]
# Writes bench/results/writer-perf-<date>.txt (or FUSION_BENCH_OUT).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rate="${1:-9000}"; secs="${2:-20}"
out="${FUSION_BENCH_OUT:-bench/results/writer-perf-$(date -u +%Y-%m-%d).txt}"
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
d=$(mktemp -d)
java -Xmx2g -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer \
  -jar server/target/fusion.jar serve --port "$port" --data "$d/data" > /tmp/fusion-bench-server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$d" /tmp/perf-$pid.map' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
drv() { java -cp bench/target/benchmarks.jar fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$1" 4 500 "$rate" 0 "$pid" "$2" "$2-$(date +%s%N)"; }
drv 25 warmup > /dev/null
tid=$(ps -L -o tid=,comm= -p "$pid" | awk '/fusion-wri/{print $1}' | head -1)
perf record -F 2000 -g -t "$tid" -o "$d/perf.data" -- sleep "$secs" > /dev/null 2>&1 &
rec=$!
line=$(drv "$secs" run)
wait $rec || true
kill "$pid"; wait "$pid" 2>/dev/null || true   # the JVM writes its perf map as it exits
{
  echo "# The SQLite writer thread's CPU by library and frame (perf, frame pointers): $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD)"
  echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg); $rate events/s, warm-up 25 s, $secs s recorded"
  echo "$line"
  echo "## by library (self)"
  perf report -i "$d/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep '%' | head -8 || true
  echo "## hottest frames (self)"
  perf report -i "$d/perf.data" --no-children --sort sym --stdio -g none 2>&1 | grep '%' | head -30 || true
  echo "## under SqlStore.commitGroup"
  perf script -i "$d/perf.data" 2>/dev/null > "$d/script.txt"
  python3 bench/lib/perf-tree.py "$d/script.txt" SqlStore.commitGroup 20 | head -45 || true
} | tee "$out"
