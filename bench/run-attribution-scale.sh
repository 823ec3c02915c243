#!/usr/bin/env bash
# Streaming attribution at scale: generates N seeded synthetic journeys (default 10 million) to a
# temporary file and streams them through first/last/linear and Markov orders 1-3 in a 512 MB heap.
# Writes bench/results/attribution-scale-<date>.txt with the machine, date, commit and figures.
# Usage: bench/run-attribution-scale.sh [N] [seed]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${1:-10000000}"
seed="${2:-42}"
mvn -q -B -Dstyle.color=never -DskipTests -pl analytics -am install
mkdir -p bench/results
out="bench/results/attribution-scale-$(date -u +%Y-%m-%d).txt"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- core analytics 2>/dev/null || commit="$commit (with uncommitted changes to core or analytics)"
figures="$(mktemp)"
/usr/bin/time -v java -Xmx512m -cp analytics/target/classes:core/target/classes \
  fusion.analytics.attribution.AttributionScaleRun "$n" "$seed" > "$figures" 2> >(tee "$figures.err" >&2)
{
  echo "# Fusion streaming attribution: heuristics + Markov orders 1-3 over synthetic journeys, -Xmx512m"
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:  $commit"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo
  cat "$figures"
  grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$figures.err" | sed 's/^\s*/process: /' || true
} | tee "$out"
rm -f "$figures" "$figures.err"
echo "wrote $out"
