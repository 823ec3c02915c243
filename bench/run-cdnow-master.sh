#!/usr/bin/env bash
# BTYD at cohort scale: load CDNOW_master.txt (23,570 customers), fit BG/NBD and gamma-gamma, and
# value every customer (P(alive), purchases expected in 52 weeks, 52-week CLV at 15% a year), one
# thread, timing each stage. Writes bench/results/cdnow-master-<date>.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -Dstyle.color=never -Dmaven.test.skip=true -pl bench -am package
mkdir -p bench/results
out="bench/results/cdnow-master-$(date -u +%Y-%m-%d).txt"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- models bench/src 2>/dev/null || commit="$commit (with uncommitted changes to models or bench)"
figures="$(java -cp bench/target/benchmarks.jar fusion.bench.reports.CdnowMasterRun "$@")"
{
  echo "# BTYD on the full CDNOW cohort: load, fit BG/NBD + gamma-gamma, value every customer"
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:  $commit"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo "data:    ${1:-datasets/cdnow/CDNOW_master.txt}; calibration to 1997-09-30, T in weeks"
  echo
  echo "$figures"
} | tee "$out"
echo "wrote $out"
