#!/usr/bin/env bash
# The Flink job's throughput (bounded runs at source parallelism 1 and 2, heap and RocksDB state)
# and its lag at half the best rate, on this machine, in one JVM (Flink MiniCluster, in-JVM Kafka
# broker, the tests' throw-away PostgreSQL). Usage: bench/run-flink-job.sh [EVENTS] [LAG_SECONDS]
# Writes bench/results/flink-job-<date>.txt (with the commit appended).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
events="${1:-100000}"; lag="${2:-30}"
out="$root/bench/results/flink-job-$(date -u +%Y-%m-%d).txt"
mvn -q -B -ntp -pl flink -am test -Dtest=JobThroughputBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -Dbench.args="-Xmx2g -Dbench.events=$events -Dbench.lagSeconds=$lag -Dbench.out=$out"
echo "commit:  $(git rev-parse --short HEAD)" >> "$out"
cat "$out"
