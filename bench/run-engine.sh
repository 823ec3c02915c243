#!/usr/bin/env bash
# Engine benchmark (JMH): events per second per thread for the full scoring update.
# Writes bench/results/engine-<date>.txt with the machine, date, commit and JMH's figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests -pl bench -am package
mkdir -p bench/results
out="bench/results/engine-$(date -u +%Y-%m-%d).txt"
{
  echo "# Fusion engine benchmark"
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo
  java -jar bench/target/benchmarks.jar EngineBenchmark -rf text -rff /dev/stdout "$@" 2>&1 | tail -n 20
} | tee "$out"
echo "wrote $out"
