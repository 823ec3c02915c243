#!/usr/bin/env bash
# Issue 18, the ledger (LedgerRowBench): a ledger row in the text form of schema versions 1-7 and
# in the compact form of version 8, each with and without the ledger_brand index, inserted into
# SQLite and PostgreSQL in one run (variants alternating), CPU and bytes per entry; then a pair's
# ledger read as stored versus recomputed from the log, for pairs of 10, 100 and 1000 events.
# Needs a PostgreSQL it may create a table ledger_bench in: FUSION_BENCH_STORE=postgresql://...;
# when it is not set, a throw-away cluster is made with the system's PostgreSQL binaries on
# loopback (default settings, fsync on) and removed at the end.
# Usage: bench/run-ledger.sh [EVENTS] [ROUNDS]. Writes bench/results/ledger-<date>.txt (FUSION_BENCH_OUT overrides).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
events="${1:-40000}"; rounds="${2:-5}"
. bench/lib/pg-cluster.sh
if [ -n "${FUSION_BENCH_STORE:-}" ]; then
  url="$FUSION_BENCH_STORE"; pgnote="$FUSION_BENCH_STORE"
else
  pg_start
  url="$(pgurl fusion)"; pgnote="throw-away cluster on loopback, default settings"
fi
mvn -q -B -o -Dstyle.color=never -DskipTests -pl bench -am package
out="${FUSION_BENCH_OUT:-bench/results/ledger-$(date -u +%Y-%m-%d).txt}"
{
  echo "# Fusion ledger row: text (V1-V7) versus compact (V8), stored versus recomputed (issue 18)"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:   $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted changes')"
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg) at start"
  echo "java:     $(java -version 2>&1 | head -1)"
  echo "postgres: $("$pgbin/postgres" --version), $pgnote"
  echo "events:   $events calls of StoreIngestBench traffic; $rounds rounds, variants alternating"
  echo
  java -cp bench/target/benchmarks.jar fusion.store.sql.LedgerRowBench "$events" "$rounds" "$url" 2>&1 | grep -v SLF4J
  echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "wrote $out"
