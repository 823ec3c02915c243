#!/usr/bin/env bash
# A brand's daily series read (issue 18, schema v15), two builds ALTERNATING in one run, on SQLite
# and on PostgreSQL (a throw-away cluster on loopback). One store of each is filled once by BASE's
# build as LoadDriver fills the server's (2,000 people, four brands, EVENTS events over 30 days;
# ReadCpuBench fill), so it is at BASE's schema; per round and per build a copy is opened (a newer
# build migrates its copy) and each brand's series over DAYS days is read READS times after two
# warm reads (ReadCpuBench series): the reading thread's CPU and the wall time per read, and a
# digest of the points, which the builds must give alike.
#   BASE=<commit> bench/run-brand-series.sh [ROUNDS EVENTS DAYS READS]
# Writes bench/results/brand-series-<date>.txt (or FUSION_BENCH_OUT).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-2}"; events="${2:-1000000}"; days="${3:-30}"; reads="${4:-5}"
base="${BASE:?BASE=<commit> names the build to compare with}"
out="${FUSION_BENCH_OUT:-bench/results/brand-series-$(date -u +%Y-%m-%d).txt}"
. bench/lib/pg-cluster.sh
build() { (cd "$1" && mvn -q -B -o -Dstyle.color=never -DskipTests -Dspotless.check.skip=true -pl bench -am package); }
base_worktree "$base"
cp bench/src/main/java/fusion/bench/ReadCpuBench.java "$work/base/bench/src/main/java/fusion/bench/"
build "$work/base"; build "$root"
declare -A bench=([before]="$work/base/bench/target/benchmarks.jar" [after]="bench/target/benchmarks.jar")
pg_start
at="$(date -u -d tomorrow +%Y-%m-%dT00:00:00Z)"
{
echo "# A brand's daily series read: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# before $(git rev-parse --short "$base") ($base), after $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo ' + uncommitted changes')"
echo "# $("$pgbin/postgres" --version), throw-away cluster on loopback, default settings; java $(java -version 2>&1 | head -1)"
echo "# $events events filled by the before build; series over $days days to $at, $reads reads per brand after 2 warm"
java -Xmx2g -cp "${bench[before]}" fusion.bench.ReadCpuBench fill "$work/sqlite" "$events" 2>/dev/null | grep filled | sed 's/^/# /'
java -Xmx2g -cp "${bench[before]}" fusion.bench.ReadCpuBench fill "$(pgurl fusion)" "$events" 2>/dev/null | grep filled | sed 's/^/# /'
for r in $(seq 1 "$rounds"); do
  for b in before after; do
    rm -rf "$work/copy"; cp -r "$work/sqlite" "$work/copy"
    echo "round $r, $b, sqlite"
    java -Xmx2g -cp "${bench[$b]}" fusion.bench.ReadCpuBench series "$work/copy" "$at" "$days" "$reads" 2>/dev/null | sed 's/^/  /'
    "${as_pg[@]}" "$pgbin/dropdb" -h 127.0.0.1 -p "$pgport" -U fusion --if-exists copy
    "${as_pg[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U fusion -T fusion copy
    echo "round $r, $b, postgresql"
    java -Xmx2g -cp "${bench[$b]}" fusion.bench.ReadCpuBench series "$(pgurl copy)" "$at" "$days" "$reads" 2>/dev/null | sed 's/^/  /'
  done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$out"
