#!/usr/bin/env bash
# Issue 18's layout question for SQLite alone (SnapshotLayoutBench): CPU per event of the writes
# in today's layout (log row and ledger row with their random-key indexes, all before the 200)
# against the proposed one (only the log before the 200; ledger and per-profile index in large
# sorted snapshots into clustered tables), for each snapshot size given.
# Usage: bench/run-snapshot-layout.sh [EVENTS [SNAPSHOT_EVENTS...]]
# Writes bench/results/snapshot-layout-<date>.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
events="${1:-300000}"; shift || true
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(20000 50000 100000)
[ -n "${FUSION_BENCH_NO_BUILD:-}" ] || mvn -q -B -o -Dstyle.color=never -DskipTests -pl bench -am package
out="bench/results/snapshot-layout-$(date -u +%Y-%m-%d).txt"
{
  echo "# SQLite's CPU per event for the same rows in today's layout and in issue 18's proposed layout"
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:   $(git rev-parse --short HEAD)"
  echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java:     $(java -version 2>&1 | head -1)"
  echo "setup:    $events events, 2,000 profiles, 4 brands, one ledger row per event, 360-character bodies,"
  echo "          transactions of 500 events, WAL, synchronous=FULL; CPU of the one writing thread over the last"
  echo "          third of the run (window = a whole number of snapshots); two rounds each"
  for s in "${sizes[@]}"; do
    java -cp bench/target/benchmarks.jar fusion.bench.SnapshotLayoutBench "$events" "$s" | sed "s/^/snapshot every $s events, /"
  done
} | tee "$out"
echo "wrote $out"
