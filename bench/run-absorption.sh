#!/usr/bin/env bash
# The absorbing-chain solve of Markov attribution: the hand-written LU against commons-math3's
# LUDecomposition (JMH, side by side in one run), and each one's largest error against a 60-digit
# BigDecimal elimination. Writes bench/results/absorption-<date>.txt with machine, date and commit.
# Usage: bench/run-absorption.sh [paths.csv]   (default: the repository's ChannelAttribution data)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
paths="${1:-datasets/journeys/paths.csv}"
mvn -q -B -Dstyle.color=never -DskipTests -pl bench -am package
mkdir -p bench/results
out="bench/results/absorption-$(date -u +%Y-%m-%d).txt"
table="$(mktemp)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- analytics bench/src 2>/dev/null || commit="$commit (with uncommitted changes to analytics or bench)"
java -Dfusion.paths="$paths" -jar bench/target/benchmarks.jar AbsorptionSolverBenchmark -rf text -rff "$table" >&2
{
  echo "# Absorbing-chain solve (I - Q) x = r on the ChannelAttribution paths: hand-written LU vs commons-math3"
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:  $commit"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo
  echo "## exactness: largest |x - x_exact| over all states, x_exact by 60-digit BigDecimal elimination"
  java -cp bench/target/benchmarks.jar fusion.analytics.attribution.AbsorptionSolverBenchmark "$paths"
  echo
  echo "## speed (JMH, one fork, 5 x 1 s measurement after 5 x 1 s warm-up)"
  cat "$table"
} | tee "$out"
rm -f "$table"
echo "wrote $out"
