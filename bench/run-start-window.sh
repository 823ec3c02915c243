#!/usr/bin/env bash
# What a start costs SQLite since schema v13 (issue 18, docs/STORAGE.md "Duplicates"): BASE's server
# (a schema before v13, with the log's unique index on message_id) fills a fresh store as fast as it
# takes calls for SECONDS (default 90) with random UUIDs as messageIds, as real clients send them;
# then this tree's server starts on that store twice: the first start migrates it (v13 copies the
# log into a table without the index) and reads the window of newest messageIds back from the log,
# the second only reads the window. For each start: the time until /health answers, the server's
# own log lines about the migration and the window, and the first batch's answer after it (a
# resent call of the fill must be a duplicate). Writes bench/results/start-window-<date>.txt
# (FUSION_BENCH_OUT overrides).
#   BASE=<commit> bench/run-start-window.sh [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-90}"
[ -n "${BASE:-}" ] || { echo "run-start-window: set BASE to a commit before schema v13" >&2; exit 2; }
out="${FUSION_BENCH_OUT:-bench/results/start-window-$(date -u +%Y-%m-%d).txt}"
. bench/lib/base-build.sh
base_jar "$BASE"
export FUSION_WRITE_KEY=bench-key FUSION_ADMIN_TOKEN=bench-admin FUSION_BENCH_IDS=uuid # random, as real clients
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
d="$work/data"; mkdir -p "$d"
# start JAR LOG: the server in the background (pid), and ms: how long until /health answered
start() {
  local t0 t1; t0=$(date +%s%N)
  java -Xmx2g -jar "$1" serve --port "$port" --data "$d" > "$2" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    kill -0 "$pid" 2>/dev/null || { echo "server did not start; see $2" >&2; exit 1; }
    curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1
  done
  t1=$(date +%s%N); ms=$(( (t1 - t0) / 1000000 ))
}
{
  echo "# A start of SQLite's server on a store made by a server before schema v13: migration 13 and the messageId window"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "before:   $(git rev-parse --short "$BASE") ($BASE), fills the store"
  echo "after:    $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo ' + uncommitted changes'), starts on it"
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "java:     $(java -version 2>&1 | head -1)"
  echo "fill:     4 senders, batches of 500, as fast as taken for $seconds s, random UUIDs as messageIds, loopback"
  echo "machine load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  start "$work/before.jar" "$work/before.log"
  fill=$(java -cp "$bench" fusion.bench.LoadDriver "http://127.0.0.1:$port" bench-key bench-admin "$seconds" 4 500 0 0 "$pid" fill "fill-$(date +%s%N)")
  echo "$fill" | sed 's/ | profile reads.*//'
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "store:    $(python3 -c "import sqlite3; print(sqlite3.connect('$d/fusion.db').execute('SELECT COUNT(*) FROM events').fetchone()[0])") events, $(du -sh "$d" | cut -f1) on disk"
  mid=$(python3 -c "import sqlite3; print(sqlite3.connect('$d/fusion.db').execute('SELECT message_id FROM events ORDER BY seq DESC LIMIT 1').fetchone()[0])")
  for label in "first start (migration 13, then the window)" "second start (the window)"; do
    start server/target/fusion.jar "$work/after.log"
    t0=$(date +%s%N)
    answer=$(curl -s -u bench-key: -H 'Content-Type: application/json' \
      -d "{\"batch\":[{\"type\":\"track\",\"messageId\":\"$mid\",\"userId\":\"u1\",\"event\":\"Order Completed\"}]}" \
      "http://127.0.0.1:$port/v1/batch")
    t1=$(date +%s%N)
    echo "$label: /health after $ms ms; the newest call of the fill resent: $answer in $(( (t1 - t0) / 1000000 )) ms"
    grep -E 'schema v13|messageIds of the log' "$work/after.log" | sed 's/^/  server: /' || true
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  echo "schema after: $(python3 -c "import sqlite3; c = sqlite3.connect('$d/fusion.db'); print('version', c.execute('SELECT version FROM schema_version').fetchone()[0], '| indexes on events:', c.execute(\"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'\").fetchone()[0])")"
  echo "machine load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "wrote $out"
