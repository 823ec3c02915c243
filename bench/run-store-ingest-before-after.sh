#!/usr/bin/env bash
# The store ingest bench (StoreIngestBench: Store.ingest, scoring on, durable, no HTTP) on two
# commits in one run: BASE (default origin/main) built in a temporary worktree with this tree's
# bench class, and this tree; JVMs alternate base, this, base, this... so both see the same
# machine conditions. Reports events/s and the JVM's CPU per 1000 events. Needs a PostgreSQL it
# may drop Fusion's tables in: FUSION_BENCH_STORE=postgresql://user:password@host:port/db; when it
# is not set, a throw-away cluster is made with the system's PostgreSQL binaries on loopback
# (default settings, fsync on) and removed at the end.
# Writes bench/results/store-ingest-before-after-<date>.txt (FUSION_BENCH_OUT overrides the path);
# FUSION_BENCH_STORES=postgresql (or sqlite) measures one store only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
base="${BASE:-origin/main}"
events="${1:-50000}"; batch="${2:-500}"; rounds="${3:-2}"; pairs="${4:-2}"
. bench/lib/pg-cluster.sh
if [ -n "${FUSION_BENCH_STORE:-}" ]; then
  url="$FUSION_BENCH_STORE"; pgnote="$FUSION_BENCH_STORE"
else
  pg_start
  url="$(pgurl fusion)"; pgnote="throw-away cluster on loopback, default settings"
fi
base_worktree "$base"
cp bench/src/main/java/fusion/bench/StoreIngestBench.java "$work/base/bench/src/main/java/fusion/bench/"
(cd "$work/base" && mvn -q -B -o -Dstyle.color=never -DskipTests -pl bench -am package)
mvn -q -B -o -Dstyle.color=never -DskipTests -pl bench -am package
out="${FUSION_BENCH_OUT:-bench/results/store-ingest-before-after-$(date -u +%Y-%m-%d).txt}"
{
  echo "# Fusion store ingest before/after: Store.ingest, scoring on, durable commits, no HTTP"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "before:   $(git rev-parse --short "$base") ($base)"
  echo "after:    $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted changes')"
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg) at start"
  echo "java:     $(java -version 2>&1 | head -1)"
  echo "postgres: $("$pgbin/postgres" --version), $pgnote"
  echo "events:   $events in batches of $batch; $rounds rounds per JVM (the first is cold), $pairs JVMs each, alternating"
  echo "CPU:      the bench JVM's process CPU time (writer, caller, JIT, GC), not PostgreSQL's"
  echo
  for i in $(seq 1 "$pairs"); do
    for which in before after; do
      jar="bench/target/benchmarks.jar"; [ "$which" = before ] && jar="$work/base/bench/target/benchmarks.jar"
      echo "## $which, JVM $i"
      java -cp "$jar" fusion.bench.StoreIngestBench "$events" "$batch" "$rounds" "$url" 2>&1 | grep -v SLF4J
    done
  done
  echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "wrote $out"
