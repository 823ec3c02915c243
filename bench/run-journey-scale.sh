#!/usr/bin/env bash
# Incremental journey statistics at scale: N seeded synthetic interactions (default 100 million) of
# P parties (default 1 million), generated in time order and streamed through JourneyStats in a 2 GB heap.
# Writes bench/results/journey-scale-<date>.txt with the machine, date, commit and figures.
# Usage: bench/run-journey-scale.sh [N] [parties] [seed]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${1:-100000000}"
parties="${2:-1000000}"
seed="${3:-42}"
mvn -q -B -Dstyle.color=never -DskipTests -pl analytics -am install
mkdir -p bench/results
out="bench/results/journey-scale-$(date -u +%Y-%m-%d).txt"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- core analytics 2>/dev/null || commit="$commit (with uncommitted changes to core or analytics)"
figures="$(mktemp)"
/usr/bin/time -v java -Xmx2g -cp analytics/target/classes:core/target/classes \
  fusion.analytics.journey.JourneyScaleRun "$n" "$parties" "$seed" > "$figures" 2> >(tee "$figures.err" >&2)
{
  echo "# Fusion incremental journey statistics over synthetic interactions, -Xmx2g"
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
