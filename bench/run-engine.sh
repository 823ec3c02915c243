#!/usr/bin/env bash
# Engine benchmark (JMH): events per second per thread for the full scoring update.
# Writes bench/results/engine-<date>.txt with the machine, date, commit and JMH's figures.
# Extra arguments go to JMH (e.g. -p consumers=1000, -prof gc).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -Dstyle.color=never -DskipTests -pl bench -am package
mkdir -p bench/results
out="bench/results/engine-$(date -u +%Y-%m-%d).txt"
table="$(mktemp)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- core bench/src 2>/dev/null || commit="$commit (with uncommitted changes to core or bench)"
java -jar bench/target/benchmarks.jar EngineBenchmark -rf text -rff "$table" "$@" >&2
{
  echo "# Fusion engine benchmark: the full scoring update of one event on one thread"
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:  $commit"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo "consumers: distinct parties in the stream; 1000 keeps the state hot in cache, 50000 (~250k pairs) does not"
  echo
  cat "$table"
} | tee "$out"
rm -f "$table"
echo "wrote $out"
